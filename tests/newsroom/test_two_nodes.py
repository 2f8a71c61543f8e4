"""Two gunicorn nodes sharing one PostgreSQL database and one Redis behave as one site.

This test always runs on PostgreSQL, whichever database the rest of the run uses
(SQLite by default). It creates a throwaway database on the server of DATABASE_URL when
that is a PostgreSQL URL, otherwise on postgres://postgres@127.0.0.1:5432 (the
Makefile's server), and drops it at the end. It starts a Redis of its own on a free port
and two gunicorn processes with the production settings on two more, and stops them all
at the end. pytest-django's test database is not used: the nodes are other processes,
so the test does everything over HTTP, the way readers, moderators and editors reach the
nodes through a load balancer (which sends every node the site's own Host header).

A missing gunicorn, redis-server or PostgreSQL server fails the test; it never skips.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from tests.servers import (
    comment_form_fields,
    csrf_token,
    free_port,
    start_gunicorn,
    start_redis,
    stop_gunicorn,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
HOST = "news.example.test"
PASSWORD = secrets.token_urlsafe(12)

SEED = """
import json
from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, UserFactory

city = SectionFactory(name="City", slug="city")
article = ArticleFactory(headline="Harbour tunnel opens to traffic", section=city)
draft = ArticleFactory(
    headline="Night ferry returns for the summer",
    section=city,
    status=Article.Status.DRAFT,
    published_at=None,
)
UserFactory(username="desk", is_superuser=True, password=PASSWORD)
print(json.dumps({
    "article_url": article.get_absolute_url(),
    "draft_pk": draft.pk,
    "draft_headline": draft.headline,
}))
"""


def postgres_server_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return DEFAULT_SERVER


class Browser:
    """A client of one node that keeps its cookies, as a browser would; no redirects."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, data=None):
        headers = {"Host": HOST, "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return SimpleNamespace(status=response.status, headers=response.headers, text=text)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)

    def log_in(self, username, password):
        page = self.get("/admin/login/")
        response = self.post(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": csrf_token(page.text),
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )
        assert response.status == 302, f"admin login failed: {response.status}"


class Cluster:
    """Redis, a database and two gunicorn nodes; everything it starts it stops."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.server_url = postgres_server_url()
        self.database = f"newsroom_two_nodes_{secrets.token_hex(4)}"
        self.database_created = False
        self.redis = None
        self.nodes = []
        self.redis_port = free_port()
        # One key for both nodes, as in production: each must trust what the other signed.
        self.secret_key = secrets.token_urlsafe(50)

    def env(self):
        server = urlsplit(self.server_url)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "False",
            "SITE_URL": f"http://{HOST}",
            "ADMIN_URL": "admin/",
            # The superuser signs in with a password alone: tests/accounts prove the
            # second factor production asks of superusers.
            "MFA_REQUIRED_ROLES": "",
            "DATABASE_URL": urlunsplit(server._replace(path=f"/{self.database}")),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "STATIC_ROOT": str(self.workdir / "static"),
            "PAGE_CACHE_SECONDS": "600",
            # Both nodes run on this machine: one clock.
            "PURGE_CLOCK_SKEW_SECONDS": "0",
            "EMAIL_URL": "dummymail://",
        }

    def start(self):
        self.start_redis()
        self.create_database()
        env = self.env()
        self.manage(env, ["migrate", "--no-input"], ["collectstatic", "--no-input"])
        seeded = self.manage(env, ["shell", "-c", f"PASSWORD = {PASSWORD!r}\n{SEED}"])
        self.seed = json.loads(seeded.splitlines()[-1])
        self.nodes = [self.start_node(env, name) for name in ("a", "b")]
        for node in self.nodes:
            wait_until(lambda node=node: self.node_answers(node), f"gunicorn node {node.name}")

    def start_redis(self):
        self.redis = start_redis(self.redis_port, self.workdir)

    def create_database(self):
        try:
            with psycopg.connect(self.server_url, autocommit=True, connect_timeout=5) as db:
                db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        except psycopg.OperationalError as error:
            pytest.fail(f"The two-node test needs PostgreSQL at {self.server_url}: {error}")
        self.database_created = True

    def manage(self, env, *commands):
        """Run manage.py commands side by side; the output of the last one."""
        processes = [
            subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=REPO_ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for command in commands
        ]
        for command, process in zip(commands, processes, strict=True):
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, f"manage.py {command[0]} failed:\n{err[-3000:]}"
        return out

    def start_node(self, env, name):
        port, log = free_port(), self.workdir / f"gunicorn-{name}.log"
        process = start_gunicorn(env, port, log)
        return SimpleNamespace(name=name, port=port, process=process, log=log)

    def node_answers(self, node):
        if node.process.poll() is not None:
            pytest.fail(f"gunicorn node {node.name} exited:\n{node.log.read_text()[-3000:]}")
        try:
            return Browser(node.port).get("/healthz").status in (200, 404)
        except OSError:
            return False

    def stop(self):
        for node in self.nodes:
            stop_gunicorn(node.process)
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(10)
        if self.database_created:
            with psycopg.connect(self.server_url, autocommit=True) as db:
                db.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.database)
                    )
                )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("two-nodes"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def test_comment_approved_through_one_node_is_visible_through_the_other(cluster):
    node_a, node_b = cluster.nodes
    url = cluster.seed["article_url"]
    reader = Browser(node_a.port)
    text = f"Two nodes, one conversation {secrets.token_hex(4)}"
    page = reader.get(url)
    assert page.status == 200
    posted = reader.post(
        "/comments/post/",
        {
            **comment_form_fields(page.text),
            "name": "Ines",
            "email": "ines@example.org",
            "comment": text,
            "honeypot": "",
        },
    )
    assert posted.status == 302
    assert "comment=pending" in posted.headers["Location"]
    assert text not in reader.get(url).text
    # The page node A has just rendered is in the shared cache: node B serves it from there.
    assert Browser(node_b.port).get(url).headers["X-Page-Cache"] == "hit"

    moderator = Browser(node_b.port)
    moderator.log_in("desk", PASSWORD)
    queue = moderator.get("/admin/comments/readercomment/?status__exact=pending")
    match = re.search(r'name="_decide" value="approve:(\d+)"', queue.text)
    assert match, "the comment is not in the moderation queue"
    pk = match.group(1)
    decided = moderator.post(
        "/admin/comments/readercomment/?status__exact=pending",
        {"csrfmiddlewaretoken": csrf_token(queue.text), "_decide": f"approve:{pk}"},
    )
    assert decided.status == 302

    page = reader.get(url)
    assert text in page.text, "the comment approved through node B is missing on node A"
    assert page.headers["X-Page-Cache"] == "miss"


def test_article_published_through_one_node_appears_on_the_other(cluster):
    node_a, node_b = cluster.nodes
    headline = cluster.seed["draft_headline"]
    reader = Browser(node_b.port)
    reader.get("/")
    home = reader.get("/")
    assert home.headers["X-Page-Cache"] == "hit"
    assert headline not in home.text

    editor = Browser(node_a.port)
    editor.log_in("desk", PASSWORD)
    changelist = editor.get("/admin/articles/article/")
    published = editor.post(
        "/admin/articles/article/",
        {
            "csrfmiddlewaretoken": csrf_token(changelist.text),
            "action": "publish_selected",
            "_selected_action": cluster.seed["draft_pk"],
            "index": "0",
            "select_across": "0",
        },
    )
    assert published.status == 302

    home = reader.get("/")
    assert headline in home.text, "the article published through node A is missing on node B"
    assert home.headers["X-Page-Cache"] == "miss"
