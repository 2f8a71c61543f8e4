import math
import time

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_http_compression.middleware import HttpCompressionMiddleware

from newsroom.cachekeys import NOT_FOUND_KEY, hard_purged_since, purged_since, shown_keys, shows
from newsroom.dbrouters import READ_YOUR_WRITES_COOKIE, read_routing
from newsroom.pagecache import seconds_fresh

# How long a front cache may serve a page that went stale while it rendered, while it
# fetches it again: as long as deploy/varnish.vcl serves a soft-purged copy (req.grace).
REFRESHED_WHILE_STALE_SECONDS = 10


class PublicCacheMiddleware:
    """Mark anonymous, cookie-free GET responses as cacheable by a shared cache, for as
    long as nothing they show changes, and name what they show in the headers the
    caches in front purge by (xkey for Varnish, Surrogate-Key for Fastly, Cache-Tag
    for Cloudflare: settings.SURROGATE_KEY_HEADERS).

    Anything personal (a logged-in editor, a response that sets a cookie, a form
    with a CSRF token) is marked private instead, so a CDN never stores it; so is a
    page whose keys were purged while it was rendered, as it may show the old rows.
    Views that must never be cached (previews) set their own Cache-Control, which is
    left alone.
    """

    cacheable_statuses = {200, 301, 404, 410}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.time()
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if response.status_code == 404:
            shows(request, NOT_FOUND_KEY)
        if not (
            request.method in ("GET", "HEAD")
            and response.status_code in self.cacheable_statuses
            and not response.cookies
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        keys = shown_keys(request)
        seconds = seconds_fresh(request, settings.PUBLIC_CACHE_SECONDS)
        stale_while_revalidate = None
        if response.get("X-Page-Cache") != "hit" and purged_since(keys, started):
            # What it shows changed while it was rendered: it may show the rows from
            # before, so it is stale at once (s-maxage=0). When things were only added
            # (soft purges: an approved comment, a new story), it is still newer than
            # the copy a front cache holds, which it replaces, to serve while the next
            # reader's request refreshes it; on a busy day, a page purged more often
            # than it renders would otherwise never be replaced. When something was
            # removed (a hard purge), it may show what must be gone: not kept at all.
            seconds = 0
            if not hard_purged_since(keys, started):
                stale_while_revalidate = REFRESHED_WHILE_STALE_SECONDS
        # Shared caches (Varnish, a CDN) keep the page until a purge or s-maxage;
        # browsers always revalidate, cheaply by ETag, so a reader sees an approved
        # comment on their next visit.
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
        if stale_while_revalidate:
            patch_cache_control(response, stale_while_revalidate=stale_while_revalidate)
        for header, separator in settings.SURROGATE_KEY_HEADERS:
            response[header] = separator.join(sorted(keys))
        return response


class ReplicaReadsMiddleware:
    """Let anonymous readers' GETs read from a replica (newsroom/dbrouters.py), and
    keep a client that has just written on the primary: a write by a POST (a comment)
    sets a cookie that sends that client's reads to the primary for as long as a usable
    replica may still miss it, so the commenter sees what they posted. Only there when
    replicas are (settings.DATABASE_REPLICAS)."""

    safe_methods = ("GET", "HEAD")

    def __init__(self, get_response):
        if not settings.DATABASE_REPLICAS:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.admin_path = "/" + settings.ADMIN_URL
        self.read_your_writes_seconds = math.ceil(
            settings.DATABASE_REPLICA_MAX_LAG_SECONDS + settings.DATABASE_REPLICA_CHECK_SECONDS
        )

    def __call__(self, request):
        replica_allowed = (
            request.method in self.safe_methods
            and not request.path.startswith(self.admin_path)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and READ_YOUR_WRITES_COOKIE not in request.COOKIES
        )
        with read_routing(replica_allowed=replica_allowed) as routing:
            response = self.get_response(request)
        if routing.wrote and request.method not in self.safe_methods:
            response.set_cookie(
                READ_YOUR_WRITES_COOKIE,
                "1",
                max_age=self.read_your_writes_seconds,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response


class PublicCompressionMiddleware(HttpCompressionMiddleware):
    """Compress what the public reads (pages, feeds, sitemaps) and nothing else, with the
    best coding the client accepts: Zstandard, Brotli (quality 4, as Cloudflare) or gzip
    (django-http-compression).

    Only responses marked public are compressed: they carry no CSRF token, session or
    anything of one reader's, so compression cannot leak a secret through its size
    (BREACH), and they need no random padding either. Varnish, when it is in front,
    keeps each coding it asks for once (deploy/varnish.vcl); without it, the page cache
    keeps the page as rendered and this compresses each answer.
    """

    max_random_bytes = 0

    def maybe_compress(self, request, response):
        if "public" in response.get("Cache-Control", "") and not response.cookies:
            super().maybe_compress(request, response)
            # On the copy sent as it is too (which the library leaves as it is), as
            # Django's GZipMiddleware does: a shared cache must keep the codings apart.
            patch_vary_headers(response, ("Accept-Encoding",))


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy, and on pages (not on
    images, static files or feeds, which other sites and readers may embed)
    Cross-Origin-Resource-Policy, so no other site can load a page as a resource."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RefuseNulMiddleware:
    """Answer 400 to a request with a NUL character in a header or a cookie, or in the
    query string of an admin page.

    HTTP forbids NUL in header fields (RFC 9110, 5.5) and gunicorn refuses them, but not
    every server in front of Django does, and a quoted cookie carries one through any
    server as "\\000". PostgreSQL refuses NUL in text, so the session key or the user
    agent django-axes records for a failed login would otherwise end in a 500.

    The admin passes its filters, searches and autocomplete terms to the database as
    they come: no NUL is a valid one, and refusing it here covers every admin view at
    once, the search box and the autocomplete (a view of the site, not of a ModelAdmin)
    included. Public pages read their few parameters themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        headers = [value for key, value in request.META.items() if key.startswith("HTTP_")]
        if any("\x00" in value for value in [*headers, *request.COOKIES.values()]):
            raise BadRequest("NUL character in a header or cookie")
        if request.path.startswith("/" + settings.ADMIN_URL) and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in an admin query")
        return self.get_response(request)
