"""Flood control for comments and reports: at most N posts in any period, per key.

With the shared cache down, flood control is off (fail open); see take_slot.

django-ratelimit was tried first: it counts in fixed clock windows, so "one comment
every 15 seconds" let two through a second apart whenever a window boundary fell
between them. Here each of a rate's N slots is taken with the cache's atomic add and
frees itself a period later, which holds the limit over any stretch of time.
"""

import hashlib
import re
from collections.abc import Iterable

from django.core.cache import cache

RATE_PATTERN = re.compile(r"(\d+)/(\d*)([smhd])")
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 24 * 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """Read a rate such as "1/15s" as (1, 15): so many posts in so many seconds."""
    match = RATE_PATTERN.fullmatch(rate)
    if match is None:
        raise ValueError(f"Not a rate such as 1/15s: {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * PERIOD_SECONDS[unit]


def take_slot(group: str, value: str, rate: str) -> bool:
    """Take one of the rate's slots for this key; False if all of them are taken.

    A slot frees itself `period` seconds after it was taken, so no more than `count`
    posts pass in any `period`; cache.add is atomic, so concurrent posts cannot take the
    same slot.
    """
    count, period = parse_rate(rate)
    key = hashlib.sha256(f"{group}\x1f{value}".encode()).hexdigest()
    for slot in range(count):
        taken = cache.add(f"comments:rate:{key}:{slot}", True, period)
        if taken is None:
            # The cache is unreachable (django-redis answers None when it ignores the
            # error). Policy: let the post through. Comments are still pre-moderated
            # and stored once, so a flood costs moderators time, not readers their say.
            return True
        if taken:
            return True
    return False


def too_fast(limits: Iterable[tuple[str, str, str]]) -> bool:
    """Count this post against each (group, rate, value) limit, shortest first; True as
    soon as one is exceeded (the longer ones are then left as they are)."""
    return not all(take_slot(group, value, rate) for group, rate, value in limits)
