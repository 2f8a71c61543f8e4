"""The moderators' queue in the admin, driven through its real views as each role would."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import (
    CommentBan,
    CommentPolicy,
    ModerationEvent,
    ModerationRules,
    ReaderComment,
)
from tests.admin_pages import form_data, logged_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
CHANGELIST_URL = reverse("admin:comments_readercomment_changelist")


def stored(
    article, text, *, status=Status.PENDING, by=None, name="Ada", email="ada@example.com",
    parent=None, ip="203.0.113.5", minutes_ago=None,
):  # fmt: skip
    """A comment posted through the service, then moderated into `status`."""
    comment, _verdict = services.comment_create(
        article=article, name=name, email=email, text=text, parent=parent, ip_address=ip
    )
    if status != comment.status:
        services.comments_moderate(comments=[comment], status=status, by=by)
    if minutes_ago is not None:
        submit_date = timezone.now() - timedelta(minutes=minutes_ago)
        ReaderComment.objects.filter(pk=comment.pk).update(submit_date=submit_date)
    return ReaderComment.objects.get(pk=comment.pk)


def run_action(client, action, comments):
    return client.post(
        CHANGELIST_URL,
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments], "index": 0},
    )


def row_html(html, comment):
    """The queue's row for `comment`: its card and its decisions."""
    checkbox = html.index(f'name="{ACTION_CHECKBOX_NAME}" value="{comment.pk}"')
    return html[html.rindex("<tr", 0, checkbox) : html.index("</tr>", checkbox)]


def cell(row, field):
    """What the row shows of `field`, in its card or its own column."""
    match = re.search(
        rf'<(\w+) class="(?:[^"]* )?field-{field}(?: [^"]*)?"[^>]*>(.*?)</\1>', row, re.S
    )
    assert match, f"no {field} in the row"
    return match.group(2)


def listed(client, query=""):
    response = client.get(CHANGELIST_URL + query)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


# --- What a moderator may open ---------------------------------------------------------


def test_moderator_group_holds_exactly_the_comment_permissions(db):
    group = Group.objects.get(name="Moderator")

    permissions = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    assert permissions == {
        "comments.view_readercomment",
        "comments.change_readercomment",
        "comments.moderate_readercomment",
        "comments.view_commentreport",
        "comments.view_commentban",
        "comments.add_commentban",
        "comments.change_commentban",
        "comments.view_moderationevent",
        "comments.view_moderationrules",
        "comments.change_moderationrules",
        *(f"comments.{action}_commentpolicy" for action in ("add", "change", "delete", "view")),
    }


def test_moderator_sees_only_reader_comments_in_the_admin(as_moderator):
    response = as_moderator.get(reverse("admin:index"))

    assert response.status_code == 200
    apps = [
        (app["app_label"], [model["object_name"] for model in app["models"]])
        for app in response.context["app_list"]
    ]
    assert apps == [
        (
            "comments",
            ["CommentBan", "CommentPolicy", "ModerationEvent", "ModerationRules", "ReaderComment"],
        )
    ]


@pytest.mark.parametrize(
    "model",
    [
        m._meta.label
        for m in admin.site._registry
        if m not in (ReaderComment, CommentBan, ModerationEvent, ModerationRules, CommentPolicy)
    ],
)
def test_moderator_cannot_open_any_other_admin_page(as_moderator, model):
    app_label, model_name = model.lower().split(".")

    for view in ("changelist", "add"):
        response = as_moderator.get(reverse(f"admin:{app_label}_{model_name}_{view}"))
        assert response.status_code == 403, (model, view)


def test_moderator_can_neither_add_nor_delete_comments_and_edits_only_their_text(
    as_moderator, article
):
    comment = stored(article, "What the reader wrote.")
    change_url = reverse("admin:comments_readercomment_change", args=[comment.pk])

    assert as_moderator.get(reverse("admin:comments_readercomment_add")).status_code == 403
    delete_url = reverse("admin:comments_readercomment_delete", args=[comment.pk])
    assert as_moderator.get(delete_url).status_code == 403
    assert "delete_selected" not in action_names(as_moderator)
    page = as_moderator.get(change_url)
    assert page.status_code == 200
    assert "What the reader wrote." in page.content.decode()

    as_moderator.post(
        change_url, form_data(page, comment="Edited by a moderator", status=Status.PUBLIC)
    )

    comment.refresh_from_db()
    assert comment.comment == "Edited by a moderator"
    assert comment.status == Status.PENDING


@pytest.mark.parametrize("role", ["Reporter", "Editor"])
def test_reporters_and_editors_have_no_access_to_the_queue(article, role):
    comment = stored(article, "Waiting for a moderator.")
    client = logged_in(UserFactory(username=role.lower(), groups=[role]))

    assert client.get(CHANGELIST_URL).status_code == 403
    response = run_action(client, "approve", [comment])

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    index = client.get(reverse("admin:index"))
    comments_models = [
        model["object_name"]
        for app in index.context["app_list"]
        if app["app_label"] == "comments"
        for model in app["models"]
    ]
    # editors read the moderation log, nothing else of the desk
    assert comments_models == (["ModerationEvent"] if role == "Editor" else [])


def action_names(client):
    action_form = client.get(CHANGELIST_URL).context["action_form"]
    return [name for name, _label in action_form.fields["action"].choices]


# --- The queue -------------------------------------------------------------------------


def test_queue_lists_newest_first_with_what_a_moderator_needs(as_moderator, moderator, article):
    parent = stored(
        article, "The original comment, which a reply answers.", status=Status.PUBLIC,
        by=moderator, name="Bo", email="bo@example.com", minutes_ago=30,
    )  # fmt: skip
    stored(article, "Approved earlier.", status=Status.PUBLIC, by=moderator, minutes_ago=20)
    stored(article, "Approved too.", status=Status.PUBLIC, by=moderator, minutes_ago=15)
    stored(article, "Rejected earlier.", status=Status.REMOVED, by=moderator, minutes_ago=10)
    reply = stored(article, "A new reply to Bo.", parent=parent, ip="198.51.100.7", minutes_ago=1)

    response = as_moderator.get(CHANGELIST_URL)

    assert response.status_code == 200
    result = list(response.context["cl"].result_list)
    assert [c.comment for c in result] == [
        "A new reply to Bo.",
        "Rejected earlier.",
        "Approved too.",
        "Approved earlier.",
        "The original comment, which a reply answers.",
    ]
    row = row_html(response.content.decode(), reply)
    assert cell(row, "comment") == "A new reply to Bo."
    assert cell(row, "commenter") == "Ada"
    assert cell(row, "user_email") == "ada@example.com"
    assert cell(row, "submit_date") != "-"
    assert f'href="{article.get_absolute_url()}"' in cell(row, "article_link")
    assert article.headline in cell(row, "article_link")
    replied_to = "<bdi>Bo</bdi>: “The original comment, which a reply answers.”"
    assert cell(row, "in_reply_to") == replied_to
    assert cell(row, "history") == "2 approved, 1 rejected before"
    assert "field-status" not in row  # the queue's own state goes without saying
    rejected = row_html(response.content.decode(), result[1])
    assert cell(rejected, "status") == "Removed"


def test_history_counts_an_email_whatever_its_case(as_moderator, moderator, article):
    stored(article, "Earlier.", email="Ada@Example.com", status=Status.PUBLIC, by=moderator)
    stored(article, "Rejected.", email="ADA@EXAMPLE.COM", status=Status.SPAM, by=moderator)
    pending = stored(article, "Now.", email="ada@example.com")
    stored(article, "Someone else.", email="bo@example.com", status=Status.PUBLIC, by=moderator)

    html = as_moderator.get(CHANGELIST_URL).content.decode()

    assert cell(row_html(html, pending), "history") == "1 approved, 1 rejected before"


def test_article_link_opens_the_article_for_a_moderator(as_moderator, article):
    comment = stored(article, "About this story.")
    html = as_moderator.get(CHANGELIST_URL).content.decode()
    href = re.search(r'href="([^"]+)"', cell(row_html(html, comment), "article_link")).group(1)

    response = as_moderator.get(href)

    assert response.status_code == 200
    assert article.headline in response.content.decode()


def test_queue_filters_by_status_and_reports(settings, as_moderator, moderator, article):
    settings.COMMENTS_REPORTS_TO_HOLD = 5
    pending = stored(article, "Pending.")
    public = stored(article, "Public.", status=Status.PUBLIC, by=moderator)
    removed = stored(article, "Removed.", status=Status.REMOVED, by=moderator)
    spam = stored(article, "Spam.", status=Status.SPAM, by=moderator)
    reported = stored(article, "Reported.", status=Status.PUBLIC, by=moderator)
    for reporter in ("reader-a", "reader-b"):
        services.comment_report(comment=reported, reporter_hash=reporter)

    assert listed(as_moderator, "?status__exact=pending") == [pending]
    assert set(listed(as_moderator, "?status__exact=public")) == {public, reported}
    assert listed(as_moderator, "?status__exact=removed") == [removed]
    assert listed(as_moderator, "?status__exact=spam") == [spam]
    assert listed(as_moderator, "?reported=yes") == [reported]
    response = as_moderator.get(CHANGELIST_URL + "?reported=yes")
    assert cell(row_html(response.content.decode(), reported), "report_count") == "2 reports"
    filter_titles = {spec.title for spec in response.context["cl"].filter_specs}
    assert {"status", "reported"} <= filter_titles


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("approve", Status.PUBLIC, "2 comments approved."),
        ("reject", Status.REMOVED, "2 comments removed."),
        ("mark_spam", Status.SPAM, "2 comments marked as spam."),
    ],
)
def test_moderator_acts_on_comments_in_bulk(
    as_moderator, moderator, article, action, status, message
):
    chosen = [stored(article, "First."), stored(article, "Second.", email="bo@example.com")]
    untouched = stored(article, "Not selected.", email="cy@example.com")

    response = run_action(as_moderator, action, chosen)

    assert response.status_code == 302
    for comment in chosen:
        comment.refresh_from_db()
        assert comment.status == status
        assert comment.is_public == (status == Status.PUBLIC)
        assert comment.is_removed == (status != Status.PUBLIC)
        assert comment.moderated_by == moderator
    untouched.refresh_from_db()
    assert untouched.status == Status.PENDING
    article.refresh_from_db()
    assert article.comment_count == (2 if status == Status.PUBLIC else 0)
    messages = [str(m) for m in as_moderator.get(CHANGELIST_URL).context["messages"]]
    assert messages == [message]


def test_moderator_approves_a_single_comment(as_moderator, article):
    comment = stored(article, "Just this one.")

    run_action(as_moderator, "approve", [comment])

    comment.refresh_from_db()
    assert comment.status == Status.PUBLIC
    messages = [str(m) for m in as_moderator.get(CHANGELIST_URL).context["messages"]]
    assert messages == ["1 comment approved."]


@pytest.mark.parametrize(
    ("decision", "status", "message"),
    [
        ("approve", Status.PUBLIC, "1 comment approved."),
        ("reject", Status.REMOVED, "1 comment removed."),
        ("spam", Status.SPAM, "1 comment marked as spam."),
    ],
)
def test_one_click_decides_a_single_comment_from_its_row(
    as_moderator, article, decision, status, message
):
    comment = stored(article, "Decide me.")
    other = stored(article, "Leave me.", email="bo@example.com")
    row = row_html(as_moderator.get(CHANGELIST_URL).content.decode(), comment)
    assert f'name="_decide" value="{decision}:{comment.pk}"' in cell(row, "decide")

    response = as_moderator.post(
        CHANGELIST_URL + "?status__exact=pending", {"_decide": f"{decision}:{comment.pk}"}
    )

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL + "?status__exact=pending"
    comment.refresh_from_db()
    other.refresh_from_db()
    assert (comment.status, other.status) == (status, Status.PENDING)
    messages = [str(m) for m in as_moderator.get(CHANGELIST_URL).context["messages"]]
    assert messages == [message]


def test_one_click_decisions_need_the_moderate_permission(article):
    comment = stored(article, "Not yours to decide.")
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_readercomment", "change_readercomment"])
    )
    response = logged_in(viewer).post(CHANGELIST_URL, {"_decide": f"approve:{comment.pk}"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "value",
    [
        "publish:{pk}", "approve:x", "approve:", "", "approve:²", "approve:{pk}\x00",
        "approve:{arabic_pk}",  # str.isdigit() is true, and int() reads it as the pk
    ],
)  # fmt: skip
def test_unknown_one_click_decisions_are_refused(as_moderator, article, value):
    comment = stored(article, "Still pending.")
    pk = str(comment.pk)
    value = value.format(pk=pk, arabic_pk=pk.translate(ARABIC_INDIC))

    assert as_moderator.post(CHANGELIST_URL, {"_decide": value}).status_code == 400
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_approving_a_parent_in_the_admin_leaves_its_pending_reply_pending(
    as_moderator, moderator, article
):
    parent = stored(article, "Parent.", status=Status.PUBLIC, by=moderator)
    reply = stored(article, "Unread reply.", parent=parent, email="bo@example.com")
    run_action(as_moderator, "reject", [parent])

    run_action(as_moderator, "approve", [parent])

    reply.refresh_from_db()
    assert reply.status == Status.PENDING
    assert not reply.is_public
    parent.refresh_from_db()
    assert parent.status == Status.PUBLIC


def queue_with(count):
    """`count` pending replies, each on its own article, to a public comment by another reader."""
    mod = UserFactory(username="seed-moderator", groups=["Moderator"])
    for i in range(count):
        article = ArticleFactory()
        parent = stored(
            article, f"Parent {i}.", status=Status.PUBLIC, by=mod, email=f"p{i}@example.com"
        )
        stored(article, f"Reply {i}.", parent=parent, email=f"r{i}@example.com")


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


def test_queue_query_count_does_not_grow_with_the_comments(as_moderator):
    queue_with(3)
    few_queries, few_rows = changelist_queries(as_moderator)
    queue_with(25)  # 56 comments in all: a full page of 50
    many_queries, many_rows = changelist_queries(as_moderator)

    assert (few_rows, many_rows) == (6, 50)
    assert many_queries == few_queries


def test_reader_input_is_escaped_in_the_queue(as_moderator, moderator, section):
    article = ArticleFactory(section=section, headline="Council <em>votes</em>")
    parent = stored(
        article, "<script>alert('parent')</script>", status=Status.PUBLIC, by=moderator,
        name="<b onmouseover=alert(1)>Bo</b>", email="bo@example.com",
    )  # fmt: skip
    stored(
        article, '<img src=x onerror="alert(1)">', parent=parent,
        name="<script>alert('name')</script>", email="ada@example.com",
    )  # fmt: skip

    html = as_moderator.get(CHANGELIST_URL).content.decode()

    for raw in [
        "<script>alert('name')</script>",
        "<script>alert('parent')</script>",
        "<img src=x",
        "<b onmouseover",
        "<em>votes</em>",
    ]:
        assert raw not in html
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;b onmouseover=alert(1)&gt;Bo&lt;/b&gt;</bdi>: “&lt;script&gt;" in html
    assert "Council &lt;em&gt;votes&lt;/em&gt;" in html


def test_article_that_is_no_longer_public_is_named_without_a_link(as_moderator, section):
    article = ArticleFactory(section=section, headline="Withdrawn <story>")
    comment = stored(article, "Posted while it was published.")
    article.status = article.Status.DRAFT
    article.save()

    html = as_moderator.get(CHANGELIST_URL).content.decode()

    assert cell(row_html(html, comment), "article_link") == "Withdrawn &lt;story&gt;"


def test_readers_names_are_isolated_in_the_queue(as_moderator, moderator, article):
    """Names typed in another direction (or with an override stored before names were
    cleaned) cannot turn the queue's columns around."""
    parent = stored(article, "First.", status=Status.PUBLIC, by=moderator, name="ليلى")
    reply = stored(article, "Second.", parent=parent, email="bo@example.com")
    ReaderComment.objects.filter(pk=reply.pk).update(user_name="\u202eBo")

    response = as_moderator.get(CHANGELIST_URL)

    row = row_html(response.content.decode(), reply)
    assert cell(row, "commenter") == "\u202eBo"
    assert '<bdi class="field-commenter">\u202eBo</bdi>' in row
    assert cell(row, "in_reply_to").startswith("<bdi>ليلى</bdi>: ")
    detail = as_moderator.get(reverse("admin:comments_readercomment_change", args=[reply.pk]))
    assert "<bdi>\u202eBo</bdi>" in detail.content.decode()
    # Where a name can only be text (the page's title, the moderation log's lines), it is
    # wrapped in Unicode's own isolates.
    title = re.search(r"<title>(.*?)</title>", detail.content.decode(), re.S).group(1)
    assert "\u2068\u202eBo\u2069: Second." in title
    reply.refresh_from_db()
    services.comments_moderate(comments=[reply], status=Status.PUBLIC, by=moderator)
    log = as_moderator.get(reverse("admin:comments_moderationevent_changelist"))
    assert "\u2068\u202eBo\u2069: Second." in log.content.decode()
