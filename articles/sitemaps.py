"""Sitemaps: one per month of stories, listed by the index with the month's last change,
and one each for the sections, authors and tags.

Each is a range read of an index however long the archive: no COUNT and no OFFSET over
the whole table (see month_sitemaps for what the index costs).
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from newsroom.cachekeys import shows

from .models import LATEST_KEY, SECTIONS_KEY, Article, Author, Section, Tag

NEWS_SITEMAP_AGE = timedelta(days=2)


class Sitemap(BaseSitemap):
    """Absolute URLs on the canonical SITE_URL, whatever host the request came in on."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section", "hero_photo")
            .only(
                "slug", "headline", "published_at", "significant_update_at", "updated_at",
                "section__slug", "hero_photo__image", "hero_photo__width", "hero_photo__height",
                "hero_photo__renditions", "hero_photo__licence_ends_at",
            )
            .order_by("-published_at", "-pk")
        )  # fmt: skip

    def lastmod(self, item):
        # The last significant update, as Google asks of lastmod ("not the copyright
        # date"): a typo fix does not send crawlers back. To the second:
        # articles/sitemap.xml writes a full W3C datetime.
        return item.modified_at.replace(microsecond=0)

    def get_latest_lastmod(self):
        # Django's default loads every item to find the newest; the index asks on each
        # request. Article.modified_at, in SQL.
        modified = Greatest("published_at", Coalesce("significant_update_at", "published_at"))
        return self.items().aggregate(latest=Max(modified))["latest"]


class RecentArticleSitemap(ArticleSitemap):
    """The newest stories, at /sitemap-articles.xml: the address of the one articles
    sitemap before there was one per month, kept for the links to it. No longer in the
    index, and one page only: its later pages read past a million rows."""

    def items(self):
        return super().items()[: self.limit]


class ArticleMonthSitemap(ArticleSitemap):
    """The stories published in one month (in the site's time zone), read as a range of
    the index on publication time."""

    limit = 50_000  # Google's most per sitemap: a month in one page (see month_sitemaps)

    def __init__(self, year: int, month: int):
        self.start = month_start(year, month)
        self.end = month_start(year + month // 12, month % 12 + 1)

    def items(self):
        return super().items().filter(published_at__gte=self.start, published_at__lt=self.end)


class NewsSitemap(ArticleSitemap):
    """Google News: published articles of the last two days, with their publication data."""

    limit = 1000

    def items(self):
        return super().items().filter(published_at__gte=timezone.now() - NEWS_SITEMAP_AGE)


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


class AuthorSitemap(Sitemap):
    def items(self):
        # One probe of the bylines' index per author, not a DISTINCT over every byline.
        published = Article.objects.published().filter(bylines__author=OuterRef("pk"))
        return Author.objects.filter(Exists(published)).order_by("pk")


class TagSitemap(Sitemap):
    def items(self):
        return Tag.objects.in_use().order_by("pk")


# The sitemaps of sections, authors and tags, at /sitemap-<name>.xml; "articles" is
# the newest stories' (RecentArticleSitemap), left out of the index.
SITEMAPS = {
    "articles": RecentArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
INDEXED_SITEMAPS = ["sections", "authors", "tags"]


def month_start(year: int, month: int) -> datetime:
    """Midnight on the month's first day, in the site's time zone."""
    return datetime(year, month, 1, tzinfo=timezone.get_current_timezone())


def month_sitemaps() -> list[tuple[datetime, datetime]]:
    """Each month with published stories, oldest first, and when the last of them was
    published or significantly updated (their sitemap's lastmod).

    Three queries whatever the archive's size, none reading it whole: the first and
    last publication times (two probes of the index); one probe per month for its
    newest story, in a single statement (120 probes for ten years); and the months of
    stories updated significantly since, from a partial index that holds those alone.
    A GROUP BY month over every story would read the whole index instead.
    """
    published = Article.objects.published()
    span = published.aggregate(first=Min("published_at"), last=Max("published_at"))
    if span["first"] is None:
        return []
    first, last = timezone.localtime(span["first"]), timezone.localtime(span["last"])
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(month_start(year, month))
        year, month = year + month // 12, month % 12 + 1

    def newest_in(start, end):
        stories = published.filter(published_at__gte=start)
        if end is not None:  # else the month under way
            stories = stories.filter(published_at__lt=end)
        return Subquery(stories.order_by("-published_at").values("published_at")[:1])

    ends = [*months[1:], None]
    newest = {
        f"m{number}": newest_in(start, end)
        for number, (start, end) in enumerate(zip(months, ends, strict=True))
    }
    # On the newest story's row (read from the index), though any row would do.
    row = published.order_by("-published_at").annotate(**newest).values(*newest)[0]
    updated = dict(
        published.filter(significant_update_at__isnull=False)
        .annotate(month=TruncMonth("published_at"))
        .values_list("month")
        .annotate(last=Max("significant_update_at"))
        .order_by()
    )
    return [
        (start, max(filter(None, [row[f"m{number}"], updated.get(start)])).replace(microsecond=0))
        for number, start in enumerate(months)
        if row[f"m{number}"] is not None
    ]


@sitemap_views.x_robots_tag
def index(request):
    """The sitemap index: a sitemap per month of stories, with its lastmod, then those of
    the sections, authors and tags; every address on SITE_URL."""
    shows(request, LATEST_KEY, SECTIONS_KEY)
    site = settings.SITE_URL.rstrip("/")
    items = [
        sitemap_views.SitemapIndexItem(
            site
            + reverse(
                "sitemap-articles-month", kwargs={"year": f"{start:%Y}", "month": f"{start:%m}"}
            ),
            lastmod,
        )
        for start, lastmod in month_sitemaps()
    ]
    items += [
        sitemap_views.SitemapIndexItem(site + reverse("sitemap-section", args=[name]), None)
        for name in INDEXED_SITEMAPS
    ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


def sitemap(request, sitemaps, **kwargs):
    """Django's sitemap view. Sitemaps list stories, sections, authors and tags: a story
    published or changed, or a section, author or tag renamed, purges them."""
    shows(request, LATEST_KEY, SECTIONS_KEY)
    response = sitemap_views.sitemap(request, sitemaps, **kwargs)
    # Stories list their photo (articles/sitemap.xml) while its licence lasts: one
    # extended brings it back (no sitemap is kept past a licence's end either).
    photos = {
        getattr(url["item"], "hero_photo_id", None) for url in response.context_data["urlset"]
    }
    shows(request, *(f"photo-{pk}" for pk in photos if pk is not None))
    return response


def month_sitemap(request, year, month):
    """The stories of one month (/sitemap-articles-2024-03.xml); a month without any is
    a 404."""
    site = ArticleMonthSitemap(int(year), int(month))
    if not site.items().exists():
        raise Http404("No stories that month.")
    return sitemap(
        request, {"articles": site}, section="articles", template_name="articles/sitemap.xml"
    )
