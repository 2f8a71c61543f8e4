from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import services
from tests.factories import ArticleFactory, CorrectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_second_anonymous_request_is_served_from_cache_without_queries(
    client, article, django_assert_num_queries
):
    assert client.get("/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert article.headline in response.content.decode()


def test_cached_page_still_answers_conditional_requests(client, article, django_assert_num_queries):
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):  # from the page cache, not a fresh render
        again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_saving_an_article_refreshes_every_page(
    client, article, editor, django_capture_on_commit_callbacks
):
    client.get("/")
    client.get(article.get_absolute_url())
    article.headline = "Harbour tunnel opening delayed"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, by=editor)
    for url in ["/", article.get_absolute_url()]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Harbour tunnel opening delayed" in response.content.decode()


def test_adding_a_correction_refreshes_the_article_page(
    client, article, django_capture_on_commit_callbacks
):
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        CorrectionFactory(article=article, text="The tunnel is 2km long.")
    assert "The tunnel is 2km long." in client.get(article.get_absolute_url()).content.decode()


def test_scheduled_article_appears_on_cached_pages_when_its_time_comes(client, article):
    publish_at = timezone.now() + timedelta(minutes=5)
    scheduled = ArticleFactory(headline="Lighthouse reopens", published_at=publish_at)
    assert scheduled.headline not in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert scheduled.headline in response.content.decode()


def test_logged_in_users_bypass_the_cache(client, article, editor):
    client.get("/")
    client.force_login(editor)
    response = client.get("/")
    assert not response.has_header("X-Page-Cache")
    assert "private" in response["Cache-Control"]


def test_pages_that_set_cookies_are_not_stored(client, db):
    client.get("/admin/login/")  # sets the CSRF cookie
    assert client.get("/admin/login/")["X-Page-Cache"] == "miss"


def test_previews_are_never_stored(client, section):
    from articles.previews import preview_token

    draft = ArticleFactory(section=section, status="draft")
    url = f"/preview/share/{preview_token(draft)}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_not_found_pages_are_not_stored(client, db):
    client.get("/no-such-page/")
    assert client.get("/no-such-page/")["X-Page-Cache"] == "miss"


def test_cached_pages_never_outlive_the_day_of_their_date_line(client, article):
    from newsroom.pagecache import next_midnight

    client.get("/")
    midnight = next_midnight(timezone.now())
    with time_machine.travel(midnight + timedelta(seconds=1)):
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert timezone.localdate().strftime("%A") in response.content.decode()


def test_a_generation_ends_at_the_very_instant_its_change_is_due(client, article):
    publish_at = timezone.now() + timedelta(minutes=5)
    ArticleFactory(headline="Ferry returns to service", published_at=publish_at)
    client.get("/")
    with time_machine.travel(publish_at, tick=False):
        response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Ferry returns to service" in response.content.decode()


def test_a_new_comment_held_for_moderation_keeps_cached_pages(
    client, article, django_capture_on_commit_callbacks
):
    from comments import services as comment_services

    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        comment, _ = comment_services.comment_create(
            article=article, name="Ada", email="ada@example.com", text="Held for now."
        )
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comments_moderate(
            comments=[comment], status=comment.Status.PUBLIC, by=None
        )
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Held for now." in response.content.decode()


def test_without_a_database_no_generation_starts_and_the_view_answers(client, article):
    from unittest import mock

    from django.db import OperationalError

    with mock.patch(
        "articles.models.Article.objects.next_scheduled_change",
        side_effect=OperationalError("down"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200  # the check itself found the (real) database fine
    assert response.json()["database"] == "ok"
