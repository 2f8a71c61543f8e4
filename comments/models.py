import hashlib
import ipaddress
import secrets
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import DomainNameValidator, validate_email
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Cast, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment, XtdCommentManager

from articles.models import Article
from newsroom.cachekeys import Purge

from .counts import comments_cache_keys, thread_cache_key

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

# How many of the newest comments a search reads the text of (ReaderCommentQuerySet.search).
SEARCHED_TEXTS = 50_000
# How many of the newest moderation events a search of the log reads the target of
# (ModerationEventQuerySet.search).
SEARCHED_EVENTS = 100_000
# How many pending comments the queue's summary counts by story and section.
PENDING_COUNTED = 1_000
# Where a commenter's history stops counting (ReaderCommentQuerySet.history_by_email).
HISTORY_COUNTED = 100
# What the history counts, each up to HISTORY_COUNTED rows of the index on
# (lower(user_email), is_public, is_removed) for the email in k.column1: approved and
# rejected from that index alone (the flags follow status: ReaderComment.set_status),
# the others through the status beside it.
HISTORY_COUNTS = {
    "approved": (
        "(SELECT count(*) FROM (SELECT 1 FROM django_comments c"
        " WHERE lower(c.user_email) = k.column1 AND c.is_public LIMIT %s) AS n)"
    ),
    "rejected": (
        "(SELECT count(*) FROM (SELECT 1 FROM django_comments c"
        " WHERE lower(c.user_email) = k.column1 AND c.is_removed LIMIT %s) AS n)"
    ),
    "removed": (
        "(SELECT count(*) FROM (SELECT 1 FROM django_comments c"
        " JOIN comments_readercomment r ON r.xtdcomment_ptr_id = c.id"
        " WHERE lower(c.user_email) = k.column1"
        " AND c.is_removed AND r.status = 'removed' LIMIT %s) AS n)"
    ),
    "spam": (
        "(SELECT count(*) FROM (SELECT 1 FROM django_comments c"
        " JOIN comments_readercomment r ON r.xtdcomment_ptr_id = c.id"
        " WHERE lower(c.user_email) = k.column1"
        " AND c.is_removed AND r.status = 'spam' LIMIT %s) AS n)"
    ),
    "pending": (
        "(SELECT count(*) FROM (SELECT 1 FROM django_comments c"
        " JOIN comments_readercomment r ON r.xtdcomment_ptr_id = c.id"
        " WHERE lower(c.user_email) = k.column1"
        " AND NOT c.is_public AND NOT c.is_removed AND r.status = 'pending' LIMIT %s) AS n)"
    ),
}


class TableKey(models.Expression):
    """The key column of `parent`'s own table, in a query of one of its multi-table
    children. Django reads a parent's key as the child's (they are equal), which finds
    the same rows but puts no bound on the parent's table or its indexes. The parent's
    table is the one the query already joins (Query.join_parent_model reuses it)."""

    def __init__(self, parent: type[models.Model]):
        super().__init__(output_field=parent._meta.pk)
        self.parent = parent

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        alias = query.join_parent_model(
            query.get_meta(), self.parent, query.get_initial_alias(), {}
        )
        return self.parent._meta.pk.get_col(alias)


# What a story's thread shows of a comment and nests it by (see thread() below), plus
# where it is (object_pk, thread_id): its page is found from these (comments.threads).
THREAD_FIELDS = (
    "object_pk",
    "user_name",
    "comment",
    "submit_date",
    "thread_id",
    "parent_id",
    "level",
    "order",
    "erased_at",
)


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

    def counted(self):
        """The public comments an article's count counts: not the places kept in a
        thread for comments erased at their authors' request."""
        return self.public().filter(erased_at__isnull=True)

    def by_email(self, email: str):
        """Everything posted under one e-mail address, whatever its case: read through
        the index on lower(user_email) (migration 0011), as history_by_email is."""
        return self.alias(email_key=Lower("user_email")).filter(email_key=email.strip().lower())

    def pending(self):
        return self.filter(status=ReaderComment.Status.PENDING)

    def held_for(self, rule: str):
        """The comments one moderation rule fired on: a semi-join, so that the list
        needs no DISTINCT over whole rows as a filter across the relation would."""
        return self.filter(
            Exists(ModerationReason.objects.filter(comment=OuterRef("pk"), rule=rule))
        )

    def search(self, terms: str):
        """What a moderator's search finds, each kind through an index rather than a
        `LIKE '%…%'` over every comment: an e-mail address (or `email:…`) exactly,
        whatever its case; an IP address exactly; otherwise names that start with the
        words, and the words anywhere in the text of the newest SEARCHED_TEXTS comments."""
        terms = terms.strip()
        if terms.casefold().startswith("email:"):
            return self.by_email(terms.partition(":")[2])
        if "@" in terms and not any(ch.isspace() for ch in terms):
            return self.by_email(terms)
        try:
            address = ipaddress.ip_address(terms)
        except ValueError:
            pass
        else:
            return self.filter(ip_address=str(address))
        # The text of old comments is not searched: the bound keeps a rare word from
        # reading millions of rows. The Nth newest key is read first, so that the planner
        # sees the range it bounds (a subquery's value it would have to guess). Both
        # sides of the OR are on django_comments' own table, each read through an index
        # (a BitmapOr), which an OR across the inherited tables would not allow.
        oldest_searched = (
            ReaderComment.objects.order_by("-pk")
            .values_list("pk", flat=True)[SEARCHED_TEXTS - 1 : SEARCHED_TEXTS]
            .first()
        )
        matches = Comment.objects.alias(name_key=Lower("user_name")).filter(
            Q(name_key__startswith=terms.lower())
            | Q(pk__gte=oldest_searched or 0, comment__icontains=terms)
        )
        return self.filter(pk__in=matches.values("pk"))

    def history_by_email(self, emails, *, kinds=tuple(HISTORY_COUNTS)) -> dict[str, dict[str, int]]:
        """How many comments each email had approved, rejected (removed or spam), removed,
        marked as spam and pending, in one query; each count stops at HISTORY_COUNTED.

        Keyed by the lower-cased email: like the "previously approved" rule, it takes
        Ada@Example.com and ada@example.com for the same reader. Each count is a range
        of the index on (lower(user_email), is_public, is_removed) read up to the bound
        (the flags are kept in step with status): a commenter with 100,000 comments
        costs what one with 1,000 does. Reads every comment, whatever this queryset's
        filters.
        """
        keys = sorted({email.lower() for email in emails})
        if not keys:
            return {}
        values = ", ".join(["(%s)"] * len(keys))
        counts = ", ".join(HISTORY_COUNTS[kind] for kind in kinds)
        sql = f"SELECT k.column1, {counts} FROM (VALUES {values}) AS k"  # noqa: S608  # nosec B608
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [HISTORY_COUNTED] * len(kinds) + keys)
            rows = cursor.fetchall()
        return {key: dict(zip(kinds, numbers, strict=True)) for key, *numbers in rows}

    def oldest_pending(self) -> "ReaderComment | None":
        """The comment that has waited longest for a moderator: the first stored (keys
        follow the order comments arrive in), read from the pending comments' own index
        rather than by date through millions of decided ones."""
        return self.pending().order_by("pk").first()

    def pending_by_article(self, *, newest: int = PENDING_COUNTED) -> dict[int, int]:
        """How many of the `newest` pending comments wait on each article (by its pk),
        in one query: a bound, so that a queue of millions costs what one of thousands
        does (has_more_pending says whether it was reached). The comments' own table is
        read by key for the pending ones, not joined through django-comments-xtd's."""
        article_type = ContentType.objects.get_by_natural_key("articles", "article")
        keys = self.pending().order_by("-pk").values("pk")[:newest]
        rows = (
            Comment.objects.filter(pk__in=keys, content_type=article_type)
            .values_list("object_pk")
            .annotate(count=Count("pk"))
            .order_by()
        )
        return {int(object_pk): count for object_pk, count in rows}

    def has_more_pending(self, than: int = PENDING_COUNTED) -> bool:
        """Whether more than `than` comments are pending, from the pending index."""
        return self.pending().order_by("-pk").values("pk")[than : than + 1].exists()

    def in_section(self, section_id: int):
        """The comments on the articles of one section: each comment's story looked up
        in the index of the sections' keys as text (articles_section_key_idx), as
        far as the page goes, rather than compared with a busy section's hundred
        thousand keys in turn."""
        article_type = ContentType.objects.get_by_natural_key("articles", "article")
        # object_pk is text: the articles' keys are compared as text, which both
        # databases do, rather than casting every comment's object_pk to a number.
        keys = (
            Article.objects.filter(section_id=section_id)
            .annotate(key=Cast("pk", models.CharField()))
            .values("key")
        )
        return self.filter(content_type=article_type, object_pk__in=keys)

    def thread_ids(self, *, newest_first: bool, start: int | None, limit: int, inclusive=True):
        """The ids of up to `limit` threads with public comments, from thread `start` on
        (or from the first), in posting order or newest first: a keyset read, no OFFSET.

        A thread's id is its first comment's, so the threads are the first comments,
        read in order of id from the index on an article's comments (migration 0013),
        each kept if its thread holds a public comment: a page reads about as many rows
        as it shows, not the DISTINCT of a 50,000-comment story's threads.
        """
        public_in_thread = ReaderComment.objects.public().filter(thread_id=OuterRef("pk"))
        threads = self.filter(level=0).filter(Exists(public_in_thread))
        if start is not None:
            bound = ("lt" if newest_first else "gt") + ("e" if inclusive else "")
            # On each table's own key: PostgreSQL carries an equality across a join but
            # never a < or >, so bounding comments_readercomment's key alone (Django's
            # `pk`) left the article's index on django_comments, and the other keys when
            # merge-joined, to be read from the story's first or last comment up to the
            # cursor. Bounded on all three, whichever way the planner joins them, each
            # read starts at the cursor.
            keys = {"comment_key": TableKey(Comment), "xtdcomment_key": TableKey(XtdComment)}
            threads = threads.alias(**keys).filter(
                **{f"{key}__{bound}": start for key in [*keys, "pk"]}
            )
        ordered = threads.order_by("-pk" if newest_first else "pk")
        return list(ordered.values_list("pk", flat=True)[:limit])

    def thread(self, thread_ids=None, *, newest_first=False):
        """The public comments of these threads (of every thread of the comments this is
        called on if None: an article's, for_article) in thread order: threads oldest or
        newest first, each thread in reading order, replies under their parent.

        Only what the thread shows is read: not django-comments-xtd's user and content
        type joined to every row, nor the addresses, text fingerprint and moderation
        fields. A page holds a hundred comments and more, and each column read and
        each object built is paid a hundred times."""
        comments = self.public()
        if thread_ids is not None:
            comments = comments.filter(thread_id__in=thread_ids)
        return (
            comments.select_related(None)
            .only(*THREAD_FIELDS)
            .order_by("-thread_id" if newest_first else "thread_id", "order")
        )


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
    # Set when the author had their data erased and replies keep the comment's place:
    # it shows as "comment removed at the author's request", with no name or text.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReaderCommentManager()

    class Meta:
        verbose_name = _("reader comment")
        permissions = [
            ("moderate_readercomment", _("Can approve, reject and mark comments as spam"))
        ]
        indexes = [
            # The queue, newest or oldest first, and the oldest pending comment: the few
            # pending comments in key order, not a walk through millions of decided ones.
            # The e-mail, name and IP indexes are on django_comments (migration 0011).
            models.Index(
                fields=["xtdcomment_ptr"],
                condition=Q(status="pending"),
                name="comments_pending_idx",
            ),
            # The "reported by readers" filter and its count: the few reported comments.
            models.Index(
                fields=["xtdcomment_ptr"],
                condition=Q(report_count__gt=0),
                name="comments_reported_idx",
            ),
        ]

    def __str__(self):
        # First-strong isolate ... pop directional isolate: the name, whatever its
        # direction (or an override stored before names were cleaned), cannot turn the
        # rest of a title, breadcrumb or log line around (a <bdi> for plain text).
        return f"\u2068{self.user_name}\u2069: {self.comment[:60]}"

    def get_absolute_url(self):
        """The comment's lasting address: it leads to the page of its story's thread that
        holds it (comments.views.comment_permalink), as that page changes with the thread."""
        return reverse("comments:permalink", args=[self.pk])

    def changed_keys(self, *, deleted=False, update_fields=None):
        """Only what readers see, or saw, changes pages: a public comment or a moderation
        decision. A new comment held for moderation, or a report, leaves them as they
        are. An approved comment is an addition (a soft purge); a comment taken down
        must be gone at once (a hard purge)."""
        fields = set(update_fields or ())
        if not (deleted or "status" in fields or (self.is_public and fields != {"report_count"})):
            return None
        article_id = int(self.object_pk)
        # Posted, deleted, a decision or an erasure: the count on its story's cards too.
        if deleted or not fields or fields & {"status", "erased_at"}:
            keys = comments_cache_keys(article_id)
        else:
            keys = {thread_cache_key(article_id)}
        # An edited text may be a redaction: it must be gone at once too.
        if self.is_public and not deleted and "comment" not in fields:
            return Purge(soft=keys, moves_schedule=False)
        return Purge(hard=keys, moves_schedule=False)

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


class CommentBanQuerySet(models.QuerySet):
    def active(self):
        """Bans in force now: those without an end, or whose end is still ahead."""
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now()))

    def matching(self, *, email: str, ip_address: str | None):
        """The active bans that cover this e-mail or address: one indexed query, the
        same on SQLite and PostgreSQL."""
        email_key = email.casefold()
        # A domain ban covers its subdomains: example.com covers mail.example.com.
        labels = email_key.rpartition("@")[2].split(".")
        domains = [".".join(labels[i:]) for i in range(len(labels))]
        covers = Q(
            kind=CommentBan.Kind.EMAIL, value__in=[email_key, erased_email_key(email_key)]
        ) | Q(kind=CommentBan.Kind.DOMAIN, value__in=domains)
        try:
            key = address_key(ipaddress.ip_address(ip_address or ""))
        except ValueError:
            pass
        else:
            covers |= Q(kind=CommentBan.Kind.NETWORK, first_key__lte=key, last_key__gte=key)
            covers |= Q(kind=CommentBan.Kind.NETWORK, value=erased_address_key(key))
        return self.active().filter(covers)


ERASED_PREFIX = "erased:"


def erased_email_key(email: str) -> str:
    """What an e-mail ban keeps of the address once its owner had their data erased: a
    keyed hash, which still matches their posts but from which the address cannot be
    read back (changing SECRET_KEY ends such bans)."""
    digest = salted_hmac("comments.erased-ban", email.casefold(), algorithm="sha256")
    return ERASED_PREFIX + digest.hexdigest()


def erased_address_key(key: str) -> str:
    """What a ban of one IP address (by its address_key) keeps once the only commenter
    who used it had their data erased: a keyed hash, like erased_email_key."""
    digest = salted_hmac("comments.erased-ban-address", key, algorithm="sha256")
    return ERASED_PREFIX + digest.hexdigest()


# Decimal digits, zero-padded to the 39 of the largest IPv6 address: keys that compare as
# strings the way the addresses compare as numbers, under any collation, on both databases
# (neither SQLite nor Django's PostgreSQL backend has a 128-bit integer).
ADDRESS_KEY_DIGITS = 39


def address_key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The address as a sortable key, IPv4 in IPv6's IPv4-mapped range (::ffff:0:0/96),
    so that a client seen as ::ffff:203.0.113.5 meets the bans of 203.0.113.5."""
    if isinstance(address, ipaddress.IPv4Address):
        address = ipaddress.IPv6Address(f"::ffff:{address}")
    return str(int(address)).zfill(ADDRESS_KEY_DIGITS)


class CommentBan(models.Model):
    """A commenter kept out: by e-mail, e-mail domain, or IP address or network.

    A banned commenter's posts are answered as if held for moderation (or with a clear
    message, settings.COMMENTS_TELL_BANNED) and are not stored.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail address")
        DOMAIN = "domain", _("E-mail domain")
        NETWORK = "network", _("IP address or network")

    kind = models.CharField(max_length=10, choices=Kind)
    # A CharField, not a GenericIPAddressField: a network is an address and a prefix
    # length ("2001:db8::/32"), which that field does not hold.
    value = models.CharField(
        max_length=254,
        help_text=_(
            "ada@example.com, example.com (also covers its subdomains), "
            "203.0.113.7, 203.0.113.0/24 or 2001:db8::/48."
        ),
    )
    reason = models.TextField(help_text=_("Why: other moderators read it."))
    ends_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("The ban lapses by itself at this time; empty for a ban without end."),
    )
    # A network ban's first and last address (see address_key), set by clean().
    first_key = models.CharField(max_length=ADDRESS_KEY_DIGITS, blank=True, editable=False)
    last_key = models.CharField(max_length=ADDRESS_KEY_DIGITS, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = CommentBanQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment ban")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kind", "value"], name="comments_ban_kind_value"),
            models.Index(fields=["kind", "first_key"], name="comments_ban_kind_first"),
        ]
        constraints = [
            # An erased commenter's address ban (erased_address_key) has no range left.
            models.CheckConstraint(
                condition=(Q(kind="network") & ~Q(first_key="") & ~Q(last_key=""))
                | (
                    (~Q(kind="network") | Q(value__startswith=ERASED_PREFIX))
                    & Q(first_key="", last_key="")
                ),
                name="comments_ban_network_has_range",
                violation_error_message=_("A network ban needs its first and last address."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("created_at")),
                name="comments_ban_ends_after_start",
                violation_error_message=_("A ban ends after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        """The value in the one spelling matching looks for: a lower-case e-mail or
        domain, a network in CIDR form (a single address as /32 or /128)."""
        if self.value.startswith(ERASED_PREFIX):
            return  # an erased commenter's ban (erased_*_key): nothing to normalise
        try:
            self.value = self._normalised(self.value.strip())
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None
        self.first_key = self.last_key = ""
        if self.kind == self.Kind.NETWORK:
            network = ipaddress.ip_network(self.value)
            self.first_key = address_key(network.network_address)
            self.last_key = address_key(network.broadcast_address)

    def _normalised(self, value: str) -> str:
        if self.kind == self.Kind.EMAIL:
            validate_email(value)
            return value.casefold()
        if self.kind == self.Kind.DOMAIN:
            domain = value.removeprefix("@").casefold()
            DomainNameValidator(message=_("Enter a domain such as example.com."))(domain)
            return domain
        try:
            return str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValidationError(
                _("Enter an IP address or a network such as 203.0.113.0/24.")
            ) from None

    @property
    def is_active(self) -> bool:
        return self.ends_at is None or self.ends_at > timezone.now()


class ModerationEventQuerySet(models.QuerySet):
    def about(self, target: models.Model):
        """The events about one object (a comment, a ban, a rule), oldest first."""
        return self.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        ).order_by("at", "pk")

    def search(self, terms: str):
        """What a search of the log finds, each kind through an index rather than a
        `LIKE '%…%'` over every decision ever taken: a number (or `#number`), every event
        about that comment; an e-mail address (or `email:…`), every event about that
        commenter's comments; other words, the events among the newest SEARCHED_EVENTS
        whose target's name (a commenter's name and the start of their comment, a ban,
        the rules) contains them."""
        terms = terms.strip()
        comment_type = ContentType.objects.get_for_model(ReaderComment)
        number = terms.removeprefix("#")
        if number.isascii() and number.isdigit():
            try:  # the column's own range: past it no key is, and the database would refuse it
                self.model._meta.get_field("target_id").run_validators(int(number))
            except ValidationError:
                return self.none()
            return self.filter(target_type=comment_type, target_id=int(number))
        email = terms.partition(":")[2] if terms.casefold().startswith("email:") else terms
        if "@" in email and not any(ch.isspace() for ch in email):
            comments = ReaderComment.objects.by_email(email).values("pk")
            return self.filter(target_type=comment_type, target_id__in=comments)
        # Words are looked for in recent events only: the bound keeps a rare word (or a
        # name with few events) from reading millions of rows, which a prefix index does
        # not (the planner, guessing how many rows match, walks the date index for them).
        # The Nth newest key is read first, so that the planner sees the range it bounds.
        oldest_searched = (
            self.model.objects.order_by("-pk")
            .values_list("pk", flat=True)[SEARCHED_EVENTS - 1 : SEARCHED_EVENTS]
            .first()
        )
        return self.filter(pk__gte=oldest_searched or 0, target_repr__icontains=terms)


class ModerationEvent(models.Model):
    """One moderation decision, kept for good: who, when, and what it was before and after.

    Written only by ``comments.services.moderation_event_record``; never changed after.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        SPAM = "spam", _("Mark as spam")
        HOLD = "hold", _("Back to the queue")
        EDIT = "edit", _("Edit text")
        BAN = "ban", _("Ban")
        UNBAN = "unban", _("Lift ban")
        RULE_CHANGE = "rule_change", _("Rule change")
        EXPORT = "export", _("Commenter's data exported")
        ERASE = "erase", _("Commenter's data erased")

    action = models.CharField(max_length=20, choices=Action)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when no person decided (readers' reports sent it back)."),
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    # What the target was called then, readable after it is deleted.
    target_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation event")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="comments_event_target"),
            # One kind of decision newest first, however rare (a rule change among
            # millions of approvals), and its count: the log's "action" filter.
            models.Index(fields=["action", "at"], name="comments_event_action_at"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_repr}"

    def change_summary(self, *, limit: int | None = None) -> str:
        """Each field that changed as "field: before → after", one per line."""
        lines = []
        for key in sorted(self.before.keys() | self.after.keys()):
            old, new = (self.before.get(key, "—"), self.after.get(key, "—"))
            if limit:
                old, new = (Truncator(str(value)).chars(limit) for value in (old, new))
            lines.append(f"{key}: {old} → {new}")
        return "\n".join(lines)


# --- Why a comment was held, and the rules moderators edit (issue 15) -------------------


class ModerationReason(models.Model):
    """One rule that fired on a comment: why it was held, marked as spam or published.

    A row per rule rather than a JSON list on the comment: the queue filters by rule
    (every comment held for links) the same way on SQLite and PostgreSQL.
    """

    class Rule(models.TextChoices):
        BLOCK_WORD = "block word", _("blocked word")
        SPAM_CHECK = "spam check", _("spam check")
        HOLD_WORD = "hold word", _("listed word")
        LINKS = "links", _("too many links")
        FIRST_COMMENT = "first comment", _("first comment from this address")
        PRE_MODERATION = "pre-moderation", _("pre-moderation")
        PREVIOUSLY_APPROVED = "previously approved", _("previously approved")
        REPORTS = "reports", _("reported by readers")

    comment = models.ForeignKey(
        ReaderComment, on_delete=models.CASCADE, related_name="moderation_reasons"
    )
    rule = models.CharField(max_length=20, choices=Rule, db_index=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        templates = {
            self.Rule.BLOCK_WORD: _("blocked word: {detail}"),
            self.Rule.HOLD_WORD: _("listed word: {detail}"),
            self.Rule.LINKS: _("{detail} links"),
            self.Rule.REPORTS: _("reported by {detail} readers"),
        }
        if self.rule in templates:
            return str(templates[self.rule]).format(detail=self.detail)
        label = str(self.Rule(self.rule).label)
        return f"{label}: {self.detail}" if self.detail else label


class Premoderation(models.TextChoices):
    ALL = "all", _("Hold every comment for a moderator")
    FIRST_TIME = "first time", _("Hold only a commenter's first comment")
    NONE = "none", _("Publish unless a rule holds it")


def word_list(text: str) -> list[str]:
    """A word list as moderators type it: one word or phrase a line (commas too)."""
    return [word.strip() for line in text.splitlines() for word in line.split(",") if word.strip()]


# Shown by every article page's comment section: rules decide whether the form is there.
COMMENT_RULES_KEY = "comment-rules"


class ModerationRules(models.Model):
    """The site's comment rules: one row, edited in the admin, read on every post.

    Its first values came from the COMMENTS_* settings (migration 0005); since then
    the admin is the source.
    """

    hold_words = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase a line: a comment containing one waits for a moderator. "
            "Case, accents' forms, invisible characters and look-alike letters "
            "(a Cyrillic a for a Latin one) do not matter; whole words only."
        ),
    )
    block_words = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase a line: a comment, name or e-mail containing one is "
            "marked as spam and never reaches the queue. Compared like hold words."
        ),
    )
    max_links = models.PositiveIntegerField(
        default=2, help_text=_("A comment with more links than this waits for a moderator.")
    )
    premoderation = models.CharField(
        max_length=10,
        choices=Premoderation,
        default=Premoderation.ALL,
        help_text=_("Which comments wait for a moderator when no rule holds them."),
    )
    close_after_days = models.PositiveIntegerField(
        default=30,
        help_text=_("Comments close this many days after publication (0: never)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moderation rules")
        verbose_name_plural = _("moderation rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="comments_moderation_rules_one_row",
                violation_error_message=_("The site has one set of moderation rules."),
            ),
        ]

    def __str__(self):
        return str(_("Moderation rules"))

    def changed_keys(self, *, deleted=False, update_fields=None):
        """Any change may open or close comments, on every article page."""
        return Purge(hard={COMMENT_RULES_KEY})


class CommentPolicy(models.Model):
    """A section's or one article's own comment rules, over the site's; blank fields
    follow the section (for an article), then the site."""

    class Comments(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    section = models.OneToOneField(
        "articles.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    article = models.OneToOneField(
        "articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    premoderation = models.CharField(
        max_length=10,
        choices=Premoderation,
        blank=True,
        help_text=_("Blank: as the section, then the site, says."),
    )
    comments = models.CharField(
        max_length=6,
        choices=Comments,
        blank=True,
        help_text=_(
            "Blank: as the section, then the site, says. An article's own “Allow "
            "comments” box still closes it."
        ),
    )
    close_after_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Blank: as the section, then the site, says; 0: never."),
    )

    class Meta:
        verbose_name = _("comment policy")
        verbose_name_plural = _("comment policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=True, article__isnull=False)
                | Q(section__isnull=False, article__isnull=True),
                name="comments_policy_for_section_or_article",
                violation_error_message=_("A policy is for one section or one article."),
            ),
        ]

    def __str__(self):
        return str(self.article if self.article_id else self.section)

    def changed_keys(self, *, deleted=False, update_fields=None):
        return Purge(hard={COMMENT_RULES_KEY})


# --- Commenters: notices and their data (issue 15) ---------------------------------------


def new_address_token() -> str:
    return secrets.token_urlsafe(16)


class CommenterAddressQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email=email.casefold())

    def notified(self):
        """Addresses whose owner confirmed they want notices (the double opt-in)."""
        return self.filter(notify_confirmed_at__isnull=False)


class CommenterAddress(models.Model):
    """A commenter's e-mail address, as links in e-mails name it: by an opaque token, so
    that no link carries the address (or a comment's text).

    Made when a commenter ticks "Notify me" or asks for their data; it holds their
    consent to notices once they confirm it. Rows that never held a confirmation are
    forgotten by `manage.py prune_comment_ips` once their links have expired.
    """

    email = models.EmailField(max_length=254, unique=True, help_text=_("Case-folded."))
    token = models.CharField(max_length=32, unique=True, default=new_address_token)
    notify_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the owner confirmed they want notices.")
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommenterAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("commenter address")
        verbose_name_plural = _("commenter addresses")

    def __str__(self):
        # Never the address: the audit trail keeps this after an erasure.
        return f"Commenter {self.pk}"
