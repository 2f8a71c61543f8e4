import reversion
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.blocks import Body, expand_bodies, expand_body
from articles.fields import ARTICLE_BODY_EXTENSIONS, SanitizedProseField
from articles.models import Article, Author
from newsroom.cachekeys import Purge
from newsroom.prepared import PreparedRead, earliest, soonest

# Publishing an entry: editors and live editors have it, reporters do not.
PUBLISH_ENTRY_PERMISSION = "liveblog.publish_liveentry"


def live_cache_key(article_id):
    """The key of a live article's entries: its page and its polling answers."""
    return f"live-{article_id}"


class LiveEntryQuerySet(models.QuerySet):
    def published(self):
        """Entries readers may see: published, with a time that has come."""
        return self.filter(status=LiveEntry.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_display_data(self):
        """Everything an entry shows, in a fixed number of queries."""
        return self.prefetch_related("authors")

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def stream(self, article):
        """The article's public entries but the pinned one (shown apart), newest first."""
        return (
            self.published()
            .filter(article=article, is_pinned=False)
            .with_display_data()
            .newest_first()
        )

    def before(self, entry):
        """Entries older than `entry` in the stream's order: the cursor of older pages."""
        return self.filter(
            Q(published_at__lt=entry.published_at)
            | Q(published_at=entry.published_at, pk__lt=entry.pk)
        )

    def newer_than(self, entry):
        return self.filter(
            Q(published_at__gt=entry.published_at)
            | Q(published_at=entry.published_at, pk__gt=entry.pk)
        )

    def changed_since(self, article, since):
        """The article's entries edited, published, unpublished or due since `since`."""
        return self.filter(
            Q(updated_at__gte=since) | Q(published_at__gte=since, published_at__lte=timezone.now()),
            article=article,
        )

    def next_scheduled_change(self, now):
        """An entry posted with a time in the future appears then (of every live
        story's: a prepared read)."""
        return soonest(NEXT_ENTRY_APPEARS(now))


@reversion.register()
class LiveEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="live_entries")
    published_at = models.DateTimeField(
        _("time"),
        default=timezone.now,
        help_text=_("Shown with the entry and orders the page; set when it is written."),
    )
    title = models.CharField(max_length=200, blank=True)
    body = SanitizedProseField(extensions=ARTICLE_BODY_EXTENSIONS)
    authors = models.ManyToManyField(Author, blank=True, related_name="live_entries")
    is_key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed in the summary at the top.")
    )
    is_pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Shown first; pinning an entry unpins the one pinned before."),
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = LiveEntryQuerySet.as_manager()

    # Whether readers could see the entry as stored before this change (from_db, and the
    # services); a new entry could not.
    was_public = False

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_liveentry", _("Can publish live entries"))]
        indexes = [
            # The page and its cursor: an article's entries newest first.
            models.Index(
                fields=["article", "status", "-published_at", "-id"], name="liveblog_stream_idx"
            ),
            # The polling answer: what changed since a time.
            models.Index(fields=["article", "updated_at"], name="liveblog_changed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(is_pinned=True),
                name="liveblog_one_pinned_entry",
                violation_error_message=_("Another entry of this article is pinned already."),
            ),
        ]

    def __str__(self):
        return self.title or f"{timezone.localtime(self.published_at):%H:%M} entry"

    def get_absolute_url(self):
        return reverse("liveblog:entry", kwargs={"pk": self.pk})

    @cached_property
    def shown_body(self) -> Body:
        """The body with its blocks expanded (articles.blocks). Pages showing several
        entries expand them together with with_shown_bodies, in two queries."""
        return expand_body(self.body)

    @property
    def anchor(self):
        return f"entry-{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember whether readers could see the entry as stored (changed_keys)."""
        entry = super().from_db(db, field_names, values)
        if "status" in field_names:
            entry.was_public = entry.status == cls.Status.PUBLISHED
        return entry

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def changed_keys(self, *, deleted=False, **kwargs):
        if not (self.status == self.Status.PUBLISHED or self.was_public):
            return None  # a draft: no reader sees it
        key = live_cache_key(self.article_id)
        if self.was_public or deleted:  # an edited, unpublished or deleted entry must go
            return Purge(hard={key})
        return Purge(soft={key})  # a new entry, added to the page


def with_shown_bodies(entries: list[LiveEntry]) -> list[LiveEntry]:
    """The entries, each with its blocks expanded: the photos and embeds of them all are
    read in two queries, however many entries and blocks there are."""
    for entry, body in zip(entries, expand_bodies([e.body for e in entries]), strict=True):
        entry.shown_body = body
    return entries


class LiveEntryRemoval(models.Model):
    """A public entry deleted or unpublished, so polling readers take it off their page."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    entry_id = models.PositiveIntegerField()
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["article", "removed_at"], name="liveblog_removed_idx")]

    def __str__(self):
        return f"entry {self.entry_id} removed"

    def changed_keys(self, **kwargs):
        return Purge(hard={live_cache_key(self.article_id)})


# The next scheduled change (liveblog.apps.LiveblogConfig.next_public_change).
NEXT_ENTRY_APPEARS = PreparedRead(
    lambda now: earliest(
        LiveEntry.objects.filter(status=LiveEntry.Status.PUBLISHED, published_at__gt=now),
        at=models.Min("published_at"),
    )
)
