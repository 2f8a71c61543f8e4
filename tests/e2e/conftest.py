"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

No browser is ever downloaded: the tests launch the system Chromium (CHROMIUM_PATH,
default /usr/bin/chromium) and fail, never skip, when it is missing, so that a CI
image without it shows red.

The live server runs in a thread of the test process and shares its settings and its
(locmem) cache. It serves /static/ through staticfiles' finders and /media/ from
settings.MEDIA_ROOT read on every request, so the tmp MEDIA_ROOT of tests/conftest.py
works without a test urlconf (DEBUG is off in tests, so newsroom/urls.py adds no media
route; the tests check that every image loads).
"""

import contextlib
import importlib
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db.migrations.loader import MigrationLoader
from django.test.testcases import LiveServerThread
from django.utils import timezone
from playwright.sync_api import sync_playwright

from demo.ads import load_ads
from tests import factories

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}

# Rows that data migrations create (groups with their permissions, ad placements).
# A transactional test ends with a flush that deletes them; each browser test puts them
# back first. (serialized_rollback would restore them too, but it cannot follow a
# transactional test that flushed without it, as tests/comments/test_services.py does:
# the content types it recreated collide with the serialized ones.)
# The role groups need no migration run again: newsroom.roles applies them after every
# migrate and every flush (post_migrate).
DATA_MIGRATIONS = [
    ("ads.migrations.0002_placements_and_roles", "create_placements"),
    ("comments.migrations.0007_moderation_rules_from_settings", "rules_from_settings"),
]


# On in-memory SQLite (the default test database) the live server has to use the test's
# own connection, the only way to see the test's data, and Django warns that queries
# sent through it from two threads at once "may sometimes randomly cause the tests to
# fail". They do here: a page's impression beacons arrive together ("cannot open
# savepoint - SQL statements in progress"). So with a shared connection the live server
# answers one request at a time, and a test that queries while the browser may still be
# sending takes the same lock (the `between_requests` fixture). PostgreSQL gives each
# thread its own connection: there the server stays concurrent.
SHARED_CONNECTION = threading.Lock()


class LiveTraffic:
    """The requests the live server is answering.

    A page that closes still sends: the editing desk's last heartbeat goes out as the page
    is hidden, with keepalive, and may reach the server after the test has moved on (and
    on a shared connection wait there behind other requests). `settle()` waits until the
    server has answered everything and heard nothing new for a moment. When a test ends
    the server refuses what still comes (503) and finishes what it is answering, so that
    nothing writes while the database is flushed.
    """

    QUIET_SECONDS = 0.3

    def __init__(self):
        self.changed = threading.Condition()
        self.in_flight = 0
        self.last_arrival = 0.0
        self.accepting = True

    def answer(self, application, environ, start_response, *, lock):
        with self.changed:
            if not self.accepting:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"The test has ended."]
            self.in_flight += 1
            self.last_arrival = time.monotonic()
        try:
            with lock:
                return application(environ, start_response)
        finally:
            with self.changed:
                self.in_flight -= 1
                self.changed.notify_all()

    def close(self, timeout=10):
        with self.changed:
            self.accepting = False
            if not self.changed.wait_for(lambda: not self.in_flight, timeout):
                pytest.fail(f"The live server is still answering after {timeout} s")

    def settle(self, timeout=10):
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                quiet_for = time.monotonic() - self.last_arrival
                if not self.in_flight and quiet_for >= self.QUIET_SECONDS:
                    return
                if time.monotonic() > deadline:
                    pytest.fail(f"The live server is still answering after {timeout} s")
                self.changed.wait(max(self.QUIET_SECONDS - quiet_for, 0.05))


LIVE_TRAFFIC = LiveTraffic()


class TrackedServer(ThreadedWSGIServer):
    """Counts what it answers (LIVE_TRAFFIC) and, on a shared connection, answers one
    request at a time."""

    def set_app(self, application):
        lock = SHARED_CONNECTION if self.connections_override else contextlib.nullcontext()

        def tracked(environ, start_response):
            return LIVE_TRAFFIC.answer(application, environ, start_response, lock=lock)

        return super().set_app(tracked)


@pytest.fixture
def tracked_server(monkeypatch):
    monkeypatch.setattr(LiveServerThread, "server_class", TrackedServer)


@pytest.fixture
def live_server(tracked_server, live_server):
    """pytest-django's live server (one for the session, started by the first browser
    test with the server class patched first), which refuses requests between tests."""
    LIVE_TRAFFIC.accepting = True
    yield live_server
    # The browser contexts are closed by now (make_page needs the server): refuse what
    # they still send and finish what is running before the database is flushed.
    LIVE_TRAFFIC.close()


@pytest.fixture
def settled():
    """Wait until the live server has answered what the browser sent (a page that was
    closed may still be sending its last requests)."""
    return LIVE_TRAFFIC.settle


@pytest.fixture
def between_requests():
    """Hold while querying the database when the browser may be sending requests."""
    return SHARED_CONNECTION


@pytest.fixture(scope="session")
def migrated_apps():
    """The models as the migrations leave them, for running data migrations again."""
    return MigrationLoader(None, ignore_no_migrations=True).project_state().apps


@pytest.fixture(autouse=True)
def migration_data(transactional_db, migrated_apps):
    """Every browser test starts from the data the migrations create; all are idempotent."""
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(migrated_apps, None)


@pytest.fixture(scope="package")
def playwright():
    # Playwright's sync API runs an asyncio event loop in the test's thread for as long
    # as it is started, and Django refuses ORM calls from a thread with a running loop
    # (SynchronousOnlyOperation), because in async code they would block the loop. Here
    # nothing else runs on that loop: it only drives the browser, the tests' ORM calls
    # (factories, assertions) are plain synchronous code between browser steps, and the
    # live server answers from threads of its own. Django reads the
    # flag on every ORM call, so it is set only while Playwright runs: package scope ends
    # both with the last browser test, before the rest of the suite goes on.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            yield playwright


@pytest.fixture(scope="package")
def browser(playwright):
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}. The browser tests use the system "
            "Chromium (Debian: apt-get install chromium) or the one named by CHROMIUM_PATH; "
            "they never download a browser."
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def user_agent(browser):
    """A desktop Chrome user agent. Headless Chromium calls itself "HeadlessChrome",
    which the ads app rightly counts as a bot: its impressions and clicks would not count."""
    major = browser.version.split(".")[0]
    return (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36"
    )


@pytest.fixture
def make_page(browser, user_agent, live_server):
    """Open a page in a fresh browser context (no cookies, no cache) of its own.

    Uncaught script errors, anything the site's Content-Security-Policy refused, and
    requests to any host but the live server fail the test: the site's pages make no
    third-party requests.
    """
    contexts = []
    problems = []
    own_origin = live_server.url

    def make(*, viewport=DESKTOP, java_script_enabled=True):
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=java_script_enabled,
            user_agent=user_agent,
            color_scheme="light",
            base_url=own_origin,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((f"{own_origin}/", "data:", "about:", "blob:"))
                else problems.append(f"third-party request: {request.url}")
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def page_no_js(make_page):
    return make_page(java_script_enabled=False)


PARAGRAPH = (
    "<p>The harbour tunnel carried its first cars at dawn, after six years of digging under "
    "the estuary and two delays that pushed its cost well past the first estimate. Drivers "
    "queued from four in the morning; the council says the crossing now takes four "
    "minutes instead of forty.</p>"
)


def photo_stories(count):
    """A section of `count` photo stories, the newest long enough for two in-article ad
    slots, with the demo ads in every placement."""
    section = factories.SectionFactory(name="City", slug="city")
    photo = factories.PhotoFactory(dimensions=(960, 540))
    now = timezone.now()
    for hours in range(2, count + 1):
        factories.ArticleFactory(
            section=section, hero_photo=photo, published_at=now - timedelta(hours=hours)
        )
    article = factories.ArticleFactory(
        headline="Harbour tunnel opens to traffic",
        section=section,
        hero_photo=photo,
        body=PARAGRAPH * 14,
        authors=[factories.AuthorFactory(name="Ada Reyes")],
        published_at=now - timedelta(hours=1),
    )
    load_ads()
    return {"section": section, "article": article}
