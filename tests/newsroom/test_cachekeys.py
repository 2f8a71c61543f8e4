"""Exact invalidation: a change purges the cached pages that show it, and only those,
once its transaction has committed (newsroom.cachekeys)."""

import gzip
import threading
import time
from datetime import UTC, datetime

import brotli
import pytest
import time_machine
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path

from articles import services
from comments import services as comment_services
from comments.counts import counts_url
from comments.models import ReaderComment
from newsroom.cachekeys import Purge, purge_now, purged_since, shows
from newsroom.frontcache import FrontCache
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ReaderCommentFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The page cache, and the fragment cache under it: a purge must reach both."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 600
    settings.SURROGATE_KEY_HEADERS = [("xkey", " "), ("Cache-Tag", ",")]


@pytest.fixture
def newsday(db):
    """Two sections, each with stories; a held comment on the first story."""
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    author, tag = AuthorFactory(name="Ada Reyes"), TagFactory(name="Transport")
    tunnel = ArticleFactory(
        headline="Harbour tunnel opens", section=city, authors=[author], tags=[tag]
    )
    ferry = ArticleFactory(headline="Ferry timetable changes", section=city)
    derby = ArticleFactory(headline="Derby ends in a draw", section=sport)
    held = ReaderCommentFactory(
        article=tunnel, comment="Worth the wait.", status=ReaderComment.Status.PENDING
    )
    return {"tunnel": tunnel, "ferry": ferry, "derby": derby, "held": held, "tag": tag}


class RecordingFrontCache(FrontCache):
    """A front cache that notes each purge it is sent, as (hard keys, soft keys)."""

    purges: list = []

    def purge(self, keys):
        self.purges.append((keys.hard, keys.soft))


@pytest.fixture
def front_cache(settings):
    settings.FRONT_CACHES = [{"BACKEND": f"{__name__}.RecordingFrontCache"}]
    RecordingFrontCache.purges = []
    return RecordingFrontCache


def cached(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def state(client, url):
    return client.get(url)["X-Page-Cache"]


def test_responses_name_what_they_show(client, newsday):
    tunnel = newsday["tunnel"]
    response = client.get(tunnel.get_absolute_url())
    keys = set(response["xkey"].split())
    assert {
        f"article-{tunnel.pk}",
        f"comments-{tunnel.pk}",
        f"tag-{newsday['tag'].pk}",
        f"author-{tunnel.bylines.get().author_id}",
        "sections",
        "ads",
    } <= keys
    assert response["Cache-Tag"] == ",".join(sorted(keys))
    assert "public" in response["Cache-Control"]


def test_approving_a_comment_purges_its_story_and_its_count_not_the_lists(
    client, newsday, django_capture_on_commit_callbacks
):
    tunnel, ferry, derby = newsday["tunnel"], newsday["ferry"], newsday["derby"]
    urls = {
        "tunnel": tunnel.get_absolute_url(),
        "ferry": ferry.get_absolute_url(),  # the tunnel among More articles, no count
        "home": "/",  # the tunnel's card, whose count the browser brings up to date
        "city": tunnel.section.get_absolute_url(),
        "sport": derby.section.get_absolute_url(),
        "counts": counts_url(tunnel.pk),
    }
    cached(client, *urls.values())
    assert client.get(urls["counts"]).json() == {"counts": {}}
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comments_moderate(
            comments=[newsday["held"]], status=ReaderComment.Status.PUBLIC, by=None
        )
    assert state(client, urls["tunnel"]) == "miss"
    assert "Worth the wait." in client.get(urls["tunnel"]).content.decode()
    assert state(client, urls["counts"]) == "miss"
    assert client.get(urls["counts"]).json() == {"counts": {str(tunnel.pk): 1}}
    for name in ("home", "city", "ferry", "sport"):
        assert state(client, urls[name]) == "hit", name


def test_publishing_a_story_purges_its_lists_and_leaves_other_sections(
    client, newsday, editor, django_capture_on_commit_callbacks
):
    tag, derby = newsday["tag"], newsday["derby"]
    draft = ArticleFactory(
        headline="Night buses return",
        section=newsday["tunnel"].section,
        tags=[tag],
        status="draft",
        published_at=None,
    )
    other_tag = TagFactory(name="Football")
    derby.tags.add(other_tag)
    lists = [
        "/",
        "/latest/",
        draft.section.get_absolute_url(),
        tag.get_absolute_url(),
        "/feeds/",
        "/latest/sidebar/",  # the Latest list beside every story
    ]
    # A story's page, whose Latest list its readers' browsers fill in.
    unrelated = [
        derby.section.get_absolute_url(),
        other_tag.get_absolute_url(),
        derby.get_absolute_url(),
    ]
    cached(client, *lists, *unrelated)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=draft, by=editor)
    for url in lists:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Night buses return" in response.content.decode(), url
    for url in unrelated:
        assert state(client, url) == "hit", url


def test_unpublishing_a_story_takes_it_off_every_page_that_showed_it(
    client, newsday, editor, django_capture_on_commit_callbacks
):
    tunnel = newsday["tunnel"]
    urls = ["/", newsday["ferry"].get_absolute_url(), newsday["tag"].get_absolute_url()]
    cached(client, *urls)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=tunnel, by=editor)
    for url in urls:
        assert "Harbour tunnel opens" not in client.get(url).content.decode(), url
    assert client.get(tunnel.get_absolute_url()).status_code == 404


def test_editing_a_draft_purges_no_page(
    client, newsday, editor, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(status="draft", published_at=None, section=newsday["derby"].section)
    cached(client, "/", newsday["derby"].get_absolute_url())
    draft.headline = "Still being written"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=draft, by=editor)
    assert state(client, "/") == "hit"
    assert state(client, newsday["derby"].get_absolute_url()) == "hit"


def test_nothing_is_purged_before_the_commit_nor_after_a_rollback(
    newsday, front_cache, django_capture_on_commit_callbacks
):
    tunnel = newsday["tunnel"]
    with django_capture_on_commit_callbacks(execute=True):  # the commit, at the block's end
        tunnel.headline = "Harbour tunnel opening delayed"
        tunnel.save()
        assert front_cache.purges == []
        with pytest.raises(RuntimeError), transaction.atomic():
            ArticleFactory(headline="Never published")
            raise RuntimeError("the editor's save failed")
    [(hard, soft)] = front_cache.purges
    assert hard == {f"article-{tunnel.pk}"}
    assert "latest" in soft


def test_a_page_rendered_before_a_purge_of_what_it_shows_is_not_served_after(client, newsday):
    url = newsday["tunnel"].get_absolute_url()
    cached(client, url)
    purge_now(Purge(hard={f"comments-{newsday['tunnel'].pk}"}))
    assert state(client, url) == "miss"
    assert state(client, url) == "hit"


def test_a_purge_too_near_a_render_for_the_servers_clocks_counts_as_after_it(settings):
    settings.PURGE_CLOCK_SKEW_SECONDS = 0.5
    purge_now(Purge(hard={"article-1"}))

    assert purged_since({"article-1"}, time.time() + 0.2)
    assert not purged_since({"article-1"}, time.time() + 5)
    assert not purged_since({"article-2"}, 0)


def test_query_strings_pages_do_not_read_share_the_clean_pages_entry(client, newsday):
    cached(client, "/latest/")
    assert state(client, "/latest/?utm_source=feed&x=1") == "hit"
    assert state(client, "/latest/?page=2") == "miss"
    assert state(client, "/latest/?page=999") == "miss"
    assert state(client, "/latest/?page=999") == "miss"  # deep pages are never kept
    assert state(client, "/search/?q=tunnel") == "miss"
    assert state(client, "/search/?q=tunnel") == "miss"  # nor searches, which are endless


@pytest.mark.django_db(transaction=True)
def test_a_page_requested_between_a_save_and_its_commit_is_never_served_after_it(
    client, settings, newsday
):
    """The page cache's old bug: a request that came while an unpublish was saved but
    not yet committed read the old rows and kept them for ten minutes. PostgreSQL
    shows the old rows to that request (MVCC); SQLite's in-memory test database locks
    the table instead, so there the request waits and the race cannot happen."""
    editor = UserFactory(groups=["Editor"])
    tunnel = newsday["tunnel"]
    during = {}

    def read_the_home_page():
        during["response"] = client.get("/")
        connection.close()

    with transaction.atomic():
        services.article_unpublish(article=tunnel, by=editor)
        if connection.vendor == "postgresql":
            reader = threading.Thread(target=read_the_home_page)
            reader.start()
            reader.join()
            assert "Harbour tunnel opens" in during["response"].content.decode()
    response = client.get("/")
    assert "Harbour tunnel opens" not in response.content.decode()


@pytest.mark.parametrize(
    "accepted, coding",
    [
        ("gzip", "gzip"),
        ("gzip, deflate, br", "br"),  # smaller than gzip, as fast at quality 4
        ("gzip, deflate, br, zstd", "zstd"),  # today's Chrome and Firefox
    ],
)
def test_public_pages_are_compressed_and_nothing_personal_is(
    client, newsday, editor, accepted, coding
):
    page = client.get("/", HTTP_ACCEPT_ENCODING=accepted)
    assert page["Content-Encoding"] == coding
    assert "Harbour tunnel opens" in decompress(coding, page.content).decode()
    assert len(page.content) < len(client.get("/").content) / 3
    assert "accept-encoding" in page["Vary"].lower()
    plain = client.get("/")  # a client that did not ask
    assert "Content-Encoding" not in plain
    assert "accept-encoding" in plain["Vary"].lower()  # a shared cache keeps them apart
    login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING=accepted)
    assert "csrfmiddlewaretoken" in login.content.decode()  # not compressed: readable
    assert "Content-Encoding" not in login
    client.force_login(editor)
    assert "Content-Encoding" not in client.get("/", HTTP_ACCEPT_ENCODING=accepted)


def decompress(coding, content):
    if coding == "zstd":
        from backports import zstd

        return zstd.decompress(content)
    return {"gzip": gzip.decompress, "br": brotli.decompress}[coding](content)


def render_during(purge):
    """A view showing "article-7" that purges `purge` while it renders."""

    def view(request):
        shows(request, "article-7")
        purge_now(purge)
        return HttpResponse("rendered")

    return view


urlpatterns = [
    path("soft/", render_during(Purge(soft={"article-7"}))),
    path("hard/", render_during(Purge(hard={"article-7"}, soft={"latest"}))),
    path("other/", render_during(Purge(hard={"article-8"}))),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url, cache_control",
    [
        # Something was added meanwhile: stale at once, but newer than the copy a front
        # cache holds, so it may replace it and be served while it is fetched again.
        ("/soft/", {"public", "max-age=0", "s-maxage=0", "stale-while-revalidate=10"}),
        # Something it shows was removed meanwhile: no cache may keep it at all.
        ("/hard/", {"public", "max-age=0", "s-maxage=0"}),
        # A purge of what it does not show changes nothing.
        ("/other/", {"public", "max-age=0", "s-maxage=600"}),
    ],
)
def test_a_page_purged_while_it_rendered_is_stale_and_kept_only_if_nothing_went(
    client, settings, url, cache_control
):
    settings.PAGE_CACHE_SECONDS = 0
    settings.PUBLIC_CACHE_SECONDS = 600
    # At midday: within 600 s of midnight, the date line would bound s-maxage instead.
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=UTC)):
        response = client.get(url)
    assert set(response["Cache-Control"].split(", ")) == cache_control
    assert response["xkey"] == "article-7"
