"""Addresses: on the site's canonical host, and the ones a page writes over and over."""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter
from django.utils.translation import get_language


def absolute_url(path):
    """`path` on SITE_URL, for feeds, sitemaps, JSON-LD, social cards and share links.

    SITE_URL rather than the request's host or the Sites framework's domain
    (example.com unless someone edits the Site row), so every copy of a page names the
    same address. Addresses that are absolute already (S3 media) are left as they are.
    """
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def reverse_kept(viewname, *, args=(), kwargs=None):
    """reverse(), remembered, for the addresses a page writes many times over: a
    section's and an author's on every card, a block's comment counts, a story's tags.
    Each card reversed three or four of them, a quarter of the CPU of writing it
    (cProfile of cards written in a loop).

    Keyed on all that reverse() reads besides its arguments: the URL resolver (a new one
    when the URLconf changes or Django's URL caches are cleared), the script prefix and
    the language, so it answers as reverse() does. Arguments other than strings and
    integers are left to reverse() (1 and 1.0 would share an entry). Only a few thousand
    addresses are kept: a story's own is not, there are a million (but see
    reverse_kept_but_slug)."""
    return _reverse_kept_in(_reversed, viewname, args, kwargs)


def _reverse_kept_in(kept, viewname, args, kwargs):
    arguments = [*args, *(kwargs or {}).values()]
    if not all(type(argument) in (str, int) for argument in arguments):
        return reverse(viewname, args=args, kwargs=kwargs)
    return kept(
        get_resolver(get_urlconf()),
        get_script_prefix(),
        get_language(),
        viewname,
        tuple(args),
        tuple(sorted((kwargs or {}).items())),
    )


def _reverse(resolver, prefix, language, viewname, args, kwargs):
    return reverse(viewname, urlconf=resolver.urlconf_name, args=args, kwargs=dict(kwargs))


_reversed = lru_cache(maxsize=4096)(_reverse)
# Apart, so that a crawl of the archive's days does not push the cards' section, author
# and tag addresses out.
_reversed_before_slug = lru_cache(maxsize=4096)(_reverse)


# What Django's slug path converter matches: characters reverse() leaves unquoted.
SLUG = re.compile(SlugConverter.regex)


def reverse_kept_but_slug(viewname, *, kwargs):
    """reverse() of an address that ends in its `slug` (and a slash): all before the slug
    kept as reverse_kept keeps addresses (the 4,096 used last), the slug put in. A story's
    address: a million slugs, but a page's cards share a few sections and days, and
    reverse() was a large part of writing a card (`make bench --profile unread`, a
    section archive page nobody has read). A slug reverse() would refuse is left to it."""
    slug = kwargs["slug"]
    if not (isinstance(slug, str) and SLUG.fullmatch(slug)):
        return reverse(viewname, kwargs=kwargs)
    # "-" is a slug of its own: the last one in the address is where the slug goes.
    address = _reverse_kept_in(_reversed_before_slug, viewname, (), {**kwargs, "slug": "-"})
    before, after = address.rsplit("-", 1)
    return f"{before}{slug}{after}"
