"""Writes for ads: counting impressions and clicks, saving creatives."""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsroom.beacons import add_one, first_sight, is_bot

from .models import Creative, DailyStat, Placement

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The DailyStat counts: what was counted, and what was not, by kind and why.
Counter = Literal[
    "impressions",
    "clicks",
    "impressions_filtered_repeats",
    "impressions_filtered_bots",
    "impressions_filtered_cross_site",
    "impressions_filtered_expired",
    "clicks_filtered_repeats",
    "clicks_filtered_bots",
    "clicks_filtered_cross_site",
    "clicks_filtered_expired",
]
Kind = Literal["impressions", "clicks"]
Reason = Literal["repeats", "bots", "cross_site", "expired"]
# The count of what was not counted, for each kind and why.
FILTERED: dict[tuple[Kind, Reason], Counter] = {
    ("impressions", "repeats"): "impressions_filtered_repeats",
    ("impressions", "bots"): "impressions_filtered_bots",
    ("impressions", "cross_site"): "impressions_filtered_cross_site",
    ("impressions", "expired"): "impressions_filtered_expired",
    ("clicks", "repeats"): "clicks_filtered_repeats",
    ("clicks", "bots"): "clicks_filtered_bots",
    ("clicks", "cross_site"): "clicks_filtered_cross_site",
    ("clicks", "expired"): "clicks_filtered_expired",
}


def stat_increment(
    *,
    creative_id: int,
    placement_id: int,
    field: Counter,
    day: date | None = None,
) -> bool:
    """Add one to a count of today's (impressions, clicks, or those filtered); concurrent
    calls never lose a count (newsroom.beacons.add_one). Returns False if there was
    nothing to count: the creative or placement has been deleted
    since the page was made (tokens outlive them in cached pages and open tabs).
    """
    day = day or timezone.localdate()
    return add_one(
        DailyStat,
        key={"creative_id": creative_id, "placement_id": placement_id, "date": day},
        field=field,
        may_insert=lambda: (
            Creative.objects.filter(pk=creative_id).exists()
            and Placement.objects.filter(pk=placement_id).exists()
        ),
    )


def stat_record(
    *,
    field: Kind,
    creative_id: int,
    placement_id: int,
    client: str,
    user_agent: str,
    cross_site: bool = False,
    expired: bool = False,
) -> bool:
    """Count an impression or a click, or else why it was not counted (a count per kind
    and why); True if counted.

    Not counted, by the first that applies: sent from another site's page, from a page
    older than its links may be, by a bot, or a repeat: the same client for the same
    creative in the same placement within half an hour. The client is the address the
    site believes (newsroom.clients.client_hash), never a header the client chooses, so
    changing the User-Agent makes no new reader; readers sharing one address (an
    office) count once per half hour per ad.
    """
    reason: Reason | None = None
    if cross_site:
        reason = "cross_site"
    elif expired:
        reason = "expired"
    elif is_bot(user_agent):
        reason = "bots"
    elif not first_sight(client=client, thing=f"ad {field} {creative_id} in {placement_id}"):
        reason = "repeats"
    counted = stat_increment(
        creative_id=creative_id,
        placement_id=placement_id,
        field=FILTERED[field, reason] if reason else field,
    )
    return counted and reason is None


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
