"""Share links to a front's draft as it stands, signed and expiring like a story's
(articles.previews), for reviewers without an account."""

from articles.previews import signed_pk, unsigned_pk

from .models import Front

PREVIEW_SALT = "fronts.preview"


def front_preview_token(front: Front) -> str:
    """The signed token of a share link; it expires after settings.PREVIEW_LINK_MAX_AGE."""
    return signed_pk(front.pk, salt=PREVIEW_SALT)


def previewed_front_pk(token: str) -> str | None:
    """The pk of the front a token names; None if it was not signed here or has expired."""
    return unsigned_pk(token, salt=PREVIEW_SALT)
