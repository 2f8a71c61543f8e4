"""A mail server that accepts and never answers, behind gunicorn with the production
settings, as it was found: readers' posts are answered at once, and the worker
(`manage.py db_worker`) gives up on the server after EMAIL_TIMEOUT and keeps the notice
as a failed task.

PostgreSQL, Redis and the mail server are the test's own (tests/servers.py); a missing
gunicorn, redis-server or PostgreSQL server fails the test, it never skips.
"""

import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import psycopg
import pytest

from tests.servers import (
    STARTUP_SECONDS,
    MailServer,
    PrivatePostgres,
    comment_form_fields,
    free_port,
    start_redis,
    stop,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "news.example.test"
EMAIL_TIMEOUT = 4
SEED = """
import json
from tests.factories import ArticleFactory
print(json.dumps(ArticleFactory(headline="Ferry timetable changes").get_absolute_url()))
"""


def request(port, method, path, *, data=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urlencode(data) if data is not None else None
    sent = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn and the worker on a PostgreSQL and a Redis of their own, mailing a
    server that never answers."""
    if not GUNICORN.exists():
        pytest.fail(f"This test needs gunicorn ({GUNICORN}; make install)")
    work = tmp_path_factory.mktemp("mail-stack")
    postgres, redis_port, port = PrivatePostgres(), free_port(), free_port()
    processes = []
    with MailServer(silent=True) as smtp:
        try:
            postgres.create()
            processes.append(start_redis(redis_port, work))
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": HOST,
                "SITE_URL": f"https://{HOST}",
                "DATABASE_URL": postgres.url,
                "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                "STATIC_ROOT": str(work / "static"),
                "MEDIA_ROOT": str(work / "media"),
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
                "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
                "COMMENTS_MODERATOR_EMAILS": "desk@example.org",
                "TRUSTED_PROXIES": "127.0.0.1",
                "PORT": str(port),
            }

            def manage(*arguments):
                return subprocess.run(
                    [sys.executable, "manage.py", *arguments],
                    cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip

            manage("migrate", "--no-input")
            manage("collectstatic", "--no-input", "-v", "0")
            article_url = json.loads(manage("shell", "-c", SEED).splitlines()[-1])
            log = (work / "app.log").open("ab")
            for command in [
                [str(GUNICORN), "-c", "gunicorn.conf.py", "newsroom.wsgi", "--workers", "1"],
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
            ]:
                processes.append(
                    subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=log)
                )
            wait_until(lambda: answers_healthz(port), "gunicorn")
            yield SimpleNamespace(
                port=port,
                database_url=postgres.url,
                article_url=article_url,
                smtp=smtp,
                log=work / "app.log",
            )
        finally:
            for process in reversed(processes):
                stop(process)
            postgres.remove()


def answers_healthz(port):
    try:
        return request(port, "GET", "/healthz")[0] == 200
    except OSError:
        return False


def notices(site):
    with psycopg.connect(site.database_url) as connection:
        return connection.execute(
            "SELECT status, finished_at - started_at, traceback "
            "FROM django_tasks_database_dbtaskresult"
        ).fetchall()


def test_a_comment_post_is_answered_at_once_while_the_mail_server_hangs(site):
    status, _headers, page = request(site.port, "GET", site.article_url)
    assert status == 200
    fields = comment_form_fields(page)
    answered_in = []
    for number in range(3):
        started = time.monotonic()
        status, headers, body = request(
            site.port,
            "POST",
            "/comments/post/",
            data={
                **fields,
                "name": f"Reader {number}",
                "email": f"reader{number}@example.org",
                "comment": f"The winter timetable strands the night shift ({number}).",
                "honeypot": "",
            },
            headers={"X-Forwarded-For": f"203.0.113.{number + 1}"},
        )
        answered_in.append(time.monotonic() - started)
        assert status == 302, body[:2000]
        assert "comment=pending" in headers["Location"]

    # Well before the mail server could even be given up on, each time.
    assert max(answered_in) < EMAIL_TIMEOUT / 2, answered_in
    with psycopg.connect(site.database_url) as connection:
        stored = connection.execute("SELECT count(*) FROM django_comments").fetchone()[0]
    assert stored == 3

    # The worker tried the server, waited EMAIL_TIMEOUT, and kept the notice as failed;
    # it may still have been starting (Django's imports take seconds on a busy machine).
    wait_until(
        lambda: any(status == "FAILED" for status, _took, _tb in notices(site)),
        "the worker giving up on the mail server",
        STARTUP_SECONDS + EMAIL_TIMEOUT * 5,
    )
    assert site.smtp.connections >= 1
    failed = [(took, tb) for status, took, tb in notices(site) if status == "FAILED"]
    took, traceback = failed[0]
    assert took.total_seconds() >= EMAIL_TIMEOUT
    assert "timed out" in traceback
    assert "Could not email the moderators" in site.log.read_text()
