"""Reads on streaming replicas: the public's page views read from a replica, and
everything that must see the latest rows reads from the primary.

A request may read from a replica only when ReplicaReadsMiddleware says so: a GET or
HEAD, outside the admin, from a client without a session (no editor, no moderator) and
without the cookie a client gets after its own write (READ_YOUR_WRITES_COOKIE, kept as
long as a usable replica may still miss that write). Within such a request every read
goes to one replica, picked at random among the usable ones, until the request writes
or opens a transaction: from then on it reads from the primary. Outside requests
(commands, the task worker, the shell) everything reads from the primary.

A replica is usable when this process reached it and measured its lag at most
DATABASE_REPLICA_CHECK_SECONDS ago, and the lag was at most
DATABASE_REPLICA_MAX_LAG_SECONDS. The lag is the age of the last transaction replayed,
except when the replica has replayed all it received from a primary it is streaming
from: then it is 0, however long ago that transaction was (a primary with no new
transactions leaves an old replay timestamp on an up-to-date replica). A replica that
does not answer, or stopped streaming, is skipped and the primary read instead.
"""

import logging
import math
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model

logger = logging.getLogger(__name__)

READ_YOUR_WRITES_COOKIE = "newsroom_primary"

LAG_SQL = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT FROM pg_stat_wal_receiver),
       pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float
"""


@dataclass
class ReadRouting:
    """Where one request's reads go."""

    replica_allowed: bool
    wrote: bool = False
    alias: str | None = None  # the replica picked by its first read (or the primary)

    @property
    def used_replica(self) -> bool:
        return self.alias not in (None, DEFAULT_DB_ALIAS)


_routing: ContextVar[ReadRouting | None] = ContextVar("newsroom_read_routing", default=None)


@contextmanager
def read_routing(*, replica_allowed: bool) -> Iterator[ReadRouting]:
    """Route the reads made inside to a replica when `replica_allowed`."""
    routing = ReadRouting(replica_allowed=replica_allowed)
    token = _routing.set(routing)
    try:
        yield routing
    finally:
        _routing.reset(token)


def replica_staleness() -> float:
    """How much older than now the rows read so far may be: 0 from the primary, and
    the most a usable replica may lag once one was read."""
    routing = _routing.get()
    if routing is None or not routing.used_replica:
        return 0.0
    return float(
        settings.DATABASE_REPLICA_MAX_LAG_SECONDS + settings.DATABASE_REPLICA_CHECK_SECONDS
    )


@dataclass(frozen=True)
class ReplicaCheck:
    checked_at: float  # time.monotonic()
    lag: float  # seconds; math.inf when unknown (down, not streaming)


_checks: dict[str, ReplicaCheck] = {}


def measure_lag(alias: str) -> float:
    """Seconds `alias` lags behind its primary, math.inf when it cannot tell."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, streaming, caught_up, replay_age = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Database replica %s did not answer: %s", alias, error)
        return math.inf
    if not in_recovery:
        return 0.0  # promoted, or the primary itself
    if not streaming:
        return math.inf  # it only knows what it received before it lost the primary
    if caught_up:
        return 0.0
    return math.inf if replay_age is None else max(replay_age, 0.0)


def replica_usable(alias: str) -> bool:
    """Whether `alias` answers and lags little enough, measured at most
    DATABASE_REPLICA_CHECK_SECONDS ago by this process."""
    now = time.monotonic()
    check = _checks.get(alias)
    if check is None or now - check.checked_at >= settings.DATABASE_REPLICA_CHECK_SECONDS:
        check = ReplicaCheck(now, measure_lag(alias))
        max_lag = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        if check.lag > max_lag and (alias not in _checks or _checks[alias].lag <= max_lag):
            logger.warning(
                "Database replica %s lags %.1f s (more than %s s): reading the primary",
                alias,
                check.lag,
                max_lag,
            )
        _checks[alias] = check
    if check.lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return False
    connection = connections[alias]
    try:
        # This thread's connection may have broken since (a replica stopped): Django's
        # health check, which the first query would make, is made here, so a replica
        # that then refuses to connect is skipped rather than answering with an error.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        logger.warning("Database replica %s did not answer: %s", alias, error)
        _checks[alias] = ReplicaCheck(now, math.inf)
        return False
    return True


def pick_replica() -> str:
    """A usable replica, at random, or the primary when none is."""
    aliases = list(settings.DATABASE_REPLICAS)
    random.shuffle(aliases)
    return next((alias for alias in aliases if replica_usable(alias)), DEFAULT_DB_ALIAS)


class ReplicaRouter:
    """Writes and migrations on the primary; reads as the module says."""

    def db_for_read(self, model: type[Model], **hints: object) -> str:
        routing = _routing.get()
        if (
            routing is None
            or not routing.replica_allowed
            or routing.wrote
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        if routing.alias is None:
            routing.alias = pick_replica()
        return routing.alias

    def db_for_write(self, model: type[Model], **hints: object) -> str:
        if routing := _routing.get():
            routing.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool:
        return True  # one database, copied

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: object
    ) -> bool:
        return db == DEFAULT_DB_ALIAS
