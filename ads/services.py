"""Writes for ads: counting impressions and clicks, saving creatives."""

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Creative, DailyStat, Placement

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|headless"
    r"|curl|wget|python-requests|python-urllib|httpx|go-http-client|java/|libwww|monitor|scan",
    re.IGNORECASE,
)
REPEAT_WINDOW_SECONDS = 30 * 60


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def stat_increment(
    *,
    creative_id: int,
    placement_id: int,
    field: Literal["impressions", "clicks"],
    day: date | None = None,
) -> bool:
    """Add one to today's impressions or clicks; concurrent calls never lose a count.

    An UPDATE adds in the database; only the first count of the day inserts the row,
    and if another request inserted it first, the UPDATE is simply run again. Returns
    False if there was nothing to count: the creative or placement has been deleted
    since the page was made (tokens outlive them in cached pages and open tabs).
    """
    day = day or timezone.localdate()
    key = {"creative_id": creative_id, "placement_id": placement_id, "date": day}
    # As keywords for update() and create() (mypy wants str keys, not the literal's).
    add_one: dict[str, Any] = {field: F(field) + 1}
    first_one: dict[str, Any] = {field: 1}
    if DailyStat.objects.filter(**key).update(**add_one):
        return True
    # Foreign keys are only checked at commit, which may be a caller's outer
    # transaction: an insert for a deleted creative would fail that whole transaction.
    if not (
        Creative.objects.filter(pk=creative_id).exists()
        and Placement.objects.filter(pk=placement_id).exists()
    ):
        return False
    try:
        with transaction.atomic():
            DailyStat.objects.create(**key, **first_one)
    except IntegrityError:
        return bool(DailyStat.objects.filter(**key).update(**add_one))
    return True


def impression_record(*, creative_id: int, placement_id: int, viewer: str, user_agent: str) -> bool:
    """Count an impression unless it is a bot or the same viewer saw it just now."""
    if is_bot(user_agent):
        return False
    seen = hashlib.sha256(f"{viewer}:{creative_id}:{placement_id}".encode()).hexdigest()
    # False: seen within the window. None: the cache is down and cannot tell; then the
    # impression counts (a repeat may count twice) rather than every one being lost.
    if cache.add(f"ads:seen:{seen}", True, REPEAT_WINDOW_SECONDS) is False:
        return False
    return stat_increment(creative_id=creative_id, placement_id=placement_id, field="impressions")


def click_record(*, creative_id: int, placement_id: int, user_agent: str) -> bool:
    if is_bot(user_agent):
        return False
    return stat_increment(creative_id=creative_id, placement_id=placement_id, field="clicks")


def creatives_set_active(
    *, creatives: Iterable[Creative], active: bool, by: "User"
) -> tuple[int, list[str]]:
    """Switch creatives on or off, each through creative_save and its checks: how many
    changed, and the names of those `by` may not change (an HTML ad without the
    permission to enter HTML, say)."""
    done = 0
    refused: list[str] = []
    for creative in creatives:
        if creative.is_active == active:
            continue
        creative.is_active = active
        try:
            creative_save(creative=creative, by=by)
        except (PermissionDenied, ValidationError):
            refused.append(creative.name)
        else:
            done += 1
    return done, refused


def _html_changed(creative: Creative) -> bool:
    stored = (
        Creative.objects.filter(pk=creative.pk).values_list("html", flat=True).first()
        if creative.pk is not None
        else None
    )
    return creative.html != (stored or "")


@transaction.atomic
def creative_save(*, creative: Creative, by: "User") -> Creative:
    """Validate and save; only those allowed may put third-party HTML on the site.

    That covers a snippet entered on an image creative too: it would run as soon as
    someone switched the creative to HTML, without that snippet being entered again.
    """
    if not by.has_perm("ads.enter_html_creative") and (
        creative.kind == Creative.Kind.HTML or _html_changed(creative)
    ):
        raise PermissionDenied("Only ad managers may enter HTML snippets.")
    if creative.pk is None:
        creative.created_by = by
    creative.full_clean()
    creative.save()
    return creative
