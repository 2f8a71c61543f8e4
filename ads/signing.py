"""Signed tokens for ad clicks and impressions: which creative, in which placement.

A token never carries a URL: a click always goes to the creative's own address as
stored, so a link cannot be bent into an open redirect.
"""

import time

from django.core import signing

CLICK_SALT = "ads.click"
IMPRESSION_SALT = "ads.impression"
CLICK_MAX_AGE = 7 * 24 * 3600  # cached pages and open tabs keep working this long
IMPRESSION_MAX_AGE = 2 * 24 * 3600


def make_token(creative_id, placement_id, *, salt):
    """Sign (creative, placement, the hour it was made).

    The time is kept to the hour, not the second, so a page's HTML (and its ETag)
    stays the same while its ads do.
    """
    return signing.Signer(salt=salt).sign_object([creative_id, placement_id, token_hour()])


def token_hour():
    """The hour tokens made now name."""
    return int(time.time()) // 3600


def read_token(token, *, salt, max_age=None):
    """(creative_id, placement_id), or raise signing.BadSignature / SignatureExpired."""
    try:
        value = signing.Signer(salt=salt).unsign_object(token)
    except (ValueError, TypeError) as error:  # signed, but not by make_token
        raise signing.BadSignature("Malformed ad token") from error
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, int) for v in value)):
        raise signing.BadSignature("Malformed ad token")
    creative_id, placement_id, hour = value
    if max_age is not None and time.time() - hour * 3600 > max_age:
        raise signing.SignatureExpired("Ad token is too old")
    return creative_id, placement_id


def read_token_or_expired(token, *, salt, max_age):
    """(creative_id, placement_id, expired): a token past max_age is still read, since
    its signature is good, so the page it came from is known; raise BadSignature else."""
    try:
        return (*read_token(token, salt=salt, max_age=max_age), False)
    except signing.SignatureExpired:
        return (*read_token(token, salt=salt), True)
