"""The shipped Varnish config, deploy/varnish.vcl, in front of a fake app.

The test renders the shipped VCL with only the backend's address changed, runs Debian's
varnishd with it on a free port, and puts behind it a small threaded HTTP server whose
answers (status, headers, body, delay) each test scripts per path and which counts the
requests it gets. What the app really sends is the app's tests' business; here each rule
of the VCL is held to the contract with the app: keys in `xkey`, `PURGE` with
`xkey-purge`/`xkey-softpurge`, `public, s-maxage=N` on what may be kept. A missing
varnishd (or vmod xkey) fails the test; it never skips.
"""

import concurrent.futures
import contextlib
import gzip
import http.server
import re
import threading
import time
from dataclasses import dataclass, field

import brotli
import pytest

from newsroom.pagecache import PAGE_PARAMETERS
from tests.servers import wait_until
from tests.varnish import PROBE, SHIPPED, SHIPPED_HOST, running_varnishd

HOST = SHIPPED_HOST
CACHEABLE = "public, max-age=0, s-maxage=600"
PROBE_SECONDS = 15  # sick after 3 failed probes a second apart; generous on a busy machine


@dataclass
class Answer:
    """What the fake app answers for one path."""

    status: int = 200
    headers: dict = field(
        default_factory=lambda: {"Cache-Control": CACHEABLE, "Content-Type": "text/html"}
    )
    body: bytes | None = None  # by default the URL and how many times it was asked for
    delay: float = 0.0
    brotli: bool = False  # compressed when asked for Brotli alone, as the app does


class FakeApp:
    """Answers per path as scripted; records each request it is sent."""

    def __init__(self):
        self.answers = {}
        self.requests = []
        self.healthy = True
        self.lock = threading.Lock()

    def answer(self, path, **kwargs):
        self.answers[path] = Answer(**kwargs)

    def cacheable(self, path, keys, *, seconds=600, delay=0.0, content_type="text/html"):
        self.answer(
            path,
            headers={
                "Cache-Control": f"public, max-age=0, s-maxage={seconds}",
                "Content-Type": content_type,
                "xkey": keys,
                "Surrogate-Key": keys,
                "Cache-Tag": keys.replace(" ", ","),
            },
            delay=delay,
        )

    def seen(self, path):
        """The requests for `path` (without its query string), oldest first, but for
        Varnish's own health probes."""
        with self.lock:
            return [
                r
                for r in self.requests
                if r["url"].split("?")[0] == path and r["headers"].get("User-Agent") != PROBE
            ]

    def probes(self):
        with self.lock:
            return [r for r in self.requests if r["headers"].get("User-Agent") == PROBE]

    def count(self, path):
        return len(self.seen(path))

    def respond(self, handler):
        url = handler.path
        path = url.split("?")[0]
        length = int(handler.headers.get("Content-Length") or 0)
        with self.lock:
            self.requests.append(
                {
                    "method": handler.command,
                    "url": url,
                    "headers": dict(handler.headers),
                    "body": handler.rfile.read(length),
                }
            )
            times = sum(1 for r in self.requests if r["url"] == url)
        if path == "/healthz":
            status = 200 if self.healthy else 503
            return Answer(status=status, headers={"Cache-Control": "no-store"}, body=b"{}")
        answer = self.answers.get(path, Answer())
        if not self.healthy and handler.command != "POST":
            return Answer(status=500, headers={"Cache-Control": "no-store"}, body=b"down")
        if answer.delay:
            time.sleep(answer.delay)
        if answer.body is None:
            answer = Answer(answer.status, answer.headers, f"{url} #{times}".encode())
        if answer.brotli and handler.headers.get("Accept-Encoding") == "br":
            headers = {**answer.headers, "Content-Encoding": "br", "Vary": "Accept-Encoding"}
            answer = Answer(answer.status, headers, brotli.compress(answer.body))
        return answer


def serve(app):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle_one(self):
            answer = app.respond(self)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                for one in value if isinstance(value, list) else [value]:
                    self.send_header(name, one)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = handle_one

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def varnish_in_front_of(app, work):
    """The shipped VCL in front of `app`; the Varnish it yields has the app as `.app`."""
    server = serve(app)
    try:
        with running_varnishd(work, app_port=server.server_address[1]) as varnish:
            varnish.app = app
            yield varnish
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def varnish(tmp_path_factory):
    """The shipped VCL in front of a fake app that stays up."""
    with varnish_in_front_of(FakeApp(), tmp_path_factory.mktemp("varnish")) as running:
        yield running


@pytest.fixture
def varnish_of_its_own(tmp_path):
    """The same, for a test that takes the app down."""
    with varnish_in_front_of(FakeApp(), tmp_path) as running:
        yield running


def test_a_kept_page_is_served_again_without_asking_the_app(varnish):
    varnish.app.cacheable("/kept/", "article-1 latest")
    varnish.app.answers["/kept/"].headers["ETag"] = '"v1"'
    first, second = varnish.get("/kept/"), varnish.get("/kept/")
    assert (first.status, first.header("X-Cache")) == (200, "MISS")
    assert (second.status, second.header("X-Cache")) == (200, "HIT")
    assert second.body == first.body == b"/kept/ #1"
    assert second.header("Age") is not None
    assert varnish.app.count("/kept/") == 1
    # Browsers revalidate each time (max-age=0), and Varnish answers that too.
    assert second.header("Cache-Control") == "public, max-age=0, s-maxage=600"
    etag = second.header("ETag")
    revalidated = varnish.get("/kept/", headers={"If-None-Match": etag})
    assert (revalidated.status, revalidated.body) == (304, b"")
    assert varnish.app.count("/kept/") == 1


def test_the_keys_are_kept_from_readers_but_not_from_a_cdn_or_the_operator(varnish):
    varnish.app.cacheable("/keys/", "article-2 section-3")
    response = varnish.get("/keys/")
    assert response.header("xkey") is None
    assert response.header("X-Varnish") is None and response.header("Via") is None
    # Sent by the app only when a CDN is configured in front, which removes them itself.
    assert response.header("Surrogate-Key") == "article-2 section-3"
    assert response.header("Cache-Tag") == "article-2,section-3"
    debug = varnish.get("/keys/", headers={"X-Newsroom-Debug": "1"})
    assert debug.header("xkey") == "article-2 section-3"
    # Through nginx (a reader's address in X-Forwarded-For) the debug header is ignored.
    forwarded = {"X-Newsroom-Debug": "1", "X-Forwarded-For": "203.0.113.9"}
    assert varnish.get("/keys/", headers=forwarded).header("xkey") is None


def test_a_hard_purge_removes_every_page_with_the_key_and_only_those(varnish):
    varnish.app.cacheable("/hard-a/", "article-10 latest")
    varnish.app.cacheable("/hard-b/", "article-10 section-4")
    varnish.app.cacheable("/hard-c/", "article-11 latest")
    for path in ("/hard-a/", "/hard-b/", "/hard-c/"):
        varnish.get(path)

    purge = varnish.purge(hard="article-10 article-999")
    assert purge.status == 200
    assert purge.header("xkey-purged") == "2"

    for path in ("/hard-a/", "/hard-b/"):
        # Gone, not stale: the first reader after the purge gets the new page.
        response = varnish.get(path)
        assert (response.header("X-Cache"), response.body) == ("MISS", f"{path} #2".encode())
    untouched = varnish.get("/hard-c/")
    assert (untouched.header("X-Cache"), untouched.body) == ("HIT", b"/hard-c/ #1")
    assert varnish.purge(hard="article-10").header("xkey-purged") == "2"  # the new copies


def test_a_soft_purge_serves_the_old_page_while_one_refresh_fetches_the_new(varnish):
    varnish.app.cacheable("/soft/", "front-home", delay=1.0)
    varnish.app.cacheable("/soft-other/", "front-sport")
    assert varnish.get("/soft/").body == b"/soft/ #1"
    varnish.get("/soft-other/")

    purge = varnish.purge(soft="front-home")
    assert (purge.status, purge.header("xkey-purged")) == (200, "1")

    # Readers arriving while the (slow) refresh runs are answered at once, from the old copy.
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        started = time.monotonic()
        during = list(pool.map(lambda _: varnish.get("/soft/"), range(5)))
        assert time.monotonic() - started < 0.9
    assert {(r.status, r.body) for r in during} == {(200, b"/soft/ #1")}
    wait_until(lambda: varnish.get("/soft/").body == b"/soft/ #2", "the refreshed page", 5)
    assert varnish.app.count("/soft/") == 2
    assert varnish.get("/soft-other/").header("X-Cache") == "HIT"


def test_a_page_rendered_while_it_was_purged_is_not_kept_and_blocks_nothing(varnish):
    """The app answers s-maxage=0 for a page whose keys were purged while it rendered
    (it may show the rows from before). A refresh with that answer keeps the old copy
    (served again, refreshed again); a reader's miss gets it, and no hit-for-miss is
    left, so the next answer for the URL is kept and misses are merged again."""
    varnish.app.cacheable("/settling/", "article-40")
    assert varnish.get("/settling/").body == b"/settling/ #1"
    varnish.app.cacheable("/settling/", "article-40", seconds=0)
    varnish.purge(soft="article-40")
    assert varnish.get("/settling/").body == b"/settling/ #1"  # stale, while it refreshes
    wait_until(lambda: varnish.app.count("/settling/") == 2, "the refresh", 5)
    assert varnish.get("/settling/").body == b"/settling/ #1"  # the refresh was not kept

    time.sleep(0.5)  # that last stale answer started one more refresh
    varnish.purge(hard="article-40")
    asked = varnish.app.count("/settling/")
    missed = varnish.get("/settling/")
    assert missed.body == f"/settling/ #{asked + 1}".encode()  # to the reader, not kept
    varnish.app.cacheable("/settling/", "article-40", delay=0.5)
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: varnish.get("/settling/"), range(5)))
    # Merged into one request to the app: no hit-for-miss sent each reader on its own.
    assert {answer.body for answer in answers} == {f"/settling/ #{asked + 2}".encode()}
    assert varnish.get("/settling/").header("X-Cache") == "HIT"
    assert varnish.app.count("/settling/") == asked + 2


def test_a_page_rendered_while_additions_were_purged_replaces_the_old_copy(varnish):
    """On a busy day a page may be purged more often than it renders: each render then
    overlaps a purge and is sent with s-maxage=0. When only additions were purged (soft:
    an approved comment), the app adds stale-while-revalidate: newer than the copy kept,
    the render replaces it, stale at once, and is served while the next one is fetched.
    Readers see each change one render after it, not when the purges pause."""
    varnish.app.cacheable("/busy/", "front-busy")
    assert varnish.get("/busy/").body == b"/busy/ #1"
    varnish.app.answer(
        "/busy/",
        headers={
            "Cache-Control": "public, max-age=0, s-maxage=0, stale-while-revalidate=10",
            "Content-Type": "text/html",
            "xkey": "front-busy",
        },
    )
    varnish.purge(soft="front-busy")
    assert varnish.get("/busy/").body == b"/busy/ #1"  # stale, while it refreshes
    wait_until(lambda: varnish.get("/busy/").body != b"/busy/ #1", "the refresh, kept", 5)
    # Still stale: each reader's request starts a refresh, one at a time.
    asked = varnish.app.count("/busy/")
    assert varnish.get("/busy/").body != b"/busy/ #1"
    wait_until(lambda: varnish.app.count("/busy/") > asked, "one more refresh", 5)
    # The copies kept that way carry their keys: a hard purge takes them away.
    assert int(varnish.purge(hard="front-busy").header("xkey-purged")) >= 1
    varnish.app.cacheable("/busy/", "front-busy")
    fresh = varnish.get("/busy/")
    assert fresh.header("X-Cache") == "MISS"
    assert varnish.get("/busy/").header("X-Cache") == "HIT"
    assert varnish.get("/busy/").body == fresh.body


def test_hard_and_soft_keys_in_one_purge_count_each_page_once(varnish):
    varnish.app.cacheable("/both-a/", "comments-20 article-20")
    varnish.app.cacheable("/both-b/", "front-both")
    varnish.get("/both-a/"), varnish.get("/both-b/")
    purge = varnish.purge(hard="comments-20", soft="article-20 front-both")
    assert purge.header("xkey-purged") == "2"
    assert varnish.get("/both-a/").body == b"/both-a/ #2"  # the hard purge won
    assert varnish.get("/both-b/").body == b"/both-b/ #1"  # stale, once


def test_purges_from_outside_the_acl_or_through_a_proxy_are_refused(varnish):
    varnish.app.cacheable("/guarded/", "article-30")
    varnish.get("/guarded/")
    # 127.0.0.2 is this machine too, but not in the purgers ACL.
    assert varnish.purge(hard="article-30", source="127.0.0.2").status == 403
    # nginx connects from 127.0.0.1: a purge sent to the public site must not pass.
    proxied = varnish.purge(hard="article-30", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status == 403
    assert varnish.purge().status == 400  # no keys: nothing to do, and said so
    assert varnish.get("/guarded/").header("X-Cache") == "HIT"


def test_tracking_and_unknown_parameters_share_the_clean_pages_entry(varnish):
    varnish.app.cacheable("/story/", "article-40")
    first = varnish.get("/story/?utm_source=newsletter&utm_medium=email&fbclid=abc")
    assert first.header("X-Cache") == "MISS"
    assert [r["url"] for r in varnish.app.seen("/story/")] == ["/story/"]
    for url in ("/story/", "/story/?gclid=1", "/story/?x=8271", "/story/?", "/story/?qq=1&pages=3"):
        assert varnish.get(url).header("X-Cache") == "HIT", url
    assert varnish.app.count("/story/") == 1


def test_the_parameters_pages_read_are_kept_sorted_and_distinct(varnish):
    varnish.app.cacheable("/search/", "search")
    varnish.get("/search/?q=harbour&page=2&utm_campaign=x")
    assert varnish.get("/search/?page=2&q=harbour").header("X-Cache") == "HIT"
    assert varnish.get("/search/?q=harbour").header("X-Cache") == "MISS"
    assert varnish.get("/search/?q=tunnel&page=2").header("X-Cache") == "MISS"
    assert [r["url"] for r in varnish.app.seen("/search/")] == [
        "/search/?page=2&q=harbour",
        "/search/?q=harbour",
        "/search/?page=2&q=tunnel",
    ]
    varnish.app.cacheable("/a-story/", "article-41")
    varnish.get("/a-story/?reply_to=7&comment=posted&reported=9&fbclid=z")
    assert [r["url"] for r in varnish.app.seen("/a-story/")] == [
        "/a-story/?comment=posted&reply_to=7&reported=9"
    ]


def test_the_vcl_keeps_exactly_the_query_parameters_the_pages_read():
    """The VCL's list and newsroom.pagecache.PAGE_PARAMETERS cannot drift apart: a
    parameter the VCL dropped would never reach the page; one it kept needlessly would
    let random values split the cache."""
    kept = re.findall(r'"&\(\?!\(([\w|]+)\)\(=\|&\|\$\)\)\[\^&\]\*"', SHIPPED.read_text())
    assert len(kept) == 1, "deploy/varnish.vcl no longer has one list of kept parameters"
    assert sorted(kept[0].split("|")) == sorted(PAGE_PARAMETERS)


@pytest.mark.parametrize("name", PAGE_PARAMETERS)
def test_each_parameter_a_page_reads_reaches_the_app(varnish, name):
    path = f"/reads-{name}/"
    varnish.app.cacheable(path, "search")
    varnish.get(f"{path}?utm_source=x&{name}=7&{name}x=1&x{name}=2")
    assert [r["url"] for r in varnish.app.seen(path)] == [f"{path}?{name}=7"]


NEVER_CACHED = {
    "the admin": ("GET", "/admin/articles/article/?status__exact=draft&o=-1", {}),
    "a preview": ("GET", "/preview/12/", {}),
    "a share link's preview": ("GET", "/preview/share/abc123/", {}),
    "a comment post": ("POST", "/comments/post/", {}),
    "an ad click": ("GET", "/ads/c/token/", {}),
    "an ad impression": ("GET", "/ads/i/token/", {}),
    "a story's view beacon": ("GET", "/beacons/viewed/12/", {}),
    "the health check": ("GET", "/healthz", {}),
    "a POST to a page": ("POST", "/city/", {}),
    "a PUT": ("PUT", "/city/", {}),
    "a DELETE": ("DELETE", "/city/", {}),
    "a session": ("GET", "/city/", {"Cookie": "_ga=1; sessionid=s3cr3t"}),
    "a CSRF token": ("GET", "/city/", {"Cookie": "csrftoken=t0k3n"}),
    "the production session": ("GET", "/city/", {"Cookie": "__Host-sessionid=s3cr3t; _ga=1"}),
    "the production CSRF token": ("GET", "/city/", {"Cookie": "__Host-csrftoken=t0k3n"}),
    "an Authorization header": ("GET", "/city/", {"Authorization": "Basic ZWQ6cHc="}),
    "a reader who has just written": ("GET", "/city/", {"Cookie": "newsroom_primary=1; _ga=1"}),
}


@pytest.mark.parametrize("case", NEVER_CACHED)
def test_never_cached_even_when_the_app_says_public(varnish, case):
    method, url, headers = NEVER_CACHED[case]
    path = url.split("?")[0]
    varnish.app.cacheable(path, "latest")  # the app's mistake must not be kept
    before = varnish.app.count(path)
    body = b"text=hello" if method in ("POST", "PUT") else None
    for _ in range(2):
        response = varnish.request(method, url, headers=headers, body=body)
        assert (response.status, response.header("X-Cache")) == (200, "PASS")
    sent = varnish.app.seen(path)[before:]
    assert len(sent) == 2
    # Passed as it came: the whole query string, the cookies, the credentials, the body.
    assert sent[-1]["method"] == method and sent[-1]["url"] == url
    for name, value in headers.items():
        assert sent[-1]["headers"].get(name) == value
    if body:
        assert sent[-1]["body"] == body


def test_an_error_on_a_passed_request_reaches_the_reader_as_the_app_wrote_it(varnish):
    """The app's 503 page for a failed POST gives back what was typed: never replaced."""
    page = b'<p>Not sent.</p><textarea name="comment">My long comment</textarea>'
    varnish.app.answer(
        "/comments/post/again/",
        status=503,
        headers={"Cache-Control": "no-store", "Retry-After": "30", "Content-Type": "text/html"},
        body=page,
    )
    response = varnish.request("POST", "/comments/post/again/", body=b"comment=My+long+comment")
    assert (response.status, response.body) == (503, page)


def test_analytics_cookies_are_dropped_and_do_not_split_the_cache(varnish):
    varnish.app.cacheable("/tagged/", "tag-5")
    varnish.get("/tagged/", headers={"Cookie": "_ga=GA1.1.1; theme=dark"})
    assert "Cookie" not in varnish.app.seen("/tagged/")[0]["headers"]
    again = varnish.get("/tagged/", headers={"Cookie": "_ga=GA1.1.2; sessionid_old=x"})
    assert again.header("X-Cache") == "HIT"


UNKEEPABLE = {
    "sets a cookie": {"Cache-Control": CACHEABLE, "Set-Cookie": "csrftoken=abc; Path=/"},
    "private": {"Cache-Control": "private, no-cache"},
    "no-store": {"Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private"},
    "no-cache": {"Cache-Control": "public, no-cache, s-maxage=600"},
    "not public": {"Cache-Control": "s-maxage=600"},
    "no Cache-Control at all": {},
}


@pytest.mark.parametrize("case", UNKEEPABLE)
def test_a_response_that_sets_a_cookie_or_is_not_public_is_never_kept(varnish, case):
    path = "/unkept-" + re.sub(r"\W+", "-", case) + "/"
    varnish.app.answer(path, headers={"Content-Type": "text/html", **UNKEEPABLE[case]})
    first, second = varnish.get(path), varnish.get(path)
    assert (first.body, second.body) == (f"{path} #1".encode(), f"{path} #2".encode())
    assert second.header("X-Cache") == "PASS"
    if "Set-Cookie" in UNKEEPABLE[case]:
        assert second.header("Set-Cookie") == "csrftoken=abc; Path=/"
    # A later public answer for that URL is kept again.
    varnish.app.cacheable(path, "latest")
    varnish.get(path)
    assert varnish.get(path).header("X-Cache") == "HIT"


def test_concurrent_misses_for_one_page_reach_the_app_once(varnish):
    varnish.app.cacheable("/breaking/", "article-50 latest", delay=1.0)
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(lambda _: varnish.get("/breaking/"), range(20)))
    assert {(r.status, r.body) for r in responses} == {(200, b"/breaking/ #1")}
    assert varnish.app.count("/breaking/") == 1


def test_text_is_kept_in_brotli_in_gzip_and_as_sent_each_asked_of_the_app_once(varnish):
    """Three copies, so that no kind of client has a copy unzipped for each request:
    Brotli (every browser), gzip, and as sent."""
    page = b"<!DOCTYPE html><title>Home</title>" + b"<p>News of the day.</p>" * 200
    varnish.app.answer(
        "/",
        headers={"Cache-Control": CACHEABLE, "Content-Type": "text/html; charset=utf-8"},
        body=page,
        brotli=True,
    )
    browser = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    squeezed = varnish.get("/", headers=browser)
    assert (squeezed.header("X-Cache"), squeezed.header("Content-Encoding")) == ("MISS", "br")
    assert brotli.decompress(squeezed.body) == page
    assert len(squeezed.body) < len(page) / 10
    assert varnish.get("/", headers={"Accept-Encoding": "br"}).header("X-Cache") == "HIT"
    zipped = varnish.get("/", headers={"Accept-Encoding": "gzip, br;q=0"})
    assert (zipped.header("X-Cache"), zipped.header("Content-Encoding")) == ("MISS", "gzip")
    assert gzip.decompress(zipped.body) == page
    assert len(zipped.body) < len(page) / 10
    assert varnish.get("/", headers={"Accept-Encoding": "gzip"}).header("X-Cache") == "HIT"
    plain = varnish.get("/")
    assert (plain.header("X-Cache"), plain.header("Content-Encoding")) == ("MISS", None)
    assert plain.body == page
    assert varnish.get("/").header("X-Cache") == "HIT"
    again = varnish.get("/", headers=browser)
    assert (again.header("X-Cache"), again.body) == ("HIT", squeezed.body)
    # The app is asked for Brotli alone, then for gzip (Varnish's own), then as the
    # client asked, once each.
    asked = [request["headers"].get("Accept-Encoding") for request in varnish.app.seen("/")]
    assert asked == ["br", "gzip", None]

    varnish.app.cacheable("/feeds/", "feed", content_type="application/rss+xml; charset=utf-8")
    feed = varnish.get("/feeds/", headers={"Accept-Encoding": "gzip"})
    assert feed.header("Content-Encoding") == "gzip"
    assert gzip.decompress(feed.body) == b"/feeds/ #1"


def test_passed_responses_are_never_compressed(varnish):
    """They may carry a CSRF token or a session: compressing them would open BREACH."""
    form = b'<form><input name="csrfmiddlewaretoken" value="t0k3n"></form>' * 50
    varnish.app.answer(
        "/admin/login/",
        headers={
            "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
            "Content-Type": "text/html; charset=utf-8",
            "Set-Cookie": "__Host-csrftoken=t0k3n; Path=/; Secure",
        },
        body=form,
    )
    response = varnish.get(
        "/admin/login/",
        headers={"Accept-Encoding": "gzip", "Cookie": "__Host-csrftoken=t0k3n"},
    )
    assert (response.status, response.header("X-Cache")) == (200, "PASS")
    assert response.header("Content-Encoding") is None
    assert response.body == form
    assert response.header("Set-Cookie") == "__Host-csrftoken=t0k3n; Path=/; Secure"


def test_the_probe_asks_for_healthz_as_the_site_over_https(varnish):
    wait_until(lambda: varnish.app.probes(), "a health probe", 5)
    probe = varnish.app.probes()[0]
    assert (probe["method"], probe["url"]) == ("GET", "/healthz")
    assert probe["headers"]["Host"] == HOST  # Django's ALLOWED_HOSTS
    assert probe["headers"]["X-Forwarded-Proto"] == "https"  # no redirect to HTTPS


def test_while_the_app_is_down_readers_get_the_last_good_page(varnish_of_its_own):
    varnish = varnish_of_its_own
    varnish.app.cacheable("/city/", "section-1", seconds=1)
    assert varnish.get("/city/").body == b"/city/ #1"
    time.sleep(1.2)  # past its s-maxage

    # The database goes away: /healthz says 503, pages 500.
    varnish.app.healthy = False
    wait_until(lambda: varnish.backend_health() == "sick", "the probe to see it", PROBE_SECONDS)
    asked = varnish.app.count("/city/")
    for _ in range(3):
        response = varnish.get("/city/")
        assert (response.status, response.body) == (200, b"/city/ #1")
        assert response.header("X-Cache") == "HIT"
    assert varnish.app.count("/city/") == asked  # a sick app is not even asked

    # A page never kept: the short page, with Retry-After, never stored by anyone.
    missing = varnish.get("/politics/")
    assert missing.status == 503
    assert "The site is briefly unavailable" in missing.text
    assert missing.header("Retry-After") == "30"
    assert missing.header("Cache-Control") == "no-store"
    assert missing.header("Content-Type") == "text/html; charset=utf-8"

    # Back up: the next readers get fresh pages again.
    varnish.app.healthy = True
    wait_until(lambda: varnish.backend_health() == "healthy", "recovery", PROBE_SECONDS)
    wait_until(lambda: varnish.get("/city/").body != b"/city/ #1", "a fresh page", 5)


def test_a_failed_refresh_keeps_the_last_good_page(varnish_of_its_own):
    """Before the probe notices: the app answers 500 to the background refresh."""
    varnish = varnish_of_its_own
    varnish.app.cacheable("/sport/", "section-2", seconds=1)
    assert varnish.get("/sport/").body == b"/sport/ #1"
    time.sleep(1.2)
    varnish.app.answer("/sport/", status=500, headers={"Cache-Control": "no-store"})
    for _ in range(3):
        response = varnish.get("/sport/")
        assert (response.status, response.body) == (200, b"/sport/ #1")
        wait_until(lambda: varnish.app.count("/sport/") >= 2, "a refresh", 5)
    assert varnish.backend_health() == "healthy"


def test_a_readers_fetch_that_fails_gets_the_last_good_page_from_long_ago(varnish_of_its_own):
    """A copy more than 10 s past its time is fetched while the reader waits; when that
    fetch fails (the probe has not noticed yet), the reader still gets the copy."""
    varnish = varnish_of_its_own
    varnish.app.answer(
        "/culture/",
        headers={"Cache-Control": "public, max-age=0, s-maxage=1", "Content-Type": "text/html"},
        body=b"<p>Culture</p>" * 20,
        brotli=True,
    )
    # A copy of each coding: a browser's (Brotli), gzip only, and as sent.
    codings = {"gzip, deflate, br": "br", "gzip": "gzip", None: None}
    kept = {}
    for accepted in codings:
        headers = {"Accept-Encoding": accepted} if accepted else {}
        kept[accepted] = varnish.get("/culture/", headers=headers).body
    time.sleep(11.5)  # past s-maxage and the 10 s of grace a healthy app gets
    varnish.app.answer("/culture/", status=503, headers={"Cache-Control": "no-store"})
    for accepted, coding in codings.items():
        headers = {"Accept-Encoding": accepted} if accepted else {}
        response = varnish.get("/culture/", headers=headers)
        assert (response.status, response.header("Content-Encoding")) == (200, coding), accepted
        assert response.body == kept[accepted]
    assert varnish.app.count("/culture/") >= 6  # the app was asked, and failed
