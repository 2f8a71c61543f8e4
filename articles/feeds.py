from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from newsroom.cachekeys import cache_key, shows
from newsroom.links import absolute_url

from .models import LATEST_KEY, SECTIONS_KEY, Article, Author, Section, Tag

FEED_SIZE = 30
MEDIA_RSS = "http://search.yahoo.com/mrss/"


class PhotoFeed(Rss201rev2Feed):
    """RSS 2.0 with each story's photo as Media RSS <media:content> (what feed readers
    and aggregators show as its picture), with its credit and caption."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

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
        shows(request, SECTIONS_KEY, *self.shown_cache_keys(obj))  # items name their section
        feed = super().get_feed(obj, request)
        shows(request, *(item["photo_key"] for item in feed.items if "photo_key" in item))
        return feed

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
        if photo is None:
            return {}
        if not photo.is_licensed:  # a licence extended brings it back
            return {"photo_key": cache_key(photo)}
        image = photo.fallback_for("16:9")
        return {
            "photo_key": cache_key(photo),
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
