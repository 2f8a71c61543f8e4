"""Share links to an article as it stands, signed and expiring, for reviewers without an account."""

from django.conf import settings
from django.core.signing import BadSignature, TimestampSigner

from .models import Article

PREVIEW_SALT = "articles.preview"


def signed_pk(pk: int, *, salt: str) -> str:
    """A share link's token for the row `pk` of what `salt` names (an article, a front)."""
    return TimestampSigner(salt=salt).sign(str(pk))


def unsigned_pk(token: str, *, salt: str) -> str | None:
    """The pk a token names; None if it was not signed here for `salt` or has expired
    (after settings.PREVIEW_LINK_MAX_AGE)."""
    try:
        return TimestampSigner(salt=salt).unsign(token, max_age=settings.PREVIEW_LINK_MAX_AGE)
    except BadSignature:
        return None


def preview_token(article: Article) -> str:
    """The signed token of a share link; it expires after settings.PREVIEW_LINK_MAX_AGE."""
    return signed_pk(article.pk, salt=PREVIEW_SALT)


def previewed_pk(token: str) -> str | None:
    """The pk of the article a token names; None if it was not signed here or has expired."""
    return unsigned_pk(token, salt=PREVIEW_SALT)
