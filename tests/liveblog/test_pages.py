import json
import re
import time
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles import services as article_services
from articles.models import Article
from liveblog import services
from liveblog.models import LiveEntry
from liveblog.pages import LIVE_PAGE_SIZE
from liveblog.views import poll_cursor
from tests.factories import AuthorFactory, LiveEntryFactory

from .conftest import change_entry

pytestmark = pytest.mark.django_db


def entry_ids(html):
    """The entries a page shows, in order (the pinned one first)."""
    return [
        int(pk) for pk in re.findall(r'<article class="live-entry[^"]*" id="entry-(\d+)"', html)
    ]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def updates_url(article, since):
    return reverse("liveblog:updates", args=[article.pk, since])


def test_the_live_page_shows_the_pinned_entry_then_the_newest_first(client, live):
    html = page(client, live["article"].get_absolute_url())
    newest = [entry.pk for entry in reversed(live["entries"])][:LIVE_PAGE_SIZE]
    assert entry_ids(html) == [live["pinned"].pk, *newest]
    assert '<span class="live__label">Live</span>' in html
    assert "Last updated <time" in html
    entry = live["entries"][-1]
    assert f'href="#entry-{entry.pk}"' in html
    assert f'<time datetime="{entry.published_at:%Y-%m-%dT%H:%M}' in html


def test_the_key_events_summary_links_to_each_key_event(client, live):
    html = page(client, live["article"].get_absolute_url())
    start = html.index("data-live-key-events")
    summary = html[start : html.index("</nav>", start)]
    shown, older = live["entries"][21], live["entries"][4]
    # On this page: its anchor; on an older page: its permalink, which finds that page.
    assert re.findall(r'href="([^"]+)"', summary) == [
        f"#entry-{shown.pk}",
        f"/live/entries/{older.pk}/",
    ]
    assert "Update 21" in summary and "Update 3" not in summary


def test_drafts_and_entries_timed_for_later_are_not_shown(client, live):
    draft = LiveEntryFactory(article=live["article"], status=LiveEntry.Status.DRAFT)
    later = LiveEntryFactory(
        article=live["article"], published_at=timezone.now() + timedelta(minutes=5)
    )
    ids = entry_ids(page(client, live["article"].get_absolute_url()))
    assert draft.pk not in ids and later.pk not in ids


def test_older_entries_are_paginated_by_a_stable_cursor(client, live):
    article = live["article"]
    html = page(client, article.get_absolute_url())
    older = re.search(r'href="(/live/\d+/older/\d+/)" rel="next"', html).group(1)
    # New entries posted meanwhile do not move the older page.
    LiveEntryFactory(article=article)
    LiveEntryFactory(article=article)
    older_html = page(client, older)
    oldest = [entry.pk for entry in reversed(live["entries"])][LIVE_PAGE_SIZE:]
    assert entry_ids(older_html) == oldest
    assert "Newest updates" in older_html
    assert "data-live-updates" not in older_html  # only the first page polls


def test_an_entrys_permalink_finds_the_page_that_shows_it(client, live):
    old, recent = live["entries"][0], live["entries"][-1]
    response = client.get(old.get_absolute_url())
    assert response.status_code == 302
    url, anchor = response["Location"].split("#")
    assert anchor == f"entry-{old.pk}"
    assert old.pk in entry_ids(page(client, url))
    response = client.get(recent.get_absolute_url())
    assert response["Location"] == f"{live['article'].get_absolute_url()}#entry-{recent.pk}"


def test_a_draft_entrys_permalink_is_not_found(client, live):
    draft = LiveEntryFactory(article=live["article"], status=LiveEntry.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_closed_coverage_says_so_and_stops_polling(client, live, editor):
    article = live["article"]
    article.coverage = Article.Coverage.CLOSED
    article_services.article_save(article=article, by=editor)
    html = page(client, article.get_absolute_url())
    assert "This live coverage has ended" in html
    assert "data-live-updates" not in html
    assert live["pinned"].pk in entry_ids(html)  # kept as an archive
    data = client.get(updates_url(article, poll_cursor(time.time()))).json()
    assert data["closed"] is True


def test_the_live_page_describes_itself_as_a_live_blog_posting(client, live, editor):
    html = page(client, live["article"].get_absolute_url())
    [payload] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    data = json.loads(payload)
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == live["article"].published_at.isoformat()
    assert "coverageEndTime" not in data  # still running
    assert len(data["liveBlogUpdate"]) == LIVE_PAGE_SIZE + 1
    pinned, newest = data["liveBlogUpdate"][:2]
    assert pinned["url"].endswith(f"#entry-{live['pinned'].pk}")
    entry = live["entries"][-1]
    assert newest == {
        "@type": "BlogPosting",
        "headline": "Update 24",
        "datePublished": entry.published_at.isoformat(),
        "dateModified": entry.updated_at.isoformat(),
        "url": f"http://testserver{live['article'].get_absolute_url()}#entry-{entry.pk}",
        "articleBody": "What has just happened, in a sentence or two.",
    }
    assert data["dateModified"] == live["pinned"].updated_at.isoformat()  # the newest change
    article = live["article"]
    article.coverage = Article.Coverage.CLOSED
    article_services.article_save(article=article, by=editor)
    html = page(client, article.get_absolute_url())
    data = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)[0])
    assert data["coverageEndTime"] == Article.objects.get().coverage_ended_at.isoformat()


def test_a_story_that_is_not_live_shows_no_entries(client, live):
    article = live["article"]
    Article.objects.filter(pk=article.pk).update(coverage=Article.Coverage.STORY)
    html = page(client, article.get_absolute_url())
    assert entry_ids(html) == []
    assert '"@type": "NewsArticle"' in html


def test_an_entrys_update_names_its_authors_and_reads_as_plain_text(client, live, editor):
    entry = live["entries"][-1]
    entry.body = "<p>Gusts of 90&nbsp;km/h.</p><p>Ferries &amp; trams stopped.</p>"
    services.live_entry_save(entry=entry, authors=[AuthorFactory(name="Ada Reyes")], by=editor)
    html = page(client, live["article"].get_absolute_url())
    data = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)[0])
    update = data["liveBlogUpdate"][1]
    assert update["articleBody"] == "Gusts of 90 km/h. Ferries & trams stopped."
    assert update["author"] == [{"@type": "Person", "name": "Ada Reyes"}]


def last_modified(client, url):
    return parsedate_to_datetime(client.get(url)["Last-Modified"])


@pytest.mark.parametrize("change", ["publish", "edit", "delete", "unpublish"])
def test_the_live_pages_last_modified_moves_with_each_entry_change(client, live, editor, change):
    past = timezone.now() - timedelta(hours=2)
    LiveEntry.objects.update(updated_at=past)
    Article.objects.update(updated_at=past, published_at=past)
    live["article"].refresh_from_db()
    url = live["article"].get_absolute_url()  # yesterday's, between midnight and 2 am
    before = last_modified(client, url)
    assert before < timezone.now() - timedelta(seconds=30)  # the newest entry's time
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        change_entry(change, live=live, by=editor)
        after = last_modified(client, url)
        assert after > before
        assert after >= (timezone.now() - timedelta(seconds=1)).replace(microsecond=0)
        # A browser holding the page as it was gets the new page, not "304 Not Modified".
        assert (
            client.get(
                url, headers={"if-modified-since": http_date(before.timestamp())}
            ).status_code
            == 200
        )


def test_an_older_page_has_a_last_modified_too(client, live):
    html = page(client, live["article"].get_absolute_url())
    older = re.search(r'href="(/live/\d+/older/\d+/)" rel="next"', html).group(1)
    assert client.get(older).has_header("Last-Modified")


class TestAds:
    """The in-article placement every N entries (settings.LIVEBLOG_AD_EVERY_ENTRIES), in
    the space it reserves; never between the pinned entry and the first."""

    def stream(self, html):
        """The page's entries and ads in order, from the pinned slot on."""
        start = html.index("data-live-pinned")
        return [
            "ad" if ad else int(pk)
            for pk, ad in re.findall(
                r'<article class="live-entry[^"]*" id="entry-(\d+)"|(<aside class="ad-slot)',
                html[start : html.index("</section>", start)],
            )
        ]

    def test_an_ad_follows_every_nth_entry_but_the_last(self, client, live, settings):
        settings.LIVEBLOG_AD_EVERY_ENTRIES = 5
        html = page(client, live["article"].get_absolute_url())
        newest = [entry.pk for entry in reversed(live["entries"])][:LIVE_PAGE_SIZE]
        assert self.stream(html) == [
            live["pinned"].pk, *newest[:5], "ad", *newest[5:10], "ad", *newest[10:15], "ad",
            *newest[15:20],
        ]  # fmt: skip
        labels = re.findall(
            r'<aside class="ad-slot ad-slot--in-article" aria-label="([^"]+)"', html
        )
        assert len(labels) == len(set(labels)) == 3  # named apart, after the body's own
        # The slot keeps its placement's size before any ad loads (reserved space).
        assert 'style="--ad-w: 300; --ad-h: 250;' in html

    def test_an_older_page_counts_from_its_own_first_entry(self, client, live, settings):
        settings.LIVEBLOG_AD_EVERY_ENTRIES = 2
        html = page(client, live["article"].get_absolute_url())
        older = re.search(r'href="(/live/\d+/older/\d+/)" rel="next"', html).group(1)
        oldest = [entry.pk for entry in reversed(live["entries"])][LIVE_PAGE_SIZE:]
        assert self.stream(page(client, older)) == [
            *oldest[:2],
            "ad",
            *oldest[2:4],
            "ad",
            oldest[4],
        ]

    def test_never_between_the_pinned_entry_and_the_first(self, client, live, settings):
        settings.LIVEBLOG_AD_EVERY_ENTRIES = 1
        shown = self.stream(page(client, live["article"].get_absolute_url()))
        assert shown[:3] == [live["pinned"].pk, live["entries"][-1].pk, "ad"]

    def test_no_ads_when_switched_off(self, client, live, settings):
        settings.LIVEBLOG_AD_EVERY_ENTRIES = 0
        assert "ad" not in self.stream(page(client, live["article"].get_absolute_url()))


class TestPolling:
    def test_the_cursor_is_the_same_for_every_reader_within_a_poll(self, settings):
        settings.LIVEBLOG_POLL_SECONDS = 15
        start = 1_000_000_005  # a multiple of 15
        assert poll_cursor(start) == poll_cursor(start + 14.9) == start
        assert poll_cursor(start + 15) == start + 15

    def test_the_answer_carries_new_and_edited_entries_and_removed_ids(self, client, live, editor):
        article = live["article"]
        since = poll_cursor(time.time())
        LiveEntry.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
        new = services.live_entry_save(
            entry=LiveEntry(article=article, body="<p>Bridge closed.</p>", status="published"),
            by=editor,
        )
        edited = live["entries"][10]
        edited.title = "Update 10, corrected"
        services.live_entry_save(entry=edited, by=editor)
        deleted, unpublished = live["entries"][11], live["entries"][12]
        deleted_pk = deleted.pk
        services.live_entry_delete(entry=deleted, by=editor)
        services.live_entry_unpublish(entry=unpublished, by=editor)
        response = client.get(updates_url(article, since))
        data = response.json()
        assert {entry["id"] for entry in data["entries"]} == {new.pk, edited.pk}
        html = next(entry["html"] for entry in data["entries"] if entry["id"] == edited.pk)
        assert "Update 10, corrected" in html and f'id="entry-{edited.pk}"' in html
        assert set(data["removed"]) == {deleted_pk, unpublished.pk}
        assert data["poll_seconds"] == 15
        assert data["next"] >= since and data["next"] % 15 == 0
        assert "Update 21" in data["key_events_html"]

    def test_the_poll_interval_is_the_servers_to_set(self, client, live, settings):
        settings.LIVEBLOG_POLL_SECONDS = 60
        data = client.get(updates_url(live["article"], poll_cursor(time.time()))).json()
        assert data["poll_seconds"] == 60 and data["next"] % 60 == 0
        html = page(client, live["article"].get_absolute_url())
        assert 'data-poll-seconds="60"' in html

    @pytest.mark.parametrize("offset", [1, 7, -2 * 24 * 3600, 3600])
    def test_only_recent_whole_cursors_are_answered(self, client, live, offset):
        since = poll_cursor(time.time()) + offset
        assert client.get(updates_url(live["article"], since)).status_code == 404

    def test_the_answer_is_cacheable_and_named_by_the_live_key(self, client, live):
        response = client.get(updates_url(live["article"], poll_cursor(time.time())))
        assert "public" in response["Cache-Control"]
        assert "s-maxage" in response["Cache-Control"]
        assert not response.cookies

    def test_a_story_that_is_not_live_has_no_updates(self, client, live):
        Article.objects.filter(pk=live["article"].pk).update(coverage=Article.Coverage.STORY)
        url = updates_url(live["article"], poll_cursor(time.time()))
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(("seconds", "errors"), [(15, 0), (60, 0), (7, 1), (0, 1)])
def test_a_poll_interval_off_the_cursor_steps_fails_the_checks(settings, seconds, errors):
    from liveblog.checks import check_poll_interval

    settings.LIVEBLOG_POLL_SECONDS = seconds
    assert len(check_poll_interval(None)) == errors
