"""Writes with side effects on live entries. The live desk and commands call these."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from reversion import create_revision, set_comment, set_user

from articles.services import body_embeds_fetch

from .models import PUBLISH_ENTRY_PERMISSION, LiveEntry, LiveEntryRemoval

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from articles.models import Author


def can_publish_entries(user: "User | AnonymousUser") -> bool:
    return user.has_perm(PUBLISH_ENTRY_PERMISSION)


def _require_publish_permission(user: "User") -> None:
    if not can_publish_entries(user):
        raise PermissionDenied("Only editors and live editors can publish live entries.")


def _save_version(entry: LiveEntry, by: "User", *, comment: str) -> None:
    """Validate and save, keeping the result as a version in the entry's history.

    Pinning an entry unpins the article's other pinned entry first, in the same
    transaction, so the one-pinned constraint holds and readers never see two.
    """
    published = LiveEntry.Status.PUBLISHED
    entry.was_public = LiveEntry.objects.filter(pk=entry.pk, status=published).exists()
    with create_revision():
        if entry.is_pinned:
            for other in LiveEntry.objects.filter(article=entry.article_id, is_pinned=True).exclude(
                pk=entry.pk
            ):
                other.is_pinned = False
                other.save()
        entry.full_clean()
        entry.save()
        set_user(by)
        if comment:
            set_comment(comment)
    entry.was_public = entry.status == published


@transaction.atomic
def live_entry_save(
    *, entry: LiveEntry, authors: "Iterable[Author] | None" = None, by: "User"
) -> LiveEntry:
    """Save a new or edited entry, refusing to publish or unpublish without the
    permission; `authors` (Authors), if given, replace the entry's authors. The body's
    new embeds are asked about as a story's are (articles.services.body_embeds_fetch)."""
    stored = (
        LiveEntry.objects.filter(pk=entry.pk).values_list("status", flat=True).first()
        if entry.pk
        else None
    )
    if LiveEntry.Status.PUBLISHED in (stored, entry.status):
        # Publishing, unpublishing, and editing what readers see.
        _require_publish_permission(by)
    if entry.pk is None:
        entry.created_by = by
    _save_version(entry, by, comment="")
    if authors is not None:
        entry.authors.set(authors)
    body_embeds_fetch(body=entry.body, by=by)
    return entry


@transaction.atomic
def live_entry_publish(*, entry: LiveEntry, by: "User") -> LiveEntry:
    """Publish an entry: readers see it at its time (at once, unless it is later)."""
    _require_publish_permission(by)
    entry.status = LiveEntry.Status.PUBLISHED
    _save_version(entry, by, comment="Published.")
    return entry


@transaction.atomic
def live_entry_unpublish(*, entry: LiveEntry, by: "User") -> LiveEntry:
    """Take an entry off the page (polling readers' pages too); it goes back to draft."""
    _require_publish_permission(by)
    entry.status = LiveEntry.Status.DRAFT
    entry.is_pinned = False
    _save_version(entry, by, comment="Unpublished.")
    return entry


@transaction.atomic
def live_entry_delete(*, entry: LiveEntry, by: "User") -> None:
    """Delete an entry; a public one is recorded so polling readers remove it too."""
    if entry.status == LiveEntry.Status.PUBLISHED:
        _require_publish_permission(by)
        LiveEntryRemoval.objects.create(article_id=entry.article_id, entry_id=entry.pk)
    entry.delete()
