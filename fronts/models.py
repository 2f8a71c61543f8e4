"""Fronts: the home page and section pages as editors curate them.

A front is edited as a draft (its containers and cards, rows editors change freely and
readers never see) and published as a version: a frozen copy of the draft's layout with
who published it and from when it is live. Readers see the newest version whose time has
come, so publishing at a set time needs no cron, and every version published is kept to
be restored.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Photo, Section, Tag
from newsroom.cachekeys import Purge
from newsroom.prepared import PreparedRead, earliest, soonest

MAX_CARDS = 12


class Layout(models.TextChoices):
    LEAD = "lead", _("Lead and list")
    GRID_3 = "grid-3", _("Grid of 3")
    GRID_4 = "grid-4", _("Grid of 4")
    LIST = "list", _("List")
    SINGLE = "single", _("A single big story")


class Backfill(models.TextChoices):
    NONE = "", _("None: hand-picked stories only")
    LATEST = "latest", _("Latest stories")
    TOP = "top", _("Latest stories, those with a photo first")
    SECTION = "section", _("Latest in a section")
    TAG = "tag", _("Latest with a tag")
    MUST_READ = "must-read", _("Must read")
    MOST_READ = "most-read", _("Most read")


class Kicker(models.TextChoices):
    NONE = "", _("None")
    BREAKING = "Breaking", _("Breaking")
    LIVE = "Live", _("Live")
    EXCLUSIVE = "Exclusive", _("Exclusive")
    ANALYSIS = "Analysis", _("Analysis")


def front_cache_key(section_id: int | None) -> str:
    """The key of a front's published version, home or a section's, known before the
    front itself exists (the home page shows its default layout under it)."""
    return "front-home" if section_id is None else f"front-section-{section_id}"


class FrontQuerySet(models.QuerySet):
    def home(self):
        return self.filter(section__isnull=True)


class Front(models.Model):
    """The home page's front (no section) or one section's."""

    section = models.OneToOneField(
        Section,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="front",
        help_text=_("Leave empty for the home page's front."),
    )
    draft_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    draft_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = FrontQuerySet.as_manager()

    class Meta:
        permissions = [("publish_front", _("Can publish and restore fronts"))]
        constraints = [
            # One home front (no section) too: an index on the section or 0.
            models.UniqueConstraint(
                Coalesce("section", Value(0)),
                name="fronts_one_front_per_page",
                violation_error_message=_("That page has a front already."),
            ),
        ]

    def __str__(self):
        return f"{self.section} front" if self.section_id else "Home front"

    @property
    def cache_key(self) -> str:
        return front_cache_key(self.section_id)

    def changed_keys(self, *, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
            return None  # the draft: readers see it once it is published
        return Purge(hard={self.cache_key})


DRAFT_FIELDS = {"draft_changed_at", "draft_changed_by"}


class Container(models.Model):
    """A block of a front's draft: a title, a layout, its picks, then its backfill."""

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="containers")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=80, help_text=_("Shown above the block, e.g. “Business”."))
    layout = models.CharField(max_length=10, choices=Layout, default=Layout.GRID_4)
    max_cards = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CARDS)],
        help_text=_("Hand-picked stories first, then the backfill, up to this many."),
    )
    backfill = models.CharField(
        max_length=10, choices=Backfill, default=Backfill.LATEST, blank=True
    )
    backfill_section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For “Latest in a section”."),
    )
    backfill_tag = models.ForeignKey(
        Tag,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For “Latest with a tag”."),
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_cards__gte=1, max_cards__lte=MAX_CARDS),
                name="fronts_container_max_cards_range",
                violation_error_message=_("A block holds from 1 to 12 stories."),
            ),
            models.CheckConstraint(
                condition=~Q(backfill="section") | Q(backfill_section__isnull=False),
                name="fronts_container_section_backfill_has_section",
                violation_error_message=_("Choose the section to backfill from."),
            ),
            models.CheckConstraint(
                condition=~Q(backfill="tag") | Q(backfill_tag__isnull=False),
                name="fronts_container_tag_backfill_has_tag",
                violation_error_message=_("Choose the tag to backfill from."),
            ),
        ]

    def __str__(self):
        return self.title


class Card(models.Model):
    """A hand-picked story in a container, with what the front shows instead of the
    story's own headline, standfirst or photo (the story itself is unchanged)."""

    container = models.ForeignKey(Container, on_delete=models.CASCADE, related_name="cards")
    # The front as well as the container, so that a story is picked once per front.
    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="+", editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    headline = models.CharField(
        max_length=200, blank=True, help_text=_("Leave empty for the story's own headline.")
    )
    standfirst = models.CharField(
        max_length=400, blank=True, help_text=_("Leave empty for the story's own standfirst.")
    )
    photo = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Any photo from the library; leave empty for the story's own."),
    )
    kicker = models.CharField(max_length=10, choices=Kicker, blank=True, default=Kicker.NONE)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["front", "article"],
                name="fronts_card_story_once_per_front",
                violation_error_message=_("That story is on this front already."),
            ),
        ]

    def __str__(self):
        return self.headline or str(self.article)


class FrontVersionQuerySet(models.QuerySet):
    def live(self):
        """Versions whose time has come, newest first: the first is what readers see."""
        return self.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk")

    def next_scheduled_change(self, now):
        """When a version published for later goes live, or None: of every front's (a
        prepared read)."""
        return soonest(NEXT_VERSION_LIVE(now))


class FrontVersion(models.Model):
    """A front as published: its containers and cards frozen as data (see
    fronts.pages.draft_layout for the shape), kept for the record and to be restored."""

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="versions")
    layout = models.JSONField(editable=False)
    published_at = models.DateTimeField(
        _("live from"), default=timezone.now, db_index=True, help_text=_("When readers see it.")
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
    summary = models.TextField(
        blank=True,
        editable=False,
        help_text=_("What changed since the version before, a line per change."),
    )

    objects = FrontVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"

    def __str__(self):
        return f"{self.front}, {self.published_at:%Y-%m-%d %H:%M}"

    def changed_keys(self, **kwargs):
        return Purge(hard={front_cache_key(self.front.section_id)})

    @property
    def summary_lines(self) -> list[str]:
        return self.summary.splitlines()


# The next scheduled change (fronts.apps.FrontsConfig.next_public_change).
NEXT_VERSION_LIVE = PreparedRead(
    lambda now: earliest(
        FrontVersion.objects.filter(published_at__gt=now), at=models.Min("published_at")
    )
)
