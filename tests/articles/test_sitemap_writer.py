"""The stories' sitemaps are written from rows (articles.sitemaps.story_sitemap), not by
django.contrib.sitemaps: on the same stories they answer the framework's bytes, headers
and purge keys, in a fixed number of queries."""

from datetime import datetime, timedelta

import pytest
from django.contrib.sitemaps import views as sitemap_views
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Photo
from articles.sitemaps import (
    ArticleMonthSitemap,
    NewsSitemap,
    RecentArticleSitemap,
    story_sitemap,
)
from newsroom.cachekeys import shown_keys
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

# The news sitemap's template, as it was when the framework wrote the news sitemap.
NEWS_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{% spaceless %}{% for url in urlset %}<url><loc>{{ url.location }}</loc><news:news><news:publication><news:name>{{ SITE_NAME }}</news:name><news:language>en</news:language></news:publication><news:publication_date>{{ url.item.published_at|date:"c" }}</news:publication_date><news:title>{{ url.item.headline }}</news:title></news:news></url>{% endfor %}{% endspaceless %}
</urlset>
"""  # noqa: E501


def local(*args):
    return datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def stories(settings):
    """Stories of the last two days and of March 2024 with what a <url> may hold: photos
    shared, licensed, expired or without renditions; updates to the microsecond; a
    headline to escape; a story at local midnight (the day before in UTC)."""
    settings.TIME_ZONE = "Europe/Paris"
    settings.SITE_NAME = "Port & Alder <News>"
    now = timezone.now().replace(microsecond=123456)
    shared = PhotoFactory(dimensions=(960, 540))
    expired = PhotoFactory(dimensions=(960, 540), licence_ends_at=now - timedelta(days=1))
    bare = PhotoFactory(dimensions=(960, 540))
    Photo.objects.filter(pk=bare.pk).update(renditions=[])  # stored before renditions
    news, city = SectionFactory(slug="news"), SectionFactory(slug="city")
    made = [
        ArticleFactory(section=news, hero_photo=shared, published_at=now - timedelta(hours=1)),
        ArticleFactory(section=city, hero_photo=shared, published_at=now - timedelta(hours=5)),
        ArticleFactory(
            section=city,
            hero_photo=expired,
            headline='Fish & chips: "cheaper" <for now>, isn\'t it?',
            published_at=now - timedelta(hours=20, microseconds=7),
        ),
        ArticleFactory(
            section=news, hero_photo=bare, published_at=now - timedelta(days=1, hours=2)
        ),
        ArticleFactory(section=news, published_at=local(2024, 3, 1, 0, 0)),
        ArticleFactory(section=city, hero_photo=shared, published_at=local(2024, 3, 20, 9, 30)),
        ArticleFactory(section=city, published_at=local(2024, 3, 31, 23, 59, 59, 999999)),
        ArticleFactory(section=news, status=Article.Status.DRAFT, published_at=local(2024, 3, 5)),
    ]
    Article.objects.filter(pk=made[1].pk).update(significant_update_at=now - timedelta(minutes=3))
    Article.objects.filter(pk=made[5].pk).update(
        significant_update_at=local(2024, 4, 2, 8, 15, 30, 250000)
    )
    return made


def framework_sitemap(request, sitemap, template):
    """What Django's sitemap view answered with `template`, and the purge keys the view
    it replaces noted: the two lists, and each listed story's photo."""
    response = sitemap_views.sitemap(request, {"stories": sitemap}, section="stories")
    response.template_name = template
    response.render()
    photos = {url["item"].hero_photo_id for url in response.context_data["urlset"]}
    keys = {"latest", "sections"} | {f"photo-{pk}" for pk in photos if pk is not None}
    return response, keys


SITEMAPS = {
    "recent": (RecentArticleSitemap, "articles/sitemap.xml"),
    "month": (lambda: ArticleMonthSitemap(2024, 3), "articles/sitemap.xml"),
    "news": (NewsSitemap, engines["django"].from_string(NEWS_TEMPLATE)),
}


@pytest.mark.parametrize("name", SITEMAPS)
def test_a_stories_sitemap_is_the_frameworks_byte_for_byte(rf, stories, name):
    make, template = SITEMAPS[name]
    expected, expected_keys = framework_sitemap(rf.get("/"), make(), template)
    request = rf.get("/")

    written = story_sitemap(request, make())

    assert written.content == expected.content
    assert b"<url>" in written.content
    assert dict(written.headers) == dict(expected.headers)
    assert "Last-Modified" in written.headers
    assert shown_keys(request) == expected_keys


def test_the_photos_and_escapes_the_comparison_covers(rf, stories):
    """The fixture's edge cases reach the sitemaps, so the comparison above tests them."""
    recent = story_sitemap(rf.get("/"), RecentArticleSitemap()).content.decode()
    news = story_sitemap(rf.get("/"), NewsSitemap()).content.decode()
    assert recent.count("<image:image>") == 4  # the shared photo thrice, the bare one once
    assert "<lastmod>2024-03-01T00:00:00+01:00</lastmod>" in recent
    assert "/news/2024/03/01/" in recent  # 29 February in UTC
    assert "Fish &amp; chips: &quot;cheaper&quot; &lt;for now&gt;, isn&#x27;t it?" in news
    assert "<news:name>Port &amp; Alder &lt;News&gt;</news:name>" in news


@pytest.mark.parametrize(
    ("make", "query"),
    [(RecentArticleSitemap, ""), (lambda: ArticleMonthSitemap(2024, 3), ""), (NewsSitemap, "?p=1")],
)
def test_a_stories_sitemap_costs_the_same_queries_however_many_stories(rf, stories, make, query):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert story_sitemap(rf.get("/" + query), make()).status_code == 200
        return len(captured)

    few = queries()
    for hour in range(1, 13):
        ArticleFactory(
            hero_photo=PhotoFactory(dimensions=(480, 270)),
            published_at=timezone.now() - timedelta(hours=hour),
        )
        ArticleFactory(hero_photo=None, published_at=local(2024, 3, 2, hour))
    assert queries() == few <= 2
