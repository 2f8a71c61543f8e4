import hashlib
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment, XtdCommentManager

from newsroom.cachekeys import Purge

# Unicode's Default_Ignorable_Code_Point characters that are not format characters (Cf):
# they render as nothing, so "vi\u034fagra" looks like "viagra" to a reader.
IGNORABLE_LETTERS_AND_MARKS = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0),
        *range(0xFE00, 0xFE10),  # variation selectors
        *range(0xE0100, 0xE01F0),  # variation selectors supplement
    ]
)


def _is_invisible(ch):
    return unicodedata.category(ch) in {"Cf", "Cc", "Co"} or ord(ch) in IGNORABLE_LETTERS_AND_MARKS


def normalise_text(text: str) -> str:
    """Text as word lists and duplicate checks see it: NFKC, no invisible characters,
    case folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    # Every whitespace character (a bare \r, a vertical tab) still separates words;
    # only then are the invisible ones dropped.
    text = "".join(
        " " if ch.isspace() else ch for ch in text if ch.isspace() or not _is_invisible(ch)
    )
    return " ".join(text.casefold().split())


def comment_fingerprint(*, article_id: int, email: str, text: str) -> str:
    """The key a comment is stored once under: its article, the email case-folded and the
    text as ``normalise_text`` sees it, so a double click, a resubmitted form or the same
    words with other case and spacing find the comment already stored.

    Stored comments keep their key: change this and duplicates of them get through.
    """
    article_type = ContentType.objects.get_by_natural_key("articles", "article")
    key = "\x1f".join(
        [str(article_type.pk), str(article_id), email.casefold(), normalise_text(text)]
    )
    return hashlib.sha256(key.encode()).hexdigest()


# Approve, reject and mark as spam: who holds it is a moderator (see Meta.permissions).
MODERATE_PERMISSION = "comments.moderate_readercomment"


class ReaderCommentQuerySet(models.QuerySet):
    def for_article(self, article_id):
        """The comments on one article (by its pk), by the cached content type: no join."""
        article_type = ContentType.objects.get_by_natural_key("articles", "article")
        return self.filter(content_type=article_type, object_pk=str(article_id))

    def duplicate_of(self, *, article_id: int, email: str, text: str):
        """The comment stored with this text from this email on this article (at most one)."""
        return self.filter(
            fingerprint=comment_fingerprint(article_id=article_id, email=email, text=text)
        )

    def public(self):
        """What readers may see."""
        return self.filter(status=ReaderComment.Status.PUBLIC)

    def pending(self):
        return self.filter(status=ReaderComment.Status.PENDING)

    def history_by_email(self, emails):
        """How many comments each email had approved and rejected, in one query.

        Keyed by the lower-cased email: like the "previously approved" rule, it takes
        Ada@Example.com and ada@example.com for the same reader.
        """
        rows = (
            self.annotate(email_key=Lower("user_email"))
            .filter(email_key__in={email.lower() for email in emails})
            .values("email_key")
            .annotate(
                approved=Count("pk", filter=Q(status=ReaderComment.Status.PUBLIC)),
                rejected=Count(
                    "pk",
                    filter=Q(status__in=[ReaderComment.Status.REMOVED, ReaderComment.Status.SPAM]),
                ),
            )
            .order_by()
        )
        return {row["email_key"]: row for row in rows}

    def thread(self):
        """Public comments in thread order: each thread oldest first, replies under their parent."""
        return self.public().order_by("thread_id", "order")


class ReaderCommentManager(XtdCommentManager.from_queryset(ReaderCommentQuerySet)):
    pass


class ReaderComment(XtdComment):
    """A reader's comment on an article, with the state moderation gives it.

    django-comments-xtd's ``is_public``/``is_removed`` are kept in step with ``status``
    (services do it), so code written for django-contrib-comments reads them right.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PUBLIC = "public", _("Public")
        REMOVED = "removed", _("Removed")
        SPAM = "spam", _("Spam")

    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    fingerprint = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("The same text from the same email on the same article is stored once."),
    )
    report_count = models.PositiveIntegerField(default=0, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = ReaderCommentManager()

    class Meta:
        verbose_name = _("reader comment")
        permissions = [
            ("moderate_readercomment", _("Can approve, reject and mark comments as spam"))
        ]

    def __str__(self):
        return f"{self.user_name}: {self.comment[:60]}"

    def get_absolute_url(self, anchor_pattern="#c%(id)s"):
        """The comment's place on its article; never a redirect through another view."""
        return self.content_object.get_absolute_url() + anchor_pattern % {"id": self.pk}

    def changed_keys(self, *, deleted=False, update_fields=None):
        """Only what readers see, or saw, changes pages: a public comment or a moderation
        decision. A new comment held for moderation, or a report, leaves them as they
        are. An approved comment is an addition (a soft purge); a comment taken down
        must be gone at once (a hard purge)."""
        fields = set(update_fields or ())
        if not (deleted or "status" in fields or (self.is_public and fields != {"report_count"})):
            return None
        thread = f"comments-{self.object_pk}"
        if self.is_public and not deleted:
            return Purge(soft={thread})
        return Purge(hard={thread})

    def set_status(self, status: "ReaderComment.Status") -> None:
        """Set ``status`` and the django-comments-xtd flags that follow from it (unsaved)."""
        self.status = status
        self.is_public = status == self.Status.PUBLIC
        self.is_removed = status in (self.Status.REMOVED, self.Status.SPAM)


class CommentReport(models.Model):
    """A reader's "Report" on a public comment. Who reported is kept only as a hash."""

    comment = models.ForeignKey(ReaderComment, on_delete=models.CASCADE, related_name="reports")
    reporter_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_hash"], name="comments_report_once"
            ),
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id}"
