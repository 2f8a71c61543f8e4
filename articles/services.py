"""Writes with side effects. Admin actions, views and commands call these, never save() directly."""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from reversion import create_revision, set_comment, set_user

from .images import Rendition, make_renditions, normalise_image
from .models import PUBLISH_PERMISSION, Article, ArticleSlugRedirect, Photo

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def can_publish(user: "User | AnonymousUser") -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def _require_publish_permission(user: "User") -> None:
    if not can_publish(user):
        raise PermissionDenied("Only editors can publish, schedule or unpublish articles.")


def changes_publication(old_status: str | None, new_status: str) -> bool:
    """Publishing, scheduling or unpublishing, which only editors may do: the status
    moves to or from Published (`old_status` is None for a new article)."""
    published = Article.Status.PUBLISHED
    return old_status != new_status and published in (old_status, new_status)


def _stored(article: Article) -> Mapping[str, Any] | None:
    """The article's slug and status as stored before this save; None for a new one."""
    if article.pk is None:
        return None
    return Article.objects.filter(pk=article.pk).values("slug", "status").first()


def _record_address_change(article: Article, previous: Mapping[str, Any] | None) -> None:
    """Keep the old slug of a published article as a permanent redirect to its new one.

    Section and date changes need no record: the article view finds the article by
    slug and redirects any stale section or date to the canonical address.
    """
    if previous is None or previous["slug"] == article.slug:
        return
    # The new slug may have been an old address of this article: it is live again.
    ArticleSlugRedirect.objects.filter(old_slug=article.slug).delete()
    if previous["status"] == Article.Status.PUBLISHED:
        ArticleSlugRedirect.objects.update_or_create(
            old_slug=previous["slug"], defaults={"article": article}
        )


@transaction.atomic
def article_save(*, article: Article, by: "User") -> Article:
    """Validate and save an article, refusing status changes the user may not make."""
    previous = _stored(article)
    if article.pk is None:
        article.created_by = by
    if changes_publication(previous["status"] if previous else None, article.status):
        _require_publish_permission(by)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    _record_address_change(article, previous)
    _save_version(article, by, comment="")
    return article


def _save_version(article: Article, by: "User | None", *, comment: str) -> None:
    """Validate and save, keeping the result as a version in the article's history.

    Inside the admin this joins the admin's own revision (which names the changed
    fields); elsewhere, such as bulk actions, it makes one of its own.
    """
    with create_revision():
        article.full_clean()
        article.save()
        if by is not None and by.is_authenticated:
            set_user(by)
        if comment:
            set_comment(comment)


@transaction.atomic
def article_publish(*, article: Article, by: "User", at: datetime | None = None) -> Article:
    """Publish now, or schedule for `at` (a future time): the article appears by itself then."""
    _require_publish_permission(by)
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    _record_address_change(article, _stored(article))
    scheduled = article.published_at > timezone.now()
    _save_version(article, by, comment="Scheduled." if scheduled else "Published.")
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by: "User") -> Article:
    """Take an article off the site; it goes back to draft and keeps its publish time."""
    _require_publish_permission(by)
    article.status = Article.Status.DRAFT
    _save_version(article, by, comment="Unpublished.")
    return article


def _rendition_name(photo: Photo, rendition: Rendition) -> str:
    return f"photos/renditions/{photo.pk}/{rendition.width}w.{rendition.extension}"


@transaction.atomic
def photo_save(*, photo: Photo, by: "User | None" = None) -> Photo:
    """Save a photo; a new upload is re-encoded without metadata and its renditions are made.

    If storing any file fails, every file written so far is removed again, so a
    full disk leaves neither orphans nor a photo pointing at missing renditions.
    """
    if photo.pk is None:
        photo.created_by = by
    new_upload = bool(photo.image) and not photo.image._committed
    if not new_upload:
        photo.full_clean()
        photo.save()
        return photo

    storage = photo.image.storage
    written: list[str] = []
    try:
        normalised = normalise_image(photo.image)
        stem = Path(photo.image.name).stem[:80] or "photo"
        photo.image.save(f"{stem}.{normalised.extension}", normalised.content, save=False)
        written.append(photo.image.name)
        photo.full_clean()
        photo.save()
        renditions = []
        for rendition in make_renditions(
            normalised.content, widths=settings.PHOTO_RENDITION_WIDTHS
        ):
            name = storage.save(_rendition_name(photo, rendition), rendition.content)
            written.append(name)
            renditions.append(
                {
                    "width": rendition.width,
                    "height": rendition.height,
                    "format": rendition.format,
                    "name": name,
                }
            )
        photo.renditions = renditions
        photo.save(update_fields=["renditions"])
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return photo
