import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEALTH_KEY = "healthz"


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /preview/",
        "Disallow: /search/",
        "Disallow: /ads/",
        "Disallow: /comments/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap-index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap-news')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache_ok():
    """A round trip through the shared cache (django-redis hides errors as misses)."""
    cache.set(HEALTH_KEY, "ok", 10)
    return cache.get(HEALTH_KEY) == "ok"


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 while this node can serve readers, 503 when it cannot.

    Without the database nothing can be served; without the cache pages are still
    served (more slowly), so the node stays in rotation and reports "degraded".
    """
    database, cache_ok = _database_ok(), _cache_ok()
    status = "ok" if database and cache_ok else ("degraded" if database else "unavailable")
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database else "unavailable",
            "cache": "ok" if cache_ok else "unavailable",
        },
        status=200 if database else 503,
    )


def server_error(request):
    """The 500 page; a 503 page when the cause is the database being unreachable.

    Neither needs the database. The site recovers by itself when the database comes
    back: connections are health-checked before reuse (CONN_HEALTH_CHECKS). A POST that
    failed (a comment, an article being saved) gets its fields back in a form that
    sends them again, so what the user typed is never lost.
    """
    error = sys.exc_info()[1]
    unavailable = isinstance(error, (OperationalError, InterfaceError))
    context = {"unsent": unsent_fields(request), "action": same_site_path(request)}
    if context["unsent"] and request.content_type == "multipart/form-data":
        context["had_files"] = True
    template, status = ("503.html", 503) if unavailable else ("500.html", 500)
    response = HttpResponse(loader.render_to_string(template, context), status=status)
    if unavailable:
        response["Retry-After"] = "30"
    patch_cache_control(response, no_store=True)
    return response


# Fields whose values never go back into a page.
SECRET_FIELD_WORDS = ("password", "secret")
LONG_FIELD_CHARACTERS = 80


def unsent_fields(request):
    """A failed POST's fields, for the error page to give back: what was typed shows
    (so it can be copied as well as sent again), the rest goes in hidden inputs."""
    if request.method != "POST":
        return []
    try:
        fields = list(request.POST.lists())
    except (SuspiciousOperation, MultiPartParserError, OSError):
        return []  # the body itself was the problem: there is nothing to give back
    return [
        {
            "name": name,
            "value": value,
            # Words are what people type; ids, hashes and timestamps have no spaces.
            "is_text": any(character.isspace() for character in value),
            "is_long": len(value) > LONG_FIELD_CHARACTERS or "\n" in value,
        }
        for name, values in fields
        if not any(word in name.lower() for word in SECRET_FIELD_WORDS)
        for value in values
    ]


def same_site_path(request):
    """The request's path as a form action that can only point back at this site."""
    return "/" + request.get_full_path().lstrip("/\\")
