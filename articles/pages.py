"""What the public pages show: reads that assemble a page's articles, for any app's views.

Selectors only: they read, and leave requests, templates and headers to the views.
comments/ renders the article page again when a posted comment comes back with errors,
so it assembles that page here too, the same way.
"""

from collections.abc import Sequence
from typing import Any, overload

from django.conf import settings
from django.utils import timezone

from newsroom.cachekeys import cache_key, remembered

from .blocks import expand_body
from .models import Article, ArticleQuerySet

LISTING_PAGE_SIZE = 20  # a page of a section, tag, author, Latest or search results
LATEST_COUNT = 8  # the Latest list, on the home page and beside an article
MORE_ARTICLES_COUNT = 4  # related articles under an article
MOST_READ_COUNT = 5


class ReadWhenShown(Sequence[Article]):
    """Articles read from the database only when a template shows them: a fragment kept
    rendered (newsroom.fragments) leaves them unread and their queries unrun."""

    def __init__(self, queryset: ArticleQuerySet) -> None:
        self.queryset = queryset
        self.rows: list[Article] | None = None

    def read(self) -> list[Article]:
        if self.rows is None:
            self.rows = list(self.queryset)
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
    articles = Article.objects.for_headlines()
    if excluding is not None:
        articles = articles.exclude(pk=excluding.pk)
    return ReadWhenShown(articles[:LATEST_COUNT])


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


def article_page_context(article: Article, *, with_latest: bool = True) -> dict[str, Any]:
    """An article page's context: the article, its body with the blocks expanded
    (articles.blocks; the view passes its frame hosts to the page's
    Content-Security-Policy with blocks.allow_frames), More articles and (unless a front
    cache puts it in, see views.article_detail) the Latest list.

    More articles are earlier stories from the same section or on the same subject: a
    story published later never changes them, so publishing one does not change the
    page of every story in its section.
    """
    published_before = article.published_at or timezone.now()
    more = Article.objects.related_to(
        article, published_before=published_before, count=MORE_ARTICLES_COUNT
    )
    return {
        "article": article,
        # Every ad slot of the page (newsroom's base templates, ads' template tags).
        "no_ads": not article.shows_ads,
        "body": expand_body(article.body),
        "latest": latest_headlines() if with_latest else ReadWhenShown(Article.objects.none()),
        "most_read": most_read_headlines(),
        "more_articles": ReadWhenShown(more),
        "page_type": "article",
        "page_section": article.section,
    }
