"""Faults met in production, over HTTP: gunicorn with the production settings on a
PostgreSQL and a Redis of the test's own, so the database can be frozen and Redis
flooded without touching anyone else's servers. These tests always run on PostgreSQL,
whichever database the rest of the run uses.

A missing gunicorn, redis-server or PostgreSQL server fails the test; it never skips.
"""

import http.client
import os
import random
import secrets
import signal
import subprocess
import threading
import time

import pytest

from tests.servers import (
    PrivatePostgres,
    free_port,
    manage,
    start_gunicorn,
    start_redis,
    stop,
    stop_gunicorn,
    wait_until,
)

HOST = "news.example.test"
STATEMENT_TIMEOUT = 2  # seconds; the app gives up on a silent database a second later
REDIS_MAXMEMORY_MB = 16
CACHED, UNCACHED = "/", "/search/?q=harbour"  # searches are never kept in the page cache
# Variables of the environment running the tests that would change what is tested.
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "PAGE_CACHE_SECONDS", "VARNISH_PURGE_URLS")

SEED = """
from tests.factories import ArticleFactory, SectionFactory

city = SectionFactory(name="City", slug="city")
for n in range(30):
    ArticleFactory(headline=f"Harbour story {n}", section=city)
"""


def get(port, path, timeout=30):
    """(status, X-Page-Cache, seconds) of one GET; status 0 when no answer came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("GET", path, headers={"Host": HOST, "Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get("X-Page-Cache"), time.monotonic() - started
    except OSError:
        return 0, None, time.monotonic() - started
    finally:
        connection.close()


class Site:
    """PostgreSQL, Redis and one gunicorn worker (gunicorn.conf.py's kind)."""

    def __init__(self, work):
        self.work = work
        self.postgres = PrivatePostgres()
        self.redis_port, self.port = free_port(), free_port()
        self.redis = self.app = None

    def env(self):
        env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        return {
            **env,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "False",
            "SITE_URL": f"http://{HOST}",
            "DATABASE_URL": self.postgres.url,
            "DATABASE_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT),
            "DATABASE_CONNECT_TIMEOUT": "2",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            # The database is what these tests freeze: on a loaded machine (a CI run's
            # other tests), a Redis answer can come later than production's 0.25 s, which
            # opens the cache's circuit for 5 s and turns page-cache hits into misses.
            "REDIS_TIMEOUT": "2",
            "PAGE_CACHE_SECONDS": "600",
            "MEDIA_ROOT": str(self.work / "media"),
            "STATIC_ROOT": str(self.work / "static"),
            "EMAIL_URL": "dummymail://",
        }

    def start(self):
        self.postgres.create()
        # Small and evicting the least recently used keys, like a cache sized to its
        # pages: a flood stored there would push every other page out.
        self.redis = start_redis(
            self.redis_port, self.work,
            "--maxmemory", f"{REDIS_MAXMEMORY_MB}mb", "--maxmemory-policy", "allkeys-lru",
        )  # fmt: skip
        env = self.env()
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input", "-v", "0"]):
            manage(env, *command)
        manage(env, "shell", "-c", SEED)
        self.app = start_gunicorn(env, self.port, self.work / "gunicorn.log")
        wait_until(self.answers, "gunicorn")

    def answers(self):
        if self.app.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{(self.work / 'gunicorn.log').read_text()[-3000:]}")
        return get(self.port, "/healthz", timeout=5)[0] == 200

    def redis_info(self, *command):
        result = subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), *command],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def page_cache_entries(self):
        """Pages in the page cache (not purge marks, fragments or the ads)."""
        found = self.redis_info("--scan", "--pattern", "*pagecache:*")
        return len(found.split())

    def page_plans(self):
        """What pages last read from the cache, one a page (newsroom.fragments)."""
        found = self.redis_info("--scan", "--pattern", "*plan:*")
        return len(found.split())

    def redis_used_bytes(self):
        info = dict(
            line.split(":", 1) for line in self.redis_info("INFO", "memory").split() if ":" in line
        )
        return int(info["used_memory"])

    def log_warnings(self):
        """The app's warnings and errors (a circuit opened, a worker restarted)."""
        lines = (self.work / "gunicorn.log").read_text().splitlines()
        warnings = [line for line in lines if " 200 " not in line and " 503 " not in line]
        return "\n".join(warnings[-40:])

    def stop(self):
        stop_gunicorn(self.app)
        if self.redis is not None:
            stop(self.redis)
        self.postgres.remove()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("faults"))
    try:
        site.start()
        yield site
    finally:
        site.stop()


def cached(site, path):
    get(site.port, path)
    status, page_cache, _seconds = get(site.port, path)
    assert (status, page_cache) == (200, "hit"), f"{path} is not served from the page cache"


def readers(site, paths_by_kind, seconds):
    """Readers asking for the paths of each kind, one after another, for `seconds`;
    each answer as (kind, status, page cache, seconds)."""
    answers = []
    stop_at = time.monotonic() + seconds

    def read(kind, path):
        while time.monotonic() < stop_at:
            answers.append((kind, *get(site.port, path)))

    threads = [
        threading.Thread(target=read, args=(kind, path))
        for kind, paths in paths_by_kind.items()
        for path in paths
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def percentile95(values):
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def test_a_frozen_database_hangs_no_reader_and_cached_pages_keep_flowing(site):
    cached(site, CACHED)
    assert get(site.port, UNCACHED)[:2] == (200, "miss")
    # More readers of uncached pages than the worker serves at once: without a deadline
    # they would hold it for as long as the freeze lasts.
    site.postgres.send_signal(signal.SIGSTOP)
    try:
        answers = readers(site, {"cached": [CACHED] * 2, "uncached": [UNCACHED] * 4}, 8)
    finally:
        site.postgres.send_signal(signal.SIGCONT)
    hits = [a for a in answers if a[0] == "cached"]
    misses = [a for a in answers if a[0] == "uncached"]
    print(
        f"frozen 8 s: {len(hits)} cached answers, p95 {percentile95([a[3] for a in hits]):.3f} s;"
        f" {len(misses)} uncached, {sorted({a[1] for a in misses})},"
        f" slowest {max(a[3] for a in misses):.2f} s"
    )
    assert {(status, page_cache) for _kind, status, page_cache, _s in hits} == {(200, "hit")}, (
        site.log_warnings()
    )
    assert len(hits) >= 50, "cached pages stalled while the database was frozen"
    assert percentile95([a[3] for a in hits]) < 1.0
    # Every uncached page ends in the styled 503, none later than the deadline allows:
    # the answer timeout and a reconnection's connect_timeout, with room for a busy machine.
    assert {status for _kind, status, _cache, _s in misses} == {503}
    assert max(seconds for *_rest, seconds in misses) < (STATEMENT_TIMEOUT + 1) + 2 + 3

    wait_until(lambda: get(site.port, UNCACHED, timeout=10)[0] == 200, "recovery", seconds=20)
    assert get(site.port, CACHED)[:2] == (200, "hit")


def test_a_flood_of_query_strings_cannot_fill_the_page_cache(site):
    cached(site, CACHED)
    keys_before = site.page_cache_entries()
    plans_before = site.page_plans()
    used_before = site.redis_used_bytes()
    rng = random.Random(11)
    noise = [f"/?x={rng.getrandbits(64):x}" for _ in range(600)]
    noise += [f"/city/?utm_source={rng.getrandbits(32):x}" for _ in range(300)]
    deep = [f"/city/?page={n}" for n in range(1, 301)]
    # Made-up cursors after every story: each answers the newest page (200) and is never
    # kept, as it names no story of the list.
    cursors = [f"/city/?before=20{rng.randrange(30, 99)}0101T000000Z-{n}" for n in range(1, 201)]
    flood = noise + deep + cursors
    rng.shuffle(flood)
    statuses = {}
    for path in flood:
        statuses.setdefault(path.split("=")[0], set()).add(get(site.port, path)[0])
    assert statuses["/?x"] == statuses["/city/?utm_source"] == {200}
    assert statuses["/city/?before"] == {200}
    # Pages past the section's last are 404s.
    assert statuses["/city/?page"] == {200, 404}
    keys_after = site.page_cache_entries()
    used_after = site.redis_used_bytes()
    print(
        f"{len(flood)} distinct URLs: page cache entries {keys_before} -> {keys_after}, "
        f"memory {used_before / 1e6:.1f} -> {used_after / 1e6:.1f} MB"
    )
    # The noise shares the clean URLs' entries; ?page= makes at most MAX_CACHED_PAGE, and
    # a cursor only when it names a real story of the list (none of these does).
    assert keys_after - keys_before <= 20 + 2
    assert site.page_plans() - plans_before <= 20 + 2  # the pages' plans alike
    # Fragments (newsroom.fragments: each story's card, once) grow with the content, not
    # with the URLs; memory holds them too.
    assert used_after - used_before < 4_000_000
    assert get(site.port, CACHED)[:2] == (200, "hit"), "the flood pushed the home page out"
