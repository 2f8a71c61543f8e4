"""Counting what readers do from beacons their pages send (so pages served from a cache
count too): who is a bot, whether a reader was already counted for a thing within the
repeat window, and totals incremented without losing a count. Ad impressions and clicks
(ads/) and story views for Most read (articles/) count this way."""

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import F

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|headless"
    r"|curl|wget|python-requests|python-urllib|httpx|go-http-client|java/|libwww|monitor|scan",
    re.IGNORECASE,
)
REPEAT_WINDOW_SECONDS = 30 * 60
# A transparent 1x1 GIF, for a beacon's no-JavaScript pixel.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def first_sight(*, client: str, thing: str) -> bool:
    """Whether `client` (newsroom.clients.client_hash) is counted for `thing` ("ad
    impression 3 in 7", "story 12") for the first time in the repeat window."""
    seen = hashlib.sha256(f"{thing}:{client}".encode()).hexdigest()
    # False: seen within the window. None: the cache is down and cannot tell; then it
    # counts (a repeat may count twice) rather than every count being lost.
    return cache.add(f"seen:{seen}", True, REPEAT_WINDOW_SECONDS) is not False


def add_one(
    model: type[models.Model],
    *,
    key: dict[str, Any],
    field: str,
    may_insert: Callable[[], bool] = lambda: True,
) -> bool:
    """Add one to `field` of the row of `model` at `key` (its unique fields), making the
    row at the first count; concurrent calls never lose a count, on either database.

    An UPDATE adds in the database; only the first count inserts the row, and if another
    request inserted it first, the UPDATE is simply run again. `may_insert()` says
    whether the row may be made: foreign keys are only checked at commit, which may be a
    caller's outer transaction, so an insert for a deleted row would fail all of it.
    Returns False if nothing was counted.
    """
    rows = model._default_manager.filter(**key)
    if rows.update(**{field: F(field) + 1}):
        return True
    if not may_insert():
        return False
    try:
        with transaction.atomic():
            model._default_manager.create(**key, **{field: 1})
    except IntegrityError:
        return bool(rows.update(**{field: F(field) + 1}))
    return True
