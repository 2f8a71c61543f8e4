"""Signed tokens for ad clicks and impressions: which creative, in which placement.

A token never carries a URL: a click always goes to the creative's own address as
stored, so a link cannot be bent into an open redirect.
"""

from django.core import signing

CLICK_SALT = "ads.click"
IMPRESSION_SALT = "ads.impression"
CLICK_MAX_AGE = 7 * 24 * 3600  # cached pages and open tabs keep working this long
IMPRESSION_MAX_AGE = 2 * 24 * 3600


def make_token(creative_id, placement_id, *, salt):
    return signing.dumps([creative_id, placement_id], salt=salt)


def read_token(token, *, salt, max_age=None):
    """(creative_id, placement_id), or raise signing.BadSignature / SignatureExpired."""
    value = signing.loads(token, salt=salt, max_age=max_age)
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise signing.BadSignature("Malformed ad token")
    return value[0], value[1]
