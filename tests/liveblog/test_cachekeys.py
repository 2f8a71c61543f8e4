"""Each entry change purges exactly the live page and its polling answers, after commit."""

import time

import pytest
from django.urls import reverse

from liveblog import services
from liveblog.models import LiveEntry
from liveblog.views import poll_cursor
from tests.factories import ArticleFactory, AuthorFactory
from tests.newsroom.test_cachekeys import RecordingFrontCache, cached, state

from .conftest import change_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]


@pytest.fixture
def front_cache(settings):
    settings.FRONT_CACHES = [{"BACKEND": "tests.newsroom.test_cachekeys.RecordingFrontCache"}]
    RecordingFrontCache.purges = []
    return RecordingFrontCache


@pytest.fixture
def pages(live):
    article = live["article"]
    other = ArticleFactory(headline="Ferry cancelled")
    return {
        "live": article.get_absolute_url(),
        "updates": reverse("liveblog:updates", args=[article.pk, poll_cursor(time.time())]),
        "other story": other.get_absolute_url(),
        "home": "/",
    }


def test_the_live_page_and_its_updates_name_the_live_key_and_the_authors(
    client, live, pages, editor
):
    author = AuthorFactory()
    entry = live["entries"][-1]
    services.live_entry_save(entry=entry, authors=[author], by=editor)
    key = f"live-{live['article'].pk}"
    for page in ("live", "updates"):
        assert {key, f"author-{author.pk}"} <= set(client.get(pages[page])["xkey"].split())
    assert key not in client.get(pages["other story"])["xkey"].split()


def test_publishing_an_entry_purges_the_live_page_and_its_updates_only(
    client, live, pages, editor, front_cache, django_capture_on_commit_callbacks
):
    cached(client, *pages.values())
    entry = LiveEntry(article=live["article"], body="<p>The bridge is closed.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        services.live_entry_save(entry=entry, by=editor)
    assert front_cache.purges == []  # a draft: nobody sees it
    with django_capture_on_commit_callbacks(execute=True):
        services.live_entry_publish(entry=entry, by=editor)
    assert front_cache.purges == [(set(), {f"live-{live['article'].pk}", "not-found"})]
    assert state(client, pages["live"]) == "miss"
    assert state(client, pages["updates"]) == "miss"
    assert state(client, pages["other story"]) == "hit"
    assert state(client, pages["home"]) == "hit"
    assert "The bridge is closed." in client.get(pages["live"]).content.decode()


@pytest.mark.parametrize("change", ["edit", "unpublish", "delete"])
def test_changing_a_public_entry_purges_the_live_key_hard(
    client, live, pages, editor, front_cache, django_capture_on_commit_callbacks, change
):
    cached(client, pages["live"], pages["updates"])
    with django_capture_on_commit_callbacks(execute=True):
        change_entry(change, live=live, by=editor)
    key = f"live-{live['article'].pk}"
    assert front_cache.purges and all(hard == {key} for hard, _soft in front_cache.purges)
    assert state(client, pages["live"]) == "miss"
    assert state(client, pages["updates"]) == "miss"
