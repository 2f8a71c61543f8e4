"""Flood control for comments and reports: at most N posts in any period, per key.

With the shared cache down, flood control is off (fail open); see take_slot.

django-ratelimit was tried first: it counts in fixed clock windows, so "one comment
every 15 seconds" let two through a second apart whenever a window boundary fell
between them. Here each of a rate's N slots is taken with the cache's atomic add and
frees itself a period later, which holds the limit over any stretch of time.
"""

import hashlib
import math
import re
import time
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


def take_slot(group: str, value: str, rate: str) -> int:
    """Take one of the rate's slots for this key: 0, or if all of them are taken, the
    seconds until the first one frees itself.

    A slot frees itself `period` seconds after it was taken, so no more than `count`
    posts pass in any `period`; cache.add is atomic, so concurrent posts cannot take the
    same slot. Each slot holds the time it frees itself, to tell the reader how long to
    wait.
    """
    count, period = parse_rate(rate)
    key = hashlib.sha256(f"{group}\x1f{value}".encode()).hexdigest()
    slots = [f"comments:rate:{key}:{slot}" for slot in range(count)]
    now = time.time()
    for slot in slots:
        taken = cache.add(slot, now + period, period)
        if taken is None:
            # The cache is unreachable (django-redis answers None when it ignores the
            # error). Policy: let the post through. Comments are still pre-moderated
            # and stored once, so a flood costs moderators time, not readers their say.
            return 0
        if taken:
            return 0
    frees_at = [at for at in cache.get_many(slots).values() if isinstance(at, float)]
    return max(1, math.ceil(min(frees_at, default=now + period) - now))


def seconds_to_wait(limits: Iterable[tuple[str, str, str]]) -> int:
    """Count this post against each (group, rate, value) limit, shortest first: 0, or as
    soon as one is exceeded, how long until it allows a post (the longer limits are then
    left as they are)."""
    for group, rate, value in limits:
        if wait := take_slot(group, value, rate):
            return wait
    return 0
