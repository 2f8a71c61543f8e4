"""The breaking-news banner: on every page the moment it goes up, through the page
cache, and gone by itself at its end."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import services
from articles.models import BreakingNews
from tests.admin_pages import form_data

pytestmark = pytest.mark.django_db

# Tomorrow at midday: the half hour the tests travel through holds no midnight, which
# would end every page's cache by itself (the date line).
START = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=1)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_SECONDS = 600


def publish(editor, capture, text="Bridge closed after collision", **fields):
    with capture(execute=True):
        return services.breaking_news_publish(banner=BreakingNews(text=text, **fields), by=editor)


def s_maxage(response):
    directives = dict(
        part.strip().partition("=")[::2] for part in response["Cache-Control"].split(",")
    )
    return int(directives["s-maxage"])


def test_banner_shows_on_cached_pages_at_once_and_is_gone_at_minute_31(
    client, article, editor, django_capture_on_commit_callbacks
):
    cached = ["/", article.get_absolute_url(), article.section.get_absolute_url()]
    pages = [*cached, "/nowhere/"]  # a 404 shows it too, though the page cache keeps none
    with time_machine.travel(START):
        for url in cached:
            client.get(url)
            assert client.get(url)["X-Page-Cache"] == "hit"
        banner = publish(
            editor, django_capture_on_commit_callbacks, url="https://example.com/bridge"
        )
        for url in pages:
            response = client.get(url)
            assert "Bridge closed after collision" in response.content.decode(), url
            assert 'href="https://example.com/bridge"' in response.content.decode()
    with time_machine.travel(banner.starts_at + timedelta(minutes=5)):
        for url in cached:
            response = client.get(url)
            assert response["X-Page-Cache"] == "hit", url
            assert "Bridge closed after collision" in response.content.decode()
    with time_machine.travel(banner.starts_at + timedelta(minutes=29)):
        for url in cached:
            response = client.get(url)
            assert "Bridge closed after collision" in response.content.decode()
            # No cache, here or in front, keeps the page past the banner's end.
            assert s_maxage(response) <= 60
    with time_machine.travel(banner.starts_at + timedelta(minutes=31)):
        for url in pages:
            response = client.get(url)
            assert "Bridge closed after collision" not in response.content.decode(), url


def test_every_page_names_the_banner_key_for_front_caches(client, article, settings):
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]
    assert "breaking" in client.get("/")["xkey"].split()
    assert "breaking" in client.get(article.get_absolute_url())["xkey"].split()


def test_publishing_a_banner_ends_the_one_before(
    client, article, editor, django_capture_on_commit_callbacks
):
    first = publish(editor, django_capture_on_commit_callbacks, text="Polls close")
    assert "Polls close" in client.get("/").content.decode()
    second = publish(
        editor, django_capture_on_commit_callbacks, text="Exit poll: hung council", is_live=True
    )
    page = client.get("/").content.decode()
    assert "Polls close" not in page
    assert "Exit poll: hung council" in page
    assert 'class="breaking breaking--live"' in page
    first.refresh_from_db()
    assert not first.is_showing
    assert list(BreakingNews.objects.showing()) == [second]


def test_ending_a_banner_takes_it_off_cached_pages(
    client, article, editor, django_capture_on_commit_callbacks
):
    banner = publish(editor, django_capture_on_commit_callbacks)
    assert "Bridge closed after collision" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.breaking_news_end(banner=banner, by=editor)
    assert "Bridge closed after collision" not in client.get("/").content.decode()
    assert BreakingNews.objects.current() is None


def test_editor_replaces_the_banner_in_one_step_in_the_admin(
    editor_client, editor, django_capture_on_commit_callbacks
):
    publish(editor, django_capture_on_commit_callbacks, text="Polls close")
    url = "/admin/articles/breakingnews/add/"
    data = form_data(editor_client.get(url), text="Exit poll: hung council")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302
    current = BreakingNews.objects.current()
    assert current.text == "Exit poll: hung council"
    assert current.created_by == editor
    assert timedelta(minutes=29) < current.ends_at - current.starts_at <= timedelta(minutes=30)
    assert BreakingNews.objects.showing().count() == 1


def test_editor_ends_the_banner_from_the_admin_list(
    editor_client, editor, django_capture_on_commit_callbacks
):
    banner = publish(editor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/articles/breakingnews/",
            {"action": "end_selected", "_selected_action": [banner.pk]},
        )
    assert BreakingNews.objects.current() is None


def test_reporters_cannot_put_up_a_banner(reporter_client):
    assert reporter_client.get("/admin/articles/breakingnews/add/").status_code == 403


def test_a_banner_cannot_end_in_the_past(editor_client):
    url = "/admin/articles/breakingnews/add/"
    data = form_data(editor_client.get(url), text="Typo", ends_at_0="2000-01-01", ends_at_1="10:00")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The end must be in the future" in response.content.decode()
    assert not BreakingNews.objects.exists()
