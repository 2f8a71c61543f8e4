"""Writes on edit sessions: the heartbeat of an open form, its autosaved data, and
the end of a session when the form was saved."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import EditSession

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FormData = dict[str, str | list[str]]


def presence_since(now: datetime | None = None) -> datetime:
    """Sessions seen since then are open now (a page beats every few seconds)."""
    return (now or timezone.now()) - timedelta(seconds=settings.EDITING_PRESENCE_SECONDS)


@transaction.atomic
def edit_session_beat(*, user: "User", key: str, data: FormData | None = None) -> EditSession:
    """The user has `key` open now, with `data` typed and not saved if given.

    A session not seen for a while starts again (its "since" is now); the data of an
    earlier one stays until it is restored, discarded or saved.
    """
    now = timezone.now()
    session: EditSession
    session, created = EditSession.objects.select_for_update().get_or_create(
        user=user, key=key, defaults={"opened_at": now, "seen_at": now}
    )
    if not created and session.seen_at < presence_since(now):
        session.opened_at = now
    session.seen_at = now
    if data is not None:
        session.data = data
        session.saved_at = now
    session.save()
    return session


def edit_session_discard(*, user: "User", key: str) -> None:
    """Forget the user's unsaved data for `key` (their choice: "Discard")."""
    EditSession.objects.filter(user=user, key=key).update(data=None, saved_at=None)


def edit_session_end(*, user: "User", key: str) -> None:
    """The user saved `key`: their draft is in the object now, and they left it."""
    EditSession.objects.filter(user=user, key=key).delete()


def edit_sessions_prune(*, key: str) -> None:
    """Remove the sessions of `key` that ended and hold no data: presence alone."""
    EditSession.objects.filter(key=key, data__isnull=True, seen_at__lt=presence_since()).delete()


def draft_of(*, user: "User", key: str) -> EditSession | None:
    """The user's unsaved data for `key`, if any."""
    draft: EditSession | None = EditSession.objects.drafts().filter(user=user, key=key).first()
    return draft


def as_form_data(value: Any) -> FormData | None:
    """`value` if it is form data as a page sends it (names to strings or lists of
    strings), else None. NUL, which no form sends and PostgreSQL's jsonb refuses, is
    refused too."""
    if not isinstance(value, dict):
        return None
    for name, item in value.items():
        items = item if isinstance(item, list) else [item]
        if not all(isinstance(part, str) and "\x00" not in part for part in [name, *items]):
            return None
    return value
