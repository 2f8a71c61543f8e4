"""A live article's feed carries its entries as they are published."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.models import Article
from liveblog import services
from liveblog.models import LiveEntry
from tests.factories import ArticleFactory, AuthorFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db


def feed_items(client, article):
    response = client.get(reverse("liveblog:feed", args=[article.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def test_the_feed_lists_public_entries_newest_first(client, live):
    LiveEntryFactory(article=live["article"], status=LiveEntry.Status.DRAFT, title="Draft")
    channel, items = feed_items(client, live["article"])
    assert channel.findtext("title").startswith("Storm Idris live: live updates")
    titles = [item.findtext("title") for item in items]
    assert titles[:3] == ["Update 24", "Update 23", "Update 22"]
    assert "Draft" not in titles and "Where to get help" in titles
    newest = items[0]
    assert newest.findtext("link") == f"http://testserver/live/entries/{live['entries'][-1].pk}/"
    assert "What has just happened" in newest.findtext("description")


def test_an_entry_published_reaches_the_feed_and_names_its_authors(client, live, editor):
    feed_items(client, live["article"])
    entry = LiveEntry(article=live["article"], title="Bridge reopens", body="<p>Open.</p>")
    services.live_entry_save(entry=entry, authors=[AuthorFactory(name="Ada Reyes")], by=editor)
    assert "Bridge reopens" not in [
        i.findtext("title") for i in feed_items(client, live["article"])[1]
    ]
    services.live_entry_publish(entry=entry, by=editor)
    newest = feed_items(client, live["article"])[1][0]
    assert newest.findtext("title") == "Bridge reopens"
    assert "Ada Reyes" in newest.findtext("{http://purl.org/dc/elements/1.1/}creator")


def test_the_feed_names_the_live_key_so_a_publish_purges_it(client, live, settings):
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]
    response = client.get(reverse("liveblog:feed", args=[live["article"].pk]))
    assert f"live-{live['article'].pk}" in response["xkey"].split()


def test_the_live_page_links_to_its_feed(client, live):
    html = client.get(live["article"].get_absolute_url()).content.decode()
    url = reverse("liveblog:feed", args=[live["article"].pk])
    link = re.search(r'<link rel="alternate" type="application/rss\+xml" ([^>]*)>', html).group(1)
    assert link == f'title="Storm Idris live: live updates" href="{url}"'
    assert f'<a href="{url}">' in html


def test_a_story_that_is_not_live_has_no_feed(client):
    story = ArticleFactory(coverage=Article.Coverage.STORY)
    assert client.get(reverse("liveblog:feed", args=[story.pk])).status_code == 404
