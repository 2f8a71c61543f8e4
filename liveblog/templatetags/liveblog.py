"""{% live_coverage article %}: a live article's entries, for the article page (the
articles app's templates call this; the articles app never imports liveblog)."""

import time
from html import unescape

from django import template
from django.conf import settings
from django.utils.html import strip_tags

from articles.blocks import admit_frames
from articles.embeds import providers
from articles.templatetags.article_tags import json_ld_script
from newsroom.cachekeys import shows, shows_changed_at
from newsroom.links import absolute_url

from ..models import live_cache_key
from ..pages import live_changed_at, live_page
from ..views import poll_cursor

register = template.Library()


@register.inclusion_tag("liveblog/_live.html", takes_context=True)
def live_coverage(context, article):
    """The key events, the pinned entry, then a page of entries newest first; on the
    first page of coverage still running, what the polling script needs.

    The page admits the frames of the embeds its entries show; a page that polls admits
    every allowed provider's, as an entry posted later may bring any of them (its
    frame still loads only when the reader asks, articles.blocks)."""
    page = live_page(article, before=context.get("live_before"))
    polls = page.before is None and article.coverage == article.Coverage.LIVE
    if (request := context.get("request")) is not None:
        shows(request, live_cache_key(article.pk))
        shows_changed_at(request, live_changed_at(article))
        admit_frames(request, page.frame_hosts)
        if polls:
            admit_frames(request, (host for p in providers() for host in p.frame_hosts))
    return {
        "article": article,
        "page": page,
        "polls": polls and not context.get("is_preview"),
        "since": poll_cursor(time.time()),
        "poll_seconds": settings.LIVEBLOG_POLL_SECONDS,
        "ad_every": settings.LIVEBLOG_AD_EVERY_ENTRIES,
        "is_preview": context.get("is_preview"),
    }


def plain_text(html):
    """Sanitised rich text as plain text, its paragraphs apart."""
    return " ".join(unescape(strip_tags(html.replace("</", " </"))).split())


def _people(authors):
    return [{"@type": "Person", "name": author.name} for author in authors]


@register.simple_tag
def live_json_ld(article, page):
    """The coverage as schema.org LiveBlogPosting: when it began (and ended, once
    closed), with the entries shown as its updates."""
    url = absolute_url(article.get_absolute_url())
    entries = [*([page.pinned] if page.pinned else []), *page.entries]
    modified = max([article.modified_at, *(max(e.published_at, e.updated_at) for e in entries)])
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": article.headline,
        "description": article.description,
        "url": url,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": modified.isoformat(),
        "coverageStartTime": article.published_at.isoformat() if article.published_at else None,
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": entry.title or article.headline,
                "datePublished": entry.published_at.isoformat(),
                "dateModified": max(entry.published_at, entry.updated_at).isoformat(),
                "url": f"{url}#{entry.anchor}",
                "articleBody": plain_text(entry.body),
                **({"author": people} if (people := _people(entry.authors.all())) else {}),
            }
            for entry in entries
        ],
    }
    if article.coverage == article.Coverage.CLOSED and article.coverage_ended_at:
        data["coverageEndTime"] = article.coverage_ended_at.isoformat()
    return json_ld_script(data)
