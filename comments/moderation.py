"""The rules a new comment meets: closed, discarded, held for a moderator, or published.

django-contrib-comments' moderation hangs off signals of its own post view (and is
silently inert unless registered with django-comments-xtd's moderator); Newsroom has
its own post view, so it calls these rules directly, where they are easy to read and
to test.

Moderators edit the rules in the admin (ModerationRules, CommentPolicy). Every post and
every article page reads them through current_rules(): one snapshot in the shared
cache, dropped when a rule is saved and checked against the rules' purge time, so a
change reaches every app server at once.
"""

import enum
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from confusable_homoglyphs.confusables import confusables_data
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from newsroom.cachekeys import forget_kept, remembered
from newsroom.prepared import PreparedRead

from .models import (
    COMMENT_RULES_KEY,
    CommentPolicy,
    ModerationReason,
    ModerationRules,
    Premoderation,
    ReaderComment,
    normalise_text,
    word_list,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from articles.models import Article

Rule = ModerationReason.Rule
LINK_PATTERN = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|biz|ru|cn)\b")
RULES_CACHE_KEY = "comments:rules"
RULES_CACHE_SECONDS = 300


class Action(enum.StrEnum):
    DISCARD = "discard"  # not stored: the sender is a bot
    SPAM = "spam"  # stored as spam, out of the queue, for a moderator's second look
    HOLD = "hold"  # stored, pending a moderator
    PUBLISH = "publish"
    # Not taken: comments were closed on the article. Posts never meet the rules then
    # (the form is gone); only the dry run, replaying past comments, says it.
    CLOSED = "closed"


@dataclass
class Verdict:
    action: Action
    reasons: list[ModerationReason] = field(default_factory=list)
    closed: str = ""  # Action.CLOSED: why the article took no comment

    @property
    def why(self) -> list[str]:
        return [self.closed] if self.closed else [str(reason) for reason in self.reasons]


def reason(rule: str, detail: object = "") -> ModerationReason:
    return ModerationReason(rule=rule, detail=str(detail))


# --- Look-alike letters ------------------------------------------------------------------


def _lookalike_table() -> dict[int, str]:
    """Each non-ASCII character that Unicode's confusables table says looks like exactly
    one ASCII letter or digit (Cyrillic a, Greek omicron, Cherokee A), mapped to it.

    ASCII itself is left alone (0 and O, l and 1 are told apart by readers and words
    alike), and so are look-alikes of several letters (rn for m).
    """
    table = {}
    for char, glyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_glyphs = {
            glyph["c"].casefold()
            for glyph in glyphs
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalnum()
        }
        if len(ascii_glyphs) == 1:
            table[ord(char)] = ascii_glyphs.pop()
    return table


LOOKALIKES = _lookalike_table()


def fold_text(text: str) -> str:
    """Text as the word lists see it: normalised (normalise_text), look-alikes folded."""
    return normalise_text(text).translate(LOOKALIKES)


@functools.lru_cache(maxsize=4096)
def _word_pattern(word: str) -> re.Pattern[str] | None:
    needle = fold_text(word)
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)") if needle else None


def matching_words(text: str, words: Iterable[str]) -> list[str]:
    """The listed words or phrases in `text`, compared after folding, as whole words."""
    folded = fold_text(text)
    return [word for word in words if (pattern := _word_pattern(word)) and pattern.search(folded)]


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(normalise_text(text)))


# --- The rules, as moderators set them ----------------------------------------------------


class PolicyOverride(NamedTuple):
    premoderation: str  # "" follows the next layer
    comments: str
    close_after_days: int | None


@dataclass(frozen=True)
class Policy:
    """The rules in force on one article, its own over its section's over the site's."""

    premoderation: str
    comments_open: bool
    close_after_days: int


@dataclass(frozen=True)
class RuleSet:
    """The site's rules and every section's and article's policy, as one snapshot."""

    hold_words: tuple[str, ...]
    block_words: tuple[str, ...]
    max_links: int
    premoderation: str
    close_after_days: int
    sections: dict[int, PolicyOverride] = field(default_factory=dict)
    articles: dict[int, PolicyOverride] = field(default_factory=dict)

    def policy_for(self, *, article_id: int, section_id: int) -> Policy:
        layers = [
            layer
            for layer in (self.articles.get(article_id), self.sections.get(section_id))
            if layer
        ]
        open_or_closed = next((o.comments for o in layers if o.comments), "open")
        return Policy(
            premoderation=next(
                (o.premoderation for o in layers if o.premoderation), self.premoderation
            ),
            comments_open=open_or_closed == CommentPolicy.Comments.OPEN,
            close_after_days=next(
                (o.close_after_days for o in layers if o.close_after_days is not None),
                self.close_after_days,
            ),
        )

    def spans_in_days(self) -> set[int]:
        """Every "close after N days" in force somewhere (0, never, left out)."""
        overrides = [*self.sections.values(), *self.articles.values()]
        return {self.close_after_days, *(o.close_after_days or 0 for o in overrides)} - {0}


def initial_rules() -> ModerationRules:
    """The rules before a moderator has saved any: the COMMENTS_* settings (unsaved)."""
    return ModerationRules(
        hold_words="\n".join(settings.COMMENTS_MODERATION_WORDS),
        block_words="\n".join(settings.COMMENTS_BLOCK_WORDS),
        max_links=settings.COMMENTS_MAX_LINKS,
        premoderation=Premoderation.FIRST_TIME
        if settings.COMMENTS_TRUST_PREVIOUSLY_APPROVED
        else Premoderation.ALL,
        close_after_days=settings.COMMENTS_CLOSE_AFTER_DAYS,
    )


def rule_set(row: ModerationRules, *, like: RuleSet | None = None) -> RuleSet:
    """`row`'s site-wide rules, with the policies of `like` (none if not given)."""
    site = RuleSet(
        hold_words=tuple(word_list(row.hold_words)),
        block_words=tuple(word_list(row.block_words)),
        max_links=row.max_links,
        premoderation=row.premoderation,
        close_after_days=row.close_after_days,
    )
    if like is None:
        return site
    return replace(site, sections=like.sections, articles=like.articles)


def load_rules() -> RuleSet:
    """The rules as the database has them now (two queries)."""
    row = ModerationRules.objects.filter(pk=1).first() or initial_rules()
    sections: dict[int, PolicyOverride] = {}
    articles: dict[int, PolicyOverride] = {}
    for policy in CommentPolicy.objects.all():
        override = PolicyOverride(policy.premoderation, policy.comments, policy.close_after_days)
        if policy.article_id:
            articles[policy.article_id] = override
        elif policy.section_id:
            sections[policy.section_id] = override
    return replace(rule_set(row), sections=sections, articles=articles)


def current_rules() -> RuleSet:
    """The rules in force, from the shared cache until a change to them is purged
    (cachekeys.remembered): a snapshot kept by a request that read the rules just before
    a moderator's change committed is older than that change's purge, and is read again.
    An article page reads it with its other kept parts, in one round trip."""
    rules: RuleSet = remembered(
        RULES_CACHE_KEY,
        compute=load_rules,
        keys_of=lambda _rules: {COMMENT_RULES_KEY},
        seconds=RULES_CACHE_SECONDS,
    )
    return rules


def rules_forget(**kwargs: object) -> None:
    """Drop the cached rules as soon as one is saved (the purge follows on commit)."""
    forget_kept(RULES_CACHE_KEY)


def policy_for(article: "Article", rules: RuleSet | None = None) -> Policy:
    rules = rules or current_rules()
    return rules.policy_for(article_id=article.pk, section_id=article.section_id)


def closing(
    policy: Policy, *, allow_comments: bool, published_at: datetime | None, at: datetime
) -> str | None:
    """Why `policy` had comments closed on an article at time `at`, or None if open."""
    if not (allow_comments and policy.comments_open):
        return str(_("comments closed"))
    days = policy.close_after_days
    if days and published_at is not None and published_at < at - timedelta(days=days):
        return str(_("comments close %(days)d days after publication") % {"days": days})
    return None


def closed_reason(article: "Article") -> Promise | None:
    """Why readers may not comment on `article` now, or None if they may."""
    # A public article has a publication time; the second test only tells mypy so.
    if not article.is_public or article.published_at is None:
        return _("This article is not published.")
    if closing(
        policy_for(article),
        allow_comments=article.allow_comments,
        published_at=article.published_at,
        at=timezone.now(),
    ):
        return _("Comments are closed.")
    return None


def next_closing(now: datetime) -> datetime | None:
    """When comments next close by themselves on a published article, or None: one
    query per "close after N days" in force. It may name a time when a page need not
    change (an article whose own policy says otherwise), never one after a change."""
    closings = []
    for days in current_rules().spans_in_days():
        span = timedelta(days=days)
        for (published_at,) in OLDEST_OPEN_SINCE(now - span, now):
            closings.append(published_at + span)
    return min(closings, default=None)


def _oldest_open_since(since: datetime, now: datetime) -> "QuerySet":
    """The publication time of the oldest story open to comments published after
    `since` (next_closing)."""
    from articles.models import Article

    oldest: QuerySet = (
        Article.objects.published(now=now)
        .filter(allow_comments=True, published_at__gt=since)
        .order_by("published_at")
        .values_list("published_at")[:1]
    )
    return oldest


OLDEST_OPEN_SINCE = PreparedRead(_oldest_open_since)


# --- The decision -------------------------------------------------------------------------


def apply_rules(
    *, rules: RuleSet, policy: Policy, name: str, email: str, text: str,
    previously_approved: Callable[[], bool], spam_check: Callable[[], bool] = lambda: False,
) -> Verdict:  # fmt: skip
    """What `rules` make of a comment: every rule that fired is among the reasons."""
    if blocked := matching_words(f"{name} {email} {text}", rules.block_words):
        return Verdict(Action.SPAM, [reason(Rule.BLOCK_WORD, word) for word in blocked])
    if spam_check():
        return Verdict(Action.SPAM, [reason(Rule.SPAM_CHECK, settings.COMMENTS_SPAM_CHECK)])
    reasons = []
    links = count_links(text)
    if links > rules.max_links:
        reasons.append(reason(Rule.LINKS, links))
    reasons += [
        reason(Rule.HOLD_WORD, word) for word in matching_words(f"{name} {text}", rules.hold_words)
    ]
    if reasons:
        return Verdict(Action.HOLD, reasons)
    if policy.premoderation == Premoderation.ALL:
        return Verdict(Action.HOLD, [reason(Rule.PRE_MODERATION)])
    if policy.premoderation == Premoderation.FIRST_TIME:
        if previously_approved():
            return Verdict(Action.PUBLISH, [reason(Rule.PREVIOUSLY_APPROVED)])
        return Verdict(Action.HOLD, [reason(Rule.FIRST_COMMENT)])
    return Verdict(Action.PUBLISH)


def decide(
    *, name: str, email: str, text: str, honeypot: str = "",
    request: HttpRequest | None = None, article: "Article | None" = None,
) -> Verdict:  # fmt: skip
    """What a new comment on `article` meets: the rules in force, its article's policy
    (the site's without an article), and settings.COMMENTS_SPAM_CHECK if there is one.

    A spam check is a function (name, email, text, request) -> bool, True for spam,
    e.g. one that asks Akismet; the block words apply before it.
    """
    if honeypot:
        return Verdict(Action.DISCARD)
    rules = current_rules()
    policy = (
        policy_for(article, rules)
        if article is not None
        else rules.policy_for(article_id=0, section_id=0)
    )

    def spam_check() -> bool:
        if not settings.COMMENTS_SPAM_CHECK:
            return False
        check = import_string(settings.COMMENTS_SPAM_CHECK)
        return bool(check(name=name, email=email, text=text, request=request))

    def previously_approved() -> bool:
        approved: bool = ReaderComment.objects.public().by_email(email).exists()
        return approved

    return apply_rules(
        rules=rules, policy=policy, name=name, email=email, text=text,
        previously_approved=previously_approved, spam_check=spam_check,
    )  # fmt: skip


# --- Dry run --------------------------------------------------------------------------------


class Effect(enum.StrEnum):
    HELD = "held"
    BLOCKED = "blocked"
    RELEASED = "released"
    REFUSED = "refused"  # comments would have been closed


@dataclass
class DryRunChange:
    comment: ReaderComment
    before: Verdict
    after: Verdict

    @property
    def effect(self) -> Effect:
        return {
            Action.SPAM: Effect.BLOCKED,
            Action.HOLD: Effect.HELD,
            Action.CLOSED: Effect.REFUSED,
        }.get(self.after.action, Effect.RELEASED)


class ArticleFacts(NamedTuple):
    """What the rules read of a comment's article."""

    section_id: int
    allow_comments: bool
    published_at: datetime | None


def replayed(
    rules: RuleSet, *, comment: ReaderComment, article: ArticleFacts, approved_before: bool
) -> Verdict:
    """What `rules` would have made of `comment` when it was posted."""
    policy = rules.policy_for(article_id=int(comment.object_pk), section_id=article.section_id)
    closed = closing(
        policy,
        allow_comments=article.allow_comments,
        published_at=article.published_at,
        at=comment.submit_date,
    )
    if closed:
        return Verdict(Action.CLOSED, closed=closed)
    return apply_rules(
        rules=rules,
        policy=policy,
        name=comment.user_name,
        email=comment.user_email,
        text=comment.comment,
        previously_approved=functools.partial(bool, approved_before),
    )


def dry_run(
    *, current: RuleSet, changed: RuleSet, among: "QuerySet[ReaderComment]", limit: int
) -> list[DryRunChange]:
    """What `changed` would have done differently from `current` to the last `limit`
    comments `among` those given, each met when it was posted: the comments whose
    outcome changes, newest first.

    One query for the comments, one for their articles, one for their commenters'
    approved comments; the rules themselves run in Python. The plugged-in spam check
    (an outside service) is not asked again.
    """
    from articles.models import Article

    comments = list(among.order_by("-submit_date", "-pk")[:limit])
    articles = {
        pk: ArticleFacts(*facts)
        for pk, *facts in Article.objects.filter(
            pk__in={int(c.object_pk) for c in comments}
        ).values_list("pk", "section_id", "allow_comments", "published_at")
    }
    history = ReaderComment.objects.history_by_email(
        (c.user_email for c in comments), kinds=("approved",)
    )
    changes = []
    for comment in comments:
        approved = history.get(comment.user_email.lower(), {"approved": 0})["approved"]
        approved_before = approved - (comment.status == ReaderComment.Status.PUBLIC) > 0
        article = articles.get(int(comment.object_pk), ArticleFacts(0, True, None))
        before, after = (
            replayed(rules, comment=comment, article=article, approved_before=approved_before)
            for rules in (current, changed)
        )
        if before.action != after.action:
            changes.append(DryRunChange(comment, before, after))
    return changes


def rules_dry_run(*, proposed: ModerationRules, limit: int = 1000) -> list[DryRunChange]:
    """What `proposed` (unsaved) would have done differently from the rules in force to
    the last `limit` comments (see dry_run)."""
    current = load_rules()
    return dry_run(
        current=current,
        changed=rule_set(proposed, like=current),
        among=ReaderComment.objects.all(),
        limit=limit,
    )


def policy_dry_run(*, proposed: CommentPolicy, limit: int = 1000) -> list[DryRunChange]:
    """What `proposed`, a section's or an article's policy, new or changed (unsaved),
    would have done differently from the rules in force to the last `limit` comments
    it covers: on its section's or article's stories, and on those of the one it was
    for, if a moderator moved it (see dry_run)."""
    current = load_rules()
    sections, articles = dict(current.sections), dict(current.articles)
    stored = CommentPolicy.objects.filter(pk=proposed.pk).first() if proposed.pk else None
    scope = ReaderComment.objects.none()
    for policy in (stored, proposed):
        if policy is None:
            continue
        if policy.article_id:
            articles.pop(policy.article_id, None)
            scope |= ReaderComment.objects.for_article(policy.article_id)
        elif policy.section_id:
            sections.pop(policy.section_id, None)
            scope |= ReaderComment.objects.in_section(policy.section_id)
    override = PolicyOverride(proposed.premoderation, proposed.comments, proposed.close_after_days)
    if proposed.article_id:
        articles[proposed.article_id] = override
    elif proposed.section_id:
        sections[proposed.section_id] = override
    changed = replace(current, sections=sections, articles=articles)
    return dry_run(current=current, changed=changed, among=scope, limit=limit)
