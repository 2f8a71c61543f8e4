"""A server-side cache of whole anonymous pages, shared by every app server.

Pages are stored under a *generation*: any change to what pages show (an article saved,
a section renamed, later a comment approved) drops the generation, so the next request
starts a new one and every page is rendered afresh. The generation also ends by itself
when a scheduled article is due to go live, a "Must read" pick ends, an ad's schedule
starts or ends, or the day (and so the date line) changes, so scheduling needs no cron
and never shows a stale page.
"""

import hashlib
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from ads.models import Creative
from articles.models import Article

STATE_KEY = "pagecache:state"
CACHEABLE_STATUSES = {200, 301}


def invalidate_pages(**kwargs):
    """Signal receiver: every cached page is stale from now on."""
    cache.delete(STATE_KEY)


def invalidate_pages_for_comment(sender, instance, update_fields=None, **kwargs):
    """Only what readers see, or saw, changes pages: a public comment or a moderation
    decision. A new comment held for moderation leaves every cached page as it is."""
    fields = set(update_fields or ())
    if "status" in fields or (instance.is_public and fields != {"report_count"}):
        invalidate_pages()


def next_midnight(now):
    """Pages carry today's date line: a generation never outlives the day."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def current_state():
    """The current generation and the time it ends, starting a new one if needed."""
    now = timezone.now()
    state = cache.get(STATE_KEY)
    if state is None or state["valid_until"] <= now:
        try:
            changes = [
                Article.objects.next_scheduled_change(),
                Creative.objects.next_schedule_change(now),
                next_midnight(now),
            ]
        except DatabaseError:
            return None  # no database: no new generation; the view answers as it can
        valid_until = min(filter(None, changes))
        state = {"generation": uuid.uuid4().hex, "valid_until": valid_until}
        timeout = (valid_until - now).total_seconds()
        # Another server may have started a generation meanwhile: keep the first one,
        # unless what is stored is the generation that has just ended.
        if not cache.add(STATE_KEY, state, timeout):
            current = cache.get(STATE_KEY)
            if current is not None and current["valid_until"] > now:
                state = current
            else:
                cache.set(STATE_KEY, state, timeout)
    return state


class PageCacheMiddleware:
    """Serve anonymous GETs from the shared cache; store the cacheable ones.

    Sits inside ConditionalGetMiddleware, so cached pages still answer 304s, and inside
    the session middleware, so it can tell a request with a session apart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.request_is_cacheable(request):
            return self.get_response(request)
        state = current_state()
        if state is None:
            return self.get_response(request)
        key = self.cache_key(request, state["generation"])
        response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        seconds_left = (state["valid_until"] - timezone.now()).total_seconds()
        timeout = min(settings.PAGE_CACHE_SECONDS, seconds_left)
        if timeout > 0 and self.response_is_cacheable(request, response):
            cache.set(key, response, timeout)
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def request_is_cacheable(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def response_is_cacheable(request, response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code in CACHEABLE_STATUSES
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-cache" not in cache_control
            and "no-store" not in cache_control
            and not getattr(getattr(request, "session", None), "accessed", False)
        )

    @staticmethod
    def cache_key(request, generation):
        url = request.build_absolute_uri()
        return f"pagecache:{generation}:{hashlib.sha256(url.encode()).hexdigest()}"
