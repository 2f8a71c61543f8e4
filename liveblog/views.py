import time
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from articles.blocks import allow_frames
from articles.models import Article
from articles.pages import article_page_context
from articles.views import set_last_modified
from newsroom.cachekeys import cache_key, shown_changed_at, shows

from .models import LiveEntry, live_cache_key
from .pages import changes_since, cursor_containing, key_events

# Polling cursors are times in whole steps of this many seconds, so every reader asks
# for one of few URLs; LIVEBLOG_POLL_SECONDS is a multiple of it.
CURSOR_STEP = 5
# Older cursors are refused (the page reloads instead): a bounded set of URLs to cache.
OLDEST_CURSOR_SECONDS = 24 * 3600


def live_articles():
    """Published articles with live coverage, running or ended."""
    return Article.objects.published().exclude(coverage=Article.Coverage.STORY)


def poll_cursor(now: float) -> int:
    """The cursor every reader polling at `now` asks with: the time, rounded down."""
    step = settings.LIVEBLOG_POLL_SECONDS
    return int(now) // step * step


def older_entries(request, article_id, entry_id):
    """The article page, with the entries older than `entry_id` (a stable cursor)."""
    article = get_object_or_404(live_articles().with_detail(), pk=article_id)
    before = get_object_or_404(
        LiveEntry.objects.stream(article).prefetch_related(None), pk=entry_id
    )
    context = {**article_page_context(article), "live_before": before}
    response = render(request, "articles/article_detail.html", context)
    allow_frames(request, response, context["body"])
    return set_last_modified(response, [article], article.modified_at, shown_changed_at(request))


def entry_permalink(request, pk):
    """An entry's lasting address: the page that shows it now, at the entry."""
    entry = get_object_or_404(
        LiveEntry.objects.published()
        .filter(article__in=live_articles())
        .select_related("article__section"),
        pk=pk,
    )
    cursor = cursor_containing(entry)
    if cursor is None:
        url = entry.article.get_absolute_url()
    else:
        url = reverse("liveblog:older", args=[entry.article_id, cursor.pk])
    return HttpResponseRedirect(f"{url}#{entry.anchor}")


def updates(request, article_id, since):
    """What changed on a live page since `since` (a cursor), as HTML fragments in JSON.

    The same URL for every reader polling at a moment, kept by the caches in front
    until an entry changes (its key is purged) or the article does.
    """
    now = time.time()
    if since % CURSOR_STEP or not now - OLDEST_CURSOR_SECONDS <= since <= now + CURSOR_STEP:
        raise Http404("Not a polling cursor.")
    article = get_object_or_404(live_articles(), pk=article_id)
    shows(request, cache_key(article), live_cache_key(article.pk))
    changes = changes_since(article, datetime.fromtimestamp(since, tz=UTC))
    closed = article.coverage == Article.Coverage.CLOSED
    data = {
        "next": poll_cursor(now),
        "poll_seconds": settings.LIVEBLOG_POLL_SECONDS,
        "closed": closed,
        "reload": changes.too_many,
        "entries": [
            {
                "id": entry.pk,
                "pinned": entry.is_pinned,
                "published_at": entry.published_at.isoformat(),
                # With the request, so the answer names the authors it shows too.
                "html": render_to_string("liveblog/_entry.html", {"entry": entry}, request),
            }
            for entry in changes.entries
        ],
        "removed": changes.removed,
        "key_events_html": render_to_string(
            "liveblog/_key_events.html", {"key_events": key_events(article)}, request
        ),
    }
    response = JsonResponse(data)
    response["X-Robots-Tag"] = "noindex"
    return response
