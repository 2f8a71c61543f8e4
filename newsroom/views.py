import sys
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
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


def bad_request(request, exception):
    """The 400 page. When the body itself was refused (too big, too many fields, a
    charset other than UTF-8, multipart without a boundary), Django never parsed it:
    what was typed is read back from the start of the raw body and shown to be copied,
    so a reader's comment is not lost with the request.

    Like the 500 page it needs no database: malformed requests cost nothing to answer.
    """
    typed = [field for field in given_back(raw_fields(request)) if field["is_text"]]
    context = {"SITE_NAME": settings.SITE_NAME, "typed": typed[:TYPED_FIELDS_SHOWN]}
    response = HttpResponseBadRequest(loader.render_to_string("400.html", context))
    patch_cache_control(response, no_store=True)
    return response


# Fields whose values never go back into a page.
SECRET_FIELD_WORDS = ("password", "secret")
LONG_FIELD_CHARACTERS = 80
# How much of a refused body is read to give it back: more than any comment or story,
# and a bound on what a malformed request can make the 400 page read and show.
RAW_BODY_BYTES = 256 * 1024
TYPED_FIELDS_SHOWN = 20
# More than the proxy lets through (deploy/nginx.conf: client_max_body_size 25m).
DRAINED_BODY_BYTES = 32 * 1024 * 1024


def unsent_fields(request):
    """A failed POST's fields, for the error page to give back: what was typed shows
    (so it can be copied as well as sent again), the rest goes in hidden inputs."""
    if request.method != "POST":
        return []
    try:
        fields = list(request.POST.lists())
    except (SuspiciousOperation, MultiPartParserError, OSError):
        return []  # the body itself was the problem: there is nothing to give back
    return given_back((name, value) for name, values in fields for value in values)


def given_back(fields):
    """Fields as an error page gives them back, secrets left out."""
    return [
        {
            "name": name,
            "value": value,
            # Words are what people type; ids, hashes and timestamps have no spaces.
            "is_text": any(character.isspace() for character in value),
            "is_long": len(value) > LONG_FIELD_CHARACTERS or "\n" in value,
        }
        for name, value in fields
        if not any(word in name.lower() for word in SECRET_FIELD_WORDS)
    ]


def raw_body_start(request):
    """Up to RAW_BODY_BYTES of a POST's body as it came, if it can still be had."""
    if request.method != "POST":
        return b""
    try:
        return request.body[:RAW_BODY_BYTES]  # read already, or small enough to read
    except RequestDataTooBig:
        start = request.read(RAW_BODY_BYTES)  # refused unread: its start is still there
        drain(request)
        return start
    except (RawPostDataException, OSError, ValueError):
        return b""  # a parser consumed it, the client went away, or no length was given


def drain(request):
    """Read and drop what is left of a refused body, up to DRAINED_BODY_BYTES. A server
    that answers before reading the whole body and then closes the connection resets it,
    and the proxy in front, still sending, may lose the answer (a 502, not the 400 page)."""
    left = DRAINED_BODY_BYTES
    try:
        while left > 0 and (chunk := request.read(min(left, 64 * 1024))):
            left -= len(chunk)
    except OSError:
        pass  # the client went away: there is no one left to answer


def raw_fields(request):
    """(name, value) pairs parsed from the start of the raw body, urlencoded or
    multipart (the boundary from the header, or else from the body's first line);
    the last may be cut short. Decoded with the charset the client named, if any,
    replacing what does not decode."""
    body, charset = raw_body_start(request), request.encoding or "utf-8"
    if request.content_type == "application/x-www-form-urlencoded":
        pairs = (piece.partition(b"=")[::2] for piece in body.split(b"&"))
        return [
            (
                decoded(unquote_plus_bytes(name), charset),
                decoded(unquote_plus_bytes(value), charset),
            )
            for name, value in pairs
        ]
    if request.content_type != "multipart/form-data":
        return []
    boundary = request.content_params.get("boundary", "").encode("latin-1", "ignore")
    if not boundary and body.startswith(b"--"):
        boundary = body.split(b"\r\n", 1)[0][2:]
    if not boundary:
        return []
    fields = []
    for part in body.split(b"--" + boundary)[1:]:
        headers, _blank, value = part.partition(b"\r\n\r\n")
        disposition = headers.decode("latin-1")
        if 'name="' not in disposition or "filename=" in disposition:
            continue
        name = disposition.split('name="', 1)[1].split('"', 1)[0]
        fields.append((name, decoded(value.removesuffix(b"\r\n"), charset)))
    return fields


def unquote_plus_bytes(data: bytes) -> bytes:
    return unquote_to_bytes(data.replace(b"+", b" "))


def decoded(data: bytes, charset: str) -> str:
    """Text in the client's charset; UTF-8 when that names no text encoding (rot13)."""
    try:
        return data.decode(charset, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def same_site_path(request):
    """The request's path as a form action that can only point back at this site."""
    return "/" + request.get_full_path().lstrip("/\\")
