"""Parts of pages kept rendered in the shared cache, so a page rendered anew (a story
nobody has read this hour, the first reader after a change) reuses the parts it shares
with other pages: a story's card on every list, the Latest list beside every story, a
thread of comments.

A fragment is kept like a page in newsroom.pagecache: with the surrogate keys of what it
shows (the ``{% shows %}`` inside it) and the time its render began, and served only
while none of those keys has been purged since, and never past the next scheduled
change. Served from the cache, it still names its keys on the response, so the page
declares what it shows exactly as if it had rendered it.
"""

import hashlib
import time
from datetime import UTC, datetime
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

from newsroom.cachekeys import cache_key, purged_since, shown_keys
from newsroom.pagecache import seconds_fresh

FRAGMENT_PREFIX = "fragment:"


@once
def templates_version():
    """A digest of the project's templates: a deploy that changes one of them starts
    new fragments rather than mixing old markup into new pages."""
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
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


def cached_fragment(request, name, vary, render):
    """The fragment's HTML (safe) from the cache, or from `render()`, a template's
    render (then kept); the keys it shows are noted on `request` either way."""
    most = settings.FRAGMENT_CACHE_SECONDS
    if request is None or most <= 0:
        return render()
    key = fragment_cache_key(name, vary)
    entry = cache.get(key)
    if entry is not None and not purged_since(entry["keys"], entry["started"]):
        request.cache_keys = shown_keys(request) | entry["keys"]
        request.fragments_rendered_at = max(
            getattr(request, "fragments_rendered_at", 0.0), entry["started"]
        )
        # Rendered by an autoescaping template, as on a miss.
        return mark_safe(entry["html"])  # noqa: S308  # nosec B308 B703
    started = time.time()
    outer = shown_keys(request)
    request.cache_keys = set()  # the keys this fragment shows, apart from the page's
    try:
        html = render()
    finally:
        keys = request.cache_keys
        request.cache_keys = outer | keys
    timeout = seconds_fresh(request, most)
    if timeout and not purged_since(keys, started):
        cache.set(key, {"html": str(html), "keys": keys, "started": started}, timeout)
    return html
