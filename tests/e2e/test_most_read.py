"""Most read in a real browser: a story's page counts its reader by a beacon, served
from the page cache too, once per reader; without JavaScript the pixel counts."""

import pytest

from articles.models import HourlyViews
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(page, predicate):
    """Poll while the browser and the live server get on with it."""
    for _ in range(100):
        if predicate():
            return
        page.wait_for_timeout(50)
    assert predicate()


def wait_for_views(page, between_requests, article, expected):
    def counted():
        with between_requests:
            views = HourlyViews.objects.filter(article=article).values_list("views", flat=True)
            return sum(views) == expected

    wait_until(page, counted)


def test_a_story_from_the_page_cache_counts_its_reader_once(make_page, between_requests, settings):
    settings.PAGE_CACHE_SECONDS = 600
    article = factories.ArticleFactory()
    sent = []
    for visit in (1, 2):  # two tabs from one address: one reader
        page = make_page()
        page.on(
            "requestfinished",
            lambda request: (
                sent.append(request.response().status)
                if "/beacons/viewed/" in request.url and request.method == "POST"
                else None
            ),
        )
        response = page.goto(article.get_absolute_url())
        wait_until(page, lambda visit=visit: len(sent) == visit)
    assert response.headers["x-page-cache"] == "hit"
    assert sent == [204, 204]  # the second beacon went too, and was a repeat
    wait_for_views(page, between_requests, article, 1)


def test_without_javascript_the_pixel_counts_the_view(make_page, between_requests):
    article = factories.ArticleFactory()
    page = make_page(java_script_enabled=False)
    page.goto(article.get_absolute_url())
    wait_for_views(page, between_requests, article, 1)
