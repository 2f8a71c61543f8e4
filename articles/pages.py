"""What the public pages show: reads that assemble a page's articles, for any app's views.

Selectors only: they read, and leave requests, templates and headers to the views.
comments/ renders the article page again when a posted comment comes back with errors,
so it assembles that page here too, the same way.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import Article, Section

LISTING_PAGE_SIZE = 20  # a page of a section, tag, author, Latest or search results
LATEST_COUNT = 8  # the Latest list, on the home page and beside an article
MUST_READ_COUNT = 4
SECTION_BLOCK_SIZE = 4  # articles per section on the home page
MORE_ARTICLES_COUNT = 4  # related articles under an article


@dataclass(frozen=True)
class FrontPage:
    lead: Article | None  # the newest article with a photo, else the newest
    latest: list[Article]
    must_read: list[Article]
    section_blocks: list[tuple[Section, list[Article]]]  # in section order; no empty block
    sections: list[Section]  # every section, for the navigation too

    @property
    def articles(self) -> list[Article]:
        """Every article the page shows, for its Last-Modified."""
        lead = [self.lead] if self.lead is not None else []
        blocks = [article for _section, block in self.section_blocks for article in block]
        return [*lead, *self.latest, *self.must_read, *blocks]


def front_page() -> FrontPage:
    """The home page: a lead, the latest, the must-reads, then a block per section.

    An article appears once: the section blocks leave out the lead and the must-reads.
    """
    recent = list(Article.objects.for_listing()[: LATEST_COUNT + 1])
    lead = next(
        (article for article in recent if article.hero_photo_id), recent[0] if recent else None
    )
    latest = [article for article in recent if article != lead][:LATEST_COUNT]
    must_read = list(
        Article.objects.must_read().exclude(pk=getattr(lead, "pk", None))[:MUST_READ_COUNT]
    )
    above_the_fold = [article.pk for article in (lead, *must_read) if article is not None]
    ranked = (
        Article.objects.for_listing()
        .exclude(pk__in=above_the_fold)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("section_id"),
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=SECTION_BLOCK_SIZE)
    )
    by_section: dict[int, list[Article]] = {}
    for article in ranked:
        by_section.setdefault(article.section_id, []).append(article)
    sections = list(Section.objects.all())
    return FrontPage(
        lead=lead,
        latest=latest,
        must_read=must_read,
        section_blocks=[
            (section, by_section[section.pk]) for section in sections if section.pk in by_section
        ],
        sections=sections,
    )


def latest_headlines() -> list[Article]:
    """The Latest list beside a story: the newest headlines."""
    return list(Article.objects.for_headlines()[:LATEST_COUNT])


def article_page_context(article: Article, *, with_latest: bool = True) -> dict[str, Any]:
    """An article page's context: the article, More articles and (unless a front cache
    puts it in, see views.article_detail) the Latest list.

    More articles are earlier stories from the same section or on the same subject: a
    story published later never changes them, so publishing one does not change the
    page of every story in its section.
    """
    published_before = article.published_at or timezone.now()
    more = list(
        Article.objects.related_to(article).filter(published_at__lt=published_before)[
            :MORE_ARTICLES_COUNT
        ]
    )
    return {
        "article": article,
        "latest": latest_headlines() if with_latest else [],
        "more_articles": more,
        "page_type": "article",
        "page_section": article.section,
    }
