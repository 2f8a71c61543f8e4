from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.cachekeys import Purge, cache_key

from .fields import SanitizedProseField
from .images import validate_image

# Publishing, scheduling and unpublishing: editors have it, reporters do not.
PUBLISH_PERMISSION = "articles.publish_article"

# Surrogate keys of lists (newsroom.cachekeys): the newest stories (home, Latest, feeds,
# sitemaps, every story's Latest sidebar) and the sections (every page's navigation).
LATEST_KEY = "latest"
SECTIONS_KEY = "sections"

RESERVED_SECTION_SLUGS = {  # "latest/sidebar/" is the Latest list's fragment
    "admin", "search", "feeds", "tags", "authors", "preview", "sitemap.xml",
    "sitemap-news.xml", "robots.txt", "static", "media", "comments", "ads", "healthz", "latest",
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
        return reverse("articles:section", kwargs={"slug": self.slug})

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
        return reverse("articles:tag", kwargs={"slug": self.slug})

    @property
    def articles_cache_key(self):
        return f"tag-{self.pk}-articles"

    def changed_keys(self, **kwargs):
        # Sitemaps list every tag.
        return Purge(hard={cache_key(self)}, soft={self.articles_cache_key, LATEST_KEY})


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
    renditions = models.JSONField(
        default=list,
        editable=False,
        help_text=_("Resized copies made on upload: width, height, format and storage name."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_decorative=True) | ~Q(alt_text=""),
                name="articles_photo_alt_text_unless_decorative",
                violation_error_message=_(
                    "Describe the picture in the alt text, or mark it as decorative."
                ),
            )
        ]

    def __str__(self):
        return self.caption or self.alt_text or self.image.name

    def changed_keys(self, **kwargs):
        return Purge(hard={cache_key(self)})

    @property
    def alt(self):
        return "" if self.is_decorative else self.alt_text

    def _renditions(self, fmt):
        return [r for r in self.renditions if r["format"] == fmt]

    def srcset(self, fmt):
        storage = self.image.storage
        return ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in self._renditions(fmt))

    @property
    def webp_srcset(self):
        return self.srcset("WEBP")

    @property
    def jpeg_srcset(self):
        return self.srcset("JPEG")

    @property
    def fallback(self):
        """The largest JPEG rendition up to 1200px wide, for <img src> and social cards."""
        jpegs = self._renditions("JPEG")
        if not jpegs:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        best = max(
            (r for r in jpegs if r["width"] <= 1200), key=lambda r: r["width"], default=jpegs[0]
        )
        return {**best, "url": self.image.storage.url(best["name"])}


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
        return reverse("articles:author", kwargs={"slug": self.slug})

    @property
    def articles_cache_key(self):
        return f"author-{self.pk}-articles"

    def changed_keys(self, **kwargs):
        # Feeds name every story's authors; sitemaps list every author.
        return Purge(hard={cache_key(self)}, soft={self.articles_cache_key, LATEST_KEY})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, with a publish time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_card_data(self):
        """Everything an article card shows, in a fixed number of queries."""
        return self.select_related("section", "hero_photo").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def with_detail(self):
        """Everything the article page shows, in a fixed number of queries."""
        return (
            self.with_card_data()
            .select_related("social_image")
            .prefetch_related("tags", "corrections")
        )

    def for_listing(self):
        """Published articles, newest first, ready for cards (which never show the body)."""
        return self.published().with_card_data().defer("body").order_by("-published_at", "-pk")

    def for_headlines(self):
        """Published articles, newest first, for lists of headlines and times alone
        (with updated_at, for the page's Last-Modified)."""
        return (
            self.published()
            .select_related("section")
            .only("headline", "slug", "published_at", "updated_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def for_detail(self):
        return self.published().with_detail()

    def search(self, query):
        """Published articles matching `query`, best first (full-text on PostgreSQL)."""
        from .search import search_articles

        return search_articles(self.published().with_card_data(), query)

    def must_read(self):
        """Published articles flagged “Must read” whose pick has not yet expired."""
        return self.for_listing().filter(
            Q(must_read_until__isnull=True) | Q(must_read_until__gt=timezone.now()),
            is_must_read=True,
        )

    def next_scheduled_change(self):
        """When the public site next changes by itself: a scheduled article goes live or a
        “Must read” pick ends. None if nothing is due."""
        now = timezone.now()
        due = self.aggregate(
            publish=models.Min(
                "published_at",
                filter=Q(status=Article.Status.PUBLISHED, published_at__gt=now),
            ),
            must_read_ends=models.Min(
                "must_read_until", filter=Q(is_must_read=True, must_read_until__gt=now)
            ),
        )
        return min(filter(None, due.values()), default=None)

    def editable_by(self, user):
        """Editors edit everything; a reporter only articles they created or are credited on."""
        if user.has_perm(PUBLISH_PERMISSION):
            return self
        return self.filter(Q(created_by=user) | Q(bylines__author__user=user)).distinct()

    def related_to(self, article):
        """Other published articles from the same section or sharing a tag."""
        tag_ids = [tag.pk for tag in article.tags.all()]
        sharing_a_tag = Article.tags.through.objects.filter(tag_id__in=tag_ids).values("article_id")
        return (
            self.for_listing()
            .filter(Q(section_id=article.section_id) | Q(pk__in=sharing_a_tag))
            .exclude(pk=article.pk)
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text=_(
            "Part of the address. Changing it after publication keeps the old address "
            "working as a redirect."
        ),
    )
    standfirst = models.CharField(
        max_length=400, blank=True, help_text=_("The summary under the headline.")
    )
    body = SanitizedProseField(blank=True)
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
    allow_comments = models.BooleanField(default=True)
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
        indexes = [models.Index(fields=["status", "-published_at"], name="articles_status_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="articles_published_has_time",
                violation_error_message=_("A published article needs a publish time."),
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs=self.url_kwargs())

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
        """The key of the story's public thread and of its comment count."""
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
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def byline_authors(self):
        return [byline.author for byline in self.bylines.all()]

    @property
    def description(self):
        return self.seo_description or self.standfirst

    @property
    def card_photo(self):
        return self.social_image or self.hero_photo

    @property
    def modified_at(self):
        """The last change readers can see: an edit, or a correction added since."""
        corrections = [correction.created_at for correction in self.corrections.all()]
        return max([self.updated_at, *corrections])

    @property
    def was_updated(self):
        """Readers see “Updated” only for changes made well after publication."""
        if self.published_at is None:
            return False
        return (self.modified_at - self.published_at).total_seconds() > 600

    def url_kwargs(self):
        date = timezone.localdate(self.published_at or timezone.now())
        return {
            "section": self.section.slug,
            "year": date.year,
            "month": f"{date.month:02d}",
            "day": f"{date.day:02d}",
            "slug": self.slug,
        }


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="articles_byline_once"),
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


class ArticleSlugRedirect(models.Model):
    """An address an article used to have, answered with a 301 to its current one."""

    old_slug = models.SlugField(max_length=120, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"

    def changed_keys(self, **kwargs):
        return Purge(hard={f"article-{self.article_id}"})
