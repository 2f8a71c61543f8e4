"""Writes for ads: counting impressions and clicks, saving creatives."""

import hashlib
import re

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Creative, DailyStat

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|headless"
    r"|curl|wget|python-requests|python-urllib|httpx|go-http-client|java/|libwww|monitor|scan",
    re.IGNORECASE,
)
REPEAT_WINDOW_SECONDS = 30 * 60


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def stat_increment(*, creative_id: int, placement_id: int, field: str, day=None) -> None:
    """Add one to today's impressions or clicks; concurrent calls never lose a count.

    An UPDATE adds in the database; only the first count of the day inserts the row,
    and if another request inserted it first, the UPDATE is simply run again.
    """
    day = day or timezone.localdate()
    key = {"creative_id": creative_id, "placement_id": placement_id, "date": day}
    if DailyStat.objects.filter(**key).update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            DailyStat.objects.create(**key, **{field: 1})
    except IntegrityError:
        DailyStat.objects.filter(**key).update(**{field: F(field) + 1})


def impression_record(*, creative_id, placement_id, viewer: str, user_agent: str) -> bool:
    """Count an impression unless it is a bot or the same viewer saw it just now."""
    if is_bot(user_agent):
        return False
    seen = hashlib.sha256(f"{viewer}:{creative_id}:{placement_id}".encode()).hexdigest()
    if not cache.add(f"ads:seen:{seen}", True, REPEAT_WINDOW_SECONDS):
        return False
    stat_increment(creative_id=creative_id, placement_id=placement_id, field="impressions")
    return True


def click_record(*, creative_id, placement_id, user_agent: str) -> bool:
    if is_bot(user_agent):
        return False
    stat_increment(creative_id=creative_id, placement_id=placement_id, field="clicks")
    return True


@transaction.atomic
def creative_save(*, creative: Creative, by) -> Creative:
    """Validate and save; only those allowed may put third-party HTML on the site."""
    if creative.kind == Creative.Kind.HTML and not by.has_perm("ads.enter_html_creative"):
        raise PermissionDenied("Only ad managers may enter HTML snippets.")
    if creative.pk is None:
        creative.created_by = by
    creative.full_clean()
    creative.save()
    return creative
