from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.images import validate_image
from articles.models import Section
from newsroom.cachekeys import Purge
from newsroom.prepared import PreparedRead, earliest, soonest

from .validators import validate_ads_txt, validate_public_url

# Surrogate keys (newsroom.cachekeys): every page with an ad slot, and /ads.txt.
ADS_KEY = "ads"
ADS_TXT_KEY = "ads-txt"


def validate_creative_image(file):
    """An ad image: a news photo's checks, without the minimum width (120x600 is fine)."""
    validate_image(file, min_width=1)


class Placement(models.Model):
    """A place on the page that shows one ad, with the space it always reserves."""

    key = models.SlugField(unique=True, editable=False)
    name = models.CharField(max_length=80)
    width = models.PositiveSmallIntegerField(help_text=_("Pixels, on wide screens."))
    height = models.PositiveSmallIntegerField(help_text=_("Pixels, on wide screens."))
    mobile_width = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Pixels on phones; empty: the same as on wide screens.")
    )
    mobile_height = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.CharField(max_length=40, default="- Advertisement -")
    collapse_when_empty = models.BooleanField(
        default=False,
        help_text=_("With no ad to show, take no space. Otherwise the space stays reserved."),
    )
    after_paragraph = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("In-article: the first ad goes after this paragraph.")
    )
    repeat_every = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("In-article: another ad every this many paragraphs.")
    )
    clear_of_end = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("In-article: never within this many last paragraphs.")
    )
    min_paragraphs = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("In-article: no ad in articles shorter than this.")
    )
    every_n_items = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Lists: an ad after every this many items.")
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(width__gt=0, height__gt=0), name="ads_placement_size"
            ),
        ]

    def __str__(self):
        return self.name

    def changed_keys(self, **kwargs):
        return Purge(hard={ADS_KEY})


class Advertiser(models.Model):
    name = models.CharField(max_length=120, unique=True)
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CreativeQuerySet(models.QuerySet):
    def live(self, now=None):
        """Active creatives whose schedule includes now."""
        now = now or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=now),
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            is_active=True,
        )

    def next_schedule_change(self, now):
        """When the set of live creatives next changes by itself: a start or an end. Of
        every creative (a prepared read)."""
        return soonest(NEXT_SCHEDULE_CHANGE(now))


class Creative(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image and link")
        HTML = "html", _("HTML snippet from an ad network")

    class Priority(models.IntegerChoices):
        SPONSORSHIP = 3, _("Sponsorship")
        STANDARD = 2, _("Standard")
        HOUSE = 1, _("House ad")

    class PageType(models.TextChoices):
        HOME = "home", _("Home page")
        SECTION = "section", _("Section pages")
        ARTICLE = "article", _("Article pages")
        OTHER = "other", _("Other pages")

    advertiser = models.ForeignKey(Advertiser, on_delete=models.PROTECT, related_name="creatives")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.IMAGE)
    image = models.ImageField(
        upload_to="ads/%Y/%m/",
        blank=True,
        validators=[validate_creative_image],
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        max_length=200, blank=True, help_text=_("What the ad says or shows.")
    )
    target_url = models.URLField(
        max_length=500,
        blank=True,
        validators=[validate_public_url],
        help_text=_("Where a click goes; only this address, ever: https:// on a public site."),
    )
    html = models.TextField(
        blank=True,
        help_text=_(
            "The ad network's snippet. It runs in a sandboxed frame that cannot read the "
            "page, its cookies or its forms."
        ),
    )
    placements = models.ManyToManyField(Placement, related_name="creatives")
    sections = models.ManyToManyField(
        Section, blank=True, related_name="+", help_text=_("Empty: every section.")
    )
    page_types = models.JSONField(
        default=list, blank=True, help_text=_("Empty: every kind of page.")
    )
    starts_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: from now."))
    ends_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: until switched off."))
    is_active = models.BooleanField(default=True)
    weight = models.PositiveSmallIntegerField(
        default=1, help_text=_("Among ads of the same priority, how often this one is picked.")
    )
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.STANDARD)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = CreativeQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "name"]
        permissions = [("enter_html_creative", _("Can enter HTML snippets from ad networks"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="ads_creative_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="ads_creative_weight_positive",
                violation_error_message=_("The weight must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[1, 2, 3]),
                name="ads_creative_priority_known",
            ),
            models.CheckConstraint(
                condition=Q(kind="html", html__gt="")
                | Q(kind="image", image__gt="", target_url__gt=""),
                name="ads_creative_complete",
                violation_error_message=_(
                    "An image ad needs an image and a link; an HTML ad needs its snippet."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.advertiser}: {self.name}"

    def changed_keys(self, **kwargs):
        return Purge(hard={ADS_KEY})

    def clean(self):
        unknown = set(self.page_types) - set(self.PageType.values)
        if unknown:
            raise ValidationError(
                {"page_types": _("Unknown page types: %s") % ", ".join(sorted(unknown))}
            )
        if self.kind == self.Kind.IMAGE and self.image and not self.alt_text:
            raise ValidationError(
                {"alt_text": _("Say what the ad shows, for readers who cannot see it.")}
            )


class DailyStat(models.Model):
    """Impressions and clicks of one creative in one placement on one day (site time),
    and those not counted, by why."""

    creative = models.ForeignKey(Creative, on_delete=models.CASCADE, related_name="daily_stats")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="daily_stats")
    date = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    # Impressions not counted, by why (ads.services.stat_record).
    impressions_filtered_repeats = models.PositiveIntegerField(
        default=0, help_text=_("The same client again within half an hour.")
    )
    impressions_filtered_bots = models.PositiveIntegerField(
        default=0, help_text=_("Crawlers, scripts and clients that do not say what they are.")
    )
    impressions_filtered_cross_site = models.PositiveIntegerField(
        default=0, help_text=_("Sent from another site's page.")
    )
    impressions_filtered_expired = models.PositiveIntegerField(
        default=0, help_text=_("From a page older than its ad links may be.")
    )
    # Clicks not counted, by the same whys: repeated clicks are not repeated impressions.
    clicks_filtered_repeats = models.PositiveIntegerField(
        default=0, help_text=_("The same client again within half an hour.")
    )
    clicks_filtered_bots = models.PositiveIntegerField(
        default=0, help_text=_("Crawlers, scripts and clients that do not say what they are.")
    )
    clicks_filtered_cross_site = models.PositiveIntegerField(
        default=0, help_text=_("Sent from another site's page.")
    )
    clicks_filtered_expired = models.PositiveIntegerField(
        default=0, help_text=_("From a page older than its ad links may be.")
    )

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["creative", "placement", "date"], name="ads_daily_stat_once"
            ),
        ]

    def __str__(self):
        return f"{self.creative} / {self.placement} / {self.date}"


class AdsTxt(models.Model):
    """The site's /ads.txt: the authorised sellers of its ad space. One row."""

    content = models.TextField(
        blank=True,
        validators=[validate_ads_txt],
        help_text=_(
            "One seller per line, e.g. “example-exchange.com, pub-123, DIRECT, f08c47fec0942fa0”."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ads.txt"
        verbose_name_plural = "ads.txt"

    def __str__(self):
        return "ads.txt"

    def changed_keys(self, **kwargs):
        return Purge(hard={ADS_TXT_KEY})


# The next scheduled change (ads.apps.AdsConfig.next_public_change, ads.selection).
NEXT_SCHEDULE_CHANGE = PreparedRead(
    lambda now: earliest(
        Creative.objects.filter(is_active=True),
        start=models.Min("starts_at", filter=Q(starts_at__gt=now)),
        end=models.Min("ends_at", filter=Q(ends_at__gt=now)),
    )
)
