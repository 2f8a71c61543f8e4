"""Which ad a slot shows: the live creatives, cached briefly, and a weighted choice.

Building the candidates (the placements, the live creatives with two prefetches, and
the next schedule change: five queries) happens once per cache period for the whole
site, however many slots a page has, so ads add no queries to most pages.
"""

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.utils import timezone

from .models import Creative, Placement

CACHE_KEY = "ads:candidates"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Candidate:
    pk: int
    kind: str
    priority: int
    weight: int
    placements: frozenset[str]  # placement keys
    sections: frozenset[int]  # section ids; empty: every section
    page_types: frozenset[str]  # empty: every kind of page
    image_url: str
    alt_text: str
    html: str


def _candidate(creative: Creative) -> Candidate:
    return Candidate(
        pk=creative.pk,
        kind=creative.kind,
        priority=creative.priority,
        weight=creative.weight,
        placements=frozenset(p.key for p in creative.placements.all()),
        sections=frozenset(s.pk for s in creative.sections.all()),
        page_types=frozenset(creative.page_types),
        image_url=creative.image.url if creative.image else "",
        alt_text=creative.alt_text,
        html=creative.html,
    )


@dataclass(frozen=True)
class LiveAds:
    placements: dict[str, Placement]  # by key
    candidates: list[Candidate]
    valid_until: float  # a time.time(): the next schedule change, or the cache period
    # Slots rendered from these ads in this process, by what their HTML depends on
    # (ads.templatetags.ads.render_slot): a page's eight slots cost eight dict reads.
    rendered: dict[tuple[str, int | None, int, int], str] = field(
        default_factory=dict, compare=False, repr=False
    )


class Memo(NamedTuple):
    ads: LiveAds
    until: float  # a time.time()


# Each process keeps the live ads for a second, so a page with eight slots asks the
# shared cache once, not eight times; and a slow or missing cache costs one query per
# second per process, not one per slot. An ad edit reaches other processes within that
# second; this process forgets at once. One immutable tuple, read once: another thread
# may forget it at any moment, and must never leave a reader with half of it.
MEMO_SECONDS = 1.0
_memo: Memo | None = None


def live_ads() -> LiveAds:
    """The placements and the creatives that may be shown now, cached until the next
    schedule change (at most a minute)."""
    global _memo
    now_ts = time.time()
    memo = _memo
    if memo is not None and now_ts < memo.until:
        return memo.ads
    ads: LiveAds | None = cache.get(CACHE_KEY)
    if ads is None or now_ts >= ads.valid_until:
        now = timezone.now()
        creatives = Creative.objects.live(now).prefetch_related("placements", "sections")
        timeout = CACHE_SECONDS
        next_change = Creative.objects.next_schedule_change(now)
        if next_change is not None:
            # Rounded down, as cache backends such as Redis round timeouts: the set must
            # be gone by the change, or a page rendered just after it would still show
            # the old ads, and the page cache would keep that page. Under a second to
            # go, it is not cached at all (a timeout of 0 stores nothing).
            timeout = min(timeout, int((next_change - now).total_seconds()))
        ads = LiveAds(
            placements={placement.key: placement for placement in Placement.objects.all()},
            candidates=[_candidate(creative) for creative in creatives],
            valid_until=now_ts + timeout,
        )
        cache.set(CACHE_KEY, ads, timeout)
    _memo = Memo(ads, min(now_ts + MEMO_SECONDS, ads.valid_until))
    return ads


def forget_candidates(**kwargs: object) -> None:
    """Signal receiver: an ad changed, so choose from fresh candidates."""
    global _memo
    _memo = None
    cache.delete(CACHE_KEY)


def choose(
    candidates: Iterable[Candidate],
    *,
    placement: str,
    page_type: str | None = None,
    section_id: int | None = None,
    rng: random.Random | None = None,
) -> Candidate | None:
    """The highest-priority eligible creatives compete; weight decides among them.

    Rotating ads needs a fair spread, not unpredictability: the module's shared
    generator, unless a test passes a seeded one.
    """
    eligible = [
        c
        for c in candidates
        if placement in c.placements
        and (not c.page_types or page_type in c.page_types)
        and (not c.sections or section_id in c.sections)
    ]
    if not eligible:
        return None
    top = max(c.priority for c in eligible)
    pool = [c for c in eligible if c.priority == top]
    return (rng or random).choices(pool, weights=[c.weight for c in pool])[0]
