"""The sitemap index lists a sitemap per month of stories with the month's last change;
each month's sitemap lists that month's stories; no sitemap reads the archive whole."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def local(*args):
    return datetime(*args, tzinfo=timezone.get_current_timezone())


def index(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        entry.findtext(f"{NS}loc").removeprefix("http://testserver"): entry.findtext(f"{NS}lastmod")
        for entry in root.iter(f"{NS}sitemap")
    }


def locations(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    root = ET.fromstring(response.content)
    return [loc.text.removeprefix("http://testserver") for loc in root.iter(f"{NS}loc")]


@pytest.fixture
def archive(db, settings):
    """Stories in January and March 2024 (none in February), one at midnight on 1 March
    in the site's time zone (29 February in UTC), one updated significantly since."""
    settings.TIME_ZONE = "Europe/Paris"
    return {
        "jan": ArticleFactory(published_at=local(2024, 1, 10, 9)),
        "jan_updated": ArticleFactory(published_at=local(2024, 1, 3, 9)),
        "mar_midnight": ArticleFactory(published_at=local(2024, 3, 1, 0, 0)),
        "mar": ArticleFactory(published_at=local(2024, 3, 20, 9)),
        "draft": ArticleFactory(published_at=local(2024, 3, 21), status=Article.Status.DRAFT),
    }


def test_the_index_lists_each_month_with_stories_and_its_last_change(client, archive):
    Article.objects.filter(pk=archive["jan_updated"].pk).update(
        significant_update_at=local(2024, 2, 15, 12)
    )
    listed = index(client)
    assert list(listed) == [
        "/sitemap-articles-2024-01.xml",
        "/sitemap-articles-2024-03.xml",
        "/sitemap-sections.xml",
        "/sitemap-authors.xml",
        "/sitemap-tags.xml",
    ]
    assert datetime.fromisoformat(listed["/sitemap-articles-2024-01.xml"]) == local(2024, 2, 15, 12)
    assert datetime.fromisoformat(listed["/sitemap-articles-2024-03.xml"]) == local(2024, 3, 20, 9)
    assert listed["/sitemap-sections.xml"] is None


def test_a_month_sitemap_lists_the_months_published_stories_only(client, archive):
    march = locations(client, "/sitemap-articles-2024-03.xml")
    assert march == [archive["mar"].get_absolute_url(), archive["mar_midnight"].get_absolute_url()]
    assert locations(client, "/sitemap-articles-2024-01.xml") == [
        archive["jan"].get_absolute_url(),
        archive["jan_updated"].get_absolute_url(),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-articles-2024-02.xml",  # no stories that month
        "/sitemap-articles-2024-13.xml",
        "/sitemap-articles-2024-3.xml",
        "/sitemap-articles-0000-01.xml",
        "/sitemap-articles-2024-03.xml?p=2",
        "/sitemap-articles-2024-03.xml?p=x",
        "/sitemap-articles.xml?p=2",  # the old sitemap's later pages: now by month
    ],
)
def test_a_sitemap_that_does_not_exist_is_a_404(client, archive, path):
    assert client.get(path).status_code == 404


def test_the_index_costs_three_queries_and_no_count(client, archive):
    ArticleFactory.create_batch(3, published_at=local(2023, 6, 1, 12))
    client.get("/sitemap.xml")  # warm process-wide caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/sitemap.xml").status_code == 200
    assert len(captured) == 3
    assert not any("COUNT(" in query["sql"].upper() for query in captured)


def test_the_author_and_tag_sitemaps_list_those_with_published_stories(client, archive):
    shown_tag, hidden_tag = TagFactory(), TagFactory()
    shown_author, hidden_author = AuthorFactory(), AuthorFactory()
    ArticleFactory(tags=[shown_tag], authors=[shown_author], published_at=local(2024, 3, 5))
    ArticleFactory(tags=[hidden_tag], authors=[hidden_author], status=Article.Status.DRAFT)
    tags = locations(client, "/sitemap-tags.xml")
    authors = locations(client, "/sitemap-authors.xml")
    assert shown_tag.get_absolute_url() in tags and hidden_tag.get_absolute_url() not in tags
    assert shown_author.get_absolute_url() in authors
    assert hidden_author.get_absolute_url() not in authors
    assert len(authors) == len(set(authors))


def test_the_old_articles_sitemap_lists_the_newest_stories(client, archive):
    newest = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
    assert locations(client, "/sitemap-articles.xml")[0] == newest.get_absolute_url()
    assert "/sitemap-articles.xml" not in index(client)


def test_robots_txt_points_at_the_index(client, db):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
