"""Redis that fails fast: django-redis with a per-process circuit breaker.

django-redis with IGNORE_EXCEPTIONS already carries on without Redis when a call fails,
but each call still waits for its socket timeout first. A page makes several cache
calls (the page-cache generation, the page, the ads), so a Redis that hangs would make
every page wait several timeouts. Here the first failure opens the circuit: for
CIRCUIT_OPEN_SECONDS this process does not call Redis at all and answers as django-redis
does for a failed call (a miss), then one call tries Redis again.
"""

import logging
import threading
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError

logger = logging.getLogger(__name__)


class CircuitOpen(RedisConnectionError):
    """Redis failed a moment ago; this process is not calling it for now."""


class CircuitBreaker:
    def __init__(self, open_seconds):
        self.open_seconds = open_seconds
        self.open_until = 0.0
        self.lock = threading.Lock()

    @property
    def is_open(self):
        return time.monotonic() < self.open_until

    def trip(self, error):
        with self.lock:
            was_closed = not self.is_open
            self.open_until = time.monotonic() + self.open_seconds
        if was_closed:
            logger.warning(
                "Redis failed (%s); carrying on without the cache for %s s",
                error,
                self.open_seconds,
            )

    def close(self):
        self.open_until = 0.0


class GuardedClient:
    """Stands in for the django-redis client: every call goes through the breaker."""

    def __init__(self, client, breaker):
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def guarded(*args, **kwargs):
            if self._breaker.is_open:
                raise ConnectionInterrupted(connection=None) from CircuitOpen("circuit open")
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
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
        self.breaker = CircuitBreaker(options.get("CIRCUIT_OPEN_SECONDS", 5))

    @property
    def client(self):
        return GuardedClient(super().client, self.breaker)
