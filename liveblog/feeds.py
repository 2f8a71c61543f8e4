import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from newsroom.cachekeys import cache_key, shows
from newsroom.links import absolute_url

from .models import LiveEntry, live_cache_key, with_shown_bodies
from .views import live_articles

FEED_SIZE = 30
# The site's own addresses in rendered blocks (photos, links), which feed readers need whole.
LOCAL_URL = re.compile(r'( (?:src|href)=")(/[^"]*)"')
SRCSET = re.compile(r' srcset="([^"]*)"')


def with_absolute_urls(html):
    """Rendered HTML with the site's own addresses made absolute, for a feed."""
    html = LOCAL_URL.sub(lambda m: f'{m[1]}{absolute_url(m[2])}"', html)
    return SRCSET.sub(
        lambda m: ' srcset="{}"'.format(
            ", ".join(absolute_url(c) if c.startswith("/") else c for c in m[1].split(", "))
        ),
        html,
    )


class LiveEntriesFeed(Feed):
    """A live article's entries as they are published, newest first: the live key
    purges it with the page, so a feed reader gets an entry when a page reader does."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, article_id):
        return get_object_or_404(live_articles().select_related("section"), pk=article_id)

    def get_feed(self, obj, request):
        shows(request, cache_key(obj), live_cache_key(obj.pk))
        feed = super().get_feed(obj, request)
        shows(request, *(key for item in feed.items for key in item["shown_keys"]))
        return feed

    def title(self, obj):
        return f"{obj.headline}: live updates — {settings.SITE_NAME}"

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse("liveblog:feed", args=[obj.pk]))

    def description(self, obj):
        return obj.standfirst or obj.headline

    def items(self, obj):
        entries = LiveEntry.objects.published().filter(article=obj).with_display_data()
        return with_shown_bodies(list(entries.newest_first()[:FEED_SIZE]))

    def item_title(self, item):
        return item.title or f"Update at {timezone.localtime(item.published_at):%H:%M}"

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_description(self, item):
        # Sanitised on save (SanitizedProseField), its blocks expanded as on the page;
        # the feed escapes it as RSS requires.
        return with_absolute_urls(item.shown_body.html)

    def item_extra_kwargs(self, item):
        # The photos and embeds its blocks show: the feed is purged with them (get_feed).
        body = item.shown_body
        return {"shown_keys": [cache_key(shown) for shown in (*body.photos, *body.embeds)]}

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_guid(self, item):
        # Stable when the entry moves to an older page or its article's address changes.
        return f"{settings.SITE_URL}/#live-entry-{item.pk}"

    item_guid_is_permalink = False
