"""Every public page runs a fixed number of queries, however much content there is."""

from unittest import mock

import pytest
import time_machine
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone

from ads.selection import forget_candidates
from articles.models import Article
from articles.pages import LISTING_PAGE_SIZE, ListingCursor
from articles.search import MOST_PROBES
from tests import factories
from tests.queries import count_queries

# Ceilings per page, with realistic content: photos, several authors, tags, corrections.
PAGES = {
    "home": (lambda n: "/", 8),  # +1: the front version published (fronts.pages)
    # Its row, bylines, tags, corrections, thread, the navigation's sections, and More
    # articles: two bounded reads of candidates, their cards, their bylines.
    "article": (lambda n: n["articles"][0].get_absolute_url(), 10),
    "sensitive article": (lambda n: sensitive(n["articles"][1]).get_absolute_url(), 10),
    "latest": (lambda n: "/latest/", 4),
    "section": (lambda n: n["sections"][0].get_absolute_url(), 6),  # +1: its front
    "tag": (lambda n: n["tags"][0].get_absolute_url(), 5),
    "author": (lambda n: n["authors"][0].get_absolute_url(), 5),
    # +MOST_PROBES - 1: the newest matches, in windows of time widened as the word asks.
    "search": (lambda n: "/search/?q=council", 3 + MOST_PROBES),
    "feed": (lambda n: "/feeds/", 3),
    "section feed": (lambda n: reverse("articles:section-feed", args=[n["sections"][0].slug]), 3),
    "sitemap": (lambda n: "/sitemap-articles.xml", 2),
}


def sensitive(article):
    """The story with every sensitive-story flag set: no ads, comments off."""
    article.hide_ads = article.keep_out_of_promotion = article.hide_social_image = True
    article.allow_comments = False
    article.save()
    return article


def add_more_content(newsroom):
    """Doubles the articles, with more authors, tags and photos, on the same sections."""
    authors = newsroom["authors"] + factories.AuthorFactory.create_batch(4)
    tags = newsroom["tags"] + factories.TagFactory.create_batch(5)
    photo = factories.PhotoFactory(dimensions=(960, 540))
    for i in range(24):
        article = factories.ArticleFactory(
            section=newsroom["sections"][i % 3],
            hero_photo=photo,
            authors=authors[i % 8 : i % 8 + 3],
            tags=tags[i % 10 : i % 10 + 4],
            is_must_read=i % 5 == 0,
        )
        factories.CorrectionFactory(article=article)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_constant(client, newsroom, django_assert_max_num_queries, page):
    url_for, ceiling = PAGES[page]
    url = url_for(newsroom)
    client.get(url)  # warm process-wide caches, such as the Sites framework's
    with django_assert_max_num_queries(ceiling):
        assert client.get(url).status_code == 200
    before = count_queries(client, url)
    add_more_content(newsroom)
    assert count_queries(client, url) == before


@pytest.mark.parametrize("page", PAGES)
def test_query_count_stays_constant_with_the_cache_down(client, newsroom, settings, page):
    """Redis down: every cache read misses (DummyCache), and the ads' one-second memo has
    just run out, the worst case. A page then costs more queries, but still a fixed
    number."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    url = PAGES[page][0](newsroom)
    client.get(url)  # process-wide caches that do not live in the cache, as above

    def cold_count():
        forget_candidates()
        # The clock stands still: on a slow machine the ads' one-second memo could run out
        # part-way through the page and be read again, which is not what this counts.
        with time_machine.travel(timezone.now(), tick=False):
            return count_queries(client, url)

    before = cold_count()
    add_more_content(newsroom)
    assert cold_count() == before


def test_a_story_page_read_anew_compiles_no_sql(client, newsroom):
    """Every read of a story page rendered with nothing kept (as the tests' settings
    keep nothing) is prepared (newsroom.prepared): its SQL, compiled for the first
    page of its shape, is run again as it is. The newest story, with More articles
    under it, and with comments, as most are."""
    story = newsroom["articles"][-1]
    factories.ReaderCommentFactory.create_batch(3, article=story)
    client.get(story.get_absolute_url())  # compiles each read, once
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as as_sql:
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert as_sql.call_count == 0


@pytest.mark.parametrize("page", ["latest", "section", "tag", "author"])
def test_a_listing_page_after_a_cursor_compiles_no_sql(client, newsroom, settings, page):
    """A list's reads are prepared too (articles.pages.PreparedListing): an archive
    page nobody has read compiles nothing once a page of its kind has been read. Parts
    kept as in production, so that the page's subject (its section...) is kept from the
    first page read; the second page's cards are all on the first."""
    settings.FRAGMENT_CACHE_SECONDS = 600
    section, tag, author = newsroom["sections"][0], newsroom["tags"][0], newsroom["authors"][0]
    subject, stories = {
        "latest": (None, Article.objects.for_listing()),
        "section": (section, Article.objects.for_listing().filter(section=section)),
        "tag": (tag, Article.objects.for_listing().tagged(tag)),
        "author": (author, Article.objects.for_listing().by_author(author)),
    }[page]
    url = subject.get_absolute_url() if subject else reverse("articles:latest")
    newest, second = stories[:2]
    assert client.get(url + ListingCursor.of(newest).query()).status_code == 200
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as as_sql:
        response = client.get(url + ListingCursor.of(second).query())
    assert response.status_code == 200
    assert f'href="{newest.get_absolute_url()}"' not in response.content.decode()
    assert as_sql.call_count == 0


@pytest.mark.parametrize("page", ["home", "section"])
def test_a_page_made_again_after_a_story_is_published_compiles_no_sql(
    client, newsroom, settings, django_capture_on_commit_callbacks, page
):
    """The first reader after a publication: the home page's front is assembled again
    and its Latest list read again (fronts.pages, articles.pages.LATEST_HEADLINES), a
    section's first page read again, and the next scheduled change worked out again
    (newsroom.pagecache.next_change, once for every page), through prepared reads.
    Parts kept as in production; once one publication has been seen, the next compiles
    nothing."""
    settings.FRAGMENT_CACHE_SECONDS = 600
    section = newsroom["sections"][0]
    # A first page full, as a section's is: its stories read together are as many.
    factories.ArticleFactory.create_batch(LISTING_PAGE_SIZE, section=section)
    url = "/" if page == "home" else section.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):  # the purges
        factories.ArticleFactory(section=section, authors=newsroom["authors"][:1])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.ArticleFactory(
            headline="Night ferry timetable extended",
            section=section,
            authors=newsroom["authors"][1:2],
        )
    with mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    ) as as_sql:
        response = client.get(url)
    assert response.status_code == 200
    assert story.headline in response.content.decode()
    assert [compiler.query.model for compiler, *_ in as_sql.call_args_list] == []
