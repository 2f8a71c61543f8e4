"""What an editing page needs from the desk: its key, a signed token for the autosave
endpoint, who else has it open, and the user's draft to restore."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core import signing
from django.db import models
from django.http import HttpRequest
from django.urls import reverse

from . import services
from .models import EditSession

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SESSION_SALT = "editing.session"
# Asks the editing page to fill its form with the user's draft.
RESTORE_PARAM = "restore_draft"
NEW = "new"


def edit_key(model: type[models.Model] | models.Model, pk: Any = None, *, within: str = "") -> str:
    """The key of an object being edited, "articles.article:12"; of a new one, "…:new",
    with `within` naming where it is made (a new live entry of one article's desk)."""
    opts = model._meta
    name = f"{opts.app_label}.{opts.model_name}"
    if pk is None:
        return f"{name}:{NEW}@{within}" if within else f"{name}:{NEW}"
    return f"{name}:{pk}"


def session_token(*, user: "User", key: str) -> str:
    """What the page sends with each heartbeat: the key, signed for this user alone, so
    the endpoint needs no permission of its own (the page that gave it checked them)."""
    return signing.dumps({"user": user.pk, "key": key}, salt=SESSION_SALT, compress=True)


def read_token(token: str, *, user: "User") -> str | None:
    """The key a token names if it was given to `user` lately, else None."""
    try:
        payload = signing.loads(
            token, salt=SESSION_SALT, max_age=settings.EDITING_TOKEN_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.pk:
        return None
    key = payload.get("key")
    return key if isinstance(key, str) else None


def is_shared(key: str) -> bool:
    """Whether others may have the same thing open: an existing object, not a new one."""
    return not key.split(":", 1)[1].startswith(NEW)


def user_name(user: "User") -> str:
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class Editor:
    name: str
    since: datetime


def editors_present(*, key: str, user: "User") -> list[Editor]:
    """Everyone else who has `key` open now, longest first."""
    if not is_shared(key):
        return []
    sessions = EditSession.objects.present(key, since=services.presence_since()).exclude(user=user)
    return [Editor(name=user_name(s.user), since=s.opened_at) for s in sessions]


@dataclass(frozen=True)
class Desk:
    token: str
    editors: list[Editor]
    draft: EditSession | None
    restored: bool
    restore_url: str
    page_url: str
    discard_url: str
    autosave_url: str
    autosave_seconds: int
    count_field: str
    full_height: bool
    words_per_minute: int


def open_desk(
    request: HttpRequest, *, key: str, count_field: str = "body", full_height: bool = False
) -> Desk:
    """The user opens `key` for editing: they count as present from now on."""
    user = cast("User", request.user)  # admin views: signed in
    draft = services.draft_of(user=user, key=key)
    services.edit_sessions_prune(key=key)
    services.edit_session_beat(user=user, key=key)
    query = request.GET.copy()
    query.pop(RESTORE_PARAM, None)
    page_url = f"{request.path}?{query.urlencode()}" if query else request.path
    query[RESTORE_PARAM] = "1"
    return Desk(
        token=session_token(user=user, key=key),
        editors=editors_present(key=key, user=user),
        draft=draft,
        restored=draft is not None and RESTORE_PARAM in request.GET,
        restore_url=f"{request.path}?{query.urlencode()}",
        page_url=page_url,
        discard_url=reverse("editing:discard"),
        autosave_url=reverse("editing:autosave"),
        autosave_seconds=settings.EDITING_AUTOSAVE_SECONDS,
        count_field=count_field,
        full_height=full_height,
        words_per_minute=settings.READING_WORDS_PER_MINUTE,
    )


def draft_to_restore(request: HttpRequest, *, key: str) -> EditSession | None:
    """The user's draft of `key` when the page was asked to restore it."""
    if request.method != "GET" or RESTORE_PARAM not in request.GET:
        return None
    return services.draft_of(user=cast("User", request.user), key=key)
