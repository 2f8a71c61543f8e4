"""Parts of pages kept rendered in the shared cache, so a page rendered anew (a story
nobody has read this hour, the first reader after a change) reuses the parts it shares
with other pages: a story's card on every list, the Latest list beside every story, a
thread of comments.

A fragment is kept like a page in newsroom.pagecache: with the surrogate keys of what it
shows (the ``{% shows %}`` inside it) and the time its render began, and served only
while none of those keys has been purged since, and never past the next scheduled
change. Served from the cache, it still names its keys on the response, so the page
declares what it shows exactly as if it had rendered it.

A fragment may hold **holes**: parts rendered anew for every request that gets it (an
ad slot, whose ad is a weighted choice each time). Inside a fragment being rendered for
the cache, ``hole()`` leaves a marker and notes the call; the fragment is kept as the
text between the markers and the calls, and each request fills them in. A hole inside
a fragment inside another stays a hole of the outer one.

A fragment is kept with the names of the fragments inside it (a list's cards). When a
change to one of them makes it stale, it is rendered anew with the others read from the
cache in one round trip, not one each: a comment approved re-renders each list showing
its story's count with one card rendered and the rest read at once.
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache as once
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.safestring import mark_safe

from newsroom.cachekeys import (
    cache_key,
    keep_entry,
    kept_entries,
    plan_kind,
    read_ahead,
    read_ahead_since,
    reading_as_planned,
    shown_keys,
)
from newsroom.pagecache import fresh_until, page_address, seconds_fresh, seconds_to_next_change

FRAGMENT_PREFIX = "fragment:3:"  # 3: kept with the names of the fragments inside

# Hole renderers by name, registered by the apps that own them (ads: "ad-slot"); each
# is called with the request and the hole's arguments, which are kept with the fragment
# and must pickle.
HOLE_RENDERERS: dict[str, Callable[..., str]] = {}


def hole_renderer(name: str):
    """Register the decorated function as the renderer of holes called `name`."""

    def register(function):
        HOLE_RENDERERS[name] = function
        return function

    return register


class Holes:
    """The holes met while one fragment is rendered for the cache."""

    def __init__(self):
        # Unguessable, so no text a fragment shows (a headline, a comment) can pass
        # for a hole; control characters that the site refuses in what it stores.
        self.marker = f"\x1ehole-{secrets.token_hex(8)}-"
        self.calls: list[tuple[str, tuple]] = []

    def leave(self, name, args):
        self.calls.append((name, args))
        return f"{self.marker}{len(self.calls) - 1}\x1f"

    def split(self, html):
        """The text around the markers, one more part than there are holes. By str.split,
        not re.split: each fragment's marker is new, and compiling its pattern cost more
        than the rest of keeping a card."""
        first, *after = html.split(self.marker)
        return [first, *(part.partition("\x1f")[2] for part in after)]


def hole(request, name, *args):
    """The HTML of hole `name`: rendered now, or a marker when a fragment that holds it is
    being rendered for the cache (then each request that gets the fragment renders it)."""
    holes = getattr(request, "fragment_holes", None)
    if holes is None:
        return HOLE_RENDERERS[name](request, *args)
    return mark_safe(holes.leave(name, args))  # noqa: S308  # nosec B308 B703  # a marker


def filled(request, parts, calls):
    """A kept fragment's text with its holes rendered for `request`."""
    html = [parts[0]]
    for (name, args), after in zip(calls, parts[1:], strict=True):
        html.extend((hole(request, name, *args), after))
    # Rendered by autoescaping templates, as on a miss.
    return mark_safe("".join(html))  # noqa: S308  # nosec B308 B703


@once
def templates_version():
    """A digest of the project's templates, of its template tags, some of which write
    markup (newsroom.markup), and of its forms, whose labels and help texts fragments
    show (the comment form's fields): a deploy that changes one of them starts new
    fragments rather than mixing old markup into new pages."""
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.read_bytes())
    project = Path(settings.BASE_DIR).resolve()
    writers = [Path(__file__).with_name("markup.py")]  # the writers' escaping
    for app_config in apps.get_app_configs():
        app = Path(app_config.path).resolve()
        if app.parent == project:  # the project's own apps
            writers += sorted((app / "templatetags").glob("*.py"))
            writers += sorted(app.glob("forms.py"))
    for path in writers:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def vary_text(value):
    """A value a fragment varies on, as text: rows by their key ("article-12"), lists
    item by item, anything else (numbers, dates, lazy translations) as str() shows it."""
    if hasattr(value, "_meta"):
        return cache_key(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(vary_text(item) for item in value) + "]"
    return repr(str(value)) if value is not None else "None"


def fragment_cache_key(name, vary):
    """The entry of fragment `name` for the values it varies on."""
    values = hashlib.sha256(vary_text(list(vary)).encode()).hexdigest()[:32]
    return f"{FRAGMENT_PREFIX}{name}:{templates_version()}:{values}"


def kept_fragments_rendered_at(request):
    """When the newest fragment the response to `request` took from the cache was
    rendered (nothing it shows changed since), or None: for Last-Modified, when the rows
    such a fragment shows were not read."""
    started = getattr(request, "fragments_rendered_at", None)
    return datetime.fromtimestamp(started, UTC) if started is not None else None


def keeps_parts(request):
    """Whether parts of the response to `request` are kept: not for a preview, which
    shows what no reader sees (request.fragments_off), nor without a request."""
    return (
        request is not None
        and settings.FRAGMENT_CACHE_SECONDS > 0
        and not getattr(request, "fragments_off", False)
    )


def kept_seconds(request):
    """How long a part of the response to `request` (a fragment, a row it shows) may be
    kept: FRAGMENT_CACHE_SECONDS at most, never past the next scheduled change, and 0
    where parts are not kept."""
    return seconds_fresh(request, settings.FRAGMENT_CACHE_SECONDS) if keeps_parts(request) else 0


def kept_row_seconds(request):
    """How long a row that the page at `request`'s path shows whatever its query (its
    story, its section, tag or author, its front's version) may be kept: as a part
    (kept_seconds), and also before the page has said that a cursor in its query names
    a page that exists (pagecache.CHECKED_PARAMETERS). A made-up cursor makes no entry
    of such a row: there is one for the path. So the pages of a deep archive, each
    after a cursor, read their section and its front from the cache."""
    if not keeps_parts(request):
        return 0
    return seconds_to_next_change(request, settings.FRAGMENT_CACHE_SECONDS)


def read_fragments_ahead(request, name, values):
    """Read the kept fragments `name` that vary on each of `values` in one round trip,
    for a loop's fragments on a page that has no plan (a search: its address is not
    kept, so each part would be read on its own)."""
    read_keys_ahead(request, [fragment_cache_key(name, [value]) for value in values])


def read_keys_ahead(request, keys):
    """Read the kept fragments `keys` (fragment_cache_key) in one round trip, for the
    page being rendered to take as it comes to them."""
    if keeps_parts(request):
        read_ahead(keys)


def cached_fragment(request, name, vary, render):
    """The fragment's HTML (safe) from the cache, or from `render()`, a template's
    render (then kept); the keys it shows are noted on `request` either way."""
    if not keeps_parts(request):
        return render()
    key = fragment_cache_key(name, vary)
    outer_inside = getattr(request, "fragments_inside", None)
    if outer_inside is not None:
        outer_inside.append(key)  # a fragment being rendered for the cache holds this one
    # With its keys' purges, in one round trip on Redis; read ahead with the page's others.
    entry, fresh = kept_entries([key]).get(key, (None, False))
    if fresh:
        request.cache_keys = shown_keys(request) | entry.keys
        request.fragments_rendered_at = max(
            getattr(request, "fragments_rendered_at", 0.0), entry.started
        )
        parts, calls, _inside = entry.value
        return filled(request, parts, calls)
    if entry is not None and entry.value[2]:
        read_ahead(entry.value[2])  # stale: what it held is most likely still kept
    started = read_ahead_since()
    outer_keys = shown_keys(request)
    outer_holes = getattr(request, "fragment_holes", None)
    request.cache_keys = set()  # the keys this fragment shows, apart from the page's
    holes = request.fragment_holes = Holes()
    inside = request.fragments_inside = []
    try:
        html = render()
    finally:
        keys = request.cache_keys
        request.cache_keys = outer_keys | keys
        request.fragment_holes = outer_holes
        request.fragments_inside = outer_inside
    parts = holes.split(str(html))
    # Text needs no copy to be kept as it is now (keep_entry's snapshot); a hole's
    # arguments may be rows.
    value = (parts, holes.calls, tuple(inside))
    keep_entry(key, value, keys, started, kept_seconds(request), snapshot=bool(holes.calls))
    return filled(request, parts, holes.calls)


class KeptPartsMiddleware:
    """Read the kept parts of an anonymous reader's page in one round trip: those the
    last request for its address asked for (cachekeys.reading_as_planned), including
    what was worked out about the next scheduled change; for a page without a plan of
    its own (a search has none), those the last such page of its view found kept
    (plan_kind).
    Inside the page cache, so a page it serves reads none. A page is planned only where
    the page cache would keep it (a list's page after a made-up cursor is not), so a
    flood of URLs makes no plans; a kind's plan is written only when what its pages
    find kept changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reader = (
            keeps_parts(request)
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        with reading_as_planned(page_address(request) if reader else None, reader=reader) as reads:
            response = self.get_response(request)
            # Worked out now, while what was read ahead is at hand.
            reads.plan_kept = (
                response.status_code == 200
                and not response.has_header("Cache-Control")  # a preview, the health check
                and fresh_until(request) > 0
            )
            return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        plan_kind(lambda: kind_plan_name(request))


def kind_plan_name(request):
    """The name of the plan shared by the pages of the view `request` resolved to, on
    its host (whose parts' addresses and fragments are its own)."""
    kind = f"{request.scheme}://{request.get_host()} {request.resolver_match.view_name}"
    return "kind:" + hashlib.sha256(kind.encode()).hexdigest()
