"""The whole stack: the shipped deploy/varnish.vcl in front of gunicorn with the
production settings, on a PostgreSQL and a Redis of the test's own.

The app purges Varnish by key after each commit (VARNISH_PURGE_URLS), as in production.
Changes are made the way the desk makes them, through the app's services, in another
process (`manage.py shell`), and readers are then asked for pages through Varnish as
nginx sends them (the site's Host, X-Forwarded-Proto: https). What reaches the app is
counted in gunicorn's access log. The PostgreSQL server is the test's own, so the
outage test can stop it without disturbing anyone else.

A missing varnishd, gunicorn, redis-server or PostgreSQL server fails the test; it
never skips.
"""

import contextlib
import gzip
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
import types
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import brotli
import pytest

from tests.servers import (
    PrivatePostgres,
    comment_form_fields,
    csrf_token,
    free_port,
    start_gunicorn,
    start_redis,
    stop_gunicorn,
    wait_until,
)
from tests.varnish import running_varnishd

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "news.example.test"
PASSWORD = secrets.token_urlsafe(12)
PROBE_SECONDS = 15  # sick after 3 failed probes a second apart; generous on a busy machine
PURGE_SECONDS = 1.0  # from a commit to readers seeing it through Varnish
LATEST_LIST = "/latest/sidebar/"  # beside each story, filled in by the reader's browser
# Variables of the environment running the tests that would change what is tested.
NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "PUBLIC_CACHE_SECONDS",
    "PAGE_CACHE_SECONDS",
    "FASTLY_SERVICE_ID",
    "CLOUDFLARE_ZONE_ID",
    "ADMIN_URL",
)

SEED = """
import json
from articles.models import Article
from comments.counts import counts_url
from comments.models import ReaderComment
from newsroom import roles
from tests.factories import ArticleFactory, ReaderCommentFactory, SectionFactory, UserFactory

city = SectionFactory(name="City", slug="city")
sport = SectionFactory(name="Sport", slug="sport")
tunnel = ArticleFactory(headline="Harbour tunnel opens to traffic", section=city)
ferry = ArticleFactory(headline="Ferry timetable changes for the winter", section=city)
derby = ArticleFactory(headline="Derby ends in a goalless draw", section=sport)
takedown = ArticleFactory(headline="Councillor named in planning row", section=city)
legal = ArticleFactory(headline="Landlord named in court papers", section=city)
draft = ArticleFactory(
    headline="Night ferry returns for the summer",
    section=city,
    status=Article.Status.DRAFT,
    published_at=None,
)
held = ReaderCommentFactory(
    article=tunnel,
    comment="Worth the wait, says a daily commuter.",
    status=ReaderComment.Status.PENDING,
)
UserFactory(username="desk", groups=[roles.EDITOR], password=PASSWORD)
urls = {name: a.get_absolute_url() for name, a in [
    ("tunnel", tunnel), ("ferry", ferry), ("derby", derby), ("takedown", takedown),
    ("legal", legal),
]}
print(json.dumps({
    "urls": urls,
    "tunnel_counts": counts_url(tunnel.pk),
    "pks": {
        "tunnel": tunnel.pk, "draft": draft.pk, "takedown": takedown.pk, "legal": legal.pk,
        "held": held.pk,
    },
    "held_text": held.comment,
    "draft_headline": draft.headline,
    "draft_url": draft.get_absolute_url(),
    "takedown_headline": takedown.headline,
    "legal_headline": legal.headline,
}))
"""

# Run by `manage.py shell` in another process: a change made the desk's way, then the
# time its transaction committed (the purges have been sent by then: on_commit). When
# held, the change is saved and waits for a line on stdin before its commit.
CHANGE = """
import sys
import time
from django.contrib.auth import get_user_model
from django.db import transaction
from articles import services as articles
from articles.models import Article
from comments import services as comments
from comments.models import ReaderComment

desk = get_user_model().objects.get(username="desk")
with transaction.atomic():
    {change}
    if {held}:
        print("saved", flush=True)
        sys.stdin.readline()
print("committed", time.time(), flush=True)
"""
APPROVE = "comments.comments_moderate(comments=[ReaderComment.objects.get(pk={pk})], "
APPROVE += "status=ReaderComment.Status.PUBLIC, by=desk)"
PUBLISH = "articles.article_publish(article=Article.objects.get(pk={pk}), by=desk)"
UNPUBLISH = "articles.article_unpublish(article=Article.objects.get(pk={pk}), by=desk)"


class CookieHandedOut(AssertionError):
    pass


class Client:
    """A reader's (or an editor's) browser talking to Varnish as nginx would: it keeps
    its cookies and follows no redirects. Every response any client gets is checked:
    one that sets a cookie was never served from the cache, and no cookie handed to
    one client is ever handed to another."""

    def __init__(self, stack, name):
        self.stack, self.name, self.cookies = stack, name, {}

    def request(self, method, path, *, data=None, headers=None):
        sent = {"Origin": f"https://{HOST}"} if method == "POST" else {}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.stack.varnish.request(
            method, path, headers={**sent, **(headers or {})}, body=body
        )
        for header in response.headers.get_all("Set-Cookie") or []:
            assert response.header("X-Cache") == "PASS", (
                f"{method} {path} set a cookie and was {response.header('X-Cache')}"
            )
            for name, morsel in SimpleCookie(header).items():
                self.stack.hand_out(f"{name}={morsel.value}", self.name)
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)


class Stack:
    """PostgreSQL, Redis, gunicorn and Varnish; everything it starts it stops."""

    def __init__(self, work):
        self.work = work
        self.postgres = PrivatePostgres()
        self.redis_port, self.app_port = free_port(), free_port()
        self.secret_key = secrets.token_urlsafe(50)
        self.cookies = {}  # each cookie handed out, and to whom
        self.redis = self.app = self.varnish = None
        self.changes = []  # the processes that made a change, until they have exited
        self.app_log = work / "gunicorn.log"

    def env(self, **overrides):
        env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        return {
            **env,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}",
            "TRUSTED_PROXIES": "127.0.0.1",
            # The superuser signs in with a password alone: tests/accounts prove the
            # second factor production asks of superusers.
            "MFA_REQUIRED_ROLES": "",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "VARNISH_PURGE_URLS": f"http://127.0.0.1:{self.varnish.port}",
            "MEDIA_ROOT": str(self.work / "media"),
            "STATIC_ROOT": str(self.work / "static"),
            "EMAIL_URL": "dummymail://",
            # One machine, one clock.
            "PURGE_CLOCK_SKEW_SECONDS": "0",
            **overrides,
        }

    def start(self, stack):
        stack.callback(self.postgres.remove)
        self.postgres.create()
        self.redis = start_redis(self.redis_port, self.work)
        stack.callback(self.stop_redis)
        # Varnish first: the app's environment names it; it waits for the app.
        self.varnish = stack.enter_context(
            running_varnishd(self.work, app_port=self.app_port, host=HOST)
        )
        self.manage(["migrate", "--no-input"], ["collectstatic", "--no-input", "-v", "0"])
        self.seed = json.loads(
            self.manage(["shell", "-c", f"PASSWORD = {PASSWORD!r}\n{SEED}"]).splitlines()[-1]
        )
        stack.callback(self.stop_app)
        self.start_app()
        stack.callback(self.finish_changes)

    def manage(self, *commands, **env):
        """Run manage.py commands side by side; the output of the last one."""
        processes = [
            subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=REPO_ROOT,
                env=self.env(**env),
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

    def change(self, change):
        """Make a change through the app's services in another process; when it committed
        (read as soon as it is printed: the process may take a while more to exit)."""
        return self.commit_time(self.start_change(change, held=False))

    def start_change(self, change, *, held):
        self.finish_changes()
        errors = (self.work / "change.log").open("w+")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", CHANGE.format(change=change, held=held)],
            cwd=REPO_ROOT,
            env=self.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        self.changes.append((process, errors))
        return process

    def commit_time(self, process):
        for line in process.stdout:
            if line.startswith("committed "):
                return float(line.split()[1])
        self.finish_changes()
        pytest.fail("the change printed no commit time")

    @contextlib.contextmanager
    def saved_not_committed(self, change):
        """Inside: the change is saved, its transaction open. On leaving it commits;
        `.committed` is then when."""
        process = self.start_change(change, held=True)
        if not any(line == "saved\n" for line in process.stdout):
            self.finish_changes()
            pytest.fail("the change was not saved")
        outcome = types.SimpleNamespace(committed=None)
        yield outcome
        process.stdin.write("commit\n")
        process.stdin.flush()
        outcome.committed = self.commit_time(process)

    def finish_changes(self):
        while self.changes:
            process, errors = self.changes.pop()
            process.stdin.close()
            process.stdout.read()
            process.wait(60)
            errors.seek(0)
            assert process.returncode == 0, f"the change failed:\n{errors.read()[-3000:]}"
            errors.close()

    def start_app(self, **env):
        self.app = start_gunicorn(self.env(**env), self.app_port, self.app_log)
        wait_until(self.app_answers, "gunicorn")
        wait_until(lambda: self.varnish.backend_health() == "healthy", "a healthy backend")

    def app_answers(self):
        if self.app.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{self.app_log.read_text()[-3000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", self.app_port, timeout=5)
        try:
            connection.request(
                "GET", "/healthz", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
            )
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def stop_app(self):
        stop_gunicorn(self.app)

    def restart_app(self, **env):
        self.stop_app()
        self.start_app(**env)

    def stop_redis(self):
        self.redis.terminate()
        self.redis.wait(10)

    def app_requests(self, method, path):
        """How many `method path` requests gunicorn has answered (its access log)."""
        return len(re.findall(rf'"{method} {re.escape(path)} HTTP/1\.1"', self.app_log.read_text()))

    def settled_requests(self, method, *paths):
        """app_requests (for each of `paths`), once gunicorn has logged what it has
        answered (it logs each request just after its response)."""
        time.sleep(0.3)
        counts = [self.app_requests(method, path) for path in paths]
        return counts[0] if len(counts) == 1 else counts

    def client(self, name=None):
        return Client(self, name or secrets.token_hex(4))

    def hand_out(self, cookie, client):
        given_to = self.cookies.setdefault(cookie, client)
        if given_to != client:
            raise CookieHandedOut(f"{cookie} was handed to {given_to}, then to {client}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with contextlib.ExitStack() as started:
        running = Stack(tmp_path_factory.mktemp("varnish-stack"))
        running.start(started)
        yield running


def seen_within(committed, check, what):
    """Ask until `check()` holds; fail if it did not within PURGE_SECONDS of the commit."""
    while not check():
        if time.time() > committed + PURGE_SECONDS:
            pytest.fail(f"{what}: not seen {PURGE_SECONDS} s after the commit")
        time.sleep(0.02)
    return time.time() - committed


def cached(reader, path):
    """Ask for `path` until Varnish answers it from its cache (a fresh miss is kept)."""
    wait_until(lambda: reader.get(path).header("X-Cache") == "HIT", f"{path} cached", 5)


def test_a_story_is_served_from_varnish_the_second_time_without_its_keys(stack):
    reader = stack.client()
    url = stack.seed["urls"]["ferry"]
    first = reader.get(url)
    asked = stack.settled_requests("GET", url)
    second = reader.get(url)
    assert (first.status, second.status) == (200, 200)
    assert second.header("X-Cache") == "HIT"
    assert int(second.header("Age")) >= 0
    assert second.body == first.body
    assert "Ferry timetable changes for the winter" in second.text
    assert stack.settled_requests("GET", url) == asked  # Varnish answered alone
    assert "s-maxage=" in second.header("Cache-Control")
    # What the page shows is named for Varnish, and for no one else.
    for response in (first, second):
        assert response.header("xkey") is None
        assert response.header("X-Varnish") is None
    debug = reader.get(url, headers={"X-Newsroom-Debug": "1"})
    assert "article-2" in debug.header("xkey").split()


def test_an_approved_comment_reaches_readers_on_commit_and_only_its_pages(stack):
    reader = stack.client()
    story, other = stack.seed["urls"]["tunnel"], stack.seed["urls"]["ferry"]
    counts, tunnel = stack.seed["tunnel_counts"], str(stack.seed["pks"]["tunnel"])
    text = stack.seed["held_text"]
    for path in (story, other, "/sport/", "/", "/city/", counts):
        cached(reader, path)
    assert text not in reader.get(story).text
    assert tunnel not in json.loads(reader.get(counts).text)["counts"]

    committed = stack.change(APPROVE.format(pk=stack.seed["pks"]["held"]))
    seen_within(committed, lambda: text in reader.get(story).text, "the approved comment")
    seen_within(
        committed,
        lambda: json.loads(reader.get(counts).text)["counts"].get(tunnel) == 1,
        "the story's count, for its cards",
    )
    # The lists show the count of their render, which readers' browsers bring up to
    # date from the counts: still the copies Varnish had, as is the other story's page.
    for path in (other, "/sport/", "/", "/city/"):
        assert reader.get(path).header("X-Cache") == "HIT", path


def test_a_published_story_reaches_the_home_page_and_its_own_address_on_commit(stack):
    reader = stack.client()
    headline, url = stack.seed["draft_headline"], stack.seed["draft_url"]
    derby = stack.seed["urls"]["derby"]
    for path in ("/", "/city/", "/sport/", derby, LATEST_LIST):
        cached(reader, path)
    assert headline not in reader.get("/").text
    assert reader.get(url).status == 404  # its address answers "not found" until then

    committed = stack.change(PUBLISH.format(pk=stack.seed["pks"]["draft"]))
    seen_within(committed, lambda: headline in reader.get("/").text, "the home page")
    seen_within(committed, lambda: headline in reader.get("/city/").text, "its section")
    seen_within(committed, lambda: reader.get(url).status == 200, "its own page")
    assert headline not in reader.get("/sport/").text
    assert reader.get("/sport/").header("X-Cache") == "HIT"
    # In the Latest list that every story's page fills in, which is purged; the pages
    # themselves are not.
    seen_within(committed, lambda: headline in reader.get(LATEST_LIST).text, "the Latest list")
    assert reader.get(derby).header("X-Cache") == "HIT"


def test_an_unpublished_story_is_gone_from_every_page_at_once(stack):
    """A takedown is a hard purge: not one reader more is served the old copies."""
    reader = stack.client()
    headline, url = stack.seed["takedown_headline"], stack.seed["urls"]["takedown"]
    for path in ("/", "/city/", "/sport/", url, LATEST_LIST):
        cached(reader, path)
    assert headline in reader.get("/").text and headline in reader.get(LATEST_LIST).text

    stack.change(UNPUBLISH.format(pk=stack.seed["pks"]["takedown"]))
    home, section, page = reader.get("/"), reader.get("/city/"), reader.get(url)
    assert headline not in home.text and home.status == 200
    assert headline not in section.text and section.status == 200
    assert page.status == 404
    assert headline not in reader.get(LATEST_LIST).text
    assert reader.get("/sport/").header("X-Cache") == "HIT"


def test_a_page_rendered_between_the_save_and_the_commit_of_an_unpublish_is_never_served_after(
    stack,
):
    """Pages rendered while the unpublish is saved but not committed show the story
    (its rows are not changed yet for anyone else) and are kept; the purge on commit
    removes them, so the first reader after the commit never sees the story."""
    reader = stack.client()
    headline, url = stack.seed["legal_headline"], stack.seed["urls"]["legal"]
    # Addresses no one has asked for yet: rendered now, by the app, from the old rows.
    during = ["/city/?page=1", f"{url}?reported=1", "/?page=1"]
    with stack.saved_not_committed(UNPUBLISH.format(pk=stack.seed["pks"]["legal"])):
        for path in during:
            page = reader.get(path)
            assert page.status == 200 and headline in page.text, path
            assert reader.get(path).header("X-Cache") == "HIT", path
    for path in during:
        page = reader.get(path)
        assert headline not in page.text, path
    assert reader.get(f"{url}?reported=1").status == 404


NEVER_CACHED_READS = 3


def test_the_admin_login_page_reaches_the_app_every_time_and_its_cookie_stays_with_its_reader(
    stack,
):
    before = stack.settled_requests("GET", "/admin/login/")
    tokens = set()
    for _ in range(NEVER_CACHED_READS):
        visitor = stack.client()  # Client checks no cookie is handed to two of them
        page = visitor.get("/admin/login/")
        assert (page.status, page.header("X-Cache")) == (200, "PASS")
        assert "__Host-csrftoken" in visitor.cookies
        tokens.add(visitor.cookies["__Host-csrftoken"])
    assert len(tokens) == NEVER_CACHED_READS
    wait_until(
        lambda: stack.app_requests("GET", "/admin/login/") == before + NEVER_CACHED_READS,
        "each request in gunicorn's log",
        5,
    )


def test_a_signed_in_editors_pages_reach_the_app_every_time_and_no_one_else(stack):
    editor = stack.client("editor")
    page = editor.get("/admin/login/")
    signed_in = editor.post(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": "desk",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert signed_in.status == 302, signed_in.text[:2000]
    assert "__Host-sessionid" in editor.cookies
    reader = stack.client()
    cached(reader, "/")

    before = stack.settled_requests("GET", "/")
    for _ in range(NEVER_CACHED_READS):
        home = editor.get("/")
        assert (home.status, home.header("X-Cache")) == (200, "PASS")
        assert "private" in home.header("Cache-Control")
    wait_until(
        lambda: stack.app_requests("GET", "/") == before + NEVER_CACHED_READS,
        "each request in gunicorn's log",
        5,
    )
    # Readers are still served the public copy, which no editor's request replaced.
    public = reader.get("/")
    assert public.header("X-Cache") == "HIT" and public.header("Set-Cookie") is None
    assert "public" in public.header("Cache-Control")


def test_a_comment_post_reaches_the_app_every_time(stack):
    reader = stack.client()
    url = stack.seed["urls"]["derby"]
    fields = comment_form_fields(reader.get(url).text)
    before = stack.settled_requests("POST", "/comments/post/")
    for number in range(NEVER_CACHED_READS):
        posted = reader.post(
            "/comments/post/",
            {
                **fields,
                "name": f"Reader {number}",
                "email": f"reader{number}@example.org",
                "comment": f"A fair result, comment {number} {secrets.token_hex(4)}.",
                "honeypot": "",
            },
            # Each from another reader's address (nginx's X-Forwarded-For), so the
            # site's flood control lets them through.
            headers={"X-Forwarded-For": f"203.0.113.{number + 1}"},
        )
        assert posted.header("X-Cache") == "PASS"
        assert posted.status == 302, posted.text[:2000]
        assert "comment=pending" in posted.header("Location")
    wait_until(
        lambda: stack.app_requests("POST", "/comments/post/") == before + NEVER_CACHED_READS,
        "each post in gunicorn's log",
        5,
    )


def test_pages_are_kept_in_brotli_gzip_and_as_sent_but_the_admin_login_page_is_not(stack):
    """Browsers get the page kept in Brotli, clients that take only gzip the page kept
    gzipped, the others the page kept as the app sent it: three copies, each asked of
    the app once."""
    reader = stack.client()
    browser = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    gzip_only = {"Accept-Encoding": "gzip"}
    url = stack.seed["urls"]["ferry"]
    stack.varnish.adm("ban", "req.url", "==", url)
    asked = stack.settled_requests("GET", url)
    squeezed = reader.get(url, headers=browser)
    assert (squeezed.header("X-Cache"), squeezed.header("Content-Encoding")) == ("MISS", "br")
    zipped = reader.get(url, headers=gzip_only)
    assert (zipped.header("X-Cache"), zipped.header("Content-Encoding")) == ("MISS", "gzip")
    plain = reader.get(url)
    assert (plain.header("X-Cache"), plain.header("Content-Encoding")) == ("MISS", None)
    for response in (
        reader.get(url, headers=browser),
        reader.get(url, headers=gzip_only),
        reader.get(url),
    ):
        assert response.header("X-Cache") == "HIT"
        assert "accept-encoding" in response.header("Vary").lower()
    assert stack.settled_requests("GET", url) == asked + 3
    html = brotli.decompress(squeezed.body).decode()
    assert "Ferry timetable changes for the winter" in html
    assert gzip.decompress(zipped.body).decode() == html == plain.text
    assert len(squeezed.body) < len(zipped.body) < len(plain.body) / 3

    # A page with a CSRF token (BREACH): never compressed.
    login = stack.client().get("/admin/login/", headers=browser)
    assert login.status == 200 and login.header("Content-Encoding") is None
    assert csrf_token(login.text)


@pytest.fixture
def pages_kept_two_seconds(stack):
    """The app started again with PUBLIC_CACHE_SECONDS=2, and Varnish emptied, so that
    what it keeps from now on runs out in 2 s; as before afterwards."""
    stack.restart_app(PUBLIC_CACHE_SECONDS="2")
    stack.varnish.adm("ban", "req.url", "~", ".")
    yield
    stack.restart_app()


def test_readers_get_the_last_good_pages_while_the_database_is_down(stack, pages_kept_two_seconds):
    """Pages kept 2 s are still served long after, while the probe says the app is
    sick; an uncached page gets Varnish's short 503 page; then pages refresh again."""
    try:
        reader = stack.client()
        kept = [stack.seed["urls"]["ferry"], "/", "/city/"]
        pages = {}
        for path in kept:
            first = reader.get(path)
            assert first.header("Cache-Control") == "public, max-age=0, s-maxage=2"
            pages[path] = first.body
            cached(reader, path)
        cached_at = time.monotonic()

        stack.postgres.stop()
        wait_until(lambda: stack.varnish.backend_health() == "sick", "the probe", PROBE_SECONDS)
        time.sleep(max(0, cached_at + 3 - time.monotonic()))  # past their 2 s, surely
        asked = stack.settled_requests("GET", *kept)
        for path in kept:
            response = reader.get(path)
            assert (response.status, response.header("X-Cache")) == (200, "HIT"), path
            assert response.body == pages[path]
            assert int(response.header("Age")) >= 2
        assert stack.settled_requests("GET", *kept) == asked

        missing = reader.get(stack.seed["urls"]["derby"])  # not asked for since the ban
        assert missing.status == 503
        assert "The site is briefly unavailable" in missing.text
        assert missing.header("Retry-After") == "30"
        assert missing.header("Cache-Control") == "no-store"
    finally:
        if not stack.postgres.running:
            stack.postgres.start()

    wait_until(lambda: stack.varnish.backend_health() == "healthy", "recovery", PROBE_SECONDS)
    asked = stack.app_requests("GET", "/")
    wait_until(
        lambda: reader.get("/").status == 200 and stack.app_requests("GET", "/") > asked,
        "a refresh",
        15,
    )
    wait_until(lambda: int(reader.get("/").header("Age")) < 2, "a fresh home page", 5)
    assert reader.get(stack.seed["urls"]["derby"]).status == 200
