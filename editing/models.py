from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EditSessionQuerySet(models.QuerySet):
    def present(self, key, *, since):
        """Who has `key` open: sessions with a heartbeat since `since`, longest first."""
        return (
            self.filter(key=key, seen_at__gte=since)
            .select_related("user")
            .order_by("opened_at", "pk")
        )

    def drafts(self):
        """Sessions holding unsaved form data."""
        return self.filter(data__isnull=False)


class EditSession(models.Model):
    """One user's editing of one object (or of a new one): since when, their last
    heartbeat, and the form data they have not saved yet."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="edit_sessions"
    )
    key = models.CharField(
        max_length=150,
        help_text=_("What is edited: “articles.article:12”, or a new one: “…:new”."),
    )
    opened_at = models.DateTimeField(help_text=_("Since when the user has had it open."))
    seen_at = models.DateTimeField(help_text=_("The last heartbeat from the user's page."))
    data = models.JSONField(
        null=True, blank=True, help_text=_("The form as typed and not saved yet, by field name.")
    )
    saved_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the unsaved form data was last autosaved.")
    )

    objects = EditSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="editing_one_session_per_user_and_key",
                violation_error_message=_("A user has one session per object."),
            ),
            models.CheckConstraint(
                condition=Q(data__isnull=True) | Q(saved_at__isnull=False),
                name="editing_draft_has_time",
                violation_error_message=_("Unsaved form data needs the time it was saved."),
            ),
        ]
        indexes = [models.Index(fields=["key", "seen_at"], name="editing_presence_idx")]

    def __str__(self):
        return f"{self.user} on {self.key}"
