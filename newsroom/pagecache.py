"""A server-side cache of whole anonymous pages, shared by every app server.

Pages are stored under a *generation*: any change to what pages show (an article saved,
a section renamed, a comment approved) drops the generation, so the next request
starts a new one and every page is rendered afresh. The generation also ends by itself
when an app's next scheduled change is due (an article goes live, a "Must read" pick
ends, an ad's schedule starts or ends) or the day (and so the date line) changes, so
scheduling needs no cron and never shows a stale page.

What pages show is each app's to declare, on its AppConfig:

- ``public_models``: the models whose rows readers' pages show, by name, with
  ``"Model.field"`` for a many-to-many relation's links. A model may also define
  ``changes_public_pages(update_fields)`` to say which of its saves readers can see.
- ``next_public_change(now)``: when that app's part of the pages next changes by
  itself, or None.

tests/newsroom/test_page_sources.py fails when a public page reads a table that no
app declares.
"""

import hashlib
import uuid
from datetime import datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

STATE_KEY = "pagecache:state"
CACHEABLE_STATUSES = {200, 301}


def public_page_sources():
    """Every model whose rows readers' pages show (m2m links as their through model),
    as the apps declare them."""
    sources = []
    for app_config in apps.get_app_configs():
        for name in getattr(app_config, "public_models", ()):
            model_name, _, relation = name.partition(".")
            model = app_config.get_model(model_name)
            sources.append(
                model._meta.get_field(relation).remote_field.through if relation else model
            )
    return sources


def connect_public_page_sources():
    for model in public_page_sources():
        if model._meta.auto_created:
            m2m_changed.connect(invalidate_pages, sender=model, dispatch_uid=f"pages-{model}")
        else:
            post_save.connect(invalidate_pages_on_save, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(invalidate_pages, sender=model, dispatch_uid=f"pages-del-{model}")


def invalidate_pages(**kwargs):
    """Signal receiver: every cached page is stale from now on."""
    cache.delete(STATE_KEY)


def invalidate_pages_on_save(sender, instance, update_fields=None, **kwargs):
    changes_public_pages = getattr(instance, "changes_public_pages", None)
    if changes_public_pages is None or changes_public_pages(update_fields):
        invalidate_pages()


def next_public_changes(now):
    """When each app's part of the pages next changes by itself (None: nothing due)."""
    return [
        app_config.next_public_change(now)
        for app_config in apps.get_app_configs()
        if hasattr(app_config, "next_public_change")
    ]


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
            changes = [*next_public_changes(now), next_midnight(now)]
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
