"""Writes on comments (comments/services.py): post once, moderate, report, notify."""

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from smtplib import SMTPException
from unittest.mock import patch

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from comments import services
from comments.models import CommentReport, Premoderation, ReaderComment, comment_fingerprint
from tests.concurrency import retry_while_sqlite_is_locked
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
QUEUE_PATH = reverse("admin:comments_readercomment_changelist") + "?status__exact=pending"


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", email="moderator@example.com", groups=["Moderator"])


def post(article, text, *, email="ada@example.com", name="Ada", parent=None):
    comment, _verdict = services.comment_create(
        article=article, name=name, email=email, text=text, parent=parent
    )
    return comment


def approved(article, text, *, by, **kwargs):
    comment = post(article, text, **kwargs)
    services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=by)
    return comment


def reload(comment):
    return ReaderComment.objects.get(pk=comment.pk)


# --- Stored once -----------------------------------------------------------------------


def test_same_comment_posted_twice_is_stored_once(article):
    first = post(article, "The tunnel was worth the wait.")
    again = post(article, "The tunnel was worth the wait.")

    assert again.pk == first.pk
    assert ReaderComment.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("The tunnel was worth the wait.", "ADA@example.com"),
        ("  The tunnel was worth the wait.\n", "ada@example.com"),
        ("The  tunnel\r\nwas worth the wait.", "ada@example.com"),
        ("THE TUNNEL WAS WORTH THE WAIT.", "ada@example.com"),
        ("The tunnel was\u200b worth the wait.", "ada@example.com"),
    ],
)
def test_resubmission_with_other_whitespace_or_case_is_the_same_comment(article, text, email):
    first = post(article, "The tunnel was worth the wait.")

    again = post(article, text, email=email)

    assert again.pk == first.pk
    assert ReaderComment.objects.count() == 1
    assert reload(first).comment == "The tunnel was worth the wait."


def test_same_text_from_another_email_or_on_another_article_is_another_comment(article):
    other_article = ArticleFactory(section=article.section)

    comments = {
        post(article, "Agreed."),
        post(article, "Agreed.", email="bo@example.com"),
        post(other_article, "Agreed."),
        post(article, "Agreed!"),
    }

    assert len({c.pk for c in comments}) == 4
    assert ReaderComment.objects.count() == 4


def test_comments_stored_earlier_keep_matching_their_fingerprint(article):
    # Rows hold the fingerprint they were stored with: if the way it is made changed,
    # resubmissions of comments stored before the change would be stored again.
    article_type = ContentType.objects.get_for_model(Article)
    key = f"{article_type.pk}\x1f{article.pk}\x1fada@example.com\x1fthe tunnel, at last."

    fingerprint = comment_fingerprint(
        article_id=article.pk, email="Ada@Example.com", text="  The  Tunnel,\nat last. "
    )

    assert fingerprint == hashlib.sha256(key.encode()).hexdigest()
    assert post(article, "The tunnel, at last.").fingerprint == fingerprint
    assert ReaderComment.objects.duplicate_of(
        article_id=article.pk, email="ada@example.com", text="THE TUNNEL, AT LAST."
    ).exists()


def test_text_is_stored_verbatim(article):
    text = '<script>alert("x")</script>\n\n  Ünïcödé & "quotes"  '

    comment = post(article, text, name="<b>Ada</b>")

    stored = reload(comment)
    assert stored.comment == text
    assert stored.user_name == "<b>Ada</b>"


def test_new_comment_starts_its_own_thread_and_a_reply_joins_its_parents(article, moderator):
    parent = approved(article, "A top-level comment.", by=moderator)

    reply = post(article, "A reply.", email="bo@example.com", parent=parent)

    parent, reply = reload(parent), reload(reply)
    assert (parent.thread_id, parent.parent_id, parent.level) == (parent.pk, parent.pk, 0)
    assert (reply.thread_id, reply.parent_id, reply.level) == (parent.pk, parent.pk, 1)


# --- A reader's post: stored, already stored, too fast, discarded ----------------------


def reader_post(article, text, *, email="ada@example.com", client="203.0.113.7", **kwargs):
    return services.comment_post(
        article=article, name="Ada", email=email, text=text, client=client, **kwargs
    )


def test_a_post_is_stored_and_the_same_post_again_is_the_stored_comment(article):
    with time_machine.travel(timezone.now(), tick=False):
        stored = reader_post(article, "Worth the wait.")
        again = reader_post(article, "Worth  the wait. ")

    assert stored.result == services.PostResult.STORED
    assert stored.comment.status == Status.PENDING
    # Stored already is answered before the flood limits: a double click never waits.
    assert again == services.PostOutcome(services.PostResult.DUPLICATE, stored.comment)


@pytest.mark.parametrize(
    "sender",
    [
        {"email": "bo@example.com", "client": "203.0.113.7"},  # same client
        {"email": "ada@example.com", "client": "192.0.2.1"},  # same email
    ],
)
def test_a_second_post_within_the_limit_is_too_fast_and_not_stored(article, sender):
    with time_machine.travel(timezone.now(), tick=False):
        reader_post(article, "First thought.", email="ada@example.com", client="203.0.113.7")
        outcome = reader_post(article, "Second thought.", **sender)

    # The default limits allow one post in 15 s: the reader may try again in 15 s.
    assert outcome == services.PostOutcome(services.PostResult.TOO_FAST, retry_after=15)
    assert ReaderComment.objects.count() == 1


def test_a_post_the_rules_discard_is_not_stored(article):
    outcome = reader_post(article, "Buy now.", honeypot="filled by a bot")

    assert outcome == services.PostOutcome(services.PostResult.DISCARDED)
    assert not ReaderComment.objects.exists()


# --- Many readers at once --------------------------------------------------------------

DISTINCT = 12


def concurrent_posts():
    """20 posts: 12 different comments, 8 of them sent again (a double click, a retried
    request, or the same words with other case and spacing)."""
    posts = [(f"reader{i}@example.com", f"Comment number {i} on the tunnel.") for i in range(12)]
    posts += [(f"reader{i}@example.com", f"Comment number {i} on the tunnel.") for i in range(4)]
    posts += [
        (f"READER{i}@example.com", f" comment NUMBER {i}  on the tunnel.") for i in range(4, 8)
    ]
    return posts


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_store_every_comment_exactly_once(section):
    article = ArticleFactory(section=section)
    posts = concurrent_posts()
    barrier = threading.Barrier(len(posts))

    def post_from_own_connection(email, text):
        try:
            barrier.wait(timeout=30)  # start together, so the posts really overlap
            comment, _verdict = retry_while_sqlite_is_locked(
                lambda: services.comment_create(
                    article=article, name="Reader", email=email, text=text
                )
            )
            return comment.pk
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        futures = [pool.submit(post_from_own_connection, *args) for args in posts]
        pks = [future.result(timeout=60) for future in futures]

    assert ReaderComment.objects.count() == DISTINCT
    for i in range(DISTINCT):
        email = f"reader{i}@example.com"
        stored = ReaderComment.objects.filter(user_email__iexact=email)
        assert stored.count() == 1, email
        comment = stored.get()
        sent = [(text, pk) for (e, text), pk in zip(posts, pks, strict=True) if e.lower() == email]
        # whichever post came first is stored as that reader sent it, and every post of
        # the same comment got that stored comment back
        assert comment.comment in {text for text, _pk in sent}
        assert {pk for _text, pk in sent} == {comment.pk}
        assert (comment.thread_id, comment.parent_id) == (comment.pk, comment.pk)
    assert set(ReaderComment.objects.values_list("status", flat=True)) == {Status.PENDING}


# --- The xtd trap: a parent's save never publishes its replies -------------------------


@pytest.fixture
def thread_with_pending_reply(article, moderator):
    parent = approved(article, "A public comment.", by=moderator)
    reply = post(article, "A reply nobody has read yet.", email="bo@example.com", parent=parent)
    assert reload(reply).status == Status.PENDING
    return parent, reply


def assert_still_pending(reply):
    reply = reload(reply)
    assert reply.status == Status.PENDING
    assert (reply.is_public, reply.is_removed) == (False, False)
    assert reply not in ReaderComment.objects.public()


def test_saving_a_parent_does_not_publish_its_pending_reply(thread_with_pending_reply):
    parent, reply = thread_with_pending_reply

    parent = reload(parent)
    parent.save()

    assert_still_pending(reply)


def test_approving_a_parent_does_not_publish_its_pending_reply(
    article, moderator, thread_with_pending_reply
):
    parent, reply = thread_with_pending_reply
    ReaderComment.objects.filter(pk=parent.pk).update(status=Status.PENDING, is_public=False)
    services.article_comment_count_refresh(article_id=article.pk)  # the count, as stored now

    services.comments_moderate(comments=[reload(parent)], status=Status.PUBLIC, by=moderator)

    assert reload(parent).status == Status.PUBLIC
    assert_still_pending(reply)
    article.refresh_from_db()
    assert article.comment_count == 1


@pytest.mark.parametrize("status", [Status.REMOVED, Status.SPAM])
def test_rejecting_a_parent_leaves_its_replies_as_they_were(
    article, moderator, thread_with_pending_reply, status
):
    parent, pending_reply = thread_with_pending_reply
    public_reply = approved(article, "A reply a moderator approved.", by=moderator, parent=parent)

    services.comments_moderate(comments=[reload(parent)], status=status, by=moderator)

    assert_still_pending(pending_reply)
    public_reply = reload(public_reply)
    assert public_reply.status == Status.PUBLIC
    assert public_reply.is_public

    services.comments_moderate(comments=[reload(parent)], status=Status.PUBLIC, by=moderator)

    assert_still_pending(pending_reply)
    assert reload(public_reply).status == Status.PUBLIC


# --- Moderating in bulk ----------------------------------------------------------------


def test_moderation_in_bulk_keeps_flags_in_step_and_stamps_the_moderator(article, moderator):
    other_article = ArticleFactory(section=article.section)
    comments = [
        post(article, "First."),
        post(article, "Second.", email="bo@example.com"),
        post(other_article, "Third."),
    ]

    changed = services.comments_moderate(comments=comments, status=Status.PUBLIC, by=moderator)

    assert changed == 3
    for comment in comments:
        comment = reload(comment)
        assert comment.status == Status.PUBLIC
        assert (comment.is_public, comment.is_removed) == (True, False)
        assert comment.moderated_by == moderator
        assert timezone.now() - comment.moderated_at < timedelta(minutes=1)
    article.refresh_from_db()
    other_article.refresh_from_db()
    assert (article.comment_count, other_article.comment_count) == (2, 1)


@pytest.mark.parametrize(
    ("status", "flags"), [(Status.REMOVED, (False, True)), (Status.SPAM, (False, True))]
)
def test_rejecting_and_marking_spam_hide_public_comments_and_recount(
    article, moderator, status, flags
):
    comments = [approved(article, f"Comment {i}.", by=moderator) for i in range(3)]
    article.refresh_from_db()
    assert article.comment_count == 3
    editor = UserFactory(username="second-moderator", groups=["Moderator"])

    changed = services.comments_moderate(comments=comments[:2], status=status, by=editor)

    assert changed == 2
    for comment in comments[:2]:
        comment = reload(comment)
        assert comment.status == status
        assert (comment.is_public, comment.is_removed) == flags
        assert comment.moderated_by == editor
    assert reload(comments[2]).moderated_by == moderator
    article.refresh_from_db()
    assert article.comment_count == 1
    assert list(ReaderComment.objects.for_article(article.pk).public()) == [reload(comments[2])]


def test_moderating_a_comment_into_its_own_state_changes_nothing(article, moderator):
    comment = approved(article, "Already public.", by=moderator)
    stamped_at = reload(comment).moderated_at
    other = UserFactory(username="other-moderator", groups=["Moderator"])

    changed = services.comments_moderate(comments=[reload(comment)], status=Status.PUBLIC, by=other)

    assert changed == 0
    assert reload(comment).moderated_by == moderator
    assert reload(comment).moderated_at == stamped_at


def test_comment_count_counts_public_comments_only(article, moderator):
    approved(article, "Public one.", by=moderator)
    approved(article, "Public two.", by=moderator)
    post(article, "Pending.")
    services.comments_moderate(
        comments=[post(article, "Removed.")], status=Status.REMOVED, by=moderator
    )
    services.comments_moderate(comments=[post(article, "Spam.")], status=Status.SPAM, by=moderator)

    article.refresh_from_db()
    assert article.comment_count == 2


def test_approving_a_comment_refreshes_the_cached_article_page(
    settings, client, article, moderator, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    comment = post(article, "Finally, a tunnel that opens on time.")
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "Finally, a tunnel" not in cached.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=moderator)

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    html = response.content.decode()
    assert "Finally, a tunnel that opens on time." in html
    assert "1 comment" in html
    assert client.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(comments=[reload(comment)], status=Status.REMOVED, by=moderator)

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Finally, a tunnel" not in response.content.decode()


# --- Reports ---------------------------------------------------------------------------


@pytest.fixture
def public_comment(article, moderator):
    return approved(article, "An opinion some readers dislike.", by=moderator)


def test_a_reader_reports_a_comment_once(public_comment):
    assert services.comment_report(comment=public_comment, reporter_hash="reader-a") is True
    assert services.comment_report(comment=public_comment, reporter_hash="reader-a") is False

    comment = reload(public_comment)
    assert comment.report_count == 1
    assert CommentReport.objects.filter(comment=comment).count() == 1
    assert comment.status == Status.PUBLIC


def test_enough_distinct_reports_send_a_comment_back_to_the_queue(
    settings, article, moderator, public_comment, django_capture_on_commit_callbacks
):
    settings.COMMENTS_REPORTS_TO_HOLD = 3
    approved(article, "Another public comment.", email="bo@example.com", by=moderator)
    article.refresh_from_db()
    assert article.comment_count == 2

    for reporter in ["reader-a", "reader-b", "reader-a", "reader-b"]:
        services.comment_report(comment=public_comment, reporter_hash=reporter)

    comment = reload(public_comment)
    assert (comment.report_count, comment.status) == (2, Status.PUBLIC)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_report(comment=public_comment, reporter_hash="reader-c")

    comment = reload(public_comment)
    assert comment.report_count == 3
    assert comment.status == Status.PENDING
    assert (comment.is_public, comment.is_removed) == (False, False)
    article.refresh_from_db()
    assert article.comment_count == 1
    assert len(mail.outbox) == 1  # the moderators hear about it


def test_a_comment_approved_after_reports_needs_new_reports_to_be_held_again(
    settings, public_comment, moderator
):
    settings.COMMENTS_REPORTS_TO_HOLD = 3
    for reporter in ["reader-a", "reader-b", "reader-c"]:
        services.comment_report(comment=public_comment, reporter_hash=reporter)
    assert reload(public_comment).status == Status.PENDING

    services.comments_moderate(
        comments=[reload(public_comment)], status=Status.PUBLIC, by=moderator
    )
    services.comment_report(comment=public_comment, reporter_hash="reader-d")
    services.comment_report(comment=public_comment, reporter_hash="reader-e")

    comment = reload(public_comment)
    assert comment.status == Status.PUBLIC  # the moderator's decision stands
    assert comment.report_count == 5

    services.comment_report(comment=public_comment, reporter_hash="reader-f")

    assert reload(public_comment).status == Status.PENDING


def test_reports_never_publish_or_unremove_a_comment(settings, article, moderator):
    settings.COMMENTS_REPORTS_TO_HOLD = 1
    removed = post(article, "Removed already.")
    services.comments_moderate(comments=[removed], status=Status.REMOVED, by=moderator)

    services.comment_report(comment=reload(removed), reporter_hash="reader-a")

    removed = reload(removed)
    assert removed.status == Status.REMOVED
    assert removed.report_count == 1


# --- Telling the moderators ------------------------------------------------------------


@pytest.fixture
def moderators(moderator):
    UserFactory(username="night-moderator", email="night@example.com", groups=["Moderator"])
    UserFactory(username="no-email-moderator", email="", groups=["Moderator"])
    UserFactory(
        username="former-moderator",
        email="former@example.com",
        groups=["Moderator"],
        is_active=False,
    )
    UserFactory(username="an-editor", email="editor@example.com", groups=["Editor"])
    return moderator


def test_a_pending_comment_emails_the_moderators_after_commit(
    settings, article, moderators, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@example.com"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(article, "Well reported.")
        assert mail.outbox == []  # not before the comment is committed

    # The notice, and the check of how long the queue's oldest comment has waited.
    assert len(callbacks) == 2
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == [
        "desk@example.com",
        "moderator@example.com",
        "night@example.com",
    ]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert "1 comment" in email.subject


def test_no_email_when_the_comment_is_rolled_back(
    article, moderators, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        post(article, "Well reported.")
        raise RuntimeError("the request failed after the comment was saved")

    assert mail.outbox == []
    assert not ReaderComment.objects.exists()


def test_published_and_spam_comments_do_not_email_the_moderators(
    set_rules, article, moderators, django_capture_on_commit_callbacks
):
    set_rules(premoderation=Premoderation.FIRST_TIME)
    approved(article, "Earlier.", by=moderators)

    with django_capture_on_commit_callbacks(execute=True):
        assert post(article, "Trusted, so published.").status == Status.PUBLIC
        assert post(article, "Cheap viagra", email="shop@example.com").status == Status.SPAM

    assert mail.outbox == []


def test_email_shows_comments_verbatim_and_links_to_the_queue(
    settings, client, article, moderators, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://news.example.org"
    text = '<script>alert("x")</script> Fish & chips are "great" — it\'s true.'

    with django_capture_on_commit_callbacks(execute=True):
        post(article, text, name="<b>O'Brien</b> & Sons")

    body = mail.outbox[0].body
    assert text in body
    assert "<b>O'Brien</b> & Sons" in body
    assert "&lt;" not in body
    assert "&amp;" not in body
    assert "&#x27;" not in body
    assert f"https://news.example.org{QUEUE_PATH}" in body
    assert mail.outbox[0].alternatives == []  # plain text only

    client.force_login(moderators)
    queue = client.get(QUEUE_PATH)
    assert queue.status_code == 200
    assert [c.comment for c in queue.context["cl"].result_list] == [text]


def test_plain_text_email_shows_names_without_direction_characters(
    article, moderators, django_capture_on_commit_callbacks
):
    """Plain text has no <bdi>: a name stored before names were cleaned loses its override."""
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(article, "Well reported.")
        ReaderComment.objects.filter(pk=comment.pk).update(user_name="\u202eAda\u200b Lovelace")

    assert "- Ada Lovelace on " in mail.outbox[0].body
    assert "\u202e" not in mail.outbox[0].body


def test_a_flood_of_comments_sends_one_email_per_period(
    settings, article, moderators, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_EVERY_SECONDS = 600

    for i in range(50):
        with django_capture_on_commit_callbacks(execute=True):  # one request each
            post(article, f"Flood comment {i}.", email=f"reader{i}@example.com")

    assert ReaderComment.objects.pending().count() == 50
    assert len(mail.outbox) == 1
    assert "1 reader comment is waiting" in mail.outbox[0].body


def test_comments_posted_in_one_transaction_are_listed_in_one_email(
    article, moderators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for i in range(50):
            post(article, f"Flood comment {i}.", email=f"reader{i}@example.com")

    assert len(mail.outbox) == 1
    assert "50 reader comments are waiting" in mail.outbox[0].body
    assert "50 comment(s)" in mail.outbox[0].subject


def test_the_next_period_sends_one_email_counting_everything_pending(
    settings, article, moderators, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_EVERY_SECONDS = 600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                post(article, f"Early comment {i}.", email=f"early{i}@example.com")
    assert len(mail.outbox) == 1

    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            post(article, "A later comment.", email="late@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            post(article, "Another later comment.", email="later@example.com")

    assert len(mail.outbox) == 2
    body = mail.outbox[1].body
    assert "4 reader comments are waiting" in body
    for text in ["Early comment 0.", "Early comment 2.", "A later comment."]:
        assert text in body


def test_a_failing_mail_server_loses_no_comment_and_the_next_comment_retries(
    article, moderators, caplog, django_capture_on_commit_callbacks
):
    with (
        patch("comments.services.send_mail", side_effect=SMTPException("421 try later")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        comment = post(article, "Stored despite the mail server.")

    assert reload(comment).status == Status.PENDING
    assert mail.outbox == []
    failures = [r for r in caplog.records if r.name == "comments.services"]
    assert len(failures) == 1
    assert failures[0].levelname == "ERROR"
    assert "Could not email the moderators" in failures[0].getMessage()
    assert "421 try later" in failures[0].exc_text

    with django_capture_on_commit_callbacks(execute=True):
        post(article, "The next comment.", email="bo@example.com")

    assert len(mail.outbox) == 1
    assert "2 reader comments are waiting" in mail.outbox[0].body


def test_moderators_are_found_by_the_permission_not_by_the_group_name(settings, moderators):
    settings.COMMENTS_MODERATOR_EMAILS = []
    Group.objects.filter(name="Moderator").update(name="Comment desk")
    Group.objects.create(name="Moderator")  # the old name alone counts for nothing
    UserFactory(username="new-hire", email="new@example.com", groups=["Moderator"])

    assert services.moderator_emails() == ["moderator@example.com", "night@example.com"]


def test_a_user_given_the_permission_directly_is_a_moderator_while_active(settings, db):
    settings.COMMENTS_MODERATOR_EMAILS = []
    permission = Permission.objects.get(
        content_type__app_label="comments", codename="moderate_readercomment"
    )
    for username, is_active in [("weekend-desk", True), ("left-in-march", False)]:
        user = UserFactory(username=username, is_active=is_active)
        user.user_permissions.add(permission)
    UserFactory(username="admin", email="admin@example.com", is_superuser=True)

    # A superuser may moderate too, but runs the site: only the permission holder is told.
    assert services.moderator_emails() == ["weekend-desk@example.com"]


def test_moderators_without_email_are_skipped_and_nobody_to_tell_is_no_error(
    settings, article, django_capture_on_commit_callbacks
):
    UserFactory(username="no-email-moderator", email="", groups=["Moderator"])
    settings.COMMENTS_MODERATOR_EMAILS = []

    with django_capture_on_commit_callbacks(execute=True):
        comment = post(article, "Nobody is told, but nothing breaks.")

    assert reload(comment).status == Status.PENDING
    assert mail.outbox == []


def test_approving_a_comment_moves_the_article_pages_last_modified(client, article):
    comment, _ = services.comment_create(
        article=article, name="Ada", email="ada@example.com", text="Well reported."
    )
    before = client.get(article.get_absolute_url())["Last-Modified"]
    later = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=None)
    after = client.get(article.get_absolute_url())
    assert after["Last-Modified"] != before
    assert after["Last-Modified"] == http_date(later.timestamp())
    stale = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=before)
    assert stale.status_code == 200
    assert "Well reported." in stale.content.decode()
