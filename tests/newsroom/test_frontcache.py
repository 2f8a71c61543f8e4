"""The purge adapters (newsroom.frontcache) against a local fake server that records
each request, and settings.FRONT_CACHES as production builds it from the environment.

The CDNs' real APIs are never called: each adapter is pointed at the fake server by
its ``url``/``api_url`` option, and the request it sends is held to what the provider
documents (see the module's docstring for the references).
"""

import http.server
import json
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from articles import services
from articles.models import Article
from newsroom.cachekeys import NOT_FOUND_KEY, Purge, purge_now
from newsroom.frontcache import Cloudflare, Fastly, FrontCache, Varnish
from tests.factories import ArticleFactory, UserFactory
from tests.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class FakeServer:
    """Answers every request with `status` after `delay` seconds; records each one."""

    status: int = 200
    delay: float = 0.0
    requests: list = field(default_factory=list)

    def __post_init__(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                time.sleep(fake.delay)
                body = b'{"success": true}'
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_PURGE = do_GET = answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake():
    server = FakeServer()
    yield server
    server.close()


@pytest.fixture
def failing():
    """A front cache that answers 500, one that answers too late, and one that refuses."""
    servers = [FakeServer(status=500), FakeServer(delay=1.5)]
    yield {
        "500": servers[0].url,
        "timeout": servers[1].url,
        "refused": f"http://127.0.0.1:{free_port()}",
    }
    for server in servers:
        server.close()


def keys(count, prefix="article"):
    return {f"{prefix}-{n}" for n in range(count)}


def test_varnish_gets_purge_with_the_hard_and_the_soft_keys_in_their_headers(fake):
    Varnish(url=fake.url).purge(
        Purge(hard={"article-1", "comments-1"}, soft={"latest", "article-1"})
    )
    assert [(r["method"], r["path"]) for r in fake.requests] == [("PURGE", "/"), ("PURGE", "/")]
    hard, soft = fake.requests
    assert hard["headers"]["xkey-purge"] == "article-1 comments-1"
    assert "xkey-softpurge" not in hard["headers"]
    # A key purged hard is not purged soft as well.
    assert soft["headers"]["xkey-softpurge"] == "latest"
    assert "xkey-purge" not in soft["headers"]
    assert hard["body"] == soft["body"] == b""


def test_varnish_with_only_soft_keys_gets_one_soft_purge(fake):
    Varnish(url=fake.url + "/").purge(Purge(soft={"front-home", "latest"}))
    assert len(fake.requests) == 1
    assert fake.requests[0]["path"] == "/"
    assert fake.requests[0]["headers"]["xkey-softpurge"] == "front-home latest"


def test_fastly_gets_a_bulk_purge_by_surrogate_key_at_most_256_keys_a_request(fake):
    Fastly(service_id="SVC123", api_token="fastly-token", api_url=fake.url).purge(
        Purge(hard=keys(300))
    )
    assert [(r["method"], r["path"]) for r in fake.requests] == [
        ("POST", "/service/SVC123/purge"),
        ("POST", "/service/SVC123/purge"),
    ]
    sent = [r["headers"]["surrogate-key"].split(" ") for r in fake.requests]
    assert [len(batch) for batch in sent] == [256, 44]
    assert {key for batch in sent for key in batch} == keys(300)
    for request in fake.requests:
        assert request["headers"]["fastly-key"] == "fastly-token"
        assert "fastly-soft-purge" not in request["headers"]


def test_fastly_soft_purges_say_so(fake):
    Fastly(service_id="SVC123", api_token="fastly-token", api_url=fake.url).purge(
        Purge(hard={"article-9"}, soft={"latest", "section-2-articles"})
    )
    hard, soft = fake.requests
    assert hard["headers"]["surrogate-key"] == "article-9"
    assert "fastly-soft-purge" not in hard["headers"]
    assert soft["headers"]["surrogate-key"] == "latest section-2-articles"
    assert soft["headers"]["fastly-soft-purge"] == "1"


def test_cloudflare_gets_a_purge_by_tags_at_most_100_a_request(fake):
    Cloudflare(zone_id="ZONE9", api_token="cf-token", api_url=fake.url).purge(
        Purge(hard=keys(150), soft=keys(60, prefix="tag"))
    )
    assert {(r["method"], r["path"]) for r in fake.requests} == {
        ("POST", "/zones/ZONE9/purge_cache")
    }
    bodies = [json.loads(r["body"]) for r in fake.requests]
    assert [len(body["tags"]) for body in bodies] == [100, 50, 60]
    # Cloudflare has no soft purge: the soft keys are purged like the hard ones.
    assert set(bodies[2]) == {"tags"}
    assert {tag for body in bodies for tag in body["tags"]} == keys(150) | keys(60, "tag")
    for request in fake.requests:
        assert request["headers"]["authorization"] == "Bearer cf-token"
        assert request["headers"]["content-type"] == "application/json"


def test_a_front_cache_is_reached_over_http_only():
    with pytest.raises(ValueError, match="HTTP"):
        Varnish(url="file:///etc/passwd").purge(Purge(hard={"article-1"}))


@pytest.fixture
def short_timeout(monkeypatch):
    monkeypatch.setattr(FrontCache, "timeout", 0.5)


def front_caches(fake, failing):
    """Each failing front cache, then a working one of each kind on the fake server."""
    return [
        {"BACKEND": "newsroom.frontcache.Varnish", "OPTIONS": {"url": failing["refused"]}},
        {
            "BACKEND": "newsroom.frontcache.Fastly",
            "OPTIONS": {"service_id": "S", "api_token": "T", "api_url": failing["timeout"]},
        },
        {
            "BACKEND": "newsroom.frontcache.Cloudflare",
            "OPTIONS": {"zone_id": "Z", "api_token": "T", "api_url": failing["500"]},
        },
        {"BACKEND": "newsroom.frontcache.Varnish", "OPTIONS": {"url": fake.url}},
        {
            "BACKEND": "newsroom.frontcache.Fastly",
            "OPTIONS": {"service_id": "S", "api_token": "T", "api_url": fake.url},
        },
        {
            "BACKEND": "newsroom.frontcache.Cloudflare",
            "OPTIONS": {"zone_id": "Z", "api_token": "T", "api_url": fake.url},
        },
    ]


def test_a_failing_front_cache_is_logged_and_the_others_are_purged(
    settings, fake, failing, short_timeout, caplog
):
    settings.FRONT_CACHES = front_caches(fake, failing)
    with caplog.at_level(logging.ERROR, logger="newsroom.cachekeys"):
        purge_now(Purge(hard={"article-7"}))  # does not raise

    assert [(r["method"], r["path"]) for r in fake.requests] == [
        ("PURGE", "/"),
        ("PURGE", "/"),  # every purge also soft-purges the "not found" pages
        ("POST", "/service/S/purge"),
        ("POST", "/service/S/purge"),
        ("POST", "/zones/Z/purge_cache"),
        ("POST", "/zones/Z/purge_cache"),
    ]
    assert fake.requests[0]["headers"]["xkey-purge"] == "article-7"
    assert fake.requests[1]["headers"]["xkey-softpurge"] == NOT_FOUND_KEY
    failures = [r for r in caplog.records if r.getMessage().startswith("Could not purge")]
    assert [r.getMessage().split(" from ")[1] for r in failures] == [
        f"Varnish at {failing['refused']}/",
        f"Fastly ({failing['timeout']}/service/S/purge)",
        f"Cloudflare ({failing['500']}/zones/Z/purge_cache)",
    ]
    assert all(r.exc_info for r in failures)  # with the reason: refused, timed out, 500
    assert "article-7" in failures[0].getMessage()


@pytest.mark.django_db
def test_a_failing_front_cache_does_not_fail_the_change_that_committed(
    settings, fake, failing, short_timeout, django_capture_on_commit_callbacks
):
    settings.FRONT_CACHES = front_caches(fake, failing)
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    editor = UserFactory(username="desk", groups=["Editor"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.article_publish(article=article, by=editor)
    assert callbacks  # the purge ran on commit, and raised nothing
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    hard = [r["headers"]["xkey-purge"] for r in fake.requests if "xkey-purge" in r["headers"]]
    soft = [
        r["headers"]["xkey-softpurge"] for r in fake.requests if "xkey-softpurge" in r["headers"]
    ]
    assert f"article-{article.pk}" in " ".join(hard + soft).split()


SETTINGS_AS_JSON = """
import json
import django
django.setup()
from django.conf import settings
from newsroom.frontcache import front_caches
print(json.dumps({
    "FRONT_CACHES": settings.FRONT_CACHES,
    "SURROGATE_KEY_HEADERS": settings.SURROGATE_KEY_HEADERS,
    "PUBLIC_CACHE_SECONDS": settings.PUBLIC_CACHE_SECONDS,
    "built": [str(cache) for cache in front_caches()],
}))
"""
FRONT_CACHE_VARIABLES = (
    "VARNISH_PURGE_URLS",
    "FASTLY_SERVICE_ID",
    "FASTLY_API_TOKEN",
    "FASTLY_API_URL",
    "CLOUDFLARE_ZONE_ID",
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_API_URL",
    "PUBLIC_CACHE_SECONDS",
)


def production_settings(**variables):
    """The production settings, imported in a process of their own with `variables`."""
    env = {k: v for k, v in os.environ.items() if k not in FRONT_CACHE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        SECRET_KEY="front-cache-settings-test",
        ALLOWED_HOSTS="news.example.com",
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_AS_JSON],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(**variables):
    result = production_settings(**variables)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


VARNISH_A, VARNISH_B = "http://10.0.0.5:6081", "http://10.0.0.6:6081"
FASTLY = {"FASTLY_SERVICE_ID": "SVC123", "FASTLY_API_TOKEN": "fastly-token"}
CLOUDFLARE = {"CLOUDFLARE_ZONE_ID": "ZONE9", "CLOUDFLARE_API_TOKEN": "cf-token"}


def test_no_front_cache_configured_sends_no_keys_and_keeps_pages_a_minute():
    found = read_settings()
    assert found["FRONT_CACHES"] == [] and found["built"] == []
    assert found["SURROGATE_KEY_HEADERS"] == []
    assert found["PUBLIC_CACHE_SECONDS"] == 60


def test_varnish_servers_from_the_environment_get_xkey():
    found = read_settings(VARNISH_PURGE_URLS=f"{VARNISH_A},{VARNISH_B}")
    assert found["FRONT_CACHES"] == [
        {"BACKEND": "newsroom.frontcache.Varnish", "OPTIONS": {"url": VARNISH_A}},
        {"BACKEND": "newsroom.frontcache.Varnish", "OPTIONS": {"url": VARNISH_B}},
    ]
    assert found["built"] == [f"Varnish at {VARNISH_A}/", f"Varnish at {VARNISH_B}/"]
    assert found["SURROGATE_KEY_HEADERS"] == [["xkey", " "]]
    # Purged on every change, a front cache may keep pages longer.
    assert found["PUBLIC_CACHE_SECONDS"] == 600


def test_fastly_alone_gets_surrogate_key_only():
    found = read_settings(**FASTLY)
    assert found["FRONT_CACHES"] == [
        {
            "BACKEND": "newsroom.frontcache.Fastly",
            "OPTIONS": {
                "service_id": "SVC123",
                "api_token": "fastly-token",
                "api_url": "https://api.fastly.com",
            },
        }
    ]
    assert found["built"] == ["Fastly (https://api.fastly.com/service/SVC123/purge)"]
    assert found["SURROGATE_KEY_HEADERS"] == [["Surrogate-Key", " "]]


def test_cloudflare_alone_gets_cache_tag_only():
    found = read_settings(**CLOUDFLARE)
    assert found["built"] == [
        "Cloudflare (https://api.cloudflare.com/client/v4/zones/ZONE9/purge_cache)"
    ]
    assert found["FRONT_CACHES"][0]["OPTIONS"]["api_token"] == "cf-token"
    assert found["SURROGATE_KEY_HEADERS"] == [["Cache-Tag", ","]]


def test_varnish_behind_a_cdn_gets_every_header_and_every_purge():
    found = read_settings(VARNISH_PURGE_URLS=VARNISH_A, **FASTLY, **CLOUDFLARE)
    assert [entry["BACKEND"] for entry in found["FRONT_CACHES"]] == [
        "newsroom.frontcache.Varnish",
        "newsroom.frontcache.Fastly",
        "newsroom.frontcache.Cloudflare",
    ]
    assert found["SURROGATE_KEY_HEADERS"] == [
        ["xkey", " "],
        ["Surrogate-Key", " "],
        ["Cache-Tag", ","],
    ]
    assert found["PUBLIC_CACHE_SECONDS"] == 600


def test_a_cdn_without_its_token_refuses_to_start():
    for variables, missing in [
        ({"FASTLY_SERVICE_ID": "SVC123"}, "FASTLY_API_TOKEN"),
        ({"CLOUDFLARE_ZONE_ID": "ZONE9"}, "CLOUDFLARE_API_TOKEN"),
    ]:
        result = production_settings(**variables)
        assert result.returncode != 0
        assert missing in result.stderr
