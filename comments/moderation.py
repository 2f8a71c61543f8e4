"""The rules a new comment meets: closed, discarded, held for a moderator, or published.

django-contrib-comments' moderation hangs off signals of its own post view (and is
silently inert unless registered with django-comments-xtd's moderator); Newsroom has
its own post view, so it calls these rules directly, where they are easy to read and
to test.
"""

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import ReaderComment, normalise_text

if TYPE_CHECKING:
    from articles.models import Article

LINK_PATTERN = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|info|biz|ru|cn)\b")


class Action(enum.StrEnum):
    DISCARD = "discard"  # not stored: the sender is a bot
    SPAM = "spam"  # stored as spam, out of the queue, for a moderator's second look
    HOLD = "hold"  # stored, pending a moderator
    PUBLISH = "publish"


@dataclass
class Verdict:
    action: Action
    reasons: list[str] = field(default_factory=list)


def closed_reason(article: "Article") -> Promise | None:
    """Why readers may not comment on `article` now, or None if they may."""
    # A public article has a publication time; the second test only tells mypy so.
    if not article.is_public or article.published_at is None:
        return _("This article is not published.")
    if not article.allow_comments:
        return _("Comments are closed.")
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days and article.published_at < timezone.now() - timedelta(days=days):
        return _("Comments are closed.")
    return None


def matching_words(text: str, words: Iterable[str]) -> list[str]:
    """The listed words or phrases in `text`, compared after normalisation, as whole words."""
    normalised = normalise_text(text)
    found = []
    for word in words:
        needle = normalise_text(word)
        if needle and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", normalised):
            found.append(word)
    return found


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(normalise_text(text)))


def rules_spam_check(
    *, name: str, email: str, text: str, request: HttpRequest | None = None
) -> bool:
    """The default spam check: block-listed words anywhere in what the reader sent.

    Any function with this signature can replace it (settings.COMMENTS_SPAM_CHECK),
    e.g. one that asks Akismet; it returns True for spam.
    """
    return bool(matching_words(f"{name} {email} {text}", settings.COMMENTS_BLOCK_WORDS))


def decide(
    *, name: str, email: str, text: str, honeypot: str = "", request: HttpRequest | None = None
) -> Verdict:
    if honeypot:
        return Verdict(Action.DISCARD, ["honeypot"])
    spam_check = import_string(settings.COMMENTS_SPAM_CHECK)
    if spam_check(name=name, email=email, text=text, request=request):
        return Verdict(Action.SPAM, ["spam check"])
    reasons = []
    links = count_links(text)
    if links > settings.COMMENTS_MAX_LINKS:
        reasons.append(f"{links} links")
    reasons += [
        f"listed word: {word}"
        for word in matching_words(f"{name} {text}", settings.COMMENTS_MODERATION_WORDS)
    ]
    if reasons:
        return Verdict(Action.HOLD, reasons)
    if (
        settings.COMMENTS_TRUST_PREVIOUSLY_APPROVED
        and ReaderComment.objects.public().filter(user_email__iexact=email).exists()
    ):
        return Verdict(Action.PUBLISH, ["previously approved"])
    return Verdict(Action.HOLD, ["pre-moderation"])
