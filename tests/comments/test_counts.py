"""A story's stored comment count: moved by each post and decision, never recounted on
the way, exact under concurrent writers, and repaired by `manage.py recount_comments`."""

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Premoderation, ReaderComment
from tests.concurrency import retry_while_sqlite_is_locked
from tests.factories import ArticleFactory, ReaderCommentFactory

Status = ReaderComment.Status


def stored_count(article):
    article.refresh_from_db()
    return article.comment_count


def true_count(article):
    return ReaderComment.objects.for_article(article.pk).counted().count()


@pytest.mark.django_db
def test_a_decision_moves_the_count_without_reading_the_thread(article, moderator):
    ReaderCommentFactory.create_batch(5, article=article)
    waiting = ReaderCommentFactory(article=article, status=Status.PENDING)
    assert stored_count(article) == 5

    with CaptureQueriesContext(connection) as queries:
        services.comments_moderate(comments=[waiting], status=Status.PUBLIC, by=moderator)

    assert stored_count(article) == 6 == true_count(article)
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    services.comments_moderate(comments=[waiting], status=Status.SPAM, by=moderator)
    assert stored_count(article) == 5 == true_count(article)
    services.comments_moderate(comments=[waiting], status=Status.REMOVED, by=moderator)
    assert stored_count(article) == 5


@pytest.mark.django_db
def test_a_public_post_adds_one_and_reports_that_hold_a_comment_take_it_off(
    settings, article, set_rules
):
    settings.COMMENTS_REPORTS_TO_HOLD = 2
    set_rules(premoderation=Premoderation.NONE)
    comment, _verdict = services.comment_create(
        article=article, name="Ada", email="ada@example.org", text="Well reported."
    )
    assert comment.status == Status.PUBLIC
    assert stored_count(article) == 1

    services.comment_report(comment=comment, reporter_hash="a" * 64)
    assert stored_count(article) == 1
    services.comment_report(comment=comment, reporter_hash="b" * 64)

    assert ReaderComment.objects.get(pk=comment.pk).status == Status.PENDING
    assert stored_count(article) == 0 == true_count(article)


@pytest.mark.django_db
def test_a_count_already_wrong_never_goes_below_zero(article, moderator):
    comment = ReaderCommentFactory(article=article)
    type(article).objects.filter(pk=article.pk).update(comment_count=0)

    services.comments_moderate(comments=[comment], status=Status.REMOVED, by=moderator)

    assert stored_count(article) == 0


@pytest.mark.django_db
def test_an_editors_save_of_a_story_loaded_before_a_decision_keeps_the_count(article, moderator):
    waiting = ReaderCommentFactory(article=article, status=Status.PENDING)
    in_the_editors_form = type(article).objects.get(pk=article.pk)

    services.comments_moderate(comments=[waiting], status=Status.PUBLIC, by=moderator)
    in_the_editors_form.headline = "Harbour tunnel opens a week early"
    in_the_editors_form.save()

    assert stored_count(article) == 1 == true_count(article)
    assert article.headline == "Harbour tunnel opens a week early"
    assert article.comments_changed_at is not None


# --- The repair --------------------------------------------------------------------------


@pytest.mark.django_db
def test_recount_comments_repairs_wrong_counts_and_says_what_it_fixed(article, section):
    other = ArticleFactory(section=section)
    ReaderCommentFactory.create_batch(3, article=article)
    ReaderCommentFactory.create_batch(2, article=other)
    ReaderCommentFactory(article=other, status=Status.PENDING)
    type(article).objects.filter(pk=article.pk).update(comment_count=7)

    out = StringIO()
    call_command("recount_comments", stdout=out)

    assert out.getvalue().splitlines() == [
        f"Article {article.pk}: 7 -> 3 comments",
        f"Checked {type(article).objects.count()} article(s); repaired 1.",
    ]
    assert (stored_count(article), stored_count(other)) == (3, 2)


@pytest.mark.django_db
def test_recount_comments_for_one_article(article, section):
    other = ArticleFactory(section=section)
    ReaderCommentFactory(article=article)
    type(article).objects.update(comment_count=9)

    out = StringIO()
    call_command("recount_comments", "--article", str(article.pk), stdout=out)

    assert f"Article {article.pk}: 9 -> 1 comments" in out.getvalue()
    assert "Checked 1 article(s); repaired 1." in out.getvalue()
    assert (stored_count(article), stored_count(other)) == (1, 9)
    with pytest.raises(CommandError, match="No article with id 987654"):
        call_command("recount_comments", "--article", "987654")


# --- Concurrency -------------------------------------------------------------------------

THREADS = 8
ROUNDS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_and_decisions_end_with_the_exact_count(set_rules):
    """Each thread, on its own connection, approves comments waiting in the queue, posts
    comments that are published at once, and takes published ones down, all on one
    story at the same time: the stored count ends exactly where a recount is."""
    set_rules(premoderation=Premoderation.NONE)
    article = ArticleFactory()
    waiting = ReaderCommentFactory.create_batch(
        THREADS * ROUNDS, article=article, status=Status.PENDING
    )
    public = ReaderCommentFactory.create_batch(THREADS * ROUNDS, article=article)
    assert stored_count(article) == THREADS * ROUNDS
    barrier = threading.Barrier(THREADS)

    def decide(pk, status):
        comment = ReaderComment.objects.get(pk=pk)
        services.comments_moderate(comments=[comment], status=status, by=None)

    def post(n):
        services.comment_create(
            article=article, name=f"Reader {n}", email=f"poster{n}@example.org",
            text=f"Thought number {n}.",
        )  # fmt: skip

    def write_from_own_connection(n):
        try:
            barrier.wait(timeout=30)  # start together
            for r in range(ROUNDS):
                mine = n * ROUNDS + r
                retry_while_sqlite_is_locked(partial(decide, waiting[mine].pk, Status.PUBLIC))
                retry_while_sqlite_is_locked(partial(post, mine))
                if r % 2:
                    retry_while_sqlite_is_locked(partial(decide, public[mine].pk, Status.REMOVED))
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(write_from_own_connection, n) for n in range(THREADS)]
        for future in futures:
            future.result(timeout=180)

    posted = ReaderComment.objects.filter(user_email__startswith="poster")
    assert posted.filter(status=Status.PUBLIC).count() == THREADS * ROUNDS
    expected = THREADS * ROUNDS * 3 - THREADS * (ROUNDS // 2)
    assert true_count(article) == expected
    assert stored_count(article) == expected
