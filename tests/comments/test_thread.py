"""The public thread under an article: what readers see, report, and what it costs."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import CommentReport, ReaderComment
from newsroom.clients import client_hash
from tests.comments.pages import comment_form, field_help, field_values, parse
from tests.factories import ArticleFactory, ReaderCommentFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status


def children(element, tag=None):
    return [
        child
        for child in element.children
        if not isinstance(child, str) and (tag is None or child.tag == tag)
    ]


def comments_section(response):
    assert response.status_code == 200
    section = parse(response).find("section", id="comments")
    assert section is not None
    return section


def top_level(section):
    thread = section.find("ol", cls="comment-list")
    if thread is None:
        return []
    return children(thread, "li")


def replies(item):
    nested = [ol for ol in children(item, "ol") if "comment-list--replies" in ol.classes]
    assert len(nested) <= 1
    return children(nested[0], "li") if nested else []


@pytest.fixture
def thread(article):
    """Two comments, a reply to the first and a reply to that reply, written in this order."""
    start = timezone.now() - timedelta(hours=3)
    first = ReaderCommentFactory(
        article=article, user_name="Ada Byrne", comment="First!", submit_date=start
    )
    second = ReaderCommentFactory(
        article=article,
        user_name="Ben Cho",
        comment="A later thought.",
        submit_date=start + timedelta(minutes=30),
    )
    reply = ReaderCommentFactory(
        parent=first,
        user_name="Cleo Dunn",
        comment="Replying to Ada.",
        submit_date=start + timedelta(minutes=40),
    )
    deepest = ReaderCommentFactory(
        parent=reply,
        user_name="Dev Eze",
        comment="And to Cleo.",
        submit_date=start + timedelta(minutes=50),
    )
    return {"first": first, "second": second, "reply": reply, "deepest": deepest}


# The thread


def test_comments_are_shown_oldest_first_with_replies_under_their_parent(client, article, thread):
    section = comments_section(client.get(article.get_absolute_url()))

    roots = top_level(section)
    assert [li.attrs["id"] for li in roots] == [f"c{thread['first'].pk}", f"c{thread['second'].pk}"]
    first_replies = replies(roots[0])
    assert [li.attrs["id"] for li in first_replies] == [f"c{thread['reply'].pk}"]
    assert [li.attrs["id"] for li in replies(first_replies[0])] == [f"c{thread['deepest'].pk}"]
    assert replies(roots[1]) == []
    nested = roots[0].find("ol", cls="comment-list--replies")
    assert nested.classes == ["comment-list", "comment-list--replies"]


def test_later_top_level_comments_follow_earlier_threads_and_their_replies(client, article, thread):
    later = ReaderCommentFactory(article=article, user_name="Fay Gill")
    late_reply = ReaderCommentFactory(parent=thread["second"], user_name="Gus Hale")

    section = comments_section(client.get(article.get_absolute_url()))

    names = [el.text() for el in section.find_all(cls="comment__author")]
    assert names == ["Ada Byrne", "Cleo Dunn", "Dev Eze", "Ben Cho", "Gus Hale", "Fay Gill"]
    assert [li.attrs["id"] for li in top_level(section)][-1] == f"c{later.pk}"
    assert [li.attrs["id"] for li in replies(top_level(section)[1])] == [f"c{late_reply.pk}"]


def test_each_comment_shows_its_name_time_and_permalink(client, article, thread):
    section = comments_section(client.get(article.get_absolute_url()))

    for comment in thread.values():
        item = section.find("li", id=f"c{comment.pk}")
        assert item.find(cls="comment__author").text() == comment.user_name
        assert item.find(cls="comment__body").text().strip() == comment.comment
        permalink = item.find("a", cls="comment__permalink")
        assert permalink.attrs["href"] == f"#c{comment.pk}"
        time = permalink.find("time")
        assert datetime.fromisoformat(time.attrs["datetime"]) == comment.submit_date
        local = timezone.localtime(comment.submit_date)
        assert time.text() == f"{local:%b} {local.day}, {local:%Y}, {local:%H:%M}"


def test_names_and_text_are_shown_as_written_never_as_markup(client, article):
    comment = ReaderCommentFactory(
        article=article,
        user_name='<b>Ada</b> & "Co"',
        comment="<script>alert('x')</script>\nA second line.\n\nA & B's second paragraph.",
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "<b>Ada</b>" not in html
    item = comments_section(client.get(article.get_absolute_url())).find("li", id=f"c{comment.pk}")
    assert item.find(cls="comment__author").text() == '<b>Ada</b> & "Co"'
    paragraphs = item.find(cls="comment__body").find_all("p")
    assert [p.text() for p in paragraphs] == [
        "<script>alert('x')</script>A second line.",
        "A & B's second paragraph.",
    ]
    assert len(paragraphs[0].find_all("br")) == 1
    assert item.find("a", cls="comment__reply").text() == 'Reply to <b>Ada</b> & "Co"'
    report = item.find("form", cls="comment__report").find("button").text()
    assert report == 'Report comment by <b>Ada</b> & "Co"'


def test_a_comment_erased_at_its_authors_request_keeps_its_place_for_its_replies(
    client, article, thread
):
    ReaderComment.objects.filter(pk=thread["reply"].pk).update(erased_at=timezone.now())

    section = comments_section(client.get(article.get_absolute_url()))

    erased = replies(top_level(section)[0])[0]
    assert erased.attrs["id"] == f"c{thread['reply'].pk}"
    assert erased.find(cls="comment__erased").text() == "Comment removed at the author’s request."
    assert children(erased, "article") == []
    assert thread["reply"].user_name not in erased.text()
    assert [li.attrs["id"] for li in replies(erased)] == [f"c{thread['deepest'].pk}"]


def test_a_reply_whose_parent_is_not_shown_any_more_is_shown_among_the_threads(
    client, article, thread
):
    services.comments_moderate(comments=[thread["reply"]], status=Status.REMOVED, by=None)

    section = comments_section(client.get(article.get_absolute_url()))

    assert [li.attrs["id"] for li in top_level(section)] == [
        f"c{thread['first'].pk}",
        f"c{thread['deepest'].pk}",
        f"c{thread['second'].pk}",
    ]
    assert replies(top_level(section)[0]) == []
    assert "comment--level-2" in top_level(section)[1].classes


def test_times_are_shown_in_the_newsrooms_time_zone(client, article, settings):
    settings.TIME_ZONE = "America/New_York"
    comment = ReaderCommentFactory(
        article=article, submit_date=datetime.fromisoformat("2026-01-01T03:05:00+00:00")
    )

    section = comments_section(client.get(article.get_absolute_url()))

    time = section.find("li", id=f"c{comment.pk}").find("time")
    assert time.attrs["datetime"] == "2025-12-31T22:05:00-05:00"
    assert time.text() == "Dec 31, 2025, 22:05"


def test_heading_counts_the_public_comments(client, article, thread):
    services.comments_moderate(comments=[thread["deepest"]], status=Status.REMOVED, by=None)

    section = comments_section(client.get(article.get_absolute_url()))

    assert section.find("h2", id="comments-heading").text() == "3 comments"


@pytest.mark.parametrize(
    ("count", "heading"), [(0, "Comments"), (1, "1 comment"), (2, "2 comments")]
)
def test_heading_reads_well_for_any_number(client, article, count, heading):
    ReaderCommentFactory.create_batch(count, article=article)

    section = comments_section(client.get(article.get_absolute_url()))

    assert section.find("h2", id="comments-heading").text() == heading


def test_empty_thread_invites_the_first_comment(client, article):
    section = comments_section(client.get(article.get_absolute_url()))

    assert top_level(section) == []
    assert "No comments yet" in section.find(cls="comments__empty").text()


@pytest.mark.parametrize("status", [Status.PENDING, Status.REMOVED, Status.SPAM])
def test_comments_that_are_not_public_are_never_shown(client, article, thread, status):
    hidden = ReaderCommentFactory(
        article=article, status=status, user_name="Hidden Harper", comment="Not for readers."
    )
    hidden_reply = ReaderCommentFactory(
        parent=thread["second"], status=status, user_name="Ivo Iles", comment="Nor this."
    )

    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    for text in ("Hidden Harper", "Not for readers.", "Ivo Iles", "Nor this."):
        assert text not in html
    section = comments_section(response)
    assert section.find(id=f"c{hidden.pk}") is None
    assert section.find(id=f"c{hidden_reply.pk}") is None
    assert replies(section.find("li", id=f"c{thread['second'].pk}")) == []
    assert section.find("h2", id="comments-heading").text() == "4 comments"


def test_comments_of_other_articles_are_not_shown(client, article, section):
    other = ArticleFactory(headline="Another story", section=section)
    elsewhere = ReaderCommentFactory(article=other, comment="About the other story.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "About the other story." not in html
    assert f'id="c{elsewhere.pk}"' not in html


def test_email_addresses_are_never_shown(client, article, thread):
    emails = [comment.user_email for comment in thread.values()]

    for response in (
        client.get(article.get_absolute_url()),
        client.get(article.get_absolute_url(), {"reply_to": thread["first"].pk}),
        client.get(article.get_absolute_url(), {"comment": "pending"}),
    ):
        html = response.content.decode()
        for email in emails:
            assert email not in html
        assert "@example.org" not in html


def test_email_field_says_it_is_never_shown_publicly(client, article):
    page = parse(client.get(article.get_absolute_url()))

    assert field_help(page, "email") == "Never shown publicly."
    assert comment_form(page).find("label", for_="id_email").text() == "Email"


def test_form_has_name_email_comment_and_a_post_button(client, article):
    form = comment_form(parse(client.get(article.get_absolute_url())))

    labels = [form.find("label", for_=f"id_{name}").text() for name in ("name", "email", "comment")]
    assert labels == ["Name", "Email", "Comment"]
    assert form.find("input", name="email").attrs["type"] == "email"
    assert form.find("button", type="submit").text() == "Post comment"


def test_remember_me_box_is_hidden_without_javascript_and_never_ticked(client, article):
    page = parse(client.get(article.get_absolute_url()))

    form = comment_form(page)
    box = form.find("input", id="comment-remember")
    assert box.attrs["type"] == "checkbox"
    assert "checked" not in box.attrs
    wrapper = box.parent
    assert "data-remember" in wrapper.attrs
    assert "hidden" in wrapper.attrs
    assert "Save my name and email in this browser" in wrapper.text()
    values = field_values(page)
    assert "remember" not in values
    assert values["name"] == "" and values["email"] == ""


def test_posting_stores_nothing_in_the_browser(client, article):
    data = {
        **field_values(parse(client.get(article.get_absolute_url()))),
        "name": "Jo King",
        "email": "jo@example.org",
        "comment": "Saved or not, no cookie.",
        "remember": "on",
    }

    response = client.post(reverse("comments:post"), data)

    assert response.status_code == 302
    assert not response.cookies
    assert not client.get(response["Location"]).cookies


def test_reply_links_point_at_the_form_until_the_deepest_level(client, article, thread):
    section = comments_section(client.get(article.get_absolute_url()))

    for key in ("first", "second", "reply"):
        item = section.find("li", id=f"c{thread[key].pk}")
        own = item.find("footer", cls="comment__actions")
        link = own.find("a", cls="comment__reply")
        assert link.attrs["href"] == f"?reply_to={thread[key].pk}#comment-form"
        assert link.text() == f"Reply to {thread[key].user_name}"
    deepest = section.find("li", id=f"c{thread['deepest'].pk}")
    assert deepest.find("a", cls="comment__reply") is None


# Reports


def report(client, comment, **extra):
    return client.post(reverse("comments:report", args=[comment.pk]), **extra)


def test_report_returns_to_the_comment_with_thanks(client, article, thread):
    comment = thread["second"]

    response = report(client, comment)

    assert response.status_code == 302
    assert response["Location"] == (
        f"{article.get_absolute_url()}?reported={comment.pk}#c{comment.pk}"
    )
    section = comments_section(client.get(response["Location"]))
    item = section.find("li", id=f"c{comment.pk}")
    thanks = item.find(cls="comment__reported")
    assert thanks.text() == "Thank you. A moderator will look at this comment."
    assert item.find("form", cls="comment__report") is None
    assert len(section.find_all(cls="comment__reported")) == 1
    other = section.find("li", id=f"c{thread['first'].pk}")
    form = other.find("form", cls="comment__report")
    assert form.attrs["action"] == reverse("comments:report", args=[thread["first"].pk])
    assert form.attrs["method"] == "post"
    assert CommentReport.objects.filter(comment=comment).count() == 1


@pytest.mark.parametrize("status", [Status.PENDING, Status.REMOVED, Status.SPAM])
def test_reporting_a_comment_that_is_not_public_is_404(client, article, status):
    comment = ReaderCommentFactory(article=article, status=status)

    assert report(client, comment).status_code == 404
    assert not CommentReport.objects.exists()


def test_reporting_a_comment_that_does_not_exist_is_404(client, article):
    assert client.post(reverse("comments:report", args=[987654])).status_code == 404


def test_report_address_accepts_only_posts(client, article, thread):
    url = reverse("comments:report", args=[thread["first"].pk])

    assert client.get(url).status_code == 405


def test_report_from_another_website_is_refused(client, article, thread):
    response = report(client, thread["first"], headers={"Origin": "https://evil.example"})

    assert response.status_code == 403
    assert "another website" in response.content.decode()
    assert not CommentReport.objects.exists()


def test_reports_are_rate_limited_with_a_readable_page(client, article):
    allowed = int(settings.COMMENTS_REPORT_RATE.split("/")[0])
    comments = ReaderCommentFactory.create_batch(allowed + 1, article=article)

    answers = [report(client, comment).status_code for comment in comments]

    assert answers == [302] * allowed + [429]
    response = report(client, comments[-1])
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600  # the rate is per hour
    assert "reported several comments" in response.content.decode()
    assert CommentReport.objects.count() == allowed


def test_enough_reporters_send_a_comment_back_to_moderation(client, article, thread):
    comment = thread["second"]
    needed = settings.COMMENTS_REPORTS_TO_HOLD
    services.article_comment_count_refresh(article_id=article.pk)

    for n in range(needed - 1):
        report(client, comment, REMOTE_ADDR=f"198.51.100.{n + 1}")
    report(client, comment, REMOTE_ADDR="198.51.100.1")  # the same reader again
    comment.refresh_from_db()
    assert comment.status == Status.PUBLIC
    assert f'id="c{comment.pk}"' in client.get(article.get_absolute_url()).content.decode()

    report(client, comment, REMOTE_ADDR="203.0.113.200")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert not comment.is_public
    section = comments_section(client.get(article.get_absolute_url()))
    assert section.find(id=f"c{comment.pk}") is None
    assert section.find("h2", id="comments-heading").text() == "3 comments"
    article.refresh_from_db()
    assert article.comment_count == 3


def test_reports_from_one_ipv6_network_count_as_one_reporter(client, article, thread):
    comment = thread["second"]

    for n in range(settings.COMMENTS_REPORTS_TO_HOLD):
        report(client, comment, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}")

    comment.refresh_from_db()
    assert comment.status == Status.PUBLIC
    assert CommentReport.objects.filter(comment=comment).count() == 1


def test_who_reported_is_never_shown(client, rf, article, thread):
    address = "198.51.100.77"
    comment = thread["first"]

    response = report(client, comment, REMOTE_ADDR=address)

    stored = CommentReport.objects.get()
    assert address not in stored.reporter_hash
    html = client.get(response["Location"], REMOTE_ADDR=address).content.decode()
    assert address not in html
    assert stored.reporter_hash not in html
    assert client_hash(rf.post("/", REMOTE_ADDR=address)) == stored.reporter_hash


# Cost and counts


def add_comments(article, total):
    """`total` public comments: 60% threads, 30% replies, 10% replies to replies, plus
    some that are not public."""
    roots = [ReaderCommentFactory(article=article) for _ in range(total * 6 // 10)]
    replies_ = [ReaderCommentFactory(parent=roots[i % len(roots)]) for i in range(total * 3 // 10)]
    deeper = [ReaderCommentFactory(parent=replies_[i % len(replies_)]) for i in range(total // 10)]
    ReaderCommentFactory(article=article, status=Status.PENDING)
    ReaderCommentFactory(parent=roots[0], status=Status.REMOVED)
    return len(roots) + len(replies_) + len(deeper)


def test_article_page_query_count_is_the_same_with_1_11_and_501_comments(
    client, article, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    ReaderCommentFactory(article=article)
    public = 1
    client.get(url)  # warm process-wide caches (sites, content types)
    with CaptureQueriesContext(connection) as at_one:
        assert client.get(url).status_code == 200
    baseline = len(at_one)

    counted = {1: baseline}
    for size in (11, 501):
        public += add_comments(article, size - public)
        assert ReaderComment.objects.public().count() == size
        with django_assert_max_num_queries(baseline + 1) as captured:
            response = client.get(url)
        section = comments_section(response)
        assert section.find("h2", id="comments-heading").text() == f"{size} comments"
        threads = ReaderComment.objects.public().values("thread_id").distinct().count()
        # A page holds N threads at most: the 501 comments' 301 threads run to more pages.
        assert len(top_level(section)) == min(threads, settings.COMMENTS_THREADS_PER_PAGE)
        counted[size] = len(captured)

    # A thread whose count fits on a page is read whole in one query; a longer one's
    # first page reads its threads' ids first (comments.threads.thread_page).
    assert counted == {1: baseline, 11: baseline, 501: baseline + 1}


def test_comment_count_follows_moderation(article):
    posted = [
        services.comment_create(
            article=article, name=f"Reader {n}", email=f"r{n}@example.org", text=f"Point {n}."
        )[0]
        for n in range(3)
    ]

    def public_count():
        article.refresh_from_db()
        assert (
            article.comment_count == ReaderComment.objects.for_article(article.pk).public().count()
        )
        return article.comment_count

    assert public_count() == 0
    services.comments_moderate(comments=[posted[0]], status=Status.PUBLIC, by=None)
    services.comments_moderate(comments=[posted[1]], status=Status.PUBLIC, by=None)
    assert public_count() == 2
    services.comments_moderate(comments=[posted[0]], status=Status.REMOVED, by=None)
    assert public_count() == 1
    services.comments_moderate(comments=[posted[2]], status=Status.SPAM, by=None)
    assert public_count() == 1
    services.comments_moderate(comments=[posted[0]], status=Status.PUBLIC, by=None)
    assert public_count() == 2


def test_heading_and_stored_count_agree_after_moderation(client, article):
    comment, _ = services.comment_create(
        article=article, name="Kim Lowe", email="kim@example.org", text="Well reported."
    )
    services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=None)

    section = comments_section(client.get(article.get_absolute_url()))

    article.refresh_from_db()
    assert article.comment_count == 1
    assert section.find("h2", id="comments-heading").text() == "1 comment"
    assert "Well reported." in section.text()
