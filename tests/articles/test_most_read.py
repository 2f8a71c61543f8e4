"""Most read: stories ranked by readers' views, counted from beacons per story per hour."""

import itertools
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from articles import services
from articles.models import Article, HourlyViews
from articles.pages import most_read_headlines
from tests.concurrency import retry_while_sqlite_is_locked
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def beacon(client, article, *, address, user_agent=BROWSER, method="post", **headers):
    url = f"/beacons/viewed/{article.pk}/"
    return getattr(client, method)(
        url, REMOTE_ADDR=address, headers={"User-Agent": user_agent, **headers}
    )


def readers(count, network="10.1"):
    return [f"{network}.{n // 250}.{n % 250 + 1}" for n in range(count)]


def most_read_list(html):
    """The headlines in the page's Most read list, in order."""
    block = html.split('id="most-read-heading"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', block)


def published_days_ago(**fields):
    """A story already public at the times the tests travel back to."""
    return ArticleFactory(published_at=timezone.now() - timedelta(days=2), **fields)


def test_a_read_by_100_and_b_by_50_rank_a_then_b_whatever_bots_repeats_and_other_sites(client):
    a = ArticleFactory(headline="Harbour tunnel opens to traffic")
    b = ArticleFactory(headline="Ferry fares to rise in spring")
    ArticleFactory(headline="Library extends its hours")  # read by nobody
    for address in readers(100, "10.1"):
        assert beacon(client, a, address=address).status_code == 204
    for address in readers(50, "10.2"):
        beacon(client, b, address=address)
    for address in readers(50, "10.2"):  # the same readers again, within half an hour
        beacon(client, b, address=address)
    for address in readers(80, "10.3"):  # crawlers, and beacons from another site's page
        beacon(client, b, address=address, user_agent=GOOGLEBOT)
        refused = beacon(client, b, address=address, **{"Sec-Fetch-Site": "cross-site"})
        assert refused.status_code == 403
    ranked = list(Article.objects.most_read())
    assert [(article, article.recent_views) for article in ranked] == [(a, 100), (b, 50)]
    assert most_read_list(client.get("/").content.decode()) == [a.headline, b.headline]
    page = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert most_read_list(page) == [a.headline, b.headline]


def test_the_no_script_pixel_counts_a_view_too(client, article):
    response = beacon(client, article, address="10.0.0.1", method="get")
    assert response["Content-Type"] == "image/gif"
    assert "no-store" in response["Cache-Control"]
    assert HourlyViews.objects.get(article=article).views == 1


def test_a_reader_counts_again_after_half_an_hour(client, article):
    beacon(client, article, address="10.0.0.1")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        beacon(client, article, address="10.0.0.1")
    assert sum(HourlyViews.objects.values_list("views", flat=True)) == 2


def test_views_of_a_story_readers_cannot_see_are_not_counted(client, article):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    beacon(client, draft, address="10.0.0.1")
    beacon(client, Article(pk=999_999), address="10.0.0.1")
    assert not HourlyViews.objects.exists()


def test_story_pages_carry_the_beacon_and_previews_do_not(client, editor_client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'data-view-beacon="/beacons/viewed/{article.pk}/"' in page
    assert f'<img class="view-pixel" src="/beacons/viewed/{article.pk}/"' in page
    preview = editor_client.get(f"/preview/{article.pk}/").content.decode()
    assert "/beacons/viewed/" not in preview


def test_views_are_counted_per_hour_and_only_the_last_24_hours_rank(client):
    now = timezone.now()
    old, recent = published_days_ago(), published_days_ago()
    with time_machine.travel(now - timedelta(hours=25)):
        for address in readers(10):
            beacon(client, old, address=address)
    for hours_ago in (23, 1, 0):
        with time_machine.travel(now - timedelta(hours=hours_ago)):
            beacon(client, recent, address=f"10.9.9.{hours_ago}")
    assert HourlyViews.objects.filter(article=recent).count() == 3
    assert [(a, a.recent_views) for a in Article.objects.most_read()] == [(recent, 3)]
    assert [a.recent_views for a in Article.objects.most_read(hours=48)] == [10, 3]


def test_the_period_is_a_setting(client, settings):
    story = published_days_ago()
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        beacon(client, story, address="10.0.0.1")
    settings.MOST_READ_HOURS = 2
    assert not Article.objects.most_read().exists()
    settings.MOST_READ_HOURS = 4
    assert list(Article.objects.most_read()) == [story]


def test_a_story_taken_down_leaves_most_read_at_once(
    client, article, editor, django_capture_on_commit_callbacks
):
    beacon(client, article, address="10.0.0.1")
    assert most_read_headlines() == [article]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=article, by=editor)
    assert most_read_headlines() == []


def test_the_list_is_kept_for_a_few_minutes_not_redone_per_view(
    client, article, settings, django_assert_num_queries
):
    settings.MOST_READ_CACHE_SECONDS = 300
    other = ArticleFactory()
    beacon(client, article, address="10.0.0.1")
    assert most_read_headlines() == [article]
    for address in readers(3):
        beacon(client, other, address=address)
    with django_assert_num_queries(0):
        assert most_read_headlines() == [article]
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert most_read_headlines() == [other, article]


def test_most_read_is_one_query_however_many_stories_and_hours(client, django_assert_num_queries):
    now = timezone.now()
    stories = [published_days_ago() for _ in range(12)]
    for hours_ago in range(0, 30, 3):
        with time_machine.travel(now - timedelta(hours=hours_ago)):
            for n, story in enumerate(stories):
                beacon(client, story, address=f"10.{hours_ago}.{n}.1")
    with django_assert_num_queries(1):
        ranked = list(Article.objects.most_read()[:5])
    assert len(ranked) == 5
    assert {story.recent_views for story in ranked} == {8}  # 0, 3 ... 21 hours ago


def test_most_read_reads_the_hourly_totals_through_an_index(article):
    HourlyViews.objects.create(article=article, hour=timezone.now(), views=3)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a few rows: show that an index can serve it
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Article.objects.most_read()[:5].explain()
    # Never the whole table ("Seq Scan on", SQLite's "SCAN"), but one of its indexes.
    assert not re.search(r"Seq Scan on articles_hourlyviews|SCAN articles_hourlyviews", plan)
    assert re.search(
        r"articles_views_hour_idx|articles_views_one_row_per_hour"
        r"|sqlite_autoindex_articles_hourlyviews",
        plan,
    ), plan


def test_editors_see_each_storys_views_in_the_article_list(client, editor_client, article):
    ArticleFactory()
    for address in readers(7):
        beacon(client, article, address=address)
    page = editor_client.get("/admin/articles/article/").content.decode()
    assert '<td class="field-views">7</td>' in page
    assert '<td class="field-views">0</td>' in page


THREADS = 8
INCREMENTS = 50


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_counted_exactly():
    story = ArticleFactory()
    barrier = threading.Barrier(THREADS)

    def count_from_own_connection(thread):
        try:
            barrier.wait(timeout=30)  # start together, all racing to insert the hour's row
            for n in range(INCREMENTS):
                # A new reader per attempt: an attempt that SQLite refused has already
                # marked its reader as seen, so its retry would be a repeat, not counted.
                attempts = itertools.count()
                assert retry_while_sqlite_is_locked(
                    lambda n=n, attempts=attempts: services.article_view_record(
                        article_id=story.pk,
                        client=f"reader-{thread}-{n}-{next(attempts)}",
                        user_agent=BROWSER,
                    )
                )
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(count_from_own_connection, thread) for thread in range(THREADS)]
        for future in futures:
            future.result(timeout=120)
    assert HourlyViews.objects.get(article=story).views == THREADS * INCREMENTS
