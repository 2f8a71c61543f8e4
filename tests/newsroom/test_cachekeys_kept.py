"""Entries kept with the surrogate keys they show (newsroom.cachekeys.keep_entry and
kept_entry): served until one of those keys is purged, alike on the local-memory cache
and on Redis, where an entry and its keys' purges come back in one round trip.

The Redis tests use the Redis at 127.0.0.1:6379, in a database and under a key prefix
of their own, and delete what they wrote.
"""

import pickle
import time
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from comments.models import ReaderComment
from comments.services import comments_moderate
from newsroom import cache as cache_module
from newsroom.cachekeys import (
    KEPT_PREFIX,
    PURGED_PREFIX,
    PURGES_KEPT_SECONDS,
    Purge,
    forget_kept,
    keep_entry,
    kept_entry,
    purge_now,
    reading_as_planned,
    remembered,
)
from newsroom.pagecache import NEXT_CHANGE_KEY, next_change
from tests.factories import ArticleFactory, ReaderCommentFactory
from tests.newsroom.conftest import redis_cache_settings, redis_commands, sent
from tests.servers import free_port


def test_an_entry_is_served_while_none_of_its_keys_is_purged(backend):
    keep_entry("card", "<p>Tunnel</p>", {"article-1", "tag-2"}, time.time(), 60)

    entry = kept_entry("card")

    assert entry.value == "<p>Tunnel</p>"
    assert entry.keys == {"article-1", "tag-2"}


def test_an_entry_is_not_served_once_one_of_its_keys_is_purged(backend):
    keep_entry("card", "<p>Tunnel</p>", {"article-1", "tag-2"}, time.time(), 60)
    purge_now(Purge(soft={"article-9"}))
    assert kept_entry("card") is not None

    purge_now(Purge(hard={"tag-2"}))

    assert kept_entry("card") is None


def test_an_entry_started_before_a_purge_is_not_served(backend):
    started = time.time()
    purge_now(Purge(hard={"article-1"}))  # while it was being worked out
    keep_entry("card", "<p>Old</p>", {"article-1"}, started, 60)

    assert kept_entry("card") is None
    keep_entry("card", "<p>New</p>", {"article-1"}, time.time(), 60)
    assert kept_entry("card").value == "<p>New</p>"


def test_an_entry_that_shows_nothing_purgeable_is_served_until_it_expires(backend):
    keep_entry("form", ["<form>"], set(), time.time(), 60)
    purge_now(Purge(hard={"article-1"}))

    assert kept_entry("form").value == ["<form>"]
    assert kept_entry("other") is None


def test_an_entry_is_not_kept_for_no_time(backend):
    keep_entry("card", "<p>Tunnel</p>", {"article-1"}, time.time(), 0)

    assert kept_entry("card") is None


def test_an_entry_showing_thousands_of_keys_is_purged_by_the_last(backend):
    keys = {f"article-{number}" for number in range(2500)}
    keep_entry("sitemap", "<urlset/>", keys, time.time(), 60)
    assert kept_entry("sitemap").value == "<urlset/>"

    purge_now(Purge(hard={"article-2499"}))

    assert kept_entry("sitemap") is None


@pytest.mark.django_db
def test_remembered_works_a_value_out_again_only_after_a_purge(backend):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    def read():
        return remembered("count", compute=compute, keys_of=lambda v: {"latest"}, seconds=60)

    assert [read(), read()] == [1, 1]
    purge_now(Purge(soft={"latest"}))
    assert [read(), read()] == [2, 2]


@pytest.mark.django_db
def test_the_next_change_is_worked_out_again_after_a_change_to_a_public_row(
    backend, django_capture_on_commit_callbacks
):
    first = next_change()
    assert kept_entry(NEXT_CHANGE_KEY).value == first

    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory()  # a change to any public row purges the schedule

    assert kept_entry(NEXT_CHANGE_KEY) is None
    assert next_change() is not None
    assert kept_entry(NEXT_CHANGE_KEY) is not None


@pytest.mark.django_db
def test_a_comment_decision_leaves_the_next_change_as_it_was_worked_out(
    backend, django_capture_on_commit_callbacks
):
    story = ArticleFactory()
    comment = ReaderCommentFactory(article=story, status=ReaderComment.Status.PENDING)
    first = next_change()

    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(comments=[comment], status=ReaderComment.Status.PUBLIC, by=None)

    assert kept_entry(NEXT_CHANGE_KEY).value == first
    with django_capture_on_commit_callbacks(execute=True):
        story.save()  # the story itself: it may be rescheduled
    assert kept_entry(NEXT_CHANGE_KEY) is None


def test_on_redis_an_entry_and_its_keys_purges_take_one_round_trip(on_redis):
    keep_entry("card", "<p>Tunnel</p>", {"article-1", "tag-2", "section-3"}, time.time(), 60)
    purge_now(Purge(hard={"article-7"}))

    with redis_commands() as spy:
        assert kept_entry("card").value == "<p>Tunnel</p>"

    assert sent(spy) == ["EVALSHA"]


def test_on_redis_the_purges_written_by_set_many_are_read_right(on_redis):
    # purge_now writes its markers with cache.set_many, in django-redis's encoding.
    keep_entry("card", "<p>Tunnel</p>", {"article-1"}, time.time() - 10, 60)
    assert kept_entry("card") is not None
    cache.set_many({"purged:article-1": time.time() - 20})
    assert kept_entry("card") is not None
    cache.set_many({"purged:article-1": time.time() - 5})
    assert kept_entry("card") is None


def test_on_redis_a_value_not_kept_by_keep_entry_is_a_miss(on_redis):
    cache.set(KEPT_PREFIX + "card", {"value": "from an older release"}, 60)
    raw = cache.client.get_client()
    raw.set(cache.make_key(KEPT_PREFIX + "form"), b'["no line of names')
    raw.set(cache.make_key(KEPT_PREFIX + "list"), b'["not JSON\npayload')  # a script error

    assert kept_entry("card") is None
    assert kept_entry("form") is None
    assert kept_entry("list") is None
    assert not cache.breaker.is_open


def test_a_redis_that_is_down_is_a_miss_at_once(clear_cache, monkeypatch):
    monkeypatch.setattr(cache_module, "_breakers", {})
    nothing_there = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(CACHES=redis_cache_settings(nothing_there)):
        begun = time.monotonic()
        keep_entry("card", "<p>Tunnel</p>", {"article-1"}, time.time(), 60)
        answers = [kept_entry("card") for _ in range(50)]
        assert time.monotonic() - begun < 1
        assert answers == [None] * 50
        assert cache.breaker.is_open


def test_an_entry_kept_by_a_request_is_written_once_it_is_done(backend):
    with reading_as_planned(None):
        keep_entry("card", "<p>Tunnel</p>", {"article-1"}, time.time(), 60)
        assert cache.get(KEPT_PREFIX + "card") is None  # not yet written
        assert kept_entry("card").value == "<p>Tunnel</p>"  # from the request
    assert kept_entry("card").value == "<p>Tunnel</p>"


def test_an_entry_kept_by_a_request_is_written_as_it_was_when_kept(backend):
    """Not as the request leaves the value: a row the page went on to fill in (a story's
    bylines, read by its template) is not kept with what nothing would purge."""
    value = {"headline": "Tunnel opens", "bylines": None}
    with reading_as_planned(None):
        keep_entry("story", value, {"article-1"}, time.time(), 60)
        value["bylines"] = ["Ada Quay"]
        assert kept_entry("story").value == {"headline": "Tunnel opens", "bylines": None}
    assert kept_entry("story").value == {"headline": "Tunnel opens", "bylines": None}


def test_text_kept_by_a_request_is_kept_as_it_is_without_a_copy(backend):
    """A fragment's text cannot change: the request reads it back as it kept it, with
    no copy made (a pickling each way, for every part a page renders anew)."""
    parts = (["<p>Tunnel opens</p>"], [], ())
    with reading_as_planned(None), mock.patch.object(pickle, "dumps", wraps=pickle.dumps) as dumps:
        keep_entry("card", parts, {"article-1"}, time.time(), 60, snapshot=False)
        assert kept_entry("card").value is parts
        assert not dumps.called
    assert kept_entry("card").value == parts


def test_an_entry_forgotten_by_the_request_that_kept_it_is_not_written(backend):
    with reading_as_planned(None):
        keep_entry("rules", ["old rules"], {"comment-rules"}, time.time(), 60)
        forget_kept("rules")
        assert kept_entry("rules") is None
    assert kept_entry("rules") is None


def test_an_entry_lasts_no_longer_than_the_purges_since_its_work_began():
    """A purge while it was worked out is remembered for PURGES_KEPT_SECONDS from then:
    an entry begun long before it is written lasts no longer than that, or it would be
    read as fresh once the purge is forgotten. (On the local cache, whose clock the test
    moves; Redis expires keys by its own.)"""
    started = time.time() - PURGES_KEPT_SECONDS + 30
    with time_machine.travel(started, tick=False):
        purge_now(Purge(soft={"article-1"}))
    keep_entry("slow", "<p>Old</p>", {"article-1"}, started - 1, PURGES_KEPT_SECONDS)
    assert kept_entry("slow") is None  # stale: purged after its work began

    with time_machine.travel(time.time() + 40, tick=False):
        # The purge is forgotten (its marker expired), and so is the entry.
        assert cache.get(PURGED_PREFIX + "article-1") is None
        assert kept_entry("slow") is None
