import io
import time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import get_language

from newsroom.cachekeys import cache_key, keep_entry, kept_entries, shows
from newsroom.dbrouters import replica_staleness
from newsroom.fragments import kept_seconds
from newsroom.links import absolute_url

from .models import LATEST_KEY, SECTIONS_KEY, Article, Author, Section, Tag

FEED_SIZE = 30
MEDIA_RSS = "http://search.yahoo.com/mrss/"
# A story's item, kept in the shared cache: the same in every feed that lists the story.
# The number changes with what an item holds, so that a deploy starts new entries.
FEED_ITEM_PREFIX = "feed-item:1:"


class PhotoFeed(Rss201rev2Feed):
    """RSS 2.0 with each story's photo as Media RSS <media:content> (what feed readers
    and aggregators show as its picture), with its credit and caption."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def write(self, outfile, encoding):
        # Into memory, then into the response at once: the XML generator writes each
        # tag and text apart, and those writes into an HttpResponse took a quarter of
        # the time of writing a feed (1.2 against 0.9 ms for 30 items).
        buffer = io.BytesIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if (photo := item.get("photo")) is None:
            return
        handler.startElement(
            "media:content",
            {
                "url": photo["url"],
                "medium": "image",
                "type": "image/jpeg",
                "width": str(photo["width"]),
                "height": str(photo["height"]),
            },
        )
        if photo["credit"]:
            handler.addQuickElement("media:credit", photo["credit"])
        if photo["caption"]:
            handler.addQuickElement("media:description", photo["caption"])
        handler.endElement("media:content")


class LatestArticlesFeed(Feed):
    feed_type = PhotoFeed
    url_name = "articles:feed"

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return absolute_url("/")

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, args=[obj.slug] if obj else []))

    def description(self, obj=None):
        return settings.SITE_DESCRIPTION

    def filter_articles(self, queryset, obj):
        return queryset

    def get_feed(self, obj, request):
        """The feed as Feed.get_feed makes it (the channel's links are absolute already),
        each story's item kept in the shared cache until the story, its section, its
        photo or an author of its byline changes: a feed made anew after a story is
        published reads the other stories' ids alone (kept_items)."""
        shows(request, SECTIONS_KEY, *self.shown_cache_keys(obj))
        feed = self.feed_type(
            title=self.title(obj),
            link=self.link(obj),
            description=self.description(obj),
            language=get_language(),
            feed_url=self.feed_url(obj),
        )
        for item in self.kept_items(request, self.items(obj)):
            feed.add_item(**item)
        return feed

    def kept_items(self, request, articles):
        """The items of `articles` (a queryset), in its order, as add_item takes them:
        from the shared cache where kept (in one round trip), the others read and kept;
        the keys of what each shows are noted on `request`."""
        seconds = kept_seconds(request)
        if not seconds:
            return [item for item, _keys in self.read_items(request, articles).values()]
        ids = list(articles.values_list("pk", flat=True))
        names = {pk: f"{FEED_ITEM_PREFIX}{pk}" for pk in ids}
        kept = kept_entries(names.values())
        items = {}
        for pk, name in names.items():
            entry, fresh = kept.get(name, (None, False))
            if fresh:
                shows(request, *entry.keys)
                items[pk] = entry.value
        if unread := [pk for pk in ids if pk not in items]:
            started = time.time() - replica_staleness()  # the rows' age
            rows = Article.objects.for_listing().filter(pk__in=unread)
            for pk, (item, keys) in self.read_items(request, rows).items():
                keep_entry(names[pk], item, keys, started, seconds)
                items[pk] = item
        # A story taken down between the two reads is left out.
        return [items[pk] for pk in ids if pk in items]

    def read_items(self, request, articles):
        """The items of `articles` by id, made by their item_* methods as Feed.get_feed
        calls them, each with the keys of what it shows (noted on `request`)."""
        items = {}
        for article in articles:
            keys = self.item_keys(article)
            shows(request, *keys)
            items[article.pk] = (
                {
                    "title": self.item_title(article),
                    "link": self.item_link(article),
                    "description": self.item_description(article),
                    "unique_id": self.item_guid(article),
                    "unique_id_is_permalink": self.item_guid_is_permalink,
                    "pubdate": self.item_pubdate(article),
                    "updateddate": self.item_updateddate(article),
                    "author_name": self.item_author_name(article),
                    "categories": self.item_categories(article),
                    **self.item_extra_kwargs(article),
                },
                keys,
            )
        return items

    def item_keys(self, item):
        """The keys of what the story's item shows: the story, its section, its photo
        (whose licence, extended, brings it back) and its authors."""
        rows = [item, item.section, item.hero_photo, *item.byline_authors]
        return {cache_key(row) for row in rows if row is not None}

    def shown_cache_keys(self, obj):
        """The surrogate keys of the list this feed follows, and of its subject."""
        if obj is None:
            return [LATEST_KEY]
        return [cache_key(obj), obj.articles_cache_key]

    def items(self, obj=None):
        return self.filter_articles(Article.objects.for_listing(), obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # The time readers are told of (a significant update), not a typo fix's: it is
        # the feed's lastBuildDate, which readers' feed apps show as news.
        return item.modified_at

    def item_author_name(self, item):
        names = [author.name for author in item.byline_authors]
        if item.agency:
            names.append(item.agency)
        return ", ".join(names) or None

    def item_categories(self, item):
        return [item.section.name]

    def item_guid(self, item):
        # Stable whatever changes later: slug, section and date may all be edited.
        return f"{settings.SITE_URL}/#article-{item.pk}"

    item_guid_is_permalink = False

    def item_extra_kwargs(self, item):
        """The story's hero photo in its 16:9 crop; none once its licence has ended
        (no feed is kept past that: articles.apps.next_public_change)."""
        photo = item.hero_photo
        if photo is None or not photo.is_licensed:
            return {}
        image = photo.fallback_for("16:9")
        return {
            "photo": {
                "url": absolute_url(image["url"]),
                "width": image["width"],
                "height": image["height"],
                "credit": photo.credit,
                "caption": photo.caption,
            },
        }


class SectionFeed(LatestArticlesFeed):
    url_name = "articles:section-feed"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} — {settings.SITE_NAME}"

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def description(self, obj=None):
        return obj.description or f"The latest from {obj.name}."

    def filter_articles(self, queryset, obj):
        return queryset.filter(section=obj)


class AuthorFeed(SectionFeed):
    url_name = "articles:author-feed"

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def description(self, obj=None):
        return f"The latest articles by {obj.name}."

    def filter_articles(self, queryset, obj):
        return queryset.by_author(obj)


class TagFeed(SectionFeed):
    url_name = "articles:tag-feed"

    def get_object(self, request, slug):
        return get_object_or_404(Tag.objects.in_use(), slug=slug)

    def description(self, obj=None):
        return f"The latest articles tagged {obj.name}."

    def filter_articles(self, queryset, obj):
        return queryset.tagged(obj)
