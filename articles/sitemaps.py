from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
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
        return (
            Author.objects.filter(articles__in=Article.objects.published())
            .distinct()
            .order_by("pk")
        )


class TagSitemap(Sitemap):
    def items(self):
        return Tag.objects.in_use().order_by("pk")


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}


def index(request, sitemaps, **kwargs):
    """Django's sitemap index, with each sitemap's address on SITE_URL.

    Django builds these addresses from the Sites framework's domain (example.com unless
    the Site row is edited), ignoring Sitemap.get_domain(); the sitemaps themselves use
    SITE_URL, so the index does too.
    """
    shows(request, LATEST_KEY, SECTIONS_KEY)
    response = sitemap_views.index(request, sitemaps, **kwargs)
    site = urlsplit(settings.SITE_URL)
    response.context_data["sitemaps"] = [
        sitemap_views.SitemapIndexItem(
            urlunsplit(urlsplit(item.location)._replace(scheme=site.scheme, netloc=site.netloc)),
            item.last_mod,
        )
        for item in response.context_data["sitemaps"]
    ]
    return response


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
