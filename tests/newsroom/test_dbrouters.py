"""The replica router's rules, in-process; tests/newsroom/test_replicas.py shows them
against a real streaming replica."""

import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from newsroom import dbrouters
from newsroom.cachekeys import PURGED_PREFIX, purged_since
from newsroom.dbrouters import READ_YOUR_WRITES_COOKIE, ReplicaRouter, read_routing
from newsroom.middleware import ReplicaReadsMiddleware

router = ReplicaRouter()


@pytest.fixture
def one_replica(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 5
    settings.DATABASE_REPLICA_CHECK_SECONDS = 1
    monkeypatch.setattr(dbrouters, "replica_usable", lambda alias: True)


def test_reads_outside_a_request_go_to_the_primary(one_replica):
    assert router.db_for_read(Article) == "default"


def test_an_allowed_request_reads_one_replica_until_it_writes(one_replica):
    with read_routing(replica_allowed=True) as routing:
        assert router.db_for_read(Article) == "replica_1"
        assert routing.used_replica
        assert router.db_for_write(Article) == "default"
        assert router.db_for_read(Article) == "default"


def test_a_request_not_allowed_reads_the_primary(one_replica):
    with read_routing(replica_allowed=False):
        assert router.db_for_read(Article) == "default"


@pytest.mark.django_db
def test_reads_in_a_transaction_go_to_the_primary(one_replica):
    with read_routing(replica_allowed=True), transaction.atomic():
        assert router.db_for_read(Article) == "default"


def test_no_usable_replica_means_the_primary(one_replica, monkeypatch):
    monkeypatch.setattr(dbrouters, "replica_usable", lambda alias: False)
    with read_routing(replica_allowed=True) as routing:
        assert router.db_for_read(Article) == "default"
        assert not routing.used_replica


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica_1", "articles")


def test_a_page_read_from_a_replica_is_not_kept_near_a_purge(one_replica):
    """A purge 3 s before the render began: the primary's rows had the change, a
    replica lagging up to 5 s may not have."""
    from django.core.cache import cache

    cache.set(PURGED_PREFIX + "article:1", time.time() - 3)
    started = time.time()
    assert not purged_since({"article:1"}, started)
    with read_routing(replica_allowed=True):
        router.db_for_read(Article)
        assert purged_since({"article:1"}, started)


def respond(*, write):
    def get_response(request):
        if write:
            router.db_for_write(Article)
        return HttpResponse("ok")

    return get_response


def test_the_middleware_is_not_used_without_replicas(settings):
    settings.DATABASE_REPLICAS = []
    with pytest.raises(MiddlewareNotUsed):
        ReplicaReadsMiddleware(respond(write=False))


@pytest.mark.parametrize(
    ("method", "cookies", "allowed"),
    [
        ("get", {}, True),
        ("head", {}, True),
        ("post", {}, False),
        ("get", {"sessionid": "s"}, False),
        ("get", {READ_YOUR_WRITES_COOKIE: "1"}, False),
    ],
)
def test_the_middleware_allows_replicas_for_anonymous_reads(one_replica, method, cookies, allowed):
    seen = []

    def get_response(request):
        seen.append(dbrouters._routing.get().replica_allowed)
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)("/city/")
    request.COOKIES.update(cookies)
    ReplicaReadsMiddleware(get_response)(request)
    assert seen == [allowed]


def test_the_admin_never_reads_a_replica(one_replica, settings):
    seen = []

    def get_response(request):
        seen.append(dbrouters._routing.get().replica_allowed)
        return HttpResponse("ok")

    ReplicaReadsMiddleware(get_response)(RequestFactory().get("/" + settings.ADMIN_URL))
    assert seen == [False]


def test_a_post_that_wrote_keeps_the_client_on_the_primary(one_replica):
    wrote = ReplicaReadsMiddleware(respond(write=True))(RequestFactory().post("/comments/post/"))
    cookie = wrote.cookies[READ_YOUR_WRITES_COOKIE]
    assert cookie["max-age"] == 6 and cookie["httponly"] and cookie["samesite"] == "Lax"
    idle = ReplicaReadsMiddleware(respond(write=False))(RequestFactory().post("/comments/post/"))
    assert READ_YOUR_WRITES_COOKIE not in idle.cookies


def test_a_get_that_wrote_sets_no_cookie(one_replica):
    """A cookie would make the page uncacheable; a GET's own writes (a counter) need
    not be read back by the reader."""
    response = ReplicaReadsMiddleware(respond(write=True))(RequestFactory().get("/city/"))
    assert READ_YOUR_WRITES_COOKIE not in response.cookies
