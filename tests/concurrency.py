"""Running writes from several threads at once, on either test database."""

import itertools
import random
import time

from django.db import OperationalError, connection


def retry_while_sqlite_is_locked(call, seconds=30):
    """`call()`, repeated while SQLite says a table is locked.

    SQLite's in-memory test database (shared cache) answers a conflicting write with
    "database table is locked" at once, where a database file would wait for the lock
    (Django's 5 s busy timeout). A failed call has written nothing, so retrying it is
    that wait; PostgreSQL never needs it, as there writers wait for each other's locks.
    The pause grows with each attempt, so threads that keep locking each other out (one
    holding a lock on one table, another on the next) drift apart instead.
    """
    deadline = time.monotonic() + seconds
    for attempt in itertools.count():
        try:
            return call()
        except OperationalError as error:
            if (
                connection.vendor != "sqlite"
                or "locked" not in str(error)
                or time.monotonic() > deadline
            ):
                raise
            time.sleep(random.uniform(0, min(0.5, 0.005 * 2**attempt)))
