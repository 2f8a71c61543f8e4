"""The live page, its older pages and its polling answer cost a fixed number of queries,
whether the coverage has 10 entries or 2,000."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Embed
from liveblog.models import LiveEntry
from liveblog.views import poll_cursor
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def add_entries(article, count, authors, body="<p>Entry {i}.</p>"):
    """`count` more public entries, a key event every tenth, each with two authors."""
    start = timezone.now() - timedelta(hours=6)
    entries = LiveEntry.objects.bulk_create(
        LiveEntry(
            article=article,
            title=f"Entry {i}",
            body=body.format(i=i),
            status=LiveEntry.Status.PUBLISHED,
            published_at=start + timedelta(seconds=i * 5),
            is_key_event=i % 10 == 0,
        )
        for i in range(count)
    )
    LiveEntry.authors.through.objects.bulk_create(
        LiveEntry.authors.through(liveentry_id=entry.pk, author_id=author.pk)
        for entry in entries
        for author in authors
    )
    return entries


@pytest.fixture
def coverage(db):
    article = factories.ArticleFactory(coverage="live")
    authors = factories.AuthorFactory.create_batch(2)
    entries = add_entries(article, 10, authors)
    factories.LiveEntryFactory(article=article, is_pinned=True, authors=authors)
    return {"article": article, "authors": authors, "entries": entries}


def urls(coverage):
    article, entries = coverage["article"], coverage["entries"]
    return {
        "page": article.get_absolute_url(),
        "older": reverse("liveblog:older", args=[article.pk, entries[8].pk]),
        "updates": reverse(
            "liveblog:updates", args=[article.pk, poll_cursor(time.time() - 6 * 3600)]
        ),
        "feed": reverse("liveblog:feed", args=[article.pk]),
    }


# The article page's own 9, and five for the entries (the pinned one, a page, their
# authors, key events, when they last changed); an older page one fewer (no pinned
# entry), plus its cursor; the polling answer: article, entries (+authors), removals, key
# events; the feed: article, entries, their authors.
CEILINGS = {"page": 14, "older": 13, "updates": 5, "feed": 3}


@pytest.mark.parametrize("name", CEILINGS)
def test_query_count_is_the_same_with_10_or_2000_entries(
    client, coverage, django_assert_max_num_queries, name
):
    url = urls(coverage)[name]
    client.get(url)  # warm process-wide caches, such as the Sites framework's
    with django_assert_max_num_queries(CEILINGS[name]):
        assert client.get(url).status_code == 200
    before = count_queries(client, url)
    add_entries(coverage["article"], 1990, coverage["authors"])
    assert count_queries(client, url) == before


# Entries with blocks: two more queries, the photos and the embeds of all the entries.
BLOCK_QUERIES = 2
VIDEO = "https://www.youtube.com/watch?v=entry"


@pytest.fixture
def blocks_body(db):
    """An entry body with two inline photos, a gallery of three and an embed of its own."""
    photos = factories.PhotoFactory.create_batch(3, dimensions=(960, 540))
    thumbnail = factories.PhotoFactory(dimensions=(640, 360), is_decorative=True)
    Embed.objects.bulk_create(  # every entry's embed is known, with its thumbnail
        factories.EmbedFactory.build(url=f"{VIDEO}{i:06d}", thumbnail=thumbnail)
        for i in [*range(2000), 999999]
    )
    one, two, three = (photo.pk for photo in photos)
    return (
        f'<p>Entry {{i}}.</p><figure data-photo="{one}" data-layout="inset"></figure>'
        f'<figure data-photo="{two}" data-layout="full"></figure>'
        f'<div data-gallery="{three} {one} {two}"></div>'
        '<aside class="fact-box"><h3>Facts</h3><p>One.</p></aside>'
        f'<div data-embed="{VIDEO}{{i:06d}}"></div>'
    )


@pytest.mark.parametrize("name", CEILINGS)
def test_query_count_is_the_same_with_10_or_2000_entries_holding_blocks(
    client, coverage, blocks_body, django_assert_max_num_queries, name
):
    article, authors = coverage["article"], coverage["authors"]
    LiveEntry.objects.filter(article=article).delete()
    coverage["entries"] = add_entries(article, 10, authors, blocks_body)
    factories.LiveEntryFactory(
        article=article, is_pinned=True, authors=authors, body=blocks_body.format(i=999999)
    )
    url = urls(coverage)[name]
    client.get(url)
    with django_assert_max_num_queries(CEILINGS[name] + BLOCK_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    shown = response.content.decode()
    assert "body-photo--inset" in shown and "Load content from YouTube" in shown
    before = count_queries(client, url)
    add_entries(article, 1990, authors, blocks_body)
    assert count_queries(client, url) == before
