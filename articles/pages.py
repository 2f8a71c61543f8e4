"""What the public pages show: reads that assemble a page's articles, for any app's views.

Selectors only: they read, and leave requests, templates and headers to the views.
comments/ renders the article page again when a posted comment comes back with errors,
so it assembles that page here too, the same way.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, overload
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.db.models.fields.tuple_lookups import (  # type: ignore[import-untyped]
    Tuple,
    TupleGreaterThanOrEqual,
    TupleLessThan,
)
from django.http import Http404, QueryDict
from django.utils import timezone

from newsroom.cachekeys import cache_key, remembered
from newsroom.prepared import PreparedRead

from .blocks import Body, expand_body
from .models import ARTICLE_SLUG_MAX_LENGTH, Article, ArticleQuerySet

LISTING_PAGE_SIZE = 20  # a page of a section, tag, author, Latest or search results
# Lists were once numbered (?page=N), and those links are out there: the first pages
# are still read by number (an OFFSET of at most 980 rows of the index), the rest only
# through cursors. The page cache keeps the first newsroom.pagecache.MAX_CACHED_PAGE.
LAST_NUMBERED_PAGE = 50
LATEST_COUNT = 8  # the Latest list, on the home page and beside an article
MORE_ARTICLES_COUNT = 4  # related articles under an article
MOST_READ_COUNT = 5
LATEST_HEADLINES = PreparedRead(
    lambda excluded, now: Article.objects.for_headlines(now=now).exclude(pk__in=excluded)[
        :LATEST_COUNT
    ]
)
# The published story at a slug, with what its page shows beside it (story_for_page).
STORY_AT = PreparedRead(lambda slug, now: Article.objects.for_detail(now=now).filter(slug=slug))


class ReadWhenShown(Sequence[Article]):
    """Articles read from the database only when a template shows them: a fragment kept
    rendered (newsroom.fragments) leaves them unread and their queries unrun."""

    def __init__(self, queryset: ArticleQuerySet | Callable[[], Iterable[Article]]) -> None:
        # A queryset, or what builds it: building one costs as much CPU as reading it.
        self.queryset = queryset
        self.rows: list[Article] | None = None

    def read(self) -> list[Article]:
        if self.rows is None:
            queryset = self.queryset() if callable(self.queryset) else self.queryset
            self.rows = list(queryset)
        return self.rows

    def read_so_far(self) -> list[Article]:
        """The articles if a template has read them, else none."""
        return self.rows or []

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...

    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        return self.read()[index]

    def __len__(self) -> int:
        return len(self.read())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self.read() == list(other)

    __hash__ = None  # type: ignore[assignment]


def latest_headlines(*, excluding: Article | None = None) -> ReadWhenShown:
    """The Latest list beside a story or the home page's front: the newest headlines,
    but `excluding` (the front's lead, shown already)."""
    excluded = [excluding.pk] if excluding is not None else []
    return ReadWhenShown(lambda: LATEST_HEADLINES(excluded, timezone.now()))


def most_read_headlines() -> list[Article]:
    """The Most read list (home page and beside a story), with each story's views.

    Its counts change with every view, so pages are not purged for them: the list is
    kept for settings.MOST_READ_CACHE_SECONDS and reaches cached pages as they are
    rendered again (within PAGE_CACHE_SECONDS / PUBLIC_CACHE_SECONDS, or sooner when
    anything they show changes). A story listed that is edited or taken down drops the
    list at once, as it does the pages showing it.
    """
    articles: list[Article] = remembered(
        "articles:most-read",
        compute=lambda: list(Article.objects.most_read()[:MOST_READ_COUNT]),
        keys_of=lambda articles: {cache_key(article) for article in articles},
        seconds=settings.MOST_READ_CACHE_SECONDS,
    )
    return articles


class Story(NamedTuple):
    article: Article
    body: Body
    # Its row was read from the database for this page, not kept: its comment count is
    # as current as a read of the count alone (comments.counts.thread_count) would be.
    read_now: bool


def story_for_page(slug: str, *, seconds: int) -> Story | None:
    """The published story at `slug`, with its body's blocks expanded, or None.

    Kept in the shared cache (cachekeys.remembered) for `seconds` at most, and until the
    story, its section or a photo or an embed it shows changes: a story page whose
    parts are kept too (newsroom.fragments) asks the database nothing. Not until its
    thread changes: the page reads the thread's count with the thread
    (comments.counts.thread_count), so an approval leaves the story kept. A story not
    found is not kept.
    """
    if len(slug) > ARTICLE_SLUG_MAX_LENGTH:
        return None  # no story has it (and it would make too long a cache key)

    read_now = False

    def read() -> tuple[Article, Body] | None:
        nonlocal read_now
        read_now = True
        rows = STORY_AT(slug, timezone.now())
        return (rows[0], expand_body(rows[0].body)) if rows else None

    def shown(story: tuple[Article, Body] | None) -> set[str] | None:
        if story is None:
            return None
        article, body = story
        rows = [article.section, article.hero_photo, article.social_image, *body.photos]
        return {
            cache_key(article),
            *(cache_key(row) for row in [*rows, *body.embeds] if row is not None),
        }

    story: tuple[Article, Body] | None = remembered(
        f"story:{slug}", compute=read, keys_of=shown, seconds=seconds
    )
    return Story(*story, read_now=read_now) if story is not None else None


def page_subject(queryset: Any, slug: str, *, seconds: int) -> Any:
    """The section, tag or author a page is about, by its slug, or Http404. Kept in the
    shared cache (cachekeys.remembered) for `seconds` at most, and until the row or its
    photo changes: a list page whose list is kept too asks the database nothing for
    it. A slug not found is not kept."""
    model = queryset.model
    if len(slug) > model._meta.get_field("slug").max_length:
        raise Http404(f"No {model._meta.verbose_name} at this address.")

    def shown(row: Any) -> set[str] | None:
        if row is None:
            return None
        photo = getattr(row, "photo", None)
        return {cache_key(row), *([cache_key(photo)] if photo is not None else [])}

    row = remembered(
        f"{model._meta.model_name}:{slug}",
        compute=lambda: queryset.filter(slug=slug).first(),
        keys_of=shown,
        seconds=seconds,
    )
    if row is None:
        raise Http404(f"No {model._meta.verbose_name} at this address.")
    return row


def article_page_context(
    article: Article, *, body: Body | None = None, read_now: bool = False
) -> dict[str, Any]:
    """An article page's context: the article, its body with the blocks expanded
    (articles.blocks, unless given; the view passes its frame hosts to the page's
    Content-Security-Policy with blocks.allow_frames) and More articles. The Latest list
    beside it is filled in in the browser (views.latest_fragment).

    More articles are earlier stories from the same section or on the same subject: a
    story published later never changes them, so publishing one does not change the
    page of every story in its section.

    `read_now`: the article's row was just read from the database (Story.read_now), so
    the thread under it takes its count from the row (comments' article_comments tag).
    """
    published_before = article.published_at or timezone.now()
    return {
        "article": article,
        "article_read_now": read_now,
        # Every ad slot of the page (newsroom's base templates, ads' template tags).
        "no_ads": not article.shows_ads,
        "body": body or expand_body(article.body),
        "most_read": most_read_headlines(),
        "more_articles": ReadWhenShown(
            lambda: Article.objects.related_to(
                article, published_before=published_before, count=MORE_ARTICLES_COUNT
            )
        ),
        "page_type": "article",
        "page_section": article.section,
    }


# A cursor names the story a page follows: its publication time in UTC, to the
# microsecond when it has any, and its id, which breaks ties ("20240305T102000Z-8121").
# It carries both rather than the id alone so that a page is one range read of the
# index, and stays a page when its story is taken down. Only characters that need no
# escaping in a URL; 34 of them at most with ids of up to ten digits.
CURSOR = re.compile(r"([0-9]{8}T[0-9]{6})(?:\.([0-9]{6}))?Z-([1-9][0-9]{0,17})")


@dataclass(frozen=True)
class ListingCursor:
    published_at: datetime
    pk: int

    @classmethod
    def parse(cls, value: str) -> "ListingCursor | None":
        """The cursor a ``?before=`` value names, or None if it names none."""
        match = CURSOR.fullmatch(value)
        if match is None:
            return None
        stamp, micro, pk = match.groups()
        try:
            moment = datetime.strptime(stamp + "+0000", "%Y%m%dT%H%M%S%z")
        except ValueError:  # month 13, year 0…
            return None
        return cls(moment.replace(microsecond=int(micro or 0)), int(pk))

    @classmethod
    def of(cls, article: Article) -> "ListingCursor":
        return cls(article.published_at, article.pk)  # type: ignore[arg-type]  # listed: published

    def __str__(self) -> str:
        moment = self.published_at.astimezone(UTC)
        micro = f".{moment.microsecond:06d}" if moment.microsecond else ""
        return f"{moment:%Y%m%dT%H%M%S}{micro}Z-{self.pk}"

    def query(self) -> str:
        return "?" + urlencode({"before": str(self)})


# A row comparison of a listing's keys (ArticleQuerySet.for_listing: the story's time and
# id, or their copies on a tag's links), (listed_at, listed_pk) against a cursor's:
# PostgreSQL reads the index from that point on, and estimates the rows left from the
# time alone (an OR of the two conditions is estimated far too small, and planned as a
# sort of everything older).
NEWEST_FIRST = Tuple(F("listed_at"), F("listed_pk"))


class PreparedListing:
    """A list of stories, newest first, that pages show LISTING_PAGE_SIZE at a time:
    `build(now, *values)`, a for_listing() queryset of the stories published by `now`.
    Its three reads are prepared (newsroom.prepared: compiled once), so that a page
    nobody has read compiles no SQL. `of(*values)` is one list of the kind (Listing)."""

    def __init__(self, build: Callable[..., ArticleQuerySet]) -> None:
        size = LISTING_PAGE_SIZE + 1  # one more, to tell whether a page follows
        self.from_start = PreparedRead(
            lambda now, *values, start: build(now, *values)[start : start + size]
        )
        # The cursor's story and the stories above it, nearest first: the page before
        # ends with it (one query, from the index too). The keys are the story's time
        # and id.
        self.behind = PreparedRead(
            lambda at, pk, now, *values: (
                build(now, *values)
                .filter(TupleGreaterThanOrEqual(NEWEST_FIRST, (at, pk)))
                .order_by("listed_at", "listed_pk")
                .values_list("published_at", "pk")[:size]
            )
        )
        self.after = PreparedRead(
            lambda at, pk, now, *values: build(now, *values).filter(
                TupleLessThan(NEWEST_FIRST, (at, pk))
            )[:size]
        )

    def of(self, *values: Any) -> "Listing":
        return Listing(self, values)


@dataclass(frozen=True)
class Listing:
    """One list of a PreparedListing's kind (a section's, a tag's...), by its values."""

    reads: PreparedListing
    values: tuple

    def from_start(self, start: int) -> list[Article]:
        """The page's stories from the `start`th (and one more)."""
        return self.reads.from_start(timezone.now(), *self.values, start=start)

    def behind(self, cursor: "ListingCursor") -> list[tuple[datetime, int]]:
        return self.reads.behind(cursor.published_at, cursor.pk, timezone.now(), *self.values)

    def after(self, cursor: "ListingCursor") -> list[Article]:
        return self.reads.after(cursor.published_at, cursor.pk, timezone.now(), *self.values)


LATEST_LISTING = PreparedListing(lambda now: Article.objects.for_listing(now=now))
# A section's stories but those of its front, shown above the list (`excluded`).
SECTION_LISTING = PreparedListing(
    lambda now, section_id, excluded: (
        Article.objects.for_listing(now=now).filter(section_id=section_id).exclude(pk__in=excluded)
    )
)
TAG_LISTING = PreparedListing(
    lambda now, tag_id: Article.objects.for_listing(now=now).tagged(tag_id, now=now)
)
AUTHOR_LISTING = PreparedListing(
    lambda now, author_id: Article.objects.for_listing(now=now).by_author(author_id, now=now)
)


@dataclass(frozen=True)
class ListingPage:
    """A page of a listing, with the queries ("?before=…", "" for the first page) of
    the pages either side: None when there is none."""

    articles: list[Article]
    query: str
    newer: str | None
    older: str | None
    # The page starts after a story of the list, as every link to a page does: false
    # for a made-up cursor, which is answered but never kept by a cache.
    is_real: bool

    @property
    def is_first(self) -> bool:
        return self.query == ""

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def listing_page(articles: Listing, parameters: QueryDict) -> "ListingPage | PageAfterCursor":
    """The page of `articles` (newest first) that a listing's query names: the first,
    the one after a cursor (``?before=``), or one of the first numbered ones
    (``?page=``). Never a COUNT, never an OFFSET past LAST_NUMBERED_PAGE's: the page
    after a cursor is read from the index where the cursor points, however deep. A
    value that names no page is a 404."""
    before, number = parameters.get("before"), parameters.get("page")
    if before is not None and number is not None:
        raise Http404("A page is named by its cursor or its number, not both.")
    if before is not None:
        cursor = ListingCursor.parse(before)
        if cursor is None:
            raise Http404("No such page.")
        return PageAfterCursor(articles, cursor)
    if number is None or number == "1":
        return _numbered_page(articles, 1)
    if not (number.isascii() and number.isdigit() and 1 < int(number) <= LAST_NUMBERED_PAGE):
        raise Http404(
            f"Pages past the {LAST_NUMBERED_PAGE}th are reached by their “Older stories” links."
        )
    return _numbered_page(articles, int(number))


class FirstListingPage:
    """A listing's first page, read only when a template shows it: a page whose list is
    kept rendered (newsroom.fragments; publishing or taking down a story purges its
    list's key) reads nothing. `when_empty`, if given, is raised (an Http404) when
    the list turns out to have no story."""

    query = ""
    newer = None
    is_real = True
    is_first = True

    def __init__(self, articles: Listing, *, when_empty: Exception | None = None):
        self._articles = articles
        self._when_empty = when_empty
        self._page: ListingPage | None = None
        self.articles = ReadWhenShown(lambda: self.read().articles)

    def read(self) -> ListingPage:
        if self._page is None:
            page = _numbered_page(self._articles, 1)
            if not page.articles and self._when_empty is not None:
                raise self._when_empty
            self._page = page
        return self._page

    @property
    def older(self) -> str | None:
        return self.read().older

    @property
    def has_other_pages(self) -> bool:
        return self.read().has_other_pages


def is_first_listing_page(parameters: QueryDict) -> bool:
    """Whether a listing's query names its first page (no cursor, no page past 1)."""
    return "before" not in parameters and parameters.get("page", "1") == "1"


def _numbered_page(articles: Listing, number: int) -> ListingPage:
    rows = articles.from_start((number - 1) * LISTING_PAGE_SIZE)
    shown = rows[:LISTING_PAGE_SIZE]
    if number > 1 and not shown:
        raise Http404("No such page.")
    newer = None if number == 1 else ("" if number == 2 else f"?page={number - 1}")
    return ListingPage(
        articles=shown,
        query="" if number == 1 else f"?page={number}",
        newer=newer,
        older=ListingCursor.of(shown[-1]).query() if len(rows) > LISTING_PAGE_SIZE else None,
        is_real=True,
    )


class PageAfterCursor:
    """The page of a listing after a cursor (``?before=``). Where it starts is checked
    at once, from the index alone: whether the cursor names a story of the list (only
    then may caches keep it) and where the page before starts. Its stories are read
    only when a template shows them: a page whose list is kept rendered
    (newsroom.fragments) reads none. A cursor with no story after it is a 404 then."""

    is_first = False

    def __init__(self, articles: Listing, cursor: ListingCursor) -> None:
        behind = articles.behind(cursor)
        self.query = cursor.query()
        self.newer: str | None = None
        if len(behind) > LISTING_PAGE_SIZE:
            self.newer = ListingCursor(*behind[LISTING_PAGE_SIZE]).query()
        elif behind:
            self.newer = ""
        self.is_real = bool(behind) and behind[0] == (cursor.published_at, cursor.pk)
        self._rows = ReadWhenShown(lambda: articles.after(cursor))
        self.articles = ReadWhenShown(self._shown)

    def _shown(self) -> list[Article]:
        rows = self._rows.read()
        if not rows:
            raise Http404("No stories after this one.")
        return rows[:LISTING_PAGE_SIZE]

    @property
    def older(self) -> str | None:
        rows = self._rows.read()
        if len(rows) <= LISTING_PAGE_SIZE:
            return None
        return ListingCursor.of(rows[LISTING_PAGE_SIZE - 1]).query()

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None
