"""Signed, expiring links in e-mails to commenters.

A link names a CommenterAddress by its opaque token, never by the address, and carries
no comment text. Each purpose signs with its own salt, so a link made for one thing
(stop notices) opens nothing else (the commenter's data).
"""

import enum

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.urls import reverse

from .models import CommenterAddress


class LinkPurpose(enum.StrEnum):
    CONFIRM = "comments:notices-confirm"
    UNSUBSCRIBE = "comments:notices-unsubscribe"
    DATA = "comments:data"

    @property
    def max_age(self) -> int:
        """How long a link for this purpose works, in seconds."""
        seconds: int = {
            LinkPurpose.CONFIRM: settings.COMMENTS_CONFIRM_LINK_MAX_AGE,
            LinkPurpose.UNSUBSCRIBE: settings.COMMENTS_UNSUBSCRIBE_LINK_MAX_AGE,
            LinkPurpose.DATA: settings.COMMENTS_DATA_LINK_MAX_AGE,
        }[self]
        return seconds


class LinkRefused(Exception):
    """A link that was changed, has expired, or names an address we no longer hold."""

    def __init__(self, *, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _signer(purpose: LinkPurpose) -> TimestampSigner:
    return TimestampSigner(salt=f"newsroom.{purpose}")


def address_link(address: CommenterAddress, purpose: LinkPurpose) -> str:
    """The absolute URL, for an e-mail, of the page `purpose` names for this address."""
    token = _signer(purpose).sign(address.token)
    url: str = settings.SITE_URL + reverse(purpose.value, args=[token])
    return url


def address_from_link(token: str, purpose: LinkPurpose) -> CommenterAddress:
    """The address a link's token names; LinkRefused if it was not signed here for this
    purpose, has expired, or its address was forgotten (erased, pruned)."""
    signer = _signer(purpose)
    try:
        opaque = signer.unsign(token, max_age=purpose.max_age)
    except SignatureExpired:
        raise LinkRefused(expired=True) from None
    except BadSignature:
        raise LinkRefused(expired=False) from None
    address: CommenterAddress | None = CommenterAddress.objects.filter(token=opaque).first()
    if address is None:
        raise LinkRefused(expired=False)
    return address
