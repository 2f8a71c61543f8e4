"""A server-side cache of whole anonymous pages, shared by every app server: the cache
in front when there is no Varnish or CDN (and behind one, for its misses).

Each page is stored with the surrogate keys of what it shows and the time its render
began; it is served only while none of those keys has been purged since
(newsroom.cachekeys). So approving a comment re-renders that story's page and its block's
comment counts (comments.counts), not the site. A page is also never kept past the next
scheduled change (a story going live, an ad's schedule, midnight's date line), so
scheduling needs no cron.

Only the query parameters pages read count: any other (utm_…, a random ?x=) shares the
clean URL's entry. Of those, only `page` (up to MAX_CACHED_PAGE), `before` (a list's
cursor, which the page confirms follows a story of the list) and `comments` (a cursor
the page confirms starts at a real thread) make entries of their own; a search, a
comment's status message or a reply form is rendered each time. So a flood of distinct
URLs cannot push everything else out of Redis (a front cache keeps its own, least
recently used first).
"""

import hashlib
import time as clock
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from newsroom.cachekeys import (
    PURGES_KEPT_SECONDS,
    SCHEDULE_KEY,
    keep_entry,
    kept_entry,
    purged_since,
    real_page_parameters,
    shown_keys,
    shows,
)

NEXT_CHANGE_KEY = "pagecache:next-change"
CACHEABLE_STATUSES = {200, 301}
# The query parameters public pages read; the rest never make a page of their own.
PAGE_PARAMETERS = ("before", "comment", "comments", "page", "q", "reply_to", "reported")
# Those that make pages of their own worth keeping: a list's page (up to
# MAX_CACHED_PAGE, or after a cursor) and a page of a story's comments.
CACHED_PARAMETERS = {"before", "page", "comments"}
# Parameters only the page can tell real from made up: a response is kept (here, and
# by Varnish or a CDN through its s-maxage) only if the page said the value names a
# page that exists (cachekeys.shows_real_page), so the entries stay bounded by what
# there is to show: a list has a page after each of its stories at most.
CHECKED_PARAMETERS = {"before", "comments"}
MAX_CACHED_PAGE = 20


def next_public_changes(now):
    """When each app's part of the pages next changes by itself (None: nothing due)."""
    return [
        app_config.next_public_change(now)
        for app_config in apps.get_app_configs()
        if hasattr(app_config, "next_public_change")
    ]


def next_midnight(now):
    """Pages carry today's date line: none outlives the day."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def next_change():
    """When public pages next change by themselves, or None without a database.

    Worked out once for every server and kept until a change to any public row (which
    may schedule something sooner) or until it comes.
    """
    now = timezone.now()
    known = kept_entry(NEXT_CHANGE_KEY)  # with the schedule's purge, in one round trip
    if known is not None and known.value > now:
        return known.value
    worked_out_at = clock.time()
    try:
        at = min(filter(None, [*next_public_changes(now), next_midnight(now)]))
    except DatabaseError:
        return None
    # Kept no longer than purges are remembered, so that none can be missed.
    keep_entry(NEXT_CHANGE_KEY, at, {SCHEDULE_KEY}, worked_out_at, PURGES_KEPT_SECONDS)
    return at


def fresh_until(request):
    """Until when the response to `request` may be kept, as a time.time(): no later
    than the next scheduled change (a page from the cache keeps the time it had)."""
    if any(
        name in request.GET and name not in real_page_parameters(request)
        for name in CHECKED_PARAMETERS
    ):
        return 0
    return next_change_at(request)


def next_change_at(request):
    """The next scheduled change as a time.time(), worked out once a request (0 when it
    cannot be: nothing read for `request` is then kept)."""
    if not hasattr(request, "fresh_until"):
        at = next_change()
        request.fresh_until = at.timestamp() if at is not None else 0
    return request.fresh_until


def seconds_fresh(request, most):
    """How long the response to `request` may be kept: at most `most` seconds."""
    return _seconds_until(fresh_until(request), most)


def seconds_to_next_change(request, most):
    """How long what `request` reads may be kept, whatever its query parameters: at
    most `most` seconds, and not past the next scheduled change."""
    return _seconds_until(next_change_at(request), most)


def _seconds_until(until, most):
    most = min(most, PURGES_KEPT_SECONDS)  # a purge older than that is forgotten
    return max(0, min(most, int(until - clock.time())))


def page_cache_key(request):
    """The entry a request's page is kept under, or None if it is not to be kept."""
    address = page_address(request)
    return f"pagecache:{address}" if address else None


def page_address(request):
    """A digest of what makes the request's page: its URL with the query parameters
    pages read and nothing else, or None for a page that is not to be kept."""
    parameters = sorted(
        (name, value) for name in PAGE_PARAMETERS for value in request.GET.getlist(name)
    )
    # 34 characters: a list's cursor (articles.pages.CURSOR) with an id of ten digits.
    if any(name not in CACHED_PARAMETERS or len(value) > 34 for name, value in parameters):
        return None
    if len(parameters) != len({name for name, _value in parameters}):
        return None  # ?page=1&page=2
    page = request.GET.get("page", "1")
    if not (page.isascii() and page.isdigit() and 0 < int(page) <= MAX_CACHED_PAGE):
        return None
    url = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(parameters)}"
    return hashlib.sha256(url.encode()).hexdigest()


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
        started = clock.time()
        key = page_cache_key(request)
        entry = cache.get(key) if key else None
        if entry is not None and not purged_since(entry["keys"], entry["started"]):
            shows(request, *entry["keys"])
            request.fresh_until = entry["fresh_until"]
            request.real_page_parameters = CHECKED_PARAMETERS  # checked when it was kept
            response = entry["response"]
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if key and self.response_is_cacheable(request, response):
            keys = shown_keys(request)
            timeout = seconds_fresh(request, settings.PAGE_CACHE_SECONDS)
            if timeout and not purged_since(keys, started):
                entry = {
                    "response": response,
                    "keys": keys,
                    "started": started,
                    "fresh_until": fresh_until(request),
                }
                cache.set(key, entry, timeout)
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
