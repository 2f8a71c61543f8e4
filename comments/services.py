"""Writes on comments: post, moderate, report. Views, admin actions, commands and tests
all call these; comments_moderate is the one way to approve, reject or mark as spam."""

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .models import MODERATE_PERMISSION, CommentReport, ReaderComment, comment_fingerprint
from .moderation import Action, Verdict, decide
from .throttle import seconds_to_wait

if TYPE_CHECKING:
    # The user model settings.AUTH_USER_MODEL names, as django-stubs resolves it.
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

NOTIFY_LOCK_KEY = "comments:moderators-notified"
STATUS_FOR_ACTION: dict[Action, ReaderComment.Status] = {
    Action.PUBLISH: ReaderComment.Status.PUBLIC,
    Action.HOLD: ReaderComment.Status.PENDING,
    Action.SPAM: ReaderComment.Status.SPAM,
}


def article_comment_count_refresh(*, article_id: int) -> None:
    """Recount an article's public comments (a recount cannot drift the way +1/-1 can)
    and note when they changed, for the article page's Last-Modified."""
    count = ReaderComment.objects.for_article(article_id).public().count()
    Article.objects.filter(pk=article_id).update(
        comment_count=count, comments_changed_at=timezone.now()
    )


def comment_already_posted(*, article: Article, email: str, text: str) -> ReaderComment | None:
    """The stored comment with this text from this email on this article, if any."""
    # Typed here: the manager comes from django-comments-xtd, which has no type hints.
    comment: ReaderComment | None = ReaderComment.objects.duplicate_of(
        article_id=article.pk, email=email, text=text
    ).first()
    return comment


class PostResult(enum.StrEnum):
    STORED = "stored"  # stored now (or by a concurrent post), public or pending
    DUPLICATE = "duplicate"  # stored already: a double click or a resubmitted page
    TOO_FAST = "too fast"  # a flood limit was reached: nothing stored, the reader waits
    DISCARDED = "discarded"  # the rules threw it away (a bot); the sender is not told


@dataclass(frozen=True)
class PostOutcome:
    result: PostResult
    comment: ReaderComment | None = None  # the stored comment, if there is one
    retry_after: int = 0  # too fast: seconds until the limit allows a post


def comment_post(
    *, article: Article, name: str, email: str, text: str,
    parent: ReaderComment | None = None, honeypot: str = "", client: str,
    ip_address: str | None = None, request: HttpRequest | None = None,
) -> PostOutcome:  # fmt: skip
    """A reader's post as the post view receives it: stored once, unless it comes too fast.

    A comment stored already is returned before the flood limits count the post, so a
    double click is never told to wait. The limits count per client (its network, see
    newsroom.clients.client_network) and per email, over a short and a daily period.
    """
    existing = comment_already_posted(article=article, email=email, text=text)
    if existing is not None:
        return PostOutcome(PostResult.DUPLICATE, existing)
    email_key = email.casefold()
    limits = [
        ("client", settings.COMMENTS_RATE_PER_CLIENT, client),
        ("email", settings.COMMENTS_RATE_PER_EMAIL, email_key),
        ("client-day", settings.COMMENTS_RATE_PER_CLIENT_DAY, client),
        ("email-day", settings.COMMENTS_RATE_PER_EMAIL_DAY, email_key),
    ]
    if wait := seconds_to_wait(limits):
        return PostOutcome(PostResult.TOO_FAST, retry_after=wait)
    comment, _verdict = comment_create(
        article=article, name=name, email=email, text=text, parent=parent,
        ip_address=ip_address, honeypot=honeypot, request=request,
    )  # fmt: skip
    if comment is None:
        return PostOutcome(PostResult.DISCARDED)
    return PostOutcome(PostResult.STORED, comment)


@transaction.atomic
def comment_create(
    *, article: Article, name: str, email: str, text: str,
    parent: ReaderComment | None = None, ip_address: str | None = None, honeypot: str = "",
    request: HttpRequest | None = None,
) -> tuple[ReaderComment | None, Verdict]:  # fmt: skip
    """Store a reader's comment once, in the state the moderation rules give it.

    Returns (comment, verdict); comment is None when the rules discard it. The same
    text from the same email on the same article is stored once: a double click, a
    resubmitted form or a retry returns the comment already stored.
    """
    verdict = decide(name=name, email=email, text=text, honeypot=honeypot, request=request)
    if verdict.action == Action.DISCARD:
        return None, verdict
    existing = comment_already_posted(article=article, email=email, text=text)
    if existing is not None:
        return existing, verdict
    fingerprint = comment_fingerprint(article_id=article.pk, email=email, text=text)
    comment = ReaderComment(
        content_type=ContentType.objects.get_for_model(Article),
        object_pk=str(article.pk),
        site_id=settings.SITE_ID,
        user_name=name,
        user_email=email,
        comment=text,
        submit_date=timezone.now(),
        ip_address=ip_address,
        parent_id=parent.pk if parent else 0,
        fingerprint=fingerprint,
    )
    comment.set_status(STATUS_FOR_ACTION[verdict.action])
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # Another request stored the same comment a moment ago.
        return ReaderComment.objects.get(fingerprint=fingerprint), verdict
    if comment.status == ReaderComment.Status.PUBLIC:
        article_comment_count_refresh(article_id=article.pk)
    elif comment.status == ReaderComment.Status.PENDING:
        transaction.on_commit(notify_moderators)
    return comment, verdict


@transaction.atomic
def comments_moderate(
    *, comments: Iterable[ReaderComment], status: ReaderComment.Status, by: "User | None"
) -> int:
    """Set the state of each comment (approve, reject, spam) and recount their articles.

    Only the comments named change: a parent's approval never publishes its replies.
    """
    now = timezone.now()
    article_ids = set()
    changed = 0
    for comment in comments:
        if comment.status == status:
            continue
        comment.set_status(status)
        comment.moderated_at = now
        comment.moderated_by = by
        comment.save(
            update_fields=["status", "is_public", "is_removed", "moderated_at", "moderated_by"]
        )
        article_ids.add(int(comment.object_pk))
        changed += 1
    for article_id in article_ids:
        article_comment_count_refresh(article_id=article_id)
    return changed


@transaction.atomic
def comment_report(*, comment: ReaderComment, reporter_hash: str) -> bool:
    """Record a reader's report once; enough reports since a moderator last decided on
    the comment send it back to the queue.

    Returns False if this reader had already reported the comment.
    """
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, reporter_hash=reporter_hash)
    except IntegrityError:
        return False
    # xtd's manager outer-joins the (nullable) user, which PostgreSQL cannot lock: lock
    # the comment's own row.
    comment = ReaderComment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
    comment.report_count = comment.reports.count()
    # Reports a moderator has already weighed do not count again: once a reported
    # comment is approved, it takes as many new reports to hold it again.
    unweighed = comment.reports.all()
    if comment.moderated_at is not None:
        unweighed = unweighed.filter(created_at__gt=comment.moderated_at)
    fields = ["report_count"]
    if (
        comment.status == ReaderComment.Status.PUBLIC
        and unweighed.count() >= settings.COMMENTS_REPORTS_TO_HOLD
    ):
        comment.set_status(ReaderComment.Status.PENDING)
        fields += ["status", "is_public", "is_removed"]
    comment.save(update_fields=fields)
    if "status" in fields:
        article_comment_count_refresh(article_id=int(comment.object_pk))
        transaction.on_commit(notify_moderators)
    return True


def moderator_emails() -> list[str]:
    """Who is told about pending comments: settings.COMMENTS_MODERATOR_EMAILS, and every
    active user with an email who may moderate, through a group or given the permission
    directly, whatever the group is called.

    Superusers count only if they hold the permission themselves: they may do anything,
    but they are the site's administrators, not its moderators, and are not mailed
    about every comment held for review.
    """
    moderators = get_user_model().objects.with_perm(
        MODERATE_PERMISSION,
        include_superusers=False,
        # The permission as has_perm finds it; django-axes' backend grants none.
        backend="django.contrib.auth.backends.ModelBackend",
    )
    emails = set(settings.COMMENTS_MODERATOR_EMAILS)
    emails |= set(moderators.exclude(email="").values_list("email", flat=True))
    return sorted(emails)


def notify_moderators() -> bool:
    """Tell the moderators that comments are waiting: at most one email per period.

    Under a flood, the first comment sends the email and the rest of the period is
    quiet; the email lists what is pending when it is sent. A failing mail server is
    logged and never loses a comment: the comment is already stored.
    """
    if not cache.add(NOTIFY_LOCK_KEY, True, settings.COMMENTS_NOTIFY_EVERY_SECONDS):
        return False
    recipients = moderator_emails()
    if not recipients:
        return False
    pending = ReaderComment.objects.pending().order_by("-submit_date")
    context = {
        "count": pending.count(),
        "comments": list(pending[:20]),
        "queue_url": settings.SITE_URL
        + reverse("admin:comments_readercomment_changelist")
        + "?status__exact=pending",
        "SITE_NAME": settings.SITE_NAME,
    }
    try:
        send_mail(
            subject=f"[{settings.SITE_NAME}] {context['count']} comment(s) awaiting moderation",
            message=render_to_string("comments/email/moderators_pending.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    except Exception:
        logger.exception("Could not email the moderators about pending comments")
        cache.delete(NOTIFY_LOCK_KEY)  # try again with the next comment
        return False
    return True
