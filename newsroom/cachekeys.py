"""Surrogate keys: each cached response names what it shows, and each change purges
exactly the responses that show what changed, once its transaction has committed.

A key names one thing readers see ("article-12": a story's headline, standfirst,
bylines, corrections; "photo-3"; "comments-12": a story's public thread and its count)
or one list of stories ("latest", "section-2-articles", "tag-5-articles"). Templates
say what a response shows with ``{% shows object %}`` (an object's ``shown_keys``) or
``{% shows "latest" %}``; views and feeds call :func:`shows`.

What pages show is each app's to declare, on its AppConfig:

- ``public_models``: the models whose rows readers' pages show, by name, with
  ``"Model.field"`` for a many-to-many relation's links. Each such model says what a
  change to one of its rows purges: ``changed_keys(deleted=..., update_fields=...)``
  returns a :class:`Purge`, or None when readers cannot see the change (a comment
  held for moderation).
- ``next_public_change(now)``: when that app's part of the pages next changes by
  itself (a scheduled story goes live, an ad's schedule ends), or None. No cached
  response outlives it (newsroom.pagecache.fresh_for).

A purge is *hard* when something readers saw must go at once (an unpublished story, a
rejected comment: the cached response is dropped) and *soft* when something was added
(a new story in a list, an approved comment: a front cache may serve the old response
once more while it fetches the new one). The page cache (newsroom.pagecache) and the
front caches (newsroom.frontcache: Varnish, Fastly, Cloudflare) purge the same keys.

tests/newsroom/test_page_sources.py fails when a public page reads a table that no app
declares.
"""

import logging
import pickle  # nosec B403
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from newsroom.dbrouters import replica_staleness

logger = logging.getLogger(__name__)

PURGED_PREFIX = "purged:"
# Hard purges are remembered apart as well: a response rendered while only soft purges
# came may still be served while it is refreshed (newsroom.middleware).
HARD_PURGED_PREFIX = "purged-hard:"
# Every public response depends on the clock too: a purge of this key (any change to a
# public row) ends what was worked out about the next scheduled change.
SCHEDULE_KEY = "schedule"
# Every "not found" page: anything published may fill its address.
NOT_FOUND_KEY = "not-found"
# How long a purge is remembered: longer than any page is kept, or than any page takes
# to render.
PURGES_KEPT_SECONDS = 3600


@dataclass
class Purge:
    hard: set[str] = field(default_factory=set)
    soft: set[str] = field(default_factory=set)
    # Whether the change may bring the next scheduled change nearer (a story scheduled,
    # an ad's dates, a rule's "close after N days"): then what was worked out about it
    # is ended too (SCHEDULE_KEY), and the next page works it out again (~5 queries).
    # A comment decision schedules nothing, and comes every second on a news day.
    moves_schedule: bool = True

    def __or__(self, other):
        return Purge(
            self.hard | other.hard,
            self.soft | other.soft,
            self.moves_schedule or other.moves_schedule,
        )

    def __bool__(self):
        return bool(self.hard or self.soft)


def cache_key(obj):
    """The key of one row readers see: "article-12", "photo-3"."""
    return f"{obj._meta.model_name}-{obj.pk}"


def shows(request, *keys):
    """Note that the response to `request` shows what `keys` name."""
    if not hasattr(request, "cache_keys"):
        request.cache_keys = set()
    request.cache_keys.update(keys)


def shown_keys(request):
    return getattr(request, "cache_keys", set())


def shows_real_page(request, parameter):
    """Note that the value of the query `parameter` in `request` names a page that
    exists (a page of a story's thread), so caches may keep it: a made-up value, which
    anyone can vary without end, is answered but never kept
    (newsroom.pagecache.CHECKED_PARAMETERS)."""
    request.real_page_parameters = real_page_parameters(request) | {parameter}


def real_page_parameters(request):
    return getattr(request, "real_page_parameters", set())


def shows_changed_at(request, when):
    """Note that the response to `request` shows something last changed at `when`:
    for its Last-Modified, when a template tag read it rather than the view."""
    if request is not None and when is not None:
        request.shown_changed_at = max(getattr(request, "shown_changed_at", when), when)


def shown_changed_at(request):
    return getattr(request, "shown_changed_at", None)


def public_page_sources():
    """Every model whose rows readers' pages show (m2m links as their through model),
    as the apps declare them, with the model whose row a link belongs to."""
    sources = []
    for app_config in apps.get_app_configs():
        for name in getattr(app_config, "public_models", ()):
            model_name, _, relation = name.partition(".")
            model = app_config.get_model(model_name)
            if relation:
                sources.append(model._meta.get_field(relation).remote_field.through)
            else:
                sources.append(model)
    return sources


def connect_public_page_sources():
    for model in public_page_sources():
        if model._meta.auto_created:
            m2m_changed.connect(purge_on_m2m, sender=model, dispatch_uid=f"purge-{model}")
        else:
            post_save.connect(purge_on_save, sender=model, dispatch_uid=f"purge-{model}")
            post_delete.connect(purge_on_delete, sender=model, dispatch_uid=f"purge-d-{model}")


def purge_on_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if not raw:
        purge(instance.changed_keys(update_fields=update_fields))


def purge_on_delete(sender, instance, **kwargs):
    purge(instance.changed_keys(deleted=True))


def purge_on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A link added or removed changes the row that owns the relation (an article's
    tags: the article). Changed from the other side (a tag's articles), the rows named
    change, and so does the other side's own row (the tag's list)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    changed = [instance]
    if reverse and pk_set:
        changed += model.objects.filter(pk__in=pk_set)
    for row in changed:
        purge(row.changed_keys(update_fields=None))


def purge(keys):
    """Purge `keys` (a Purge, or None) once the current transaction commits; at once
    outside a transaction. A change rolled back (with its savepoint) purges nothing."""
    if keys:
        # robust: the change is committed; a failed purge is logged and the answer
        # stands. A lambda, not a partial: Django 5.2 logs a failed robust callback by
        # its __qualname__, which a partial lacks (the log line itself would raise;
        # Django ticket #36487, fixed after 5.2).
        transaction.on_commit(lambda: purge_now(keys), robust=True)


def purge_now(keys):
    """Tell the page cache and every front cache that `keys` changed just now."""
    from newsroom.frontcache import front_caches

    now = time.time()
    keys = keys | Purge(soft={NOT_FOUND_KEY}, moves_schedule=False)
    changed = {*keys.hard, *keys.soft} | ({SCHEDULE_KEY} if keys.moves_schedule else set())
    cache.set_many(
        {PURGED_PREFIX + key: now for key in changed}
        | {HARD_PURGED_PREFIX + key: now for key in keys.hard},
        PURGES_KEPT_SECONDS,
    )
    for front_cache in front_caches():
        try:
            front_cache.purge(keys)
        except Exception:
            # The change is committed: a front cache that missed the purge serves the
            # old page until it expires (s-maxage), which the log must say.
            logger.exception("Could not purge %s from %s", sorted(changed), front_cache)


def purged_since(keys, started, *, prefix=PURGED_PREFIX):
    """Whether any of `keys` was purged after (or too near, for the servers' clocks)
    `started`, a time.time(): a response rendered from then may show old rows."""
    if not keys:
        return False
    purges = cache.get_many([prefix + key for key in keys])
    return any_after(purges.values(), started)


def any_after(purge_times, started):
    """Whether any of `purge_times` (the markers' values) is after `started`, or too near
    it to tell, as purged_since has it."""
    # Rows read from a replica may be older than `started` by as much as it may lag.
    margin = settings.PURGE_CLOCK_SKEW_SECONDS + replica_staleness()
    return any(purged_at > started - margin for purged_at in purge_times)


@dataclass(frozen=True)
class Kept:
    """An entry of keep_entry: a value worked out from `started` (a time.time()), that
    shows what `keys` name."""

    value: Any
    keys: frozenset[str]
    started: float


# Entries of keep_entry have names of their own: Redis keeps them as a line of their
# markers' names and the value (newsroom.cache), not as cache.set would.
KEPT_PREFIX = "kept:"
# What a page asked for last time (reading_as_planned), by its address; and what the
# last page of a kind asked for that had no plan of its own (plan_kind).
PLAN_PREFIX = "plan:"
PLANS_KEPT_SECONDS = 3600


class KeptReads:
    """The kept entries one request reads: what was read ahead for it (by name; None for
    a name found without an entry), the names it asked for, in order, and the entries
    it keeps (keep_entry), written when it is done."""

    def __init__(self, *, reader):
        self.began = time.time()  # before anything was read ahead
        self.ahead: dict[str, tuple[Kept, bool] | None] = {}
        self.asked: dict[str, None] = {}
        self.planned: list[str] = []  # the names its plan listed
        self.reader = reader  # a reader's page: one of a kind (_read_kind_plan_first)
        self.kind_of: Callable[[], str] | None = None  # its kind's name, when it has one
        self.kind: str | None = None  # its kind's plan, read for want of its own
        self.kind_planned: list[str] = []
        self.read_for_itself: set[str] = set()  # names it read ahead (read_ahead)
        self.found: set[str] = set()  # names it asked for and found kept
        self.plan_kept = True  # whether what was asked is kept as the plan
        self.to_keep: dict[str, tuple[Kept, int]] = {}  # keep_entry's, by name


_request_reads: ContextVar[KeptReads | None] = ContextVar("kept_reads", default=None)


def kept_entries(names) -> dict[str, tuple[Kept, bool]]:
    """The entries kept under `names` by keep_entry, by name, each with whether it is
    still fresh: none of its keys purged since it was started (purged_since). A name
    with no entry is left out. On Redis (newsroom.cache) the entries and their keys'
    purges are read in one round trip; elsewhere in two. Inside reading_as_planned, what
    was read ahead is taken from there, once (a second copy on a page reads the cache
    again), and what the request keeps itself from the request."""
    reads = _request_reads.get()
    if reads is None:
        return _read_kept_entries(names)
    _read_kind_plan_first(reads)
    found, unread = {}, []
    for name in names:
        reads.asked[name] = None
        if name in reads.to_keep:
            found[name] = (reads.to_keep[name][0], True)  # worked out by this request
        elif name in reads.ahead:
            if (read := reads.ahead.pop(name)) is not None:
                found[name] = read
                reads.found.add(name)
        else:
            unread.append(name)
    if unread:
        found |= (read := _read_kept_entries(unread))
        reads.found.update(read)
    return found


def read_ahead_since():
    """When this request began to read ahead (a time.time()), else now: a part rendered
    from what it read is as old as that, so that a part it took as fresh and which was
    purged since is not kept inside a new one."""
    reads = _request_reads.get()
    return reads.began if reads is not None else time.time()


def read_ahead(names):
    """Read the entries kept under `names` in one round trip, for kept_entries to take
    later in this request (inside reading_as_planned; elsewhere there is nothing to
    keep them for, and each is read when asked)."""
    reads = _request_reads.get()
    if reads is not None:
        _read_kind_plan_first(reads)
        reads.read_for_itself.update(names)
        unread = [name for name in names if name not in reads.ahead]
        found = _read_kept_entries(unread) if unread else {}
        reads.ahead.update({name: found.get(name) for name in unread})


@contextmanager
def reading_as_planned(plan: str | None, *, reader=False):
    """Within, kept_entries takes what read_ahead read. With a `plan` (a page's
    address), the entries that the last request under that name asked for are read
    ahead first, in one round trip; when this one asks for others, they are its plan
    from now on (unless it sets `plan_kept` false on what this yields). So a page made
    of kept parts asks the cache once, not once a part. A `reader`'s page without a
    plan reads its kind's (plan_kind)."""
    reads = KeptReads(reader=reader)
    if plan:
        reads.planned = _read_plan(plan, reads)
    token = _request_reads.set(reads)
    try:
        yield reads
    finally:
        _request_reads.reset(token)
        if reads.to_keep:
            _keep_entries(reads.to_keep)
    if not (reads.plan_kept and reads.asked):
        return
    asked = list(reads.asked)
    if plan and set(asked) != set(reads.planned):
        _keep_plan(plan, asked)
    if reads.kind is not None:
        shared = [
            name for name in asked if name in reads.found and name not in reads.read_for_itself
        ]
        if set(shared) != set(reads.kind_planned):
            _keep_plan(reads.kind, shared)


def plan_kind(kind: Callable[[], str]):
    """Name the kind of the page being made (`kind()`: a view, on one host). A reader's
    page with no plan of its own (nobody asked for its address lately, or a page never
    planned: a search) then reads ahead, in one round trip before the first part it
    asks for, what the last such page of its kind found kept, so that the parts it
    shares with them (the navigation, the comment rules, what was worked out about the
    next scheduled change) are not read one at a time; a response that asks for no part
    (a pixel, the comment counts) reads nothing. What it asks for and finds kept, but
    for what it read ahead for itself (its own parts, its cards, a search's results),
    then becomes its kind's plan, written only when that changes: mostly what its pages
    share, though a part of its own found kept (its row, a recently read page's
    navigation of another section) may come and go."""
    reads = _request_reads.get()
    if reads is not None and reads.reader:
        reads.kind_of = kind


def _read_kind_plan_first(reads):
    if reads.kind_of is None or reads.kind is not None or reads.planned:
        return
    reads.kind = reads.kind_of()
    reads.kind_planned = _read_plan(reads.kind, reads)


def _keep_plan(plan, asked):
    set_plan = getattr(cache, "set_plan", None)
    if set_plan is not None:
        set_plan(PLAN_PREFIX + plan, [KEPT_PREFIX + name for name in asked], PLANS_KEPT_SECONDS)
    else:
        cache.set(PLAN_PREFIX + plan, asked, PLANS_KEPT_SECONDS)


def _read_plan(plan, reads):
    """The names kept as `plan` (none without one), their entries put into `reads`."""
    get_planned_entries = getattr(cache, "get_planned_entries", None)
    if get_planned_entries is not None:
        kept_names, read = get_planned_entries(PLAN_PREFIX + plan)
        names = [key.removeprefix(KEPT_PREFIX) for key in kept_names or ()]
        found = _fresh({key.removeprefix(KEPT_PREFIX): value for key, value in read.items()})
    else:
        names = cache.get(PLAN_PREFIX + plan) or []
        found = _read_kept_entries(names) if names else {}
    reads.ahead.update({name: found.get(name) for name in names})
    return names


def _read_kept_entries(names):
    get_many_with_markers = getattr(cache, "get_many_with_markers", None)
    if get_many_with_markers is not None:
        found = get_many_with_markers([KEPT_PREFIX + name for name in names])
        read = {name: found[KEPT_PREFIX + name] for name in names if KEPT_PREFIX + name in found}
    else:
        entries = cache.get_many([KEPT_PREFIX + name for name in names])
        markers = {PURGED_PREFIX + key for entry in entries.values() for key in entry.keys}
        purges = cache.get_many(markers) if markers else {}
        read = {
            name: (entry, [purges.get(PURGED_PREFIX + key, 0) for key in entry.keys])
            for name in names
            if (entry := entries.get(KEPT_PREFIX + name)) is not None
        }
    return _fresh(read)


def _fresh(read):
    """{name: (entry, fresh)} from {name: (entry, its keys' purge times)}."""
    return {
        name: (entry, not any_after(purge_times, entry.started))
        for name, (entry, purge_times) in read.items()
    }


def kept_entry(name) -> Kept | None:
    """The entry kept under `name` by keep_entry, unless one of its keys was purged since
    it was started (purged_since), or None."""
    entry, fresh = kept_entries([name]).get(name, (None, False))
    return entry if fresh else None


def keep_entry(name, value, keys, started, seconds, *, snapshot=True):
    """Keep `value`, worked out from `started` (a time.time()) and showing what `keys`
    name, under `name` for `seconds` at most: kept_entry serves it until one of `keys`
    is purged after `started` (so one purged while it was worked out is kept, and read
    as stale). Inside reading_as_planned, the entries a request keeps are written
    together once it is answered, in one round trip; until then, kept_entries takes
    them from the request, as a copy taken now (`snapshot`), or, for a value nothing
    can change (text), as it is."""
    entry = Kept(value, frozenset(keys), started)
    seconds = min(seconds, PURGES_KEPT_SECONDS)  # a purge older than that is forgotten
    if seconds <= 0:
        return
    reads = _request_reads.get()
    if reads is not None:
        # Kept as it is now, not as the request leaves it: a story's row, whose bylines
        # and tags its page reads and caches on it, must not carry them past a rename
        # of an author or a tag, which purges what shows them, not the row.
        reads.to_keep[name] = (_as_it_is_now(entry) if snapshot else entry, seconds)
    else:
        _keep_entries({name: (entry, seconds)})


def _as_it_is_now(entry):
    """A copy of `entry` as the cache would keep it if it were written now (pickled, as
    the cache keeps it: a copy of our own values, not data from outside)."""
    # Our own bytes, just written: nothing from outside is unpickled.
    return pickle.loads(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))  # noqa: S301  # nosec B301


def _keep_entries(entries):
    # No longer than the markers of purges since its work began may outlive it: a purge
    # while it was worked out must still be there when it is read (any_after).
    now = time.time()
    kept = {}
    for name, (entry, seconds) in entries.items():
        outlived_by_purges = PURGES_KEPT_SECONDS - (now - entry.started)
        seconds = min(seconds, int(outlived_by_purges - settings.PURGE_CLOCK_SKEW_SECONDS))
        if seconds > 0:
            kept[name] = (entry, seconds)
    set_many_with_markers = getattr(cache, "set_many_with_markers", None)
    if set_many_with_markers is not None:
        set_many_with_markers(
            {
                KEPT_PREFIX + name: (entry, [PURGED_PREFIX + key for key in entry.keys], seconds)
                for name, (entry, seconds) in kept.items()
            }
        )
    else:
        for name, (entry, seconds) in kept.items():
            cache.set(KEPT_PREFIX + name, entry, seconds)


def forget_kept(name):
    """Drop the entry kept under `name`: the next kept_entry works it out again (in
    this request too, which then keeps that one)."""
    if (reads := _request_reads.get()) is not None:
        reads.to_keep.pop(name, None)
    cache.delete(KEPT_PREFIX + name)


def hard_purged_since(keys, started):
    """Whether something one of `keys` shows was removed (a hard purge) since `started`:
    a response rendered from then may show what must be gone."""
    return purged_since(keys, started, prefix=HARD_PURGED_PREFIX)


def remembered(name, *, compute, keys_of, seconds):
    """`compute()`'s value, kept in the cache under `name` for `seconds` at most and
    forgotten as soon as one of `keys_of(value)` is purged: for a small read that every
    page makes (the breaking-news banner, Most read), so it costs no query per page. A
    value whose keys_of is None is not kept (a story not found: nothing would purge it
    when one is published there)."""
    entry = kept_entry(name)
    if entry is not None:
        return entry.value
    started = time.time()
    value = compute()
    started -= replica_staleness()  # the rows' age, when read from a replica
    if (keys := keys_of(value)) is not None:
        keep_entry(name, value, keys, started, seconds)
    return value
