"""What a live article's page and its polling answer show: reads only."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, QuerySet

from articles.models import Article

from .models import LiveEntry, LiveEntryRemoval, with_shown_bodies

LIVE_PAGE_SIZE = 20  # entries per page, the pinned one apart
KEY_EVENTS_COUNT = 12  # the newest key events in the summary
MAX_CHANGES = 50  # more changes than this in one polling answer: the page reloads


@dataclass(frozen=True)
class LivePage:
    pinned: LiveEntry | None  # shown first on the first page only
    entries: list[LiveEntry]  # newest first
    key_events: list[LiveEntry]
    older: LiveEntry | None  # the cursor of the next, older page, if there is one
    before: LiveEntry | None  # this page's cursor; None on the first page

    @property
    def shown_ids(self) -> set[int]:
        return {entry.pk for entry in (*self.entries, self.pinned) if entry is not None}

    @property
    def frame_hosts(self) -> set[str]:
        """The frame hosts of the embeds its entries show, for the page's CSP."""
        shown = [*self.entries, *([self.pinned] if self.pinned else [])]
        return {host for entry in shown for host in entry.shown_body.frame_hosts}

    @property
    def last_updated(self) -> datetime | None:
        """The newest time among the entries shown: "Last updated" without JavaScript."""
        shown = [*self.entries, *([self.pinned] if self.pinned else [])]
        return max((max(e.published_at, e.updated_at) for e in shown), default=None)


def live_page(article: Article, *, before: LiveEntry | None = None) -> LivePage:
    """A page of the article's entries: the first (with the pinned entry), or the one
    older than `before`. Four queries, however many entries there are."""
    stream = LiveEntry.objects.stream(article)
    if before is not None:
        stream = stream.before(before)
    entries = list(stream[: LIVE_PAGE_SIZE + 1])
    pinned = None
    if before is None:
        pinned = (
            LiveEntry.objects.published()
            .filter(article=article, is_pinned=True)
            .with_display_data()
            .first()
        )
    with_shown_bodies([*entries[:LIVE_PAGE_SIZE], *([pinned] if pinned else [])])
    return LivePage(
        pinned=pinned,
        entries=entries[:LIVE_PAGE_SIZE],
        key_events=key_events(article),
        older=entries[LIVE_PAGE_SIZE - 1] if len(entries) > LIVE_PAGE_SIZE else None,
        before=before,
    )


def key_events(article: Article) -> list[LiveEntry]:
    """The summary at the top: the newest key events, newest first (no bodies)."""
    return list(
        LiveEntry.objects.published()
        .filter(article=article, is_key_event=True)
        .only("pk", "title", "published_at", "article_id")
        .newest_first()[:KEY_EVENTS_COUNT]
    )


def live_changed_at(article: Article) -> datetime | None:
    """When the article's entries last changed for readers (for the page's
    Last-Modified): an entry edited, unpublished or falling due, or one deleted. One
    query, the newest of three indexed maxima."""

    def newest(rows: QuerySet[Any], field: str) -> QuerySet[Any]:
        newest_at: QuerySet[Any] = (
            rows.order_by().values("article").annotate(at=Max(field)).values_list("at")
        )
        return newest_at

    times = newest(LiveEntry.objects.filter(article=article), "updated_at").union(
        newest(LiveEntry.objects.published().filter(article=article), "published_at"),
        newest(LiveEntryRemoval.objects.filter(article=article), "removed_at"),
        all=True,
    )
    return max((at for (at,) in times), default=None)


def cursor_containing(entry: LiveEntry) -> LiveEntry | None:
    """The cursor of the page that shows `entry` (None: the first page)."""
    if entry.is_pinned:
        return None
    stream = LiveEntry.objects.stream(entry.article).prefetch_related(None)
    page = stream.newer_than(entry).count() // LIVE_PAGE_SIZE
    return stream[page * LIVE_PAGE_SIZE - 1] if page else None


@dataclass(frozen=True)
class LiveChanges:
    entries: list[LiveEntry]  # public entries new or edited since
    removed: list[int]  # ids of entries readers must take away
    too_many: bool  # the page should reload instead


def changes_since(article: Article, since: datetime) -> LiveChanges:
    """What changed on the article's live page since `since`. Three queries, and two
    for the photos and embeds of the entries' blocks."""
    changed = list(
        LiveEntry.objects.changed_since(article, since)
        .with_display_data()
        .newest_first()[: MAX_CHANGES + 1]
    )
    removed = list(
        LiveEntryRemoval.objects.filter(article=article, removed_at__gte=since).values_list(
            "entry_id", flat=True
        )[: MAX_CHANGES + 1]
    )
    public = with_shown_bodies([entry for entry in changed if entry.is_public])
    hidden = [entry.pk for entry in changed if not entry.is_public]
    return LiveChanges(
        entries=public,
        removed=[*hidden, *removed],
        too_many=len(changed) > MAX_CHANGES or len(removed) > MAX_CHANGES,
    )
