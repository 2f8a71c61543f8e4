"""Addresses: on the site's canonical host, and the ones a page writes over and over."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def absolute_url(path):
    """`path` on SITE_URL, for feeds, sitemaps, JSON-LD, social cards and share links.

    SITE_URL rather than the request's host or the Sites framework's domain
    (example.com unless someone edits the Site row), so every copy of a page names the
    same address. Addresses that are absolute already (S3 media) are left as they are.
    """
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def reverse_kept(viewname, *, args=(), kwargs=None):
    """reverse(), remembered for the addresses a page writes many times over: a section's
    an author's on every card, a tag's, a block's comment counts. A list page nobody has read
    spent a quarter of each card's writing in reverse() (`make bench --profile unread`).

    Keyed on all that reverse() reads besides its arguments (the URLconf, the script
    prefix, the language), so it answers as reverse() would; only the addresses of a
    few thousand rows are kept, not every story's (Article.get_absolute_url is not)."""
    return _reversed(
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        get_language(),
        viewname,
        tuple(args),
        tuple(sorted((kwargs or {}).items())),
    )


@lru_cache(maxsize=4096)
def _reversed(urlconf, prefix, language, viewname, args, kwargs):
    return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))
