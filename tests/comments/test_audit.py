"""The audit trail: every moderation decision kept with who, when and before/after,
on the comment's admin page and in a log moderators and editors filter."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import CommentBan, ModerationEvent, ReaderComment
from newsroom.cachekeys import Purge
from tests.admin_pages import form_data, logged_in
from tests.comments.pages import parse
from tests.concurrency import retry_while_sqlite_is_locked
from tests.factories import ReaderCommentFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
Action = ModerationEvent.Action
CHANGELIST_URL = reverse("admin:comments_readercomment_changelist")
LOG_URL = reverse("admin:comments_moderationevent_changelist")


@pytest.fixture
def pending(article):
    return ReaderCommentFactory(article=article, status=Status.PENDING, comment="Ferries first.")


def trail(target):
    return [
        (e.action, e.by, e.at, e.before, e.after) for e in ModerationEvent.objects.about(target)
    ]


def change_url(comment):
    return reverse("admin:comments_readercomment_change", args=[comment.pk])


def decide(client, comment, decision):
    response = client.post(CHANGELIST_URL, {"_decide": f"{decision}:{comment.pk}"})
    assert response.status_code == 302


# --- Each decision, with who and when --------------------------------------------------


def test_trail_records_each_decision_with_who_when_and_before_after(moderator, pending):
    other = UserFactory(username="second", groups=["Moderator"])
    start = timezone.now().replace(microsecond=0)
    steps = [(moderator, "approve"), (other, "reject"), (moderator, "spam")]

    for minute, (user, decision) in enumerate(steps):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            decide(logged_in(user), pending, decision)

    assert trail(pending) == [
        (Action.APPROVE, moderator, start, {"status": "pending"}, {"status": "public"}),
        (Action.REJECT, other, start + timedelta(minutes=1), {"status": "public"},
         {"status": "removed"}),
        (Action.SPAM, moderator, start + timedelta(minutes=2), {"status": "removed"},
         {"status": "spam"}),
    ]  # fmt: skip


def test_decision_that_changes_nothing_records_nothing(moderator, article):
    comment = ReaderCommentFactory(article=article, status=Status.PUBLIC)

    services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=moderator)

    assert trail(comment) == []


def test_comment_sent_back_by_readers_reports_is_recorded_without_a_person(article, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 2
    comment = ReaderCommentFactory(article=article, status=Status.PUBLIC)

    for reporter in ("a", "b"):
        services.comment_report(comment=comment, reporter_hash=reporter)

    [(action, by, _at, before, after)] = trail(comment)
    assert (action, by, before, after) == (
        Action.HOLD, None, {"status": "public"}, {"status": "pending", "reports": 2},
    )  # fmt: skip


def test_ban_set_changed_and_lifted_are_each_recorded(moderator):
    ban = services.comment_ban_save(
        ban=CommentBan(kind=CommentBan.Kind.EMAIL, value="a@example.com", reason="Abuse"),
        by=moderator,
    )
    ends_at = timezone.now().replace(microsecond=0) + timedelta(days=3)
    ban.ends_at, ban.reason = ends_at, "Abuse, three days"
    services.comment_ban_save(ban=ban, by=moderator)
    services.comment_ban_lift(ban=ban, by=moderator)

    events = trail(ban)
    assert [(action, by) for action, by, *_ in events] == [
        (Action.BAN, moderator), (Action.BAN, moderator), (Action.UNBAN, moderator),
    ]  # fmt: skip
    terms = {"kind": "email", "value": "a@example.com", "reason": "Abuse", "ends_at": None}
    assert events[0][3:] == ({}, terms)
    assert events[1][3]["reason"] == "Abuse"
    assert events[1][4]["reason"] == "Abuse, three days"
    assert events[2][3] == {"ends_at": ends_at.isoformat().replace("+00:00", "Z")}


def test_ban_and_remove_records_the_ban_and_each_removal(moderator, article):
    troll = [
        ReaderCommentFactory(article=article, user_email="troll@example.com", status=s)
        for s in (Status.PUBLIC, Status.PENDING)
    ]

    ban, removed = services.commenter_ban_and_remove(
        email="troll@example.com", reason="Abuse", ends_at=None, by=moderator
    )

    assert removed == 2
    assert [e[:2] for e in trail(ban)] == [(Action.BAN, moderator)]
    for comment in troll:
        assert [e[0] for e in trail(comment)] == [Action.REJECT]


@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_once_are_recorded_one_after_the_other(article):
    first, second = (UserFactory(username=name, groups=["Moderator"]) for name in "ab")
    comment = ReaderCommentFactory(article=article, status=Status.PENDING)
    barrier = threading.Barrier(2)

    def decide_from_own_connection(by, status):
        try:
            # each moderator's page loaded the comment while it was pending
            seen = ReaderComment.objects.get(pk=comment.pk)
            barrier.wait(timeout=30)
            retry_while_sqlite_is_locked(
                lambda: services.comments_moderate(comments=[seen], status=status, by=by)
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        decisions = [(first, Status.PUBLIC), (second, Status.SPAM)]
        for future in [pool.submit(decide_from_own_connection, *d) for d in decisions]:
            future.result(timeout=60)

    events = trail(comment)
    assert len(events) == 2
    assert events[0][3] == {"status": "pending"}
    assert events[1][3] == events[0][4]  # the second saw what the first left
    assert ReaderComment.objects.get(pk=comment.pk).status == events[1][4]["status"]


# --- Editing a comment's text ----------------------------------------------------------


def test_moderator_edit_keeps_the_original_text_in_the_history(moderator, pending):
    client = logged_in(moderator)
    for text in ("Ferries frist.", "Ferries first. [removed: a phone number]"):
        page = client.get(change_url(pending))
        response = client.post(change_url(pending), form_data(page, comment=text))
        assert response.status_code == 302

    pending.refresh_from_db()
    assert pending.comment == "Ferries first. [removed: a phone number]"
    edits = [(a, by, before, after) for a, by, _at, before, after in trail(pending)]
    assert edits == [
        (Action.EDIT, moderator, {"comment": "Ferries first."}, {"comment": "Ferries frist."}),
        (Action.EDIT, moderator, {"comment": "Ferries frist."},
         {"comment": "Ferries first. [removed: a phone number]"}),
    ]  # fmt: skip


def test_comment_page_shows_its_history_with_who_and_the_original(moderator, pending):
    services.comment_edit(comment=pending, text="Ferries, first.", by=moderator)
    services.comments_moderate(comments=[pending], status=Status.PUBLIC, by=moderator)

    response = logged_in(moderator).get(change_url(pending))

    history = parse(response).find("div", cls="inline-group")
    rows = [" ".join(row.text().split()) for row in history.find_all("tr", cls="has_original")]
    assert len(rows) == 2
    assert "Edit text" in rows[0] and "moderator" in rows[0]
    assert "comment: Ferries first. → Ferries, first." in rows[0]
    assert "Approve" in rows[1] and "status: pending → public" in rows[1]


def test_unchanged_text_saved_again_records_no_edit(moderator, pending):
    services.comment_edit(comment=pending, text="Ferries first.", by=moderator)

    assert trail(pending) == []


def test_edited_text_of_a_public_comment_is_purged_at_once(article):
    comment = ReaderCommentFactory(article=article, status=Status.PUBLIC)

    assert comment.changed_keys(update_fields=["comment"]) == Purge(
        hard={f"comments-{article.pk}"}, moves_schedule=False
    )


def test_empty_edit_is_refused_and_records_nothing(moderator, pending):
    with pytest.raises(Exception, match="cannot be blank"):
        services.comment_edit(comment=pending, text="", by=moderator)

    pending.refresh_from_db()
    assert pending.comment == "Ferries first."
    assert trail(pending) == []


# --- The log ---------------------------------------------------------------------------


def listed(client, query=""):
    response = client.get(LOG_URL + query)
    assert response.status_code == 200
    return [(e.action, e.by) for e in response.context["cl"].result_list]


def filter_link(client, query, title, choice):
    """The link of one choice of the log's filter as the page offers it."""
    changelist = client.get(LOG_URL + query).context["cl"]
    spec = next(spec for spec in changelist.filter_specs if spec.title == title)
    return next(c["query_string"] for c in spec.choices(changelist) if c["display"] == choice)


def test_editor_filters_the_log_by_action_moderator_and_date(moderator, article, editor):
    other = UserFactory(username="second", groups=["Moderator"])
    comments = ReaderCommentFactory.create_batch(3, article=article, status=Status.PENDING)
    long_ago = timezone.now() - timedelta(days=10)
    with time_machine.travel(long_ago, tick=False):
        services.comments_moderate(comments=comments[:1], status=Status.PUBLIC, by=moderator)
    services.comments_moderate(comments=comments[1:2], status=Status.PUBLIC, by=other)
    services.comments_moderate(comments=comments[2:], status=Status.SPAM, by=moderator)
    client = logged_in(editor)

    assert listed(client, "?action__exact=approve") == [
        (Action.APPROVE, other), (Action.APPROVE, moderator),
    ]  # fmt: skip
    assert listed(client, f"?by__id__exact={moderator.pk}") == [
        (Action.SPAM, moderator), (Action.APPROVE, moderator),
    ]  # fmt: skip
    past_week = filter_link(client, f"?by__id__exact={moderator.pk}", "at", "Past 7 days")
    assert listed(client, past_week) == [(Action.SPAM, moderator)]


def test_nobody_changes_or_deletes_the_log(moderator, pending, admin_user):
    services.comments_moderate(comments=[pending], status=Status.PUBLIC, by=moderator)
    event = ModerationEvent.objects.get()
    superuser = logged_in(admin_user)

    assert superuser.get(reverse("admin:comments_moderationevent_add")).status_code == 403
    delete_url = reverse("admin:comments_moderationevent_delete", args=[event.pk])
    assert superuser.post(delete_url, {"post": "yes"}).status_code == 403
    page = superuser.get(reverse("admin:comments_moderationevent_change", args=[event.pk]))
    assert "status: pending → public" in page.content.decode()
    assert ModerationEvent.objects.count() == 1


def test_ban_and_remove_in_the_admin_appears_in_the_log(moderator, article):
    troll = ReaderCommentFactory(article=article, user_email="troll@example.com")
    client = logged_in(moderator)

    client.post(
        CHANGELIST_URL,
        {"action": "ban_and_remove", ACTION_CHECKBOX_NAME: [troll.pk], "confirm": "yes",
         "reason": "Abuse"},
    )  # fmt: skip

    assert listed(client) == [(Action.REJECT, moderator), (Action.BAN, moderator)]
