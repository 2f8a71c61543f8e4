"""Sitemaps: one per month of stories, listed by the index with the month's last change,
and one each for the sections, authors and tags.

Each is a range read of an index however long the archive: no COUNT and no OFFSET over
the whole table (see month_sitemaps for what the index costs).

The stories' sitemaps (the newest 5,000, a month's, Google News') are defined as
django.contrib.sitemaps classes but written by story_sitemap() rather than by the
framework, which loads a model instance per URL, reverse()s each one's address, renders
a template node per URL and COUNTs the rows for its paginator first: ~250 ms of CPU and
18 MB for the newest 2,000 stories, a month at a million stories up to 345 ms.
story_sitemap() reads the few columns a URL needs and joins escaped strings into the
bytes the framework sends (tests/articles/test_sitemap_writer.py compares the two on the
same stories). The index and the small sitemaps of sections, authors and tags stay on
the framework.
"""

from datetime import datetime, timedelta
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db import connection
from django.db.models import DateTimeField, Exists, Max, Min, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from newsroom.cachekeys import shows
from newsroom.links import absolute_url

from .models import LATEST_KEY, SECTIONS_KEY, Article, Author, Photo, Section, Tag

NEWS_SITEMAP_AGE = timedelta(days=2)
# Article.modified_at, in SQL.
MODIFIED_AT = Greatest("published_at", Coalesce("significant_update_at", "published_at"))


class Sitemap(BaseSitemap):
    """Absolute URLs on the canonical SITE_URL, whatever host the request came in on."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class ArticleSitemap(Sitemap):
    """The stories' sitemaps. items() and lastmod() say what they list, as the framework
    reads a sitemap; rows() and url_elements() write the same (see the module's
    docstring), and story_sitemap() serves them."""

    limit = 5000
    empty_is_missing = False  # True: an empty first page is a 404, not an empty urlset
    urlset = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
    )

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
        # date"): a typo fix does not send crawlers back. To the second: the sitemap
        # writes a full W3C datetime.
        return item.modified_at.replace(microsecond=0)

    def get_latest_lastmod(self):
        # Django's default loads every item to find the newest; the index asks on each
        # request.
        return self.items().aggregate(latest=Max(MODIFIED_AT))["latest"]

    def rows(self):
        """items() as the values a story's <url> is written from, in the same order:
        named tuples of STORY_COLUMNS."""
        return self.items().annotate(modified=MODIFIED_AT).values_list(*STORY_COLUMNS, named=True)

    def url_elements(self, rows):
        """Each story's <url>: its address, lastmod and photo while its licence lasts,
        as articles/sitemap.xml writes a story's."""
        locations = StoryLocations(self)
        images = photo_images(row.hero_photo_id for row in rows)
        local = timezone.get_current_timezone()  # for timezone.localtime()'s work, unchecked
        for slug, section, published_at, modified, photo_id, _headline in rows:
            published = published_at.astimezone(local)
            lastmod = modified.astimezone(local).replace(microsecond=0).isoformat()
            yield (
                f"<url><loc>{locations.of(section, published, slug)}</loc>"
                f"<lastmod>{lastmod}</lastmod>{images.get(photo_id, '')}</url>"
            )


class RecentArticleSitemap(ArticleSitemap):
    """The newest stories, at /sitemap-articles.xml: the address of the one articles
    sitemap before there was one per month, kept for the links to it. No longer in the
    index, and one page only: its later pages read past a million rows."""

    def items(self):
        return super().items()[: self.limit]


class ArticleMonthSitemap(ArticleSitemap):
    """The stories published in one month (in the site's time zone), read as a range of
    the index on publication time. A month without any has no sitemap (a 404)."""

    limit = 50_000  # Google's most per sitemap: a month in one page (see month_sitemaps)
    empty_is_missing = True

    def __init__(self, year: int, month: int):
        self.start = month_start(year, month)
        self.end = month_start(year + month // 12, month % 12 + 1)

    def items(self):
        return super().items().filter(published_at__gte=self.start, published_at__lt=self.end)


class NewsSitemap(ArticleSitemap):
    """Google News: published articles of the last two days, with their publication data."""

    limit = 1000
    urlset = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    )

    def items(self):
        return super().items().filter(published_at__gte=timezone.now() - NEWS_SITEMAP_AGE)

    def url_elements(self, rows):
        """Each story's <url> with its <news:news>, as the news sitemap's template wrote
        them (its text is kept in tests/articles/test_sitemap_writer.py)."""
        locations = StoryLocations(self)
        publication = (
            f"<news:publication><news:name>{escape(settings.SITE_NAME)}</news:name>"
            "<news:language>en</news:language></news:publication>"
        )
        local = timezone.get_current_timezone()
        for slug, section, published_at, _modified, _photo_id, headline in rows:
            published = published_at.astimezone(local)
            yield (
                f"<url><loc>{locations.of(section, published, slug)}</loc><news:news>"
                f"{publication}<news:publication_date>{published.isoformat()}"
                f"</news:publication_date><news:title>{escape(headline)}</news:title>"
                "</news:news></url>"
            )


# What ArticleSitemap.rows() reads of a story ("modified": Article.modified_at), in the
# order url_elements() unpacks them.
STORY_COLUMNS = ("slug", "section__slug", "published_at", "modified", "hero_photo_id", "headline")


class StoryLocations:
    """Stories' addresses on the sitemap's site, escaped for XML, as
    Article.get_absolute_url() gives them: the detail route,
    <section>/<year>/<month>/<day>/<slug>/ (the day in the site's time zone), written
    out under the URLconf's root, which alone is reverse()d. A reverse() a story (~40
    µs) was a sixth of the framework's sitemap; tests/articles/test_sitemap_writer.py
    fails if the route changes shape."""

    def __init__(self, sitemap):
        root = reverse("articles:section", kwargs={"slug": "-"}).removesuffix("-/")
        self.root = escape(f"{sitemap.get_protocol()}://{sitemap.get_domain()}{root}")

    def of(self, section, published, slug):
        """The address of `section`'s story `slug`, published at `published` (local)."""
        return (
            f"{self.root}{escape(section)}/{published.year}/{published.month:02d}/"
            f"{published.day:02d}/{escape(slug)}/"
        )


def photo_images(photo_ids):
    """The <image:image> of each photo among `photo_ids` whose licence lasts, by id: its
    fallback rendition on SITE_URL. One query, and one model instance a photo, not a
    story (stories share photos)."""
    photos = Photo.objects.filter(pk__in={pk for pk in photo_ids if pk is not None}).only(
        "image", "width", "height", "renditions", "licence_ends_at"
    )
    return {
        photo.pk: "<image:image><image:loc>{}</image:loc></image:image>".format(
            escape(absolute_url(photo.fallback["url"]))
        )
        for photo in photos
        if photo.is_licensed
    }


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


# The sitemaps of sections, authors and tags, at /sitemap-<name>.xml, all in the index;
# /sitemap-articles.xml is the newest stories' (RecentArticleSitemap), left out of it.
SITEMAPS = {
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}
INDEXED_SITEMAPS = list(SITEMAPS)


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

    # Each month's probe written out once and repeated, as RawSQL: compiling 120
    # Subquery annotations was most of the index's time at a million stories (make
    # bench-scale: 55 ms, 20 ms now), for a statement that runs in a few.
    quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    table, status, at = quote(Article._meta.db_table), quote("status"), quote("published_at")
    # Names from the model, values as parameters.
    within = f"{status} = %s AND {at} >= %s AND {at} < %s"
    probe = f"SELECT {at} FROM {table} WHERE {within} ORDER BY {at} DESC LIMIT 1"  # noqa: S608  # nosec B608
    # The month under way ends now (published(): a scheduled story is not yet out).
    ends = [*months[1:], timezone.now() + timedelta(microseconds=1)]
    newest = {
        f"m{number}": RawSQL(  # noqa: S611  # nosec B611
            probe, (Article.Status.PUBLISHED, adapt(start), adapt(end)), DateTimeField()
        )
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


def sitemap(request, section):
    """/sitemap-<section>.xml: the newest stories' ("articles"), or Django's sitemap view
    on the sections', authors' or tags'. A story published or changed, or a section,
    author or tag renamed, purges them all."""
    if section == "articles":
        return story_sitemap(request, RecentArticleSitemap())
    shows(request, LATEST_KEY, SECTIONS_KEY)
    return sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name="articles/sitemap.xml"
    )


def month_sitemap(request, year, month):
    """The stories of one month (/sitemap-articles-2024-03.xml); a month without any is
    a 404."""
    return story_sitemap(request, ArticleMonthSitemap(int(year), int(month)))


def news_sitemap(request):
    return story_sitemap(request, NewsSitemap())


@sitemap_views.x_robots_tag
def story_sitemap(request, sitemap):
    """The page ?p= of a stories' sitemap: the bytes, headers and purge keys of Django's
    sitemap view with articles/sitemap.xml (the news sitemap: the template it had),
    written from rows (see the module's docstring)."""
    shows(request, LATEST_KEY, SECTIONS_KEY)
    number = page_number(request)
    rows = list(sitemap.rows()[(number - 1) * sitemap.limit : number * sitemap.limit])
    if not rows and (number > 1 or sitemap.empty_is_missing):
        raise Http404(f"No stories on page {number}.")
    # Stories list their photo while its licence lasts: one extended brings it back (no
    # sitemap is kept past a licence's end either).
    shows(request, *{f"photo-{row.hero_photo_id}" for row in rows if row.hero_photo_id})
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n{sitemap.urlset}\n'
    xml = "".join([head, *sitemap.url_elements(rows), "\n</urlset>\n"])
    response = HttpResponse(xml, content_type="application/xml")
    if rows:  # as Django's view: ConditionalGetMiddleware answers 304s from it
        lastmod = max(row.modified for row in rows).replace(microsecond=0)
        response.headers["Last-Modified"] = http_date(lastmod.timestamp())
    return response


def page_number(request) -> int:
    """The page ?p= asks for, as the framework's paginator reads it; anything but a
    whole number from 1 on is a 404."""
    try:
        number = int(request.GET.get("p", 1))
    except ValueError:
        raise Http404("No such page.") from None
    if number < 1:
        raise Http404("No such page.")
    return number
