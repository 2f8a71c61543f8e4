"""Writes with side effects. Admin actions, views and commands call these, never save() directly."""

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import connection, transaction
from django.utils import timezone
from reversion import create_revision, set_comment, set_user

from newsroom.beacons import add_one, first_sight, is_bot

from .blocks import embed_urls
from .embeds import EmbedError, Provider, fetch, oembed_fetch, provider_for
from .images import Rendition, make_crops, make_renditions, normalise_image
from .models import (
    PUBLISH_PERMISSION,
    Article,
    ArticleSlugRedirect,
    ArticleTag,
    BreakingNews,
    Byline,
    Embed,
    HourlyViews,
    Photo,
    view_hour,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

logger = logging.getLogger(__name__)


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
def article_save(*, article: Article, by: "User", significant_update: bool = False) -> Article:
    """Validate and save an article, refusing status changes the user may not make.

    `significant_update`: the editor says the change matters to readers, so the story's
    “Updated” time (and dateModified, the feeds' and sitemap's times) moves to now; it
    does for a story readers can already see, never for one not yet out. Any other
    change (a typo fixed) leaves them as they were, and is still kept as a version.

    The body's new embeds are asked about once it is saved (article_embeds_fetch,
    within the embed timeout and size limits); article_embed_warnings says which
    readers will see as a link.
    """
    previous = _stored(article)
    if significant_update and article.was_public_before():
        article.significant_update_at = timezone.now()
    if article.pk is None:
        article.created_by = by
    if changes_publication(previous["status"] if previous else None, article.status):
        _require_publish_permission(by)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    _record_address_change(article, previous)
    _stamp_coverage_end(article)
    _save_version(article, by, comment="")
    article_embeds_fetch(article=article, by=by)
    return article


def _stamp_coverage_end(article: Article) -> None:
    """Closed coverage keeps the time it ended (the live page's coverageEndTime)."""
    if article.coverage != Article.Coverage.CLOSED:
        article.coverage_ended_at = None
    elif article.coverage_ended_at is None:
        article.coverage_ended_at = timezone.now()


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
    if not rendition.ratio:
        return f"photos/renditions/{photo.pk}/{rendition.width}w.{rendition.extension}"
    # Named after the focal point too: a crop made around a new point gets a new address,
    # so no browser or cache keeps showing the old one.
    ratio = rendition.ratio.replace(":", "x")
    focal = f"{round(photo.focal_x * 1000):03d}-{round(photo.focal_y * 1000):03d}"
    return f"photos/renditions/{photo.pk}/{ratio}-{focal}-{rendition.width}w.{rendition.extension}"


def _stored_focal_point(photo: Photo) -> tuple[float, float] | None:
    """The photo's focal point as stored before this save; None for a new photo."""
    if photo.pk is None:
        return None
    return Photo.objects.filter(pk=photo.pk).values_list("focal_x", "focal_y").first()


@transaction.atomic
def photo_save(*, photo: Photo, by: "User | None" = None) -> Photo:
    """Save a photo; a new upload is re-encoded without metadata and its renditions and
    crops are made, and a moved focal point makes its crops anew (photo_recrop).

    If storing any file fails, every file written so far is removed again (and the
    storage leaves no part of the one that failed: newsroom.storage), so a full disk
    leaves neither orphans nor a photo pointing at missing renditions.
    """
    if photo.pk is None:
        photo.created_by = by
    new_upload = bool(photo.image) and not photo.image._committed
    if not new_upload:
        refocused = _stored_focal_point(photo) not in (None, photo.focal_point)
        photo.full_clean()
        photo.save()
        if refocused:
            photo_recrop(photo=photo)
        return photo

    with _removed_on_failure(photo.image.storage) as written:
        normalised = normalise_image(photo.image)
        stem = Path(photo.image.name).stem[:80] or "photo"
        photo.image.save(f"{stem}.{normalised.extension}", normalised.content, save=False)
        written.append(photo.image.name)
        photo.full_clean()
        photo.save()
        renditions = make_renditions(normalised.content, widths=settings.PHOTO_RENDITION_WIDTHS)
        renditions += make_crops(
            normalised.content, crops=settings.PHOTO_CROPS, focal=photo.focal_point
        )
        photo.renditions = _store_renditions(photo, renditions, written)
        photo.save(update_fields=["renditions"])
    return photo


def article_embeds_fetch(*, article: Article, by: "User | None" = None) -> list[str]:
    """Ask the providers about the embeds in the body not asked about yet (or that could
    not be asked last time), keeping what they say (an Embed each); the story is saved
    either way. Returns a warning for each embed that readers will see as a plain link.

    article_save calls it, so every path that saves a story through the service gets
    its embeds; `manage.py refresh_embeds` catches up on the rest (and on stale ones).
    """
    return body_embeds_fetch(body=article.body, by=by)


def article_embed_warnings(*, article: Article) -> list[str]:
    """What the editor should know about the body's embeds: those readers see as a
    plain link, because the provider is not allowed or could not be asked."""
    return body_embed_warnings(body=article.body)


def body_embeds_fetch(*, body: str, by: "User | None" = None) -> list[str]:
    """article_embeds_fetch for any rich text with the story body's blocks (a live
    entry's too)."""
    urls = embed_urls(body)
    known = set(Embed.objects.filter(url__in=urls, error="").values_list("url", flat=True))
    for url in urls:
        if url not in known and (provider := provider_for(url)) is not None:
            embed_fetch(url=url, provider=provider, by=by)
    return body_embed_warnings(body=body)


def body_embed_warnings(*, body: str) -> list[str]:
    """article_embed_warnings for any rich text with the story body's blocks."""
    urls = embed_urls(body)
    errors = dict(Embed.objects.filter(url__in=urls).values_list("url", "error"))
    warnings = []
    for url in urls:
        provider = provider_for(url)
        if provider is None:
            warnings.append(
                f"{url} is not from a provider embeds are allowed from, so readers see a link."
            )
        elif problem := errors.get(url, "not asked yet"):
            warnings.append(
                f"{provider.name} could not be asked about {url} ({problem}), so readers "
                "see a link for now; saving it again tries again."
            )
    return warnings


@dataclass(frozen=True)
class EmbedAsked:
    embed: Embed
    problem: str  # why the provider could not be asked this time; "" if it answered


def embed_fetch(*, url: str, provider: Provider, by: "User | None" = None) -> EmbedAsked:
    """Ask `provider` about `url` and keep the answer, or why there is none.

    A post its provider answered about before keeps that answer when asking again
    fails: a provider down for a moment does not turn a working player into a link.
    A new thumbnail replaces the old one, which leaves the photo library.
    """
    embed = Embed.objects.filter(url=url).first() or Embed(url=url)
    embed.provider = provider.key
    try:
        answer = oembed_fetch(url, provider)
    except EmbedError as error:
        if embed.pk is not None and not embed.error:
            return EmbedAsked(embed, str(error))
        embed.fetched_at = timezone.now()
        embed.error = str(error)[:300]
        embed.frame_url = ""
        embed.full_clean()
        embed.save()
        return EmbedAsked(embed, embed.error)
    embed.fetched_at = timezone.now()
    embed.error = ""
    embed.title, embed.author_name = answer.title, answer.author_name
    embed.width, embed.height = answer.width, answer.height
    embed.frame_url = answer.frame_url
    replaced = None
    if thumbnail := _embed_thumbnail(answer.thumbnail_url, provider, answer.title, by):
        replaced, embed.thumbnail = embed.thumbnail, thumbnail
    embed.full_clean()
    embed.save()
    if replaced is not None:
        replaced.delete()  # its files go with `manage.py prune_media`
    return EmbedAsked(embed, "")


def _embed_thumbnail(url: str, provider: Provider, title: str, by: "User | None") -> Photo | None:
    """The provider's thumbnail as one of our photos (re-encoded, without metadata, in
    renditions), so that the reader's placeholder asks nothing of the provider."""
    if not url:
        return None
    try:
        data = fetch(url, limit=settings.PHOTO_MAX_UPLOAD_BYTES)
        photo = Photo(
            image=ContentFile(data, name=f"{provider.key}-thumbnail"),
            is_decorative=True,  # the placeholder's text says what it is
            caption=title[:500],
            credit=provider.name,
        )
        return photo_save(photo=photo, by=by)
    except (EmbedError, ValidationError):
        logger.info("No thumbnail from %s for %s", provider.name, url, exc_info=True)
        return None


@transaction.atomic
def photo_recrop(*, photo: Photo) -> Photo:
    """Make the photo's crops (settings.PHOTO_CROPS) anew around its focal point, from
    its stored image; the previous crops' files are removed once this commits (any
    that cannot be are left to `manage.py prune_media`). Renditions of the whole
    picture are kept as they are."""
    storage = photo.image.storage
    previous = [r["name"] for r in photo.renditions if r.get("ratio")]
    with _removed_on_failure(storage) as written, photo.image.open("rb") as image:
        crops = make_crops(image, crops=settings.PHOTO_CROPS, focal=photo.focal_point)
        whole = [r for r in photo.renditions if not r.get("ratio")]
        photo.renditions = whole + _store_renditions(photo, crops, written)
        photo.save(update_fields=["renditions"])
    transaction.on_commit(lambda: _remove_files(storage, previous))
    return photo


def _store_renditions(
    photo: Photo, renditions: list[Rendition], written: list[str]
) -> list[dict[str, Any]]:
    """Store each rendition, noting its name in `written`; their entries for
    Photo.renditions."""
    entries = []
    for rendition in renditions:
        name = photo.image.storage.save(_rendition_name(photo, rendition), rendition.content)
        written.append(name)
        entry = {
            "width": rendition.width,
            "height": rendition.height,
            "format": rendition.format,
            "name": name,
        }
        if rendition.ratio:
            entry["ratio"] = rendition.ratio
        entries.append(entry)
    return entries


@contextmanager
def _removed_on_failure(storage: Storage) -> Iterator[list[str]]:
    """A list to note each file written in; if the block fails, they are removed."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        _remove_files(storage, written)
        raise


def _remove_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # the store itself failing: remove the others all the same
            logger.exception("Could not remove %s; `manage.py prune_media` will.", name)


@transaction.atomic
def breaking_news_publish(*, banner: BreakingNews, by: "User") -> BreakingNews:
    """Put a banner up now, ending the one up before it: one banner at a time, and
    replacing it is this one step."""
    now = timezone.now()
    banner.starts_at = now
    banner.created_by = by
    banner.full_clean()
    for previous in BreakingNews.objects.showing().select_for_update():
        _end_banner(previous, now)
    banner.save()
    return banner


@transaction.atomic
def breaking_news_end(*, banner: BreakingNews, by: "User") -> BreakingNews:
    """Take a banner down now, before its end time."""
    if banner.ends_at > timezone.now():
        _end_banner(banner, timezone.now())
    return banner


def _end_banner(banner: BreakingNews, now: datetime) -> None:
    # A banner ends after it starts (a constraint), even one ended the instant it went up.
    banner.ends_at = max(now, banner.starts_at + timedelta(microseconds=1))
    banner.save(update_fields=["ends_at"])


def article_view_record(
    *, article_id: int, client: str, user_agent: str, cross_site: bool = False
) -> bool:
    """Count a reader's view of a story for Most read; True if counted.

    Not counted: a beacon from another site's page, a bot, or a repeat (the same client,
    newsroom.clients.client_hash, for the same story within half an hour), as for ad
    impressions (newsroom.beacons); nor a story readers cannot see.
    """
    if cross_site or is_bot(user_agent):
        return False
    if not first_sight(client=client, thing=f"story {article_id}"):
        return False
    return add_one(
        HourlyViews,
        key={"article_id": article_id, "hour": view_hour(timezone.now())},
        field="views",
        may_insert=lambda: Article.objects.published().filter(pk=article_id).exists(),
    )


# A story's publication time while it is published, else NULL: what its links copy.
PUBLISHED_TIME = "CASE WHEN a.status = %s THEN a.published_at END"


def publication_copies_repair(*, batch: int = 50_000) -> int:
    """Put right the copies of stories' publication times on their tags' and bylines'
    rows (ArticleTag, Byline.published_at) that differ from their story's; returns how
    many were wrong.

    The database's triggers keep the copies on every write, so only rows written with
    them off need this: a bulk load under PostgreSQL's session_replication_role =
    replica, a restore with --disable-triggers. One UPDATE per `batch` rows, each
    committed on its own when run outside a transaction (`manage.py
    repair_publication_copies`), so that no lock is held on millions of rows.
    """
    repaired = 0
    with connection.cursor() as cursor:
        for table in (ArticleTag._meta.db_table, Byline._meta.db_table):
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608  # nosec B608
            (last,) = cursor.fetchone()
            # The tables are ours (the models' own names); the status is a parameter.
            copy = (
                f"(SELECT {PUBLISHED_TIME} FROM articles_article a WHERE a.id = {table}.article_id)"  # noqa: S608  # nosec B608
            )
            for first in range(1, last + 1, batch):
                cursor.execute(
                    f"UPDATE {table} SET published_at = {copy} "  # noqa: S608  # nosec B608
                    f"WHERE id BETWEEN %s AND %s AND published_at IS DISTINCT FROM {copy}",
                    [Article.Status.PUBLISHED, first, first + batch - 1, Article.Status.PUBLISHED],
                )
                repaired += cursor.rowcount
    return repaired
