"""No reader waits on a mail server, and a stored comment is never answered with an error.

The moderators' notice is queued in the database after the comment's commit and sent
by the worker (`manage.py db_worker`), the way production runs it: these tests use the
database backend, not the test settings' immediate one, and a mail server of their own.
The same over HTTP, against gunicorn: tests/comments/test_mail_stack.py.
"""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments.forms import CommentForm
from comments.models import Premoderation, ReaderComment
from comments.services import NOTIFY_LOCK_KEY
from tests.comments.test_posting import READER, post
from tests.factories import ReaderCommentFactory, UserFactory
from tests.servers import MailServer

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A held comment also schedules a check of the queue for when it would be overdue.
MODERATORS_NOTICE = "comments.services.moderators_notify"


@pytest.fixture
def queued(settings, db):
    settings.TASKS = DATABASE_QUEUE
    UserFactory(username="moderator", email="moderator@example.com", groups=["Moderator"])


def run_worker():
    """What `manage.py db_worker` does with the tasks queued so far."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def form_data(article):
    """What the article page's comment form sends, filled in by a reader."""
    return {**CommentForm(article).generate_security_data(), **READER}


def comment_posted(client, article):
    response = post(client, form_data(article))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "comment=pending" in response["Location"]
    return ReaderComment.objects.get(comment=READER["comment"])


def test_a_pending_comment_queues_the_moderators_notice_which_the_worker_sends(
    client, article, queued
):
    comment_posted(client, article)

    assert mail.outbox == []  # nothing was sent inside the reader's request
    task = DBTaskResult.objects.get(task_path=MODERATORS_NOTICE)
    assert task.status == TaskResultStatus.READY

    run_worker()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert [email.to for email in mail.outbox] == [["moderator@example.com"]]
    assert READER["comment"] in mail.outbox[0].body


def test_a_silent_mail_server_fails_the_notice_in_the_worker_after_email_timeout(
    settings, client, article, queued, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 1
    with MailServer(silent=True) as smtp:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        started = time.monotonic()
        comment_posted(client, article)
        answered = time.monotonic() - started
        assert smtp.connections == 0  # the reader's request never went near it

        started = time.monotonic()
        run_worker()
        worked = time.monotonic() - started

    assert answered < settings.EMAIL_TIMEOUT
    assert smtp.connections == 1
    assert settings.EMAIL_TIMEOUT <= worked < 5 * settings.EMAIL_TIMEOUT
    # Kept as failed, with why; the next comment queues the notice again.
    task = DBTaskResult.objects.get(task_path=MODERATORS_NOTICE)
    assert task.status == TaskResultStatus.FAILED
    assert "timed out" in task.traceback
    assert cache.get(NOTIFY_LOCK_KEY) is None
    assert any(
        r.name == "comments.services" and "Could not email the moderators" in r.getMessage()
        for r in caplog.records
    )


def test_a_stored_comment_is_answered_with_success_when_the_database_fails_after_its_commit(
    client, article, queued, caplog
):
    """The database goes away just after the comment's commit (the outage that once
    answered a stored comment with the 503 "not saved" page)."""
    seen = {"comment stored": False}

    def database_gone_after_the_commit(execute, sql, params, many, context):
        if seen["comment stored"] and not connection.in_atomic_block:
            raise OperationalError("server closed the connection unexpectedly")
        if sql.startswith('INSERT INTO "django_comments"'):
            seen["comment stored"] = True
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_gone_after_the_commit):
        response = post(client, form_data(article))

    assert seen["comment stored"]
    assert response.status_code == 302
    assert "comment=pending" in response["Location"]
    assert ReaderComment.objects.filter(comment=READER["comment"]).count() == 1
    assert not DBTaskResult.objects.exists()
    assert cache.get(NOTIFY_LOCK_KEY) is None  # so the next comment queues the notice
    assert any(
        r.name == "comments.services" and "Could not queue the moderators' notice" in r.getMessage()
        for r in caplog.records
    )


def test_a_purge_failing_after_a_comments_commit_never_turns_its_answer_into_an_error(
    set_rules, client, article, monkeypatch
):
    set_rules(premoderation=Premoderation.FIRST_TIME)
    ReaderCommentFactory(article=article, user_email=READER["email"])  # approved earlier

    def purge_fails(keys):
        raise ConnectionError("the cache went away")

    monkeypatch.setattr("newsroom.cachekeys.purge_now", purge_fails)
    response = post(client, form_data(article))

    assert response.status_code == 302
    assert "comment=published" in response["Location"]
    assert ReaderComment.objects.filter(comment=READER["comment"]).count() == 1
