import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from newsroom.cachekeys import Purge, cache_key
from newsroom.links import reverse_kept, reverse_kept_but_slug
from newsroom.prepared import PreparedRead, earliest, soonest

from .fields import ARTICLE_BODY_EXTENSIONS, SanitizedProseField
from .images import validate_image

# Publishing, scheduling and unpublishing: editors have it, reporters do not.
PUBLISH_PERMISSION = "articles.publish_article"

# Surrogate keys of lists (newsroom.cachekeys): the newest stories (home, Latest, feeds,
# sitemaps, every story's Latest sidebar) and the sections (every page's navigation).
LATEST_KEY = "latest"
SECTIONS_KEY = "sections"
# The breaking-news banner, which every page shows.
BREAKING_KEY = "breaking"

RESERVED_SECTION_SLUGS = {  # "latest/sidebar/" is the Latest list beside a story
    "admin", "search", "feeds", "tags", "authors", "preview", "sitemap.xml",
    "sitemap-news.xml", "robots.txt", "static", "media", "comments", "ads", "healthz", "latest",
    "live",
}  # fmt: skip


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by another page of the site; choose another slug."),
            code="reserved",
            params={"slug": value},
        )


class Section(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        validators=[validate_section_slug],
        help_text=_("The section's address: /<slug>/. Changing it changes every article URL."),
    )
    description = models.TextField(
        blank=True, help_text=_("One or two sentences, shown on the section page and in feeds.")
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order in the navigation, lowest first.")
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_kept("articles:section", kwargs={"slug": self.slug})

    @property
    def articles_cache_key(self):
        """The key of the lists of this section's stories (its page, feed, home block)."""
        return f"section-{self.pk}-articles"

    def changed_keys(self, **kwargs):
        # Every page's navigation names the sections.
        return Purge(hard={cache_key(self), SECTIONS_KEY}, soft={self.articles_cache_key})


class TagQuerySet(models.QuerySet):
    def in_use(self):
        """Tags readers can see: those of at least one published article. A tag made
        for a story not yet out has no page, so its name cannot be probed."""
        return self.filter(
            models.Exists(Article.objects.published().filter(tags=models.OuterRef("pk")))
        )


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_kept("articles:tag", kwargs={"slug": self.slug})

    @property
    def articles_cache_key(self):
        return f"tag-{self.pk}-articles"

    def changed_keys(self, **kwargs):
        # Sitemaps list every tag.
        return Purge(hard={cache_key(self)}, soft={self.articles_cache_key, LATEST_KEY})


class PhotoQuerySet(models.QuerySet):
    def licence_ended(self):
        """Photos whose licence has ended: every page shows a placeholder instead."""
        return self.filter(licence_ends_at__lte=timezone.now())

    def licence_ending_within(self, days):
        """Photos still usable whose licence ends within `days` days."""
        now = timezone.now()
        return self.filter(licence_ends_at__gt=now, licence_ends_at__lte=now + timedelta(days=days))

    def next_licence_end(self, now):
        """When the next photo's licence ends (its pages change then), or None: of every
        photo (a prepared read)."""
        return soonest(NEXT_LICENCE_END(now))


class Photo(models.Model):
    image = models.ImageField(
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image],
        help_text=_("JPEG, PNG or WebP. Location and camera metadata are removed on upload."),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    is_decorative = models.BooleanField(
        default=False,
        help_text=_(
            "Tick only if the picture adds nothing to the story; it then needs no alt text."
        ),
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        max_length=120, blank=True, help_text=_("Photographer or agency, e.g. “AFP”.")
    )
    focal_x = models.FloatField(
        _("focal point across"),
        default=0.5,
        help_text=_(
            "Where the point of interest is, from the left edge (0) to the right (1). "
            "Every crop (cards, thumbnails, social cards) keeps it in frame."
        ),
    )
    focal_y = models.FloatField(
        _("focal point down"),
        default=0.5,
        help_text=_("Where the point of interest is, from the top (0) to the bottom (1)."),
    )
    licence_ends_at = models.DateTimeField(
        _("licence ends"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "When the right to use this photo ends (an agency licence, say). From then on "
            "every page, feed and search listing shows a placeholder instead. Leave empty "
            "if it never ends."
        ),
    )
    renditions = models.JSONField(
        default=list,
        editable=False,
        help_text=_("Resized copies made on upload: width, height, format and storage name."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_decorative=True) | ~Q(alt_text=""),
                name="articles_photo_alt_text_unless_decorative",
                violation_error_message=_(
                    "Describe the picture in the alt text, or mark it as decorative."
                ),
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="articles_photo_focal_point_inside",
                violation_error_message=_(
                    "The focal point must be inside the picture: both values between 0 and 1."
                ),
            ),
        ]

    def __str__(self):
        return self.caption or self.alt_text or self.image.name

    def changed_keys(self, **kwargs):
        return Purge(hard={cache_key(self)})

    @property
    def alt(self):
        return "" if self.is_decorative else self.alt_text

    @property
    def is_licensed(self):
        """Whether pages may show the photo now: its licence has not ended."""
        return self.licence_ends_at is None or self.licence_ends_at > timezone.now()

    @property
    def focal_point(self):
        return (self.focal_x, self.focal_y)

    def _renditions(self, fmt, ratio=""):
        """This format's renditions of the crop `ratio` ("" the whole picture); a photo
        stored before its crops were made falls back to the whole picture."""
        matching = [r for r in self.renditions if r["format"] == fmt]
        cropped = [r for r in matching if r.get("ratio", "") == ratio]
        return cropped or [r for r in matching if not r.get("ratio")]

    def srcset(self, fmt, ratio=""):
        storage = self.image.storage
        return ", ".join(
            f"{storage.url(r['name'])} {r['width']}w" for r in self._renditions(fmt, ratio)
        )

    @property
    def webp_srcset(self):
        return self.srcset("WEBP")

    @property
    def jpeg_srcset(self):
        return self.srcset("JPEG")

    @property
    def fallback(self):
        """The largest JPEG rendition up to 1200px wide, for <img src>."""
        return self.fallback_for("")

    def large_for(self, ratio, min_width=1200):
        """The JPEG of the crop `ratio` at least `min_width` wide (the narrowest such),
        else the widest there is (a small picture is never upscaled): for JSON-LD."""
        jpegs = self._renditions("JPEG", ratio)
        if not jpegs:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        wide = [r for r in jpegs if r["width"] >= min_width]
        best = min(wide, key=lambda r: r["width"]) if wide else max(jpegs, key=lambda r: r["width"])
        return {**best, "url": self.image.storage.url(best["name"])}

    @property
    def social_fallback(self):
        """The 1.91:1 crop for social cards (og:image)."""
        return self.fallback_for("1.91:1")

    def fallback_for(self, ratio):
        """The largest JPEG of the crop `ratio` ("" the whole picture) up to 1200px wide,
        for <img src>, social cards and JSON-LD: {"url", "width", "height", ...}."""
        jpegs = self._renditions("JPEG", ratio)
        if not jpegs:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        best = max(
            (r for r in jpegs if r["width"] <= 1200), key=lambda r: r["width"], default=jpegs[0]
        )
        return {**best, "url": self.image.storage.url(best["name"])}


class Embed(models.Model):
    """What a provider said about a post pasted into a story (articles.embeds), asked
    when the story was saved, so that readers' pages never ask the provider anything."""

    url = models.URLField(max_length=500, unique=True, help_text=_("The address pasted."))
    provider = models.CharField(max_length=40)
    title = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    thumbnail = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    width = models.PositiveIntegerField(default=16)
    height = models.PositiveIntegerField(default=9)
    frame_url = models.URLField(
        max_length=500,
        blank=True,
        help_text=_("The provider's player, loaded when a reader asks; empty: a link only."),
    )
    error = models.CharField(
        max_length=300, blank=True, help_text=_("Why the provider could not be asked.")
    )
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(width__gt=0, height__gt=0),
                name="articles_embed_size_positive",
                violation_error_message=_("An embed's width and height are positive."),
            )
        ]

    def __str__(self):
        return self.title or self.url

    def changed_keys(self, **kwargs):
        # Asked again (manage.py refresh_embeds): a new title, thumbnail or player.
        return Purge(hard={cache_key(self)})


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True, help_text=_("A short biography for the author page."))
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("The staff account that writes as this author, if any."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_kept("articles:author", kwargs={"slug": self.slug})

    @property
    def articles_cache_key(self):
        return f"author-{self.pk}-articles"

    def changed_keys(self, **kwargs):
        # Feeds name every story's authors; sitemaps list every author.
        return Purge(hard={cache_key(self)}, soft={self.articles_cache_key, LATEST_KEY})


class ArticleQuerySet(models.QuerySet):
    def _fetch_all(self):
        """Stories read together read their related rows together: the first one a
        template asks for its bylines (say) reads them for all (Article._read_with_others),
        and a page whose cards are kept rendered (newsroom.fragments) reads none."""
        unread = self._result_cache is None
        super()._fetch_all()
        if unread and self._result_cache:
            self.read_together(self._result_cache)

    @staticmethod
    def read_together(rows):
        """Marks `rows`, read in one query, as read together (also for a PreparedRead)."""
        if isinstance(rows[0], Article):
            for article in rows:
                article._read_with = rows

    def published(self, *, now=None):
        """What readers may see: published, with a publish time that has come (by `now`,
        the time of a PreparedRead's call)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def for_backfill(self, *, now=None):
        """Stories a front's backfill may place by itself (fronts.pages): published ones
        the site may put forward (safe_for_promotion). Every rule of what a backfill must
        leave out belongs here, once."""
        return self.published(now=now).safe_for_promotion()

    def with_card_data(self):
        """What an article card shows: its section and photo, and its bylines when a
        card is rendered anew (Article.byline_authors), in one query for the stories
        read together."""
        return self.select_related("section", "hero_photo")

    def with_detail(self):
        """The article page's story with its section and photos; its bylines, tags and
        corrections are read when a template first shows them (Article.byline_authors,
        topics, correction_list), one query each, so a page whose parts are kept rendered
        (newsroom.fragments) reads none of them."""
        return self.select_related("section", "hero_photo", "social_image")

    def for_listing(self, *, now=None):
        """Published articles, newest first, ready for cards (which never show the body).

        A listing is ordered by two keys, `listed_at` and `listed_pk` (a page's cursor
        names them: articles.pages): the story's publication time and id here; tagged()
        and by_author() read them from the tag's or the author's links instead."""
        return (
            self.published(now=now)
            .with_card_data()
            .defer("body")
            .alias(listed_at=F("published_at"), listed_pk=F("pk"))
            .order_by("-listed_at", "-listed_pk")
        )

    def tagged(self, tag, *, now=None):
        """These stories (a listing: for_listing()) that have `tag` (or its pk), newest
        first, read through the tag's links: one range of their index (tag, publication
        time, story) whether the tag is on a third of the archive or on one story in a
        thousand."""
        return self._listed_through("tag_links", "tag", getattr(tag, "pk", tag), now)

    def by_author(self, author, *, now=None):
        """These stories (a listing: for_listing()) with `author` (or its pk) in their
        byline, newest first, read through the author's bylines as tagged() reads a
        tag's links."""
        return self._listed_through("bylines", "author", getattr(author, "pk", author), now)

    def _listed_through(self, links, subject, pk, now):
        """Ordered by the copy of each story's publication time on its `links` (rows
        with the publication time copied, see ArticleTag), so that the database reads
        them from the top of their index and the stories by key: walking the stories'
        own index instead tests every story for the subject, thousands for a rare one."""
        return (
            self.alias(
                listed_at=F(f"{links}__published_at"),
                listed_pk=F(f"{links}__article"),
                listed_subject=F(f"{links}__{subject}"),
            )
            # Not also listed_at = published_at, true as it is: PostgreSQL would take
            # the two equalities of the join for independent and expect one row of it.
            .filter(listed_subject=pk, listed_at__lte=now or timezone.now())
            .order_by("-listed_at", "-listed_pk")
        )

    def for_headlines(self, *, now=None):
        """Published articles, newest first, for lists of headlines and times alone
        (with updated_at, for the page's Last-Modified)."""
        return (
            self.published(now=now)
            .select_related("section")
            .only("headline", "slug", "published_at", "updated_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def for_detail(self, *, now=None):
        return self.published(now=now).with_detail()

    def safe_for_promotion(self):
        """Stories the site may put forward by itself: in More articles, Most read and
        the fronts' automatic blocks (backfills). A sensitive story kept out of promotion
        still appears where readers look for it: its section, tag and author pages,
        Latest, feeds, search and the sitemaps; an editor may still pick it by hand."""
        return self.filter(keep_out_of_promotion=False)

    def search(self, query):
        """Published articles matching `query`, best first (full-text on PostgreSQL)."""
        from .search import search_articles

        return search_articles(self.published(), query)

    def must_read(self, *, now=None):
        """Published articles flagged “Must read” whose pick has not yet expired."""
        now = now or timezone.now()
        return self.for_listing(now=now).filter(
            Q(must_read_until__isnull=True) | Q(must_read_until__gt=now),
            is_must_read=True,
        )

    def next_scheduled_change(self, now):
        """When the public site next changes by itself: a scheduled article goes live or a
        “Must read” pick ends. None if nothing is due. Of every story (a prepared read:
        NEXT_SCHEDULED_CHANGE)."""
        return soonest(NEXT_SCHEDULED_CHANGE(now))

    def most_read(self, hours=None):
        """Published stories by readers' views over the last `hours` (first_counted_hour),
        most read first, as headlines with their count (`recent_views`). One query,
        through the hourly totals' index on the hour."""
        since = first_counted_hour(hours)
        return (
            self.for_headlines()
            .safe_for_promotion()
            .filter(hourly_views__hour__gte=since)
            .annotate(recent_views=models.Sum("hourly_views__views"))
            .order_by("-recent_views", "-published_at", "-pk")
        )

    def with_recent_views(self, hours=None):
        """Each story with its readers' views over the last `hours` (`recent_views`, 0
        if none), counted apart so that other joins (bylines) cannot multiply them."""
        since = first_counted_hour(hours)
        views = (
            HourlyViews.objects.filter(article=models.OuterRef("pk"), hour__gte=since)
            .values("article")
            .annotate(total=models.Sum("views"))
            .values("total")
        )
        return self.annotate(
            recent_views=Coalesce(models.Subquery(views), 0, output_field=models.IntegerField())
        )

    def editable_by(self, user):
        """Editors edit everything; a reporter only articles they created or are credited on."""
        if user.has_perm(PUBLISH_PERMISSION):
            return self
        # EXISTS, not a join: a join repeats an article per byline, and DISTINCT over
        # whole rows would then read every one of them.
        credited = Byline.objects.filter(article=models.OuterRef("pk"), author__user=user)
        return self.filter(Q(created_by=user) | models.Exists(credited))

    def newest(self, count):
        """The newest `count` of these stories, newest first, as a plain queryset of them
        (by id) that may still be annotated and combined (UNION ALL) with others: the
        limit sits in a subquery, since SQLite cannot limit the parts of a compound query.
        Each part then reads only the top of an index (fronts' blocks)."""
        top = self.order_by("-published_at", "-pk").values("pk")[:count]
        return Article.objects.filter(pk__in=top).order_by("-published_at", "-pk")

    def related_to(self, article, *, published_before, count):
        """More articles: the newest `count` other stories published before
        `published_before`, from the same section or sharing a tag, leaving out those kept
        out of promotion, as cards (MORE_ARTICLES). One read: the section's newest and
        the newest sharing a tag (through the tags' table), each a subquery that stops at
        the top of an index, joined by UNION ALL; an OR of the two had PostgreSQL test
        every story against the tags, reading the whole archive
        (tests/articles/test_query_plans.py). A prepared read, compiled once: it reads
        from every story, not from `self`."""
        tag_ids = [tag.pk for tag in article.topics]
        return MORE_ARTICLES(
            article.section_id, tag_ids, article.pk, published_before, timezone.now(), count=count
        )


ARTICLE_SLUG_MAX_LENGTH = 120


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    class Coverage(models.TextChoices):
        STORY = "", _("A story (not live)")
        LIVE = "live", _("Live coverage, updating")
        CLOSED = "closed", _("Live coverage, ended")

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=ARTICLE_SLUG_MAX_LENGTH,
        unique=True,
        help_text=_(
            "Part of the address. Changing it after publication keeps the old address "
            "working as a redirect."
        ),
    )
    standfirst = models.CharField(
        max_length=400, blank=True, help_text=_("The summary under the headline.")
    )
    body = SanitizedProseField(blank=True, extensions=ARTICLE_BODY_EXTENSIONS)
    hero_photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    agency = models.CharField(
        max_length=80, blank=True, help_text=_("Wire agency credit, e.g. “AFP”.")
    )
    dateline = models.CharField(
        max_length=80, blank=True, help_text=_("Where the story was reported from, e.g. “PARIS”.")
    )
    is_must_read = models.BooleanField(
        _("must read"), default=False, help_text=_("Show in the home page's “Must read” block.")
    )
    must_read_until = models.DateTimeField(
        null=True, blank=True, help_text=_("Leave empty to keep the pick until it is unticked.")
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A time in the future schedules the article: it appears by itself then."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    significant_update_at = models.DateTimeField(
        _("significant update"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When an editor last marked a change as one that matters to readers: the "
            "“Updated” time, dateModified and the feeds' updated time."
        ),
    )
    # Live coverage is a state of the story itself (on the row the page already reads,
    # versioned with it); its entries are the liveblog app's.
    coverage = models.CharField(
        _("live coverage"),
        max_length=6,
        choices=Coverage,
        default=Coverage.STORY,
        blank=True,
        help_text=_(
            "Live: the page shows timestamped entries, newest first, and readers get new "
            "ones without reloading. Closed: the entries stay as an archive."
        ),
    )
    coverage_ended_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When the live coverage was closed.")
    )
    # Sensitive stories (a death, an attack, a court case): one flag per effect, as the
    # Guardian's content API has them (shouldHideAdverts, showInRelatedContent,
    # commentable), since a story may need one without the others; comments off is
    # allow_comments. Each is read in one place (ArticleQuerySet.safe_for_promotion,
    # Article.shows_ads, Article.social_photo).
    hide_ads = models.BooleanField(
        _("no advertising"),
        default=False,
        help_text=_("No ad slots anywhere on the story's page, and none inside its text."),
    )
    keep_out_of_promotion = models.BooleanField(
        _("keep out of promotion"),
        default=False,
        help_text=_(
            "Not in “More articles”, Most read or the fronts' automatic blocks. It stays "
            "in its section, tag and author pages, Latest, feeds, search and sitemaps, and "
            "an editor may still pick it for a front."
        ),
    )
    hide_social_image = models.BooleanField(
        _("no social image"),
        default=False,
        help_text=_(
            "Shares and search results show no picture (no og:image, Twitter image or "
            "structured-data image); the page itself keeps its photo."
        ),
    )
    allow_comments = models.BooleanField(
        _("allow comments"),
        default=True,
        help_text=_("Untick to close comments; the comments already published stay."),
    )
    comment_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Public reader comments; kept up to date by the comments app."),
    )
    comments_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the public comments last changed; kept by the comments app."),
    )
    seo_description = models.CharField(
        _("search description"),
        max_length=300,
        blank=True,
        help_text=_("For search engines and social cards; the standfirst is used if empty."),
    )
    social_image = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For social cards; the hero photo is used if empty."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", _("Can publish, schedule and unpublish articles"))]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="articles_status_pub_idx"),
            # Each section's stories newest first (its page, its block on a front): read
            # from the top of the index, however long the archive.
            models.Index(
                fields=["section", "-published_at", "-id"],
                name="articles_section_pub_idx",
                condition=Q(status="published"),
            ),
            # Every published story newest first: Latest, from any cursor. (Tag and
            # author pages read their links' own index: ArticleQuerySet.tagged.)
            models.Index(
                fields=["-published_at", "-id"],
                name="articles_pub_idx",
                condition=Q(status="published"),
            ),
            # The editors' Must read picks newest first (a front's Must read block), and
            # when the next pick ends: a few rows, however long the archive.
            models.Index(
                fields=["-published_at", "-id"],
                name="articles_must_read_idx",
                condition=Q(is_must_read=True),
            ),
            # The editors' sensitive stories newest first (the article list's "sensitive
            # story" filter, any flag or one: each implies this condition), a few in a
            # million, not found by reading every story's flags.
            models.Index(
                fields=["-published_at", "-id"],
                name="articles_sensitive_idx",
                condition=Q(hide_ads=True)
                | Q(keep_out_of_promotion=True)
                | Q(hide_social_image=True)
                | Q(allow_comments=False),
            ),
            # A section's stories' keys as text, the way a comment names its story
            # (object_pk): the moderation queue's section filter looks each comment's
            # story up in it (ReaderCommentQuerySet.in_section), rather than comparing
            # every comment with a section's hundred thousand keys.
            models.Index(
                F("section"), Cast("id", models.CharField()), name="articles_section_key_idx"
            ),
            # Stories updated significantly since publication, by month of publication:
            # the sitemap index finds each month's newest update without reading the
            # month's every row (articles.sitemaps).
            models.Index(
                fields=["published_at", "significant_update_at"],
                name="articles_pub_updated_idx",
                condition=Q(status="published", significant_update_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="articles_published_has_time",
                violation_error_message=_("A published article needs a publish time."),
            ),
        ]

    def __str__(self):
        return self.headline

    # Kept by the comments app with UPDATEs of their own (comments.services), which an
    # editor's save of a story loaded before them must not undo.
    COMMENTS_FIELDS = ("comment_count", "comments_changed_at")

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and self.pk is not None
            and not args
            and not {"update_fields", "force_insert", "force_update"} & kwargs.keys()
        ):
            left_out = {*self.COMMENTS_FIELDS, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in left_out
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_kept_but_slug("articles:detail", kwargs=self.url_kwargs())

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the story's publication as stored: an unpublished one must leave
        every list it was on (changed_keys)."""
        article = super().from_db(db, field_names, values)
        if "status" in field_names and "published_at" in field_names:
            article.loaded_publication = (article.status, article.published_at)
        return article

    def was_public_before(self):
        """Whether readers could see the story as it was stored before this change
        (None loaded: a new story, or one loaded without its status)."""
        status, published_at = getattr(self, "loaded_publication", (None, None))
        return (
            status == self.Status.PUBLISHED
            and published_at is not None
            and published_at <= timezone.now()
        )

    @property
    def comments_cache_key(self):
        """The key of the story's public thread and its count, on the story's page (on
        lists, the count is brought up to date from comments.counts)."""
        return f"comments-{self.pk}"

    def changed_keys(self, *, deleted=False, **kwargs):
        if not (self.is_public or self.was_public_before()):
            # A draft, or a story scheduled for later: no page shows it yet. The change
            # may move the next scheduled change, which any purge tells the page cache.
            return Purge(hard={cache_key(self)})
        lists = {LATEST_KEY, f"section-{self.section_id}-articles"}
        if not deleted:
            lists |= {tag.articles_cache_key for tag in self.tags.all()}
            lists |= {
                f"author-{pk}-articles" for pk in self.bylines.values_list("author", flat=True)
            }
        return Purge(hard={cache_key(self)}, soft=lists)

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_live_coverage(self):
        """Live or closed: the page shows entries."""
        return self.coverage != self.Coverage.STORY

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def reading_time(self):
        """The body's words and minutes of reading, for stories long enough for readers
        to be told (settings.READING_TIME_MIN_WORDS); None for shorter ones and live pages.
        Counted as the desk's script counts them (static/js/desk.js)."""
        if self.is_live_coverage:
            return None
        # A space before each tag, so that words in two paragraphs stay two words.
        words = len(strip_tags(self.body.replace("<", " <")).split())
        if words < settings.READING_TIME_MIN_WORDS:
            return None
        return {"words": words, "minutes": math.ceil(words / settings.READING_WORDS_PER_MINUTE)}

    def _has_read(self, name):
        return name in getattr(self, "_prefetched_objects_cache", {})

    def _read_with_others(self, name, rows):
        """The rows `rows(ids)` gives this article, read for it and the stories read with
        it (ArticleQuerySet._fetch_all) in one query, the first time one asks for them:
        `rows` yields each with `story_id`, the article it belongs to. Kept beside the
        rows Django prefetches, so refresh_from_db forgets them as it forgets those.

        A query of the rows shown alone, rather than prefetch_related_objects: its
        machinery (and, for bylines, a Byline built around each author) cost more than
        the query itself (make bench's ORM column for pages nobody has read)."""
        if not self._has_read(name):
            together = [self] + [
                article
                for article in getattr(self, "_read_with", [])
                if article is not self and not article._has_read(name)
            ]
            found = {article.pk: [] for article in together}
            for row in rows([pk for pk in found if pk is not None]):
                found[row.story_id].append(row)
            for article in together:
                cache = article.__dict__.setdefault("_prefetched_objects_cache", {})
                cache[name] = found[article.pk]
        return list(self._prefetched_objects_cache[name])

    @property
    def byline_authors(self):
        """Its authors, in byline order."""
        return self._read_with_others("byline_authors", BYLINE_AUTHORS)

    @property
    def topics(self):
        """The story's tags, by name."""
        return self._read_with_others("topics", TOPICS)

    @property
    def correction_list(self):
        """Its corrections and updates, oldest first."""
        return self._read_with_others("correction_list", CORRECTIONS)

    @property
    def description(self):
        return self.seo_description or self.standfirst

    @property
    def card_photo(self):
        """The photo for social cards and JSON-LD: the social image, else the hero,
        whichever is still licensed (None if neither)."""
        usable = [photo for photo in (self.social_image, self.hero_photo) if photo is not None]
        return next((photo for photo in usable if photo.is_licensed), None)

    @property
    def social_photo(self):
        """The picture shares and search results show, or None for a story that must
        not have one."""
        return None if self.hide_social_image else self.card_photo

    @property
    def shows_ads(self):
        return not self.hide_ads

    @property
    def is_promotable(self):
        """ArticleQuerySet.safe_for_promotion's rule, for a story already read."""
        return not self.keep_out_of_promotion

    @property
    def modified_at(self):
        """When readers were last told the story changed: its publication, or the last
        significant update since (the “Updated” time, dateModified, the feeds' updated
        time, the sitemap's lastmod). A typo fix does not move it."""
        times = [self.published_at, self.significant_update_at]
        return max(filter(None, times), default=self.updated_at)

    def last_edited_at(self, *, kept_since=None):
        """The last change of any kind, a typo fix or a correction added: the page's
        Last-Modified, so that a cache asking again gets the fixed page. A page whose
        corrections come from a part kept rendered since `kept_since`
        (newsroom.fragments: a correction purges it) reads none of them."""
        if kept_since is not None and not self._has_read("correction_list"):
            return max(self.updated_at, kept_since)
        corrections = [correction.created_at for correction in self.correction_list]
        return max([self.updated_at, *corrections])

    @property
    def was_updated(self):
        """Readers see “Updated” once an editor marks a change as significant."""
        return self.published_at is not None and self.modified_at > self.published_at

    def url_kwargs(self):
        date = timezone.localdate(self.published_at or timezone.now())
        return {
            "section": self.section.slug,
            "year": date.year,
            "month": f"{date.month:02d}",
            "day": f"{date.day:02d}",
            "slug": self.slug,
        }


class ArticleTag(models.Model):
    """A story's tag: a row of the table Django makes for Article.tags, seen as a model
    of its own for what Article.tags cannot say, the story's publication time
    (`published_at`) beside the tag, so that a tag's page reads its stories newest
    first from one index (ArticleQuerySet.tagged).

    Unmanaged: Article.tags keeps the table (and the admin's tag field with it, which
    a declared `through` model would take away); migration 0016 adds the column, 0017
    the index, articles_tag_pub_idx: (tag, published_at DESC, article DESC) where
    published_at is set.

    The copy is the database's job, not Python's: triggers (migration 0016) set it when
    a link is made and whenever the story's status or publication time changes, on
    every path that writes them (the admin, services, bulk_create, QuerySet.update,
    raw SQL), on both databases. Writes made with triggers off (PostgreSQL's
    session_replication_role = replica, as bulk loads do) are put right by
    `manage.py repair_publication_copies`, as are an author's bylines (Byline)."""

    article = models.ForeignKey(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tag_links"
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.DO_NOTHING, db_constraint=False, related_name="article_links"
    )
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        managed = False
        db_table = "articles_article_tags"

    def __str__(self):
        return f"{self.article_id} tagged {self.tag_id}"


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text=_(
            "The story's publication time while it is published, else empty: copied by "
            "the database (see ArticleTag), for the author's page."
        ),
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="articles_byline_once"),
        ]
        indexes = [
            # An author's stories newest first (their page and feed), one range read
            # however many or few they wrote: ArticleQuerySet.by_author.
            models.Index(
                fields=["author", "-published_at", "-article"],
                name="articles_byline_pub_idx",
                condition=Q(published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return str(self.author)

    def changed_keys(self, **kwargs):
        return Purge(
            hard={f"article-{self.article_id}"}, soft={f"author-{self.author_id}-articles"}
        )


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=15, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(help_text=_("Shown to readers at the foot of the article."))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def changed_keys(self, **kwargs):
        return Purge(hard={f"article-{self.article_id}"})


# The rows a story shows beside it, read for the stories read together
# (Article._read_with_others), each with `story_id`, the story it belongs to.
BYLINE_AUTHORS = PreparedRead(
    lambda ids: (
        Author.objects.filter(bylines__article__in=ids)
        .annotate(story_id=F("bylines__article_id"))
        .order_by("bylines__position", "bylines__pk")
    )
)
TOPICS = PreparedRead(
    lambda ids: Tag.objects.filter(articles__in=ids).annotate(story_id=F("articles__id"))
)
CORRECTIONS = PreparedRead(
    lambda ids: Correction.objects.filter(article__in=ids).annotate(story_id=F("article_id"))
)


def _more_articles(section_id, tag_ids, article_pk, published_before, now, *, count):
    """ArticleQuerySet.related_to's read."""
    earlier = (
        Article.objects.published(now=now)
        .safe_for_promotion()
        .filter(published_at__lt=published_before)
        .exclude(pk=article_pk)
    )
    pools = [earlier.filter(section_id=section_id)]
    if tag_ids:
        tagged = Article.tags.through.objects.filter(tag_id__in=tag_ids).values("article_id")
        pools.append(earlier.filter(pk__in=tagged))
    newest = [pool.newest(count).values("pk").order_by() for pool in pools]
    return (
        Article.objects.for_listing(now=now)
        .filter(pk__in=newest[0].union(*newest[1:], all=True))
        .order_by("-published_at", "-pk")[:count]
    )


MORE_ARTICLES = PreparedRead(_more_articles)
# The stories `ids` that are still published, as a listing shows them, newest first.
LISTED = PreparedRead(lambda ids, now: Article.objects.for_listing(now=now).filter(pk__in=ids))


class ArticleSlugRedirect(models.Model):
    """An address an article used to have, answered with a 301 to its current one."""

    old_slug = models.SlugField(max_length=120, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"

    def changed_keys(self, **kwargs):
        return Purge(hard={f"article-{self.article_id}"})


def default_breaking_end():
    """Editors forget: a banner ends by itself half an hour after it goes up."""
    return timezone.now() + timedelta(minutes=settings.BREAKING_NEWS_MINUTES)


class BreakingNewsQuerySet(models.QuerySet):
    def showing(self, now=None):
        """Banners up now: started and not yet ended."""
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)

    def current(self):
        """The banner readers see, or None: the newest of those up now (there is one,
        as breaking_news_publish ends the previous)."""
        return self.showing().order_by("-starts_at", "-pk").first()

    def next_end(self, now):
        """When the banner up now ends by itself, or None (of every banner: a prepared
        read)."""
        return soonest(NEXT_BANNER_END(now))


class BreakingNews(models.Model):
    """The banner at the top of every public page, from publication until its end."""

    text = models.CharField(max_length=200, help_text=_("One line: what happened."))
    url = models.URLField(
        _("link"), blank=True, help_text=_("Where the banner leads, e.g. the story's address.")
    )
    is_live = models.BooleanField(
        _("live"),
        default=False,
        help_text=_("Show it as “Live” (a live story) instead of “Breaking”."),
    )
    starts_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)
    ends_at = models.DateTimeField(
        _("ends"),
        default=default_breaking_end,
        help_text=_("It disappears by itself then."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("breaking news banner")
        verbose_name_plural = _("breaking news")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="articles_breaking_ends_after_start",
                violation_error_message=_("The banner must end after it is published."),
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_showing(self):
        return self.starts_at <= timezone.now() < self.ends_at

    def changed_keys(self, **kwargs):
        # Every page shows the banner: one put up, replaced or ended goes at once.
        return Purge(hard={BREAKING_KEY})


def view_hour(moment):
    """The hour a view is counted in: its start."""
    return moment.replace(minute=0, second=0, microsecond=0)


def first_counted_hour(hours=None):
    """The first hour of the last `hours` (by default settings.MOST_READ_HOURS), the
    current one included."""
    return view_hour(timezone.now()) - timedelta(hours=(hours or settings.MOST_READ_HOURS) - 1)


class HourlyViews(models.Model):
    """Readers' views of one story in one hour, for Most read: counted from the page's
    beacon (articles.services.article_view_record), never when the page is made."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="hourly_views")
    hour = models.DateTimeField(help_text=_("The start of the hour."))
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = _("hourly views")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"],
                name="articles_views_one_row_per_hour",
                violation_error_message=_("A story has one count per hour."),
            ),
        ]
        # Most read reads the last hours' rows from this index alone (an index-only scan
        # on PostgreSQL; INCLUDE would do the same but SQLite has no covering indexes).
        indexes = [
            models.Index(fields=["hour", "article", "views"], name="articles_views_hour_idx")
        ]

    def __str__(self):
        return f"{self.article_id} at {self.hour:%Y-%m-%d %H}:00: {self.views}"


def _scheduled_changes(now):
    """ArticleQuerySet.next_scheduled_change's read. The condition of either first:
    PostgreSQL reads the rows of both from their indexes (a bitmap OR), instead of every
    story for the two filtered minimums."""
    goes_live = Q(status=Article.Status.PUBLISHED, published_at__gt=now)
    pick_ends = Q(is_must_read=True, must_read_until__gt=now)
    return earliest(
        Article.objects.filter(goes_live | pick_ends),
        publish=models.Min("published_at", filter=goes_live),
        must_read_ends=models.Min("must_read_until", filter=pick_ends),
    )


# The next scheduled changes (articles.apps.ArticlesConfig.next_public_change).
NEXT_SCHEDULED_CHANGE = PreparedRead(_scheduled_changes)
NEXT_BANNER_END = PreparedRead(
    lambda now: earliest(BreakingNews.objects.showing(now), end=models.Min("ends_at"))
)
NEXT_LICENCE_END = PreparedRead(
    lambda now: earliest(
        Photo.objects.filter(licence_ends_at__gt=now), end=models.Min("licence_ends_at")
    )
)
