"""Read replicas, over HTTP: gunicorn with the production settings on a PostgreSQL
primary of the test's own and a real streaming replica of it (pg_basebackup), on this
machine. Pausing the replica's replay (pg_wal_replay_pause()) freezes what it shows, so
a page shows which of the two it was read from: the replica's old headline or the
primary's new one. These tests always run on PostgreSQL, whichever database the rest of
the run uses.

A missing gunicorn or PostgreSQL server fails the test; it never skips.
"""

import json
import math
import os
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie

import psycopg
import pytest

from newsroom.dbrouters import READ_YOUR_WRITES_COOKIE
from tests.newsroom.test_pool import configured
from tests.newsroom.test_two_nodes import HOST, Browser
from tests.servers import (
    REPO_ROOT,
    PrivatePostgres,
    comment_form_fields,
    free_port,
    manage,
    start_gunicorn,
    stop_gunicorn,
    wait_until,
)

MAX_LAG = 5  # seconds
CHECK_SECONDS = 1
PASSWORD = secrets.token_urlsafe(12)
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "VARNISH_PURGE_URLS", "DATABASE_POOL_MAX_SIZE")

SEED = """
import json
from tests.factories import ArticleFactory, SectionFactory, UserFactory

city = SectionFactory(name="City", slug="city")
article = ArticleFactory(headline="Harbour tunnel opens", section=city)
UserFactory(username="desk", is_superuser=True, password=PASSWORD)
print(json.dumps({"url": article.get_absolute_url(), "pk": article.pk}))
"""


class ReplicatedSite:
    """A primary, a streaming replica of it, and one gunicorn worker reading both."""

    def __init__(self, work):
        self.work = work
        self.primary, self.replica = PrivatePostgres(), PrivatePostgres()
        self.port = free_port()
        self.app = None

    def env(self):
        env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        return {
            **env,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "False",
            "SITE_URL": f"http://{HOST}",
            "ADMIN_URL": "admin/",
            # The superuser signs in with a password alone: tests/accounts prove the
            # second factor production asks of superusers.
            "MFA_REQUIRED_ROLES": "",
            "DATABASE_URL": self.primary.url,
            "DATABASE_REPLICA_URLS": self.replica.url,
            "DATABASE_REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
            "DATABASE_REPLICA_CHECK_SECONDS": str(CHECK_SECONDS),
            # Every page is rendered from the database, so it shows where it was read.
            "PAGE_CACHE_SECONDS": "0",
            "FRAGMENT_CACHE_SECONDS": "0",
            "MEDIA_ROOT": str(self.work / "media"),
            "STATIC_ROOT": str(self.work / "static"),
            "EMAIL_URL": "dummymail://",
        }

    def start(self):
        self.primary.create()
        env = self.env()
        # Side by side: the static files do not need the database.
        collectstatic = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        manage(env, "migrate", "--no-input")
        seeded = manage(env, "shell", "-c", f"PASSWORD = {PASSWORD!r}\n{SEED}")
        _out, errors = collectstatic.communicate(timeout=180)
        assert collectstatic.returncode == 0, f"collectstatic failed:\n{errors[-3000:]}"
        self.article = json.loads(seeded.splitlines()[-1])
        self.replica.create_standby(self.primary)
        self.app = start_gunicorn(env, self.port, self.work / "gunicorn.log")
        wait_until(self.answers, "gunicorn")

    def answers(self):
        if self.app.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{self.log()}")
        try:
            return Browser(self.port).get("/healthz").status == 200
        except OSError:
            return False

    def log(self):
        return (self.work / "gunicorn.log").read_text()[-3000:]

    def sql(self, server, query, *params):
        with psycopg.connect(server.url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchone() if cursor.description else None

    def headline_on(self, server):
        query = "SELECT headline FROM articles_article WHERE id = %s"
        return self.sql(server, query, self.article["pk"])[0]

    def set_headline(self, headline):
        """Change the headline on the primary and wait until the replica has it, so
        its last replayed transaction is recent."""
        query = "UPDATE articles_article SET headline = %s WHERE id = %s"
        self.sql(self.primary, query, headline, self.article["pk"])
        wait_until(lambda: self.headline_on(self.replica) == headline, "replication")

    @contextmanager
    def replay_paused(self):
        self.sql(self.replica, "SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            self.sql(self.replica, "SELECT pg_wal_replay_resume()")

    def stop(self):
        stop_gunicorn(self.app)
        self.replica.remove()
        self.primary.remove()


def test_replicas_share_the_primarys_options_and_pool():
    settings = configured(
        DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom",
        DATABASE_POOL_MIN_SIZE="2",
        DATABASE_POOL_MAX_SIZE="4",
        DATABASE_REPLICA_URLS="postgres://reader@r1.internal/newsroom,postgres://r2.internal/nr",
    )
    default = settings["databases"]["default"]
    assert list(settings["databases"]) == ["default", "replica_1", "replica_2"]
    assert settings["routers"] == ["newsroom.dbrouters.ReplicaRouter"]
    first, second = settings["databases"]["replica_1"], settings["databases"]["replica_2"]
    assert (first["HOST"], first["USER"], first["NAME"]) == ("r1.internal", "reader", "newsroom")
    assert (second["HOST"], second["NAME"]) == ("r2.internal", "nr")
    for replica in (first, second):
        assert replica["ENGINE"] == "newsroom.postgres"
        assert replica["OPTIONS"] == default["OPTIONS"]
        assert replica["CONN_MAX_AGE"] == 0
        assert replica["TEST"]["MIRROR"] == "default"


def test_replicas_need_postgresql():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO_ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            "DATABASE_REPLICA_URLS": "postgres://r1.internal/newsroom",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL" in result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = ReplicatedSite(tmp_path_factory.mktemp("replicas"))
    try:
        site.start()
        yield site
    finally:
        site.stop()


def headline_shown(browser, site):
    page = browser.get(site.article["url"])
    assert page.status == 200, site.log()
    return page.text


def test_anonymous_readers_read_the_replica_and_editors_the_primary(site):
    editor = Browser(site.port)
    editor.log_in("desk", PASSWORD)
    old, new = f"Old {secrets.token_hex(4)}", f"New {secrets.token_hex(4)}"
    site.set_headline(old)
    with site.replay_paused():
        query = "UPDATE articles_article SET headline = %s WHERE id = %s"
        site.sql(site.primary, query, new, site.article["pk"])

        page = headline_shown(Browser(site.port), site)
        assert old in page and new not in page, "the anonymous reader did not read the replica"
        assert new in headline_shown(editor, site), "a signed-in editor read the replica"
        change = editor.get(f"/admin/articles/article/{site.article['pk']}/change/")
        assert change.status == 200
        assert new in change.text and old not in change.text, "the admin read the replica"


def test_a_commenter_reads_the_primary_until_a_replica_must_have_their_write(site):
    old, new = f"Old {secrets.token_hex(4)}", f"New {secrets.token_hex(4)}"
    site.set_headline(old)
    reader, commenter = Browser(site.port), Browser(site.port)
    with site.replay_paused():
        query = "UPDATE articles_article SET headline = %s WHERE id = %s"
        site.sql(site.primary, query, new, site.article["pk"])
        assert old in headline_shown(reader, site)
        page = headline_shown(commenter, site)
        assert old in page, "an anonymous reader read the primary"
        posted = commenter.request(
            "POST",
            "/comments/post/",
            {
                **comment_form_fields(page),
                "name": "Ines",
                "email": "ines@example.org",
                "comment": "Is the tunnel open at night?",
                "honeypot": "",
            },
        )
        assert posted.status == 302, posted.text[-2000:]
        cookie = SimpleCookie(posted.headers["Set-Cookie"])[READ_YOUR_WRITES_COOKIE]
        assert int(cookie["max-age"]) == math.ceil(MAX_LAG + CHECK_SECONDS)
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
        # Their next pages come from the primary, which has everything they wrote.
        assert new in headline_shown(commenter, site), "the commenter read the replica"
        assert site.headline_on(site.replica) == old


def test_a_lagging_replica_is_skipped(site):
    old, new = f"Old {secrets.token_hex(4)}", f"New {secrets.token_hex(4)}"
    site.set_headline(old)
    reader = Browser(site.port)
    with site.replay_paused():
        query = "UPDATE articles_article SET headline = %s WHERE id = %s"
        site.sql(site.primary, query, new, site.article["pk"])
        lagging_from = time.monotonic()
        assert old in headline_shown(reader, site)
        # Replay stays paused: from MAX_LAG on, the replica is skipped for the primary.
        wait_until(lambda: new in headline_shown(reader, site), "reads on the primary")
        assert time.monotonic() - lagging_from > MAX_LAG - CHECK_SECONDS
        assert site.headline_on(site.replica) == old
        assert "Database replica replica_1 lags" in site.log()
    # Caught up again, the replica is read again (it shows the primary's headline now).
    newer = f"Newer {secrets.token_hex(4)}"
    site.set_headline(newer)
    with site.replay_paused():
        site.sql(site.primary, query, f"Newest {secrets.token_hex(4)}", site.article["pk"])
        wait_until(lambda: newer in headline_shown(reader, site), "reads on the replica again")


def test_a_stopped_replica_is_skipped_without_an_error(site):
    current = f"Current {secrets.token_hex(4)}"
    site.set_headline(current)
    readers = [Browser(site.port) for _ in range(8)]
    for reader in readers:  # the worker's threads each connect to the replica
        assert current in headline_shown(reader, site)
    site.replica.stop()
    try:
        # At once, while the last check still says the replica is fine, and after.
        for reader in readers * 3:
            assert current in headline_shown(reader, site)
        assert "Database replica replica_1 did not answer" in site.log()
    finally:
        site.replica.start()
    wait_until(lambda: site.headline_on(site.replica) == current, "the replica back")
