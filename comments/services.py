"""Writes on comments: post, moderate, report. Views, admin actions, commands and tests
all call these; comments_moderate is the one way to approve, reject or mark as spam."""

import enum
import functools
import ipaddress
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django_tasks import task
from django_tasks.base import Task

from articles.models import Article
from newsroom.cachekeys import Purge, purge

from .counts import comments_cache_keys
from .links import LinkPurpose, address_link
from .models import (
    MODERATE_PERMISSION,
    CommentBan,
    CommenterAddress,
    CommentReport,
    ModerationEvent,
    ModerationReason,
    ReaderComment,
    address_key,
    comment_fingerprint,
    erased_address_key,
    erased_email_key,
)
from .moderation import Action, Verdict, decide
from .throttle import seconds_to_wait

if TYPE_CHECKING:
    # The user model settings.AUTH_USER_MODEL names, as django-stubs resolves it.
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

NOTIFY_LOCK_KEY = "comments:moderators-notified"
# Set while the oldest pending comment is over COMMENTS_QUEUE_ALERT_MINUTES and the
# moderators have been told; cleared when the queue is seen under it again.
OVERDUE_ALERT_KEY = "comments:queue-overdue-alerted"
# Prefix of the marks that a check of the queue is scheduled for a due time; each is
# kept a while past its time, so that the holds around it schedule no second one.
OVERDUE_CHECK_KEY = "comments:queue-overdue-check"
OVERDUE_CHECK_KEPT_SECONDS = 3600
STATUS_FOR_ACTION: dict[Action, ReaderComment.Status] = {
    Action.PUBLISH: ReaderComment.Status.PUBLIC,
    Action.HOLD: ReaderComment.Status.PENDING,
    Action.SPAM: ReaderComment.Status.SPAM,
}
EVENT_FOR_STATUS = {
    ReaderComment.Status.PUBLIC: ModerationEvent.Action.APPROVE,
    ReaderComment.Status.REMOVED: ModerationEvent.Action.REJECT,
    ReaderComment.Status.SPAM: ModerationEvent.Action.SPAM,
    ReaderComment.Status.PENDING: ModerationEvent.Action.HOLD,
}


def _is_counted(status: str, erased_at: datetime | None) -> bool:
    """Whether a comment in this state counts in its article's comment_count
    (ReaderComment.objects.counted)."""
    return status == ReaderComment.Status.PUBLIC and erased_at is None


def article_comment_count_add(*, article_id: int, delta: int) -> None:
    """Move an article's public comment count by `delta` (+1, -1, ...) and note when its
    comments changed, for the article page's Last-Modified.

    Call it in the transaction of the change it counts, after the comment is written:
    the UPDATE adds to the stored value under the article's row lock, held to the
    commit, so concurrent posts and decisions are counted one after the other and none
    is lost, without reading the thread (the recount, article_comment_count_refresh,
    repairs a count changed outside the services).
    """
    Article.objects.filter(pk=article_id).update(
        # Never below zero: a count already wrong (a comment deleted in the database)
        # must not fail a decision; recount_comments repairs it.
        comment_count=Greatest(models.F("comment_count") + delta, 0),
        comments_changed_at=timezone.now(),
    )


@transaction.atomic
def article_comment_count_refresh(*, article_id: int) -> tuple[int, int] | None:
    """Recount an article's public comments and note when they changed; returns the
    stored count before and after (None: no such article).

    The article's row is locked first, so a post or decision counted concurrently
    (article_comment_count_add) either waits for the recount or is committed, and so
    counted, before it.
    """
    before = (
        Article.objects.select_for_update()
        .filter(pk=article_id)
        .values_list("comment_count", flat=True)
        .first()
    )
    if before is None:
        return None
    count = ReaderComment.objects.for_article(article_id).counted().count()
    Article.objects.filter(pk=article_id).update(
        comment_count=count, comments_changed_at=timezone.now()
    )
    if count != before:
        # Repaired outside the comments' own changes: the pages showing it must follow.
        purge(Purge(hard=comments_cache_keys(article_id), moves_schedule=False))
    return before, count


def article_restored(
    sender: type[Article], instance: Article, raw: bool = False, **kwargs: object
) -> None:
    """A story written back as stored elsewhere (reverted to or recovered from its history:
    django-reversion saves the row raw) comes with that copy's comment count, and
    Article.save() cannot leave it out: the thread is counted again."""
    if raw:
        article_comment_count_refresh(article_id=instance.pk)


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
    BANNED = "banned"  # the commenter is banned: nothing stored (settings.COMMENTS_TELL_BANNED)


@dataclass(frozen=True)
class PostOutcome:
    result: PostResult
    comment: ReaderComment | None = None  # the stored comment, if there is one
    retry_after: int = 0  # too fast: seconds until the limit allows a post


def comment_post(
    *, article: Article, name: str, email: str, text: str,
    parent: ReaderComment | None = None, honeypot: str = "", client: str,
    ip_address: str | None = None, request: HttpRequest | None = None, notify: bool = False,
) -> PostOutcome:  # fmt: skip
    """A reader's post as the post view receives it: stored once, unless it comes too fast.

    Bans come first: a banned commenter's post is not stored at all, so it never reaches
    the queue, the counts or the commenter's history, and a banned flood fills no table.
    A comment stored already is returned before the flood limits count the post, so a
    double click is never told to wait. The limits count per client (its network, see
    newsroom.clients.client_network) and per email, over a short and a daily period.
    """
    if CommentBan.objects.matching(email=email, ip_address=ip_address):
        return PostOutcome(PostResult.BANNED)
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
        ip_address=ip_address, honeypot=honeypot, request=request, notify=notify,
    )  # fmt: skip
    if comment is None:
        return PostOutcome(PostResult.DISCARDED)
    # robust: the comment is committed; nothing after that may fail the answer.
    transaction.on_commit(lambda: comment_remove_if_banned(comment=comment), robust=True)
    if comment.followup:
        transaction.on_commit(lambda: commenter_notify_request(email=email), robust=True)
    return PostOutcome(PostResult.STORED, comment)


@transaction.atomic
def comment_create(
    *, article: Article, name: str, email: str, text: str,
    parent: ReaderComment | None = None, ip_address: str | None = None, honeypot: str = "",
    request: HttpRequest | None = None, notify: bool = False,
) -> tuple[ReaderComment | None, Verdict]:  # fmt: skip
    """Store a reader's comment once, in the state the moderation rules give it.

    `notify`: the commenter ticked "Notify me" (kept as django-comments-xtd's
    ``followup``); they hear about this comment once their address is confirmed.

    Returns (comment, verdict); comment is None when the rules discard it. The same
    text from the same email on the same article is stored once: a double click, a
    resubmitted form or a retry returns the comment already stored.
    """
    verdict = decide(
        name=name, email=email, text=text, honeypot=honeypot, request=request, article=article
    )
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
        followup=notify,
    )
    comment.set_status(STATUS_FOR_ACTION[verdict.action])
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # Another request stored the same comment a moment ago.
        return ReaderComment.objects.get(fingerprint=fingerprint), verdict
    comment_reasons_add(comment=comment, reasons=verdict.reasons)
    if comment.status == ReaderComment.Status.PUBLIC:
        article_comment_count_add(article_id=article.pk, delta=1)
        # robust: the comment is committed; nothing after that may fail the answer.
        transaction.on_commit(
            lambda: commenter_notices_enqueue(comment=comment, approved=False), robust=True
        )
    elif comment.status == ReaderComment.Status.PENDING:
        # robust: the comment is committed; nothing after that may fail the answer.
        transaction.on_commit(moderators_notify_enqueue, robust=True)
        transaction.on_commit(moderators_alert_if_overdue, robust=True)
    return comment, verdict


def comment_reasons_add(*, comment: ReaderComment, reasons: Iterable[ModerationReason]) -> None:
    """Keep on `comment` why the rules (or readers' reports) decided what they did."""
    for reason in reasons:
        reason.comment = comment
    ModerationReason.objects.bulk_create(reasons)


@transaction.atomic
def comments_moderate(
    *, comments: Iterable[ReaderComment], status: ReaderComment.Status, by: "User | None"
) -> int:
    """Set the state of each comment (approve, reject, spam) and count the change on
    their articles (+1 for each comment made public, -1 for each taken down).

    Only the comments named change: a parent's approval never publishes its replies.
    Their rows are locked and their states read afresh first, so that two moderators
    deciding on one comment at once are recorded one after the other, each "before"
    being what the other left.
    """
    now = timezone.now()
    deltas: dict[int, int] = {}
    changed = 0
    comments = list(comments)
    # xtd's manager outer-joins the (nullable) user, which PostgreSQL cannot lock.
    stored = {
        pk: (status, erased_at)
        for pk, status, erased_at in ReaderComment.objects.select_for_update(of=("self",))
        .filter(pk__in=[comment.pk for comment in comments])
        .values_list("pk", "status", "erased_at")
    }
    for comment in comments:
        before, erased_at = stored.get(comment.pk, (comment.status, comment.erased_at))
        if before == status:
            continue
        comment.set_status(status)
        comment.moderated_at = now
        comment.moderated_by = by
        comment.save(
            update_fields=["status", "is_public", "is_removed", "moderated_at", "moderated_by"]
        )
        moderation_event_record(
            action=EVENT_FOR_STATUS[status], by=by, target=comment,
            before={"status": before}, after={"status": status},
        )  # fmt: skip
        article_id = int(comment.object_pk)
        counted = _is_counted(status, erased_at) - _is_counted(before, erased_at)
        deltas[article_id] = deltas.get(article_id, 0) + counted
        changed += 1
        if status == ReaderComment.Status.PUBLIC:
            transaction.on_commit(
                functools.partial(commenter_notices_enqueue, comment=comment, approved=True),
                robust=True,
            )
    # In the articles' order, so that two bulk decisions lock them in the same order.
    for article_id, delta in sorted(deltas.items()):
        article_comment_count_add(article_id=article_id, delta=delta)
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
    is_public = comment.status == ReaderComment.Status.PUBLIC
    if is_public and (reports := unweighed.count()) >= settings.COMMENTS_REPORTS_TO_HOLD:
        comment.set_status(ReaderComment.Status.PENDING)
        fields += ["status", "is_public", "is_removed"]
        moderation_event_record(
            action=ModerationEvent.Action.HOLD, by=None, target=comment,
            before={"status": ReaderComment.Status.PUBLIC},
            after={"status": comment.status, "reports": comment.report_count},
        )  # fmt: skip
    comment.save(update_fields=fields)
    if "status" in fields:
        reported = ModerationReason(rule=ModerationReason.Rule.REPORTS, detail=str(reports))
        comment_reasons_add(comment=comment, reasons=[reported])
        article_comment_count_add(
            article_id=int(comment.object_pk),
            delta=-_is_counted(ReaderComment.Status.PUBLIC, comment.erased_at),
        )
        # robust: the report is committed; nothing after that may fail the answer.
        transaction.on_commit(moderators_notify_enqueue, robust=True)
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


def moderators_notify_enqueue() -> None:
    """Queue the moderators' notice, once a comment waiting for them is committed: at
    most one per period, so a flood queues one notice, which lists what is pending when
    it is sent.

    It runs after the commit, inside the reader's request: it sends nothing and never
    fails the answer. A queue it cannot reach is logged, and the next comment queues
    the notice again.
    """
    if not cache.add(NOTIFY_LOCK_KEY, True, settings.COMMENTS_NOTIFY_EVERY_SECONDS):
        return
    try:
        moderators_notify.enqueue()
    except Exception:
        logger.exception("Could not queue the moderators' notice about pending comments")
        cache.delete(NOTIFY_LOCK_KEY)


@task()
def moderators_notify() -> None:
    """Email the moderators that comments are waiting; run by the task worker
    (`manage.py db_worker`), never in a reader's request.

    A mail server that fails, or accepts and never answers (EMAIL_TIMEOUT), is logged,
    and the task is kept as failed with its traceback; the comment is stored already,
    and the next comment queues the notice again.
    """
    try:
        recipients = moderator_emails()
        if not recipients:
            return
        pending = ReaderComment.objects.pending().order_by("-submit_date")
        count = pending.count()
        _moderators_mail(
            recipients=recipients,
            subject=f"{count} comment(s) awaiting moderation",
            template="comments/email/moderators_pending.txt",
            context={"count": count, "comments": list(pending[:20]), "queue_url": queue_url()},
        )
    except Exception:
        logger.exception("Could not email the moderators about pending comments")
        cache.delete(NOTIFY_LOCK_KEY)  # try again with the next comment
        raise


def _moderators_mail(*, recipients: list[str], subject: str, template: str, context: dict) -> None:
    context = {**context, "SITE_NAME": settings.SITE_NAME}
    send_mail(
        subject=f"[{settings.SITE_NAME}] {subject}",
        message=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def queue_url(*, oldest_first: bool = False) -> str:
    """The moderators' queue of pending comments, as a full URL for an e-mail."""
    # "o=1": the changelist sorted by its first column (the card, by submit date).
    order = "&o=1" if oldest_first else ""
    changelist = reverse("admin:comments_readercomment_changelist")
    return f"{settings.SITE_URL}{changelist}?status__exact=pending{order}"


def moderators_alert_if_overdue() -> bool:
    """Tell the moderators, once per crossing, that the oldest pending comment has waited
    longer than settings.COMMENTS_QUEUE_ALERT_MINUTES; returns whether it queued a notice.

    No cron: it runs when a comment is held, when the queue is opened, and from the
    worker at the time the oldest pending comment would pass the threshold
    (moderators_overdue_check, scheduled here), so a comment held with nobody around
    is still told. A crossing ends when the queue is seen with no comment that old;
    the next one is mailed again. The shared cache holds whether this crossing was
    told: cache.add lets one request of many, on any node, queue the notice.
    """
    minutes = settings.COMMENTS_QUEUE_ALERT_MINUTES
    if not minutes:
        return False
    oldest = ReaderComment.objects.oldest_pending()
    if oldest is None:
        cache.delete(OVERDUE_ALERT_KEY)
        return False
    due = oldest.submit_date + timedelta(minutes=minutes)
    if timezone.now() < due:
        cache.delete(OVERDUE_ALERT_KEY)
        moderators_overdue_check_schedule(due=due)
        return False
    if not cache.add(OVERDUE_ALERT_KEY, oldest.pk, timeout=None):
        return False
    try:
        moderators_alert_overdue.enqueue()
    except Exception:
        logger.exception("Could not queue the moderators' notice about the waiting comments")
        cache.delete(OVERDUE_ALERT_KEY)
        return False
    return True


def moderators_overdue_check_schedule(*, due: datetime) -> None:
    """Have the worker check the queue at `due`, when the oldest pending comment would
    pass the threshold: one task per due time, however many comments are held before it
    (they all wait behind the same oldest one). A backend that cannot defer tasks (the
    immediate one of development and tests) schedules nothing."""
    if not moderators_overdue_check.get_backend().supports_defer:
        return
    key = f"{OVERDUE_CHECK_KEY}:{due.timestamp()}"
    seconds_ahead = (due - timezone.now()).total_seconds()
    if not cache.add(key, True, timeout=int(seconds_ahead) + OVERDUE_CHECK_KEPT_SECONDS):
        return
    try:
        moderators_overdue_check.using(run_after=due).enqueue()
    except Exception:
        logger.exception("Could not schedule the check of the moderators' queue")
        cache.delete(key)


@task()
def moderators_overdue_check() -> None:
    """Check the queue at the time its oldest comment was due to pass the threshold; run
    by the worker. A comment decided on meanwhile sends nothing, and the next oldest
    one, if any, gets its own check."""
    moderators_alert_if_overdue()


@task()
def moderators_alert_overdue() -> None:
    """Email the moderators how long the oldest pending comment has waited; run by the
    task worker. A failure is logged and clears the alert, so the next check tries again."""
    try:
        recipients = moderator_emails()
        oldest = ReaderComment.objects.oldest_pending()
        if not recipients or oldest is None:
            return
        waited = timesince(oldest.submit_date)
        _moderators_mail(
            recipients=recipients,
            subject=f"A comment has waited {waited} for moderation",
            template="comments/email/moderators_overdue.txt",
            context={
                "count": ReaderComment.objects.pending().count(),
                "oldest": oldest,
                "waited": waited,
                "queue_url": queue_url(oldest_first=True),
            },
        )
    except Exception:
        logger.exception("Could not email the moderators about the waiting comments")
        cache.delete(OVERDUE_ALERT_KEY)
        raise


# --- Bans ------------------------------------------------------------------------------


def _ban_terms(ban: CommentBan) -> dict:
    return {"kind": ban.kind, "value": ban.value, "reason": ban.reason, "ends_at": ban.ends_at}


@transaction.atomic
def comment_ban_save(*, ban: CommentBan, by: "User | None") -> CommentBan:
    """Set or change a ban; a new one is stamped with who set it. Both are recorded."""
    if ban._state.adding:
        ban.created_by = by
        before = {}
    else:
        before = _ban_terms(CommentBan.objects.get(pk=ban.pk))
    ban.full_clean()
    ban.save()
    moderation_event_record(
        action=ModerationEvent.Action.BAN, by=by, target=ban, before=before, after=_ban_terms(ban)
    )
    return ban


@transaction.atomic
def comment_ban_lift(*, ban: CommentBan, by: "User | None") -> CommentBan:
    """End a ban now (it stays listed, with when it ended). Lifting an ended ban changes
    nothing."""
    if not ban.is_active:
        return ban
    before = {"ends_at": ban.ends_at}
    ban.ends_at = timezone.now()
    ban.full_clean()
    ban.save(update_fields=["ends_at"])
    moderation_event_record(
        action=ModerationEvent.Action.UNBAN, by=by, target=ban,
        before=before, after={"ends_at": ban.ends_at},
    )  # fmt: skip
    return ban


def commenter_ban_and_remove(
    *, email: str, reason: str, ends_at: datetime | None, by: "User | None"
) -> tuple[CommentBan, int]:
    """Ban an e-mail address and take down everything it posted that readers see or
    that waits in the queue; their articles are recounted and their pages purged.

    Two transactions, on purpose: the ban is committed before the removal looks for
    comments, so a post that passed the ban check just before is either committed in
    time to be removed here, or finds the ban itself (comment_remove_if_banned).

    Returns the ban and how many comments were removed.
    """
    ban = comment_ban_save(
        ban=CommentBan(kind=CommentBan.Kind.EMAIL, value=email, reason=reason, ends_at=ends_at),
        by=by,
    )
    comments = ReaderComment.objects.by_email(email).filter(
        status__in=[ReaderComment.Status.PUBLIC, ReaderComment.Status.PENDING]
    )
    removed = comments_moderate(comments=list(comments), status=ReaderComment.Status.REMOVED, by=by)
    return ban, removed


# --- The audit trail -------------------------------------------------------------------


def moderation_event_record(
    *, action: ModerationEvent.Action, by: "User | None", target: models.Model,
    before: dict | None = None, after: dict | None = None,
) -> ModerationEvent:  # fmt: skip
    """Keep one decision in the audit trail: who took it, when, and the target's fields
    that it changed, as they were before and after.

    Call it inside the decision's transaction, so the decision and its record are
    committed together or not at all.
    """
    return ModerationEvent.objects.create(
        action=action,
        by=by,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_repr=Truncator(str(target)).chars(200),
        before=before or {},
        after=after or {},
    )


@transaction.atomic
def comment_edit(*, comment: ReaderComment, text: str, by: "User | None") -> ReaderComment:
    """A moderator's correction of a comment's text (a typo, a redaction); the text as it
    was is kept in the audit trail, so the first edit's "before" is what the reader wrote.

    The comment keeps its fingerprint: the reader's own text sent again is still the
    comment stored already, not a new one.
    """
    # The field's own checks (not empty, not too long); the rest of the row is not edited.
    text = ReaderComment._meta.get_field("comment").clean(text, comment)
    stored = ReaderComment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
    comment.comment = text
    if stored.comment == text:
        return comment
    comment.save(update_fields=["comment"])
    moderation_event_record(
        action=ModerationEvent.Action.EDIT, by=by, target=comment,
        before={"comment": stored.comment}, after={"comment": text},
    )  # fmt: skip
    return comment


def comment_remove_if_banned(*, comment: ReaderComment) -> None:
    """Once a post is committed, remove it if its commenter was banned while it was on
    its way (see commenter_ban_and_remove), so it never waits in the queue."""
    if comment.status in (
        ReaderComment.Status.PUBLIC,
        ReaderComment.Status.PENDING,
    ) and CommentBan.objects.matching(email=comment.user_email, ip_address=comment.ip_address):
        comments_moderate(comments=[comment], status=ReaderComment.Status.REMOVED, by=None)


def _rule_values(rules: models.Model) -> dict:
    """The values a moderator sets on the site's rules or a policy (not its timestamps)."""
    return {
        field.attname: getattr(rules, field.attname)
        for field in rules._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
    }


@transaction.atomic
def moderation_rules_save(*, rules: models.Model, by: "User | None") -> models.Model:
    """Save the site's moderation rules or a section's or article's policy, with the
    change kept in the audit trail: the values it changed, before and after."""
    stored = type(rules)._default_manager.select_for_update().filter(pk=rules.pk).first()
    before = _rule_values(stored) if stored is not None else {}
    rules.save()
    after = _rule_values(rules)
    changed = [name for name, value in after.items() if before.get(name) != value]
    if changed:
        moderation_event_record(
            action=ModerationEvent.Action.RULE_CHANGE, by=by, target=rules,
            before={name: before[name] for name in changed if name in before},
            after={name: after[name] for name in changed},
        )  # fmt: skip
    return rules


@transaction.atomic
def comment_policy_delete(*, policy: models.Model, by: "User | None") -> None:
    """Remove a section's or article's own rules (the site's apply again), kept in the trail."""
    moderation_event_record(
        action=ModerationEvent.Action.RULE_CHANGE, by=by, target=policy,
        before=_rule_values(policy), after={},
    )  # fmt: skip
    policy.delete()


# --- Commenters: "Notify me", their data, IP retention ---------------------------------
#
# django-comments-xtd's own confirmation (COMMENTS_XTD_CONFIRM_EMAIL) and follow-up
# notices are not used: their links carry the whole comment pickled (the address and
# the text, readable in base64), never expire, and are mailed inside the request; the
# follow-up notice goes to everyone following the article, not to the one commenter
# replied to. Only xtd's `followup` field is used: "Notify me" was ticked for a comment.


def commenter_address_for(*, email: str) -> CommenterAddress:
    """The address's row, made if needed (concurrent requests make one)."""
    try:
        with transaction.atomic():
            address, _created = CommenterAddress.objects.get_or_create(email=email.casefold())
    except IntegrityError:
        address = CommenterAddress.objects.get(email=email.casefold())
    return address


def _commenter_mail_send(
    *, address: CommenterAddress, subject: str, template: str, context: dict
) -> None:
    """Mail a commenter, with RFC 8058 one-click unsubscribe (List-Unsubscribe and
    List-Unsubscribe-Post) and the same link in the text."""
    unsubscribe_url = address_link(address, LinkPurpose.UNSUBSCRIBE)
    context = {**context, "SITE_NAME": settings.SITE_NAME, "unsubscribe_url": unsubscribe_url}
    EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def _enqueue(task_: Task[..., None], **kwargs: int | str) -> None:
    """Queue a commenter's mail after a commit, in a reader's or moderator's request:
    a queue it cannot reach is logged, never an error for them."""
    try:
        task_.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue a commenter's mail (%s)", task_.name)


def commenter_notify_request(*, email: str) -> None:
    """A commenter ticked "Notify me": unless their address is confirmed already, mail
    them one confirmation (the double opt-in). While a confirmation link is still good,
    further comments send nothing: one confirmation covers the address and every
    comment they asked notices for."""
    address = commenter_address_for(email=email)
    if address.notify_confirmed_at is not None:
        return
    now = timezone.now()
    still_good = now - timedelta(seconds=settings.COMMENTS_CONFIRM_LINK_MAX_AGE)
    # One request wins the right to send, even when several comments arrive at once.
    claimed = (
        CommenterAddress.objects.filter(pk=address.pk, notify_confirmed_at__isnull=True)
        .filter(
            models.Q(confirmation_sent_at__isnull=True)
            | models.Q(confirmation_sent_at__lt=still_good)
        )
        .update(confirmation_sent_at=now)
    )
    if claimed:
        _enqueue(commenter_confirmation_send, address_id=address.pk)


@task()
def commenter_confirmation_send(*, address_id: int) -> None:
    """Mail the link that confirms an address wants notices; run by the task worker."""
    address = CommenterAddress.objects.filter(pk=address_id).first()
    if address is None or address.notify_confirmed_at is not None:
        return
    _commenter_mail_send(
        address=address,
        subject="Confirm that you want to hear about your comments",
        template="comments/email/notices_confirm.txt",
        context={
            "confirm_url": address_link(address, LinkPurpose.CONFIRM),
            "days": settings.COMMENTS_CONFIRM_LINK_MAX_AGE // (24 * 3600),
        },
    )


def commenter_notify_confirm(*, address: CommenterAddress) -> CommenterAddress:
    """The owner confirmed: from now on they hear about the comments they ticked
    "Notify me" for (only from now: nothing earlier is sent after the fact)."""
    if address.notify_confirmed_at is None:
        address.notify_confirmed_at = timezone.now()
        address.save(update_fields=["notify_confirmed_at"])
    return address


@transaction.atomic
def commenter_unsubscribe(*, address: CommenterAddress) -> None:
    """No more notices to this address, about any comment; ticking "Notify me" again
    asks for a new confirmation. Unsubscribing twice is no error."""
    CommenterAddress.objects.filter(pk=address.pk).update(
        notify_confirmed_at=None, confirmation_sent_at=None
    )
    ReaderComment.objects.by_email(address.email).filter(followup=True).update(followup=False)


def commenter_notices_enqueue(*, comment: ReaderComment, approved: bool) -> None:
    """A comment became public: its author hears it was approved (`approved`: by a
    moderator, not at once on posting, which the page said), and the author of the
    comment it replies to hears of the reply, each only if they asked for it. Whether
    their address is confirmed is the task's to check, when it sends."""
    if approved and comment.followup:
        _enqueue(commenter_notice_send, comment_id=comment.pk, kind="approved")
    is_reply = comment.parent_id != comment.pk
    if (
        is_reply
        and ReaderComment.objects.filter(pk=comment.parent_id, followup=True, erased_at=None)
        .exclude(user_email__iexact=comment.user_email)
        .exists()
    ):
        _enqueue(commenter_notice_send, comment_id=comment.pk, kind="reply")


@task()
def commenter_notice_send(*, comment_id: int, kind: str) -> None:
    """Tell a commenter their comment was approved (`kind` "approved") or replied to
    ("reply"); run by the task worker. Checked again when sent: the comment is still
    public, and the address asked for it and confirmed."""
    comment = ReaderComment.objects.public().filter(pk=comment_id, erased_at=None).first()
    if comment is None:
        return
    own = (
        comment
        if kind == "approved"
        else ReaderComment.objects.filter(pk=comment.parent_id).first()
    )
    if own is None or not own.followup:
        return
    address = CommenterAddress.objects.notified().for_email(own.user_email).first()
    if address is None:
        return
    article = Article.objects.filter(pk=int(comment.object_pk)).first()
    if article is None:
        return
    context = {
        "article": article,
        "comment": comment,
        "url": settings.SITE_URL + comment.get_absolute_url(),
    }
    if kind == "approved":
        subject, template = "Your comment is published", "comments/email/notice_approved.txt"
    else:
        subject, template = "A reply to your comment", "comments/email/notice_reply.txt"
    _commenter_mail_send(address=address, subject=subject, template=template, context=context)


# Their data: export and erasure, asked for by an e-mail link or by a moderator.


def commenter_data_request(*, email: str) -> bool:
    """Mail the address a link to its owner's data, if anything is stored under it.
    The asker is answered the same either way: the answer tells no one whether an
    address commented here. Returns whether a link was queued."""
    has_data = (
        ReaderComment.objects.by_email(email).exists()
        or CommenterAddress.objects.for_email(email).exists()
    )
    if not has_data:
        return False
    address = commenter_address_for(email=email)
    transaction.on_commit(
        functools.partial(_enqueue, commenter_data_link_send, address_id=address.pk),
        robust=True,
    )
    return True


@task()
def commenter_data_link_send(*, address_id: int) -> None:
    """Mail the link to a commenter's data page (export, erasure); run by the worker."""
    address = CommenterAddress.objects.filter(pk=address_id).first()
    if address is None:
        return
    _commenter_mail_send(
        address=address,
        subject="Your comments: download or erase them",
        template="comments/email/data_link.txt",
        context={
            "data_url": address_link(address, LinkPurpose.DATA),
            "hours": settings.COMMENTS_DATA_LINK_MAX_AGE // 3600,
        },
    )


def _comment_export(comment: ReaderComment, article: Article | None, events: list) -> dict:
    return {
        "id": comment.pk,
        "article": (
            {"headline": article.headline, "url": settings.SITE_URL + article.get_absolute_url()}
            if article is not None
            else None
        ),
        "name": comment.user_name,
        "email": comment.user_email,
        "website": comment.user_url,
        "comment": comment.comment,
        "posted_at": comment.submit_date,
        "ip_address": comment.ip_address,
        "status": comment.status,
        "in_reply_to": comment.parent_id if comment.parent_id != comment.pk else None,
        "notify_me": comment.followup,
        "moderated_at": comment.moderated_at,
        "why_held": [str(reason) for reason in comment.moderation_reasons.all()],
        "times_reported": comment.report_count,
        "history": [
            {"action": event.action, "at": event.at, "before": event.before, "after": event.after}
            for event in events
        ],
    }


def commenter_data_export(*, email: str, by: "User | None" = None) -> dict:
    """Everything stored under an e-mail address, and nothing of anyone else's: the
    comments (with their IP addresses, why they were held, their moderation history),
    the notice subscription and bans of the address. A moderator's export is audited."""
    comments = list(
        ReaderComment.objects.by_email(email)
        .prefetch_related("moderation_reasons")
        .order_by("submit_date", "pk")
    )
    articles = Article.objects.in_bulk({int(comment.object_pk) for comment in comments})
    events: dict[int, list] = {comment.pk: [] for comment in comments}
    comment_type = ContentType.objects.get_for_model(ReaderComment)
    for event in ModerationEvent.objects.filter(
        target_type=comment_type, target_id__in=list(events)
    ).order_by("at", "pk"):
        events[event.target_id].append(event)
    address = CommenterAddress.objects.for_email(email).first()
    bans = CommentBan.objects.filter(
        kind=CommentBan.Kind.EMAIL, value__in=[email.casefold(), erased_email_key(email)]
    )
    data = {
        "email": email,
        "exported_at": timezone.now(),
        "comments": [
            _comment_export(comment, articles.get(int(comment.object_pk)), events[comment.pk])
            for comment in comments
        ],
        "notices": (
            {"asked_at": address.created_at, "confirmed_at": address.notify_confirmed_at}
            if address is not None
            else None
        ),
        "bans": [
            {"reason": ban.reason, "set_at": ban.created_at, "ends_at": ban.ends_at} for ban in bans
        ],
    }
    if by is not None:
        moderation_event_record(
            action=ModerationEvent.Action.EXPORT, by=by, target=commenter_address_for(email=email),
            after={"comments": len(comments)},
        )  # fmt: skip
    return data


ERASED = "[erased]"


def _scrubbed(value: object, secrets: list[str]) -> object:
    """`value` (text, or JSON's lists and dicts) with each secret replaced by ERASED,
    where it stands whole: erasing 203.0.113.7 or "Al" leaves 203.0.113.77 and "Also"."""
    if isinstance(value, str):
        for secret in secrets:
            pattern = rf"(?<!\w){re.escape(secret)}(?!\w)"
            value = re.sub(pattern, ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_scrubbed(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, secrets) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Erasure:
    deleted: int  # comments deleted
    kept: int  # comments kept as "removed at the author's request", for their replies


@transaction.atomic
def commenter_erase(*, email: str, by: "User | None" = None) -> Erasure:
    """Erase everything stored under an e-mail address: names, e-mails and IP addresses,
    wherever they are.

    Each comment of theirs is deleted, unless others' replies hang under it: then its
    place is kept, with no name, address, IP or text ("comment removed at the author's
    request"). Their comments' audit events lose the text, name, address and IP (the
    decisions stay, with who took them); bans of the address, or of an IP address only
    they used, keep working on a keyed hash of it (_commenter_bans_erase); the notice
    subscription goes. The articles are recounted and their pages purged as the
    comments change.
    """
    comments = list(
        ReaderComment.objects.select_for_update(of=("self",))
        .by_email(email)
        .order_by("-level", "-pk")
    )
    secrets = sorted(
        {email.casefold()}
        | {c.user_email for c in comments}
        | {c.user_name for c in comments if c.user_name.strip()}
        | {c.ip_address for c in comments if c.ip_address}
        | {c.user_url for c in comments if c.user_url},
        key=len,
        reverse=True,  # longest first: a name inside an address goes with the address
    )
    comment_type = ContentType.objects.get_for_model(ReaderComment)
    comment_ids = [comment.pk for comment in comments]
    now = timezone.now()
    deleted = kept = 0
    for comment in comments:  # replies before what they answer
        has_replies = (
            ReaderComment.objects.filter(parent_id=comment.pk).exclude(pk=comment.pk).exists()
        )
        if has_replies:
            comment.user_name = comment.user_email = comment.user_url = comment.comment = ""
            comment.ip_address = None
            comment.followup = False
            comment.erased_at = now
            comment.fingerprint = f"erased-{comment.pk}"
            comment.save(
                update_fields=[
                    "user_name",
                    "user_email",
                    "user_url",
                    "comment",
                    "ip_address",
                    "followup",
                    "erased_at",
                    "fingerprint",
                ]
            )
            comment.moderation_reasons.all().delete()
            kept += 1
        else:
            comment.delete()
            deleted += 1
    for event in ModerationEvent.objects.filter(
        target_type=comment_type, target_id__in=comment_ids
    ):
        event.target_repr = "Comment removed at the author's request"
        event.before, event.after = (
            {
                key: ERASED if key == "comment" else _scrubbed(value, secrets)
                for key, value in values.items()
            }
            for values in (event.before, event.after)
        )
        event.save(update_fields=["target_repr", "before", "after"])
    _commenter_bans_erase(email=email, comments=comments, secrets=secrets)
    LogEntry.objects.filter(
        content_type=comment_type, object_id__in=[str(pk) for pk in comment_ids]
    ).update(object_repr=ERASED, change_message="")
    address = commenter_address_for(email=email)
    moderation_event_record(
        action=ModerationEvent.Action.ERASE, by=by, target=address,
        after={"deleted": deleted, "kept": kept},
    )  # fmt: skip
    address.delete()
    for article_id in {int(comment.object_pk) for comment in comments}:
        article_comment_count_refresh(article_id=article_id)
    return Erasure(deleted=deleted, kept=kept)


def _commenter_bans_erase(*, email: str, comments: list[ReaderComment], secrets: list[str]) -> None:
    """The bans of an erased commenter keep working without holding their data: a ban of
    their e-mail, or of an IP address that no one else's comment used, is kept as a keyed
    hash that still matches; wider networks and domains are left as they are (they are
    not one person's). Their name, e-mail and such IPs leave every ban's reason, the
    bans' audit events and the admin's history of bans, which keep who decided what."""
    ips = {comment.ip_address for comment in comments if comment.ip_address}
    shared = set(
        ReaderComment.objects.exclude(pk__in=[c.pk for c in comments])
        .filter(ip_address__in=ips)
        .values_list("ip_address", flat=True)
    )
    # An address others used too stays readable where they are: it is theirs as well.
    secrets = [secret for secret in secrets if secret not in shared]
    own_keys = {address_key(ipaddress.ip_address(ip)) for ip in ips - shared}
    for ban in CommentBan.objects.filter(
        models.Q(kind=CommentBan.Kind.EMAIL, value=email.casefold())
        | models.Q(kind=CommentBan.Kind.NETWORK, first_key__in=own_keys, last_key=F("first_key"))
    ):
        if ban.kind == CommentBan.Kind.EMAIL:
            ban.value = erased_email_key(email)
        else:
            ban.value = erased_address_key(ban.first_key)
            ban.first_key = ban.last_key = ""
        ban.save(update_fields=["value", "first_key", "last_key"])
    for ban in CommentBan.objects.all():
        reason = _scrubbed(ban.reason, secrets)
        if reason != ban.reason:
            ban.reason = reason
            ban.save(update_fields=["reason"])
    ban_type = ContentType.objects.get_for_model(CommentBan)
    address_type = ContentType.objects.get_for_model(CommenterAddress)
    for event in ModerationEvent.objects.filter(target_type__in=[ban_type, address_type]):
        scrubbed = [
            _scrubbed(value, secrets) for value in (event.target_repr, event.before, event.after)
        ]
        if scrubbed != [event.target_repr, event.before, event.after]:
            event.target_repr, event.before, event.after = scrubbed
            event.save(update_fields=["target_repr", "before", "after"])
    for entry in LogEntry.objects.filter(content_type=ban_type):
        scrubbed = [
            _scrubbed(value, secrets) for value in (entry.object_repr, entry.change_message)
        ]
        if scrubbed != [entry.object_repr, entry.change_message]:
            entry.object_repr, entry.change_message = scrubbed
            entry.save(update_fields=["object_repr", "change_message"])


def comment_ips_prune(*, older_than_days: int) -> int:
    """Clear the IP addresses of comments posted more than `older_than_days` ago, and
    forget addresses that never confirmed notices once their links have expired.
    Returns how many comments lost their IP address."""
    now = timezone.now()
    cleared: int = ReaderComment.objects.filter(
        submit_date__lt=now - timedelta(days=older_than_days), ip_address__isnull=False
    ).update(ip_address=None)
    links_expired = now - timedelta(
        seconds=max(settings.COMMENTS_CONFIRM_LINK_MAX_AGE, settings.COMMENTS_DATA_LINK_MAX_AGE)
    )
    CommenterAddress.objects.filter(
        notify_confirmed_at__isnull=True, created_at__lt=links_expired
    ).filter(
        models.Q(confirmation_sent_at__isnull=True)
        | models.Q(confirmation_sent_at__lt=links_expired)
    ).delete()
    return cleared
