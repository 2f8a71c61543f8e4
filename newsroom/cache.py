"""Redis that fails fast: django-redis with a per-process circuit breaker.

django-redis with IGNORE_EXCEPTIONS already carries on without Redis when a call fails,
but each call still waits for its socket timeout first. A page makes several cache
calls (the page-cache generation, the page, the ads), so a Redis that hangs would make
every page wait several timeouts. Here the first connection failure or timeout opens the
circuit: for CIRCUIT_OPEN_SECONDS no thread of this process calls Redis for the cache
commands, which answer as django-redis does for a failed call (a miss); then one call
tries Redis again.
"""

import logging
import threading
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Django's cache API, which the backend passes to its client one for one. Anything else
# (get_client, lock, iter_keys, close) goes through untouched, failing as it would.
GUARDED_COMMANDS = frozenset(
    {
        "add", "get", "set", "touch", "delete", "get_many", "set_many", "delete_many",
        "has_key", "incr", "decr", "incr_version", "clear", "ttl", "expire", "persist",
    }
)  # fmt: skip


class CircuitOpen(RedisConnectionError):
    """Redis failed a moment ago; this process is not calling it for now."""


class CircuitBreaker:
    """Open for `open_seconds` after a failure; shared by every thread of a process.
    `meanwhile` says in the log what the process does without the server."""

    def __init__(self, open_seconds, name="Redis", meanwhile="carrying on without the cache"):
        self.open_seconds = open_seconds
        self.name = name
        self.meanwhile = meanwhile
        self.open_until = 0.0
        self.lock = threading.Lock()

    @property
    def is_open(self):
        return time.monotonic() < self.open_until

    def lets_through(self):
        """Whether a call may go to the server: not while open; once the time is up, one
        caller tries it while the others go on failing fast until that one closes or
        trips the breaker, so a server still hanging holds up one thread, not all."""
        if not self.open_until:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.open_until:
                return False
            self.open_until = now + self.open_seconds
            return True

    def close(self):
        """The server answered."""
        self.open_until = 0.0

    def trip(self, error):
        with self.lock:
            was_closed = not self.is_open
            self.open_until = time.monotonic() + self.open_seconds
        if was_closed:
            logger.warning(
                "%s failed (%s); %s for %s s", self.name, error, self.meanwhile, self.open_seconds
            )


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(server, open_seconds, **naming):
    """The process's breaker for one server. Django makes a cache backend and a database
    connection per thread, so the breaker cannot live on either."""
    with _breakers_lock:
        return _breakers.setdefault(server, CircuitBreaker(open_seconds, **naming))


class GuardedClient:
    """Stands in for the django-redis client: the cache commands go through the breaker."""

    def __init__(self, client, breaker):
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if name not in GUARDED_COMMANDS:
            return attribute

        def guarded(*args, **kwargs):
            if self._breaker.is_open:
                raise ConnectionInterrupted(connection=None) from CircuitOpen("circuit open")
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                # Redis unreachable or silent, not Redis refusing one command
                # (ResponseError: out of memory, read-only replica...).
                if isinstance(error.__cause__, (RedisConnectionError, RedisTimeoutError)):
                    self._breaker.trip(error)
                raise

        return guarded


class CircuitBreakerRedisCache(RedisCache):
    """``django_redis.cache.RedisCache`` that skips Redis for a while after a failure.

    OPTIONS takes CIRCUIT_OPEN_SECONDS (default 5) besides django-redis's own.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        options = params.get("OPTIONS", {})
        self.breaker = breaker_for(server, options.get("CIRCUIT_OPEN_SECONDS", 5))

    @property
    def client(self):
        return GuardedClient(super().client, self.breaker)
