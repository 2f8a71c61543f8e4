"""Share links to an article as it stands, signed and expiring, for reviewers without an account."""

from django.conf import settings
from django.core.signing import BadSignature, TimestampSigner

from .models import Article

PREVIEW_SALT = "articles.preview"


def preview_token(article: Article) -> str:
    """The signed token of a share link; it expires after settings.PREVIEW_LINK_MAX_AGE."""
    return TimestampSigner(salt=PREVIEW_SALT).sign(str(article.pk))


def previewed_pk(token: str) -> str | None:
    """The pk of the article a token names; None if it was not signed here or has expired."""
    try:
        return TimestampSigner(salt=PREVIEW_SALT).unsign(
            token, max_age=settings.PREVIEW_LINK_MAX_AGE
        )
    except BadSignature:
        return None
