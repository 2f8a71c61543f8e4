"""Addresses on the site's canonical host."""

from django.conf import settings


def absolute_url(path):
    """`path` on SITE_URL, for feeds, sitemaps, JSON-LD, social cards and share links.

    SITE_URL rather than the request's host or the Sites framework's domain
    (example.com unless someone edits the Site row), so every copy of a page names the
    same address. Addresses that are absolute already (S3 media) are left as they are.
    """
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"
