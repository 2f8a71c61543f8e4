"""Redis that fails fast: django-redis with a per-process circuit breaker.

django-redis with IGNORE_EXCEPTIONS already carries on without Redis when a call fails,
but each call still waits for its socket timeout first. A page makes several cache
calls (the page-cache generation, the page, the ads), so a Redis that hangs would make
every page wait several timeouts. Here the first connection failure or timeout opens the
circuit: for CIRCUIT_OPEN_SECONDS no thread of this process calls Redis for the cache
commands, which answer as django-redis does for a failed call (a miss); then one call
tries Redis again.

It also reads entries and the values of the keys each entry names (the markers of the
surrogate keys it shows, newsroom.cachekeys.kept_entries) in one round trip, by a Lua
script, where django-redis would take a GET and then an MGET for each.
"""

import json
import logging
import socket
import threading
import time

from django_redis.cache import RedisCache, omit_exception
from django_redis.client import DefaultClient
from django_redis.exceptions import CompressorError, ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Django's cache API, which the backend passes to its client one for one. Anything else
# (get_client, lock, iter_keys, close) goes through untouched, failing as it would.
GUARDED_COMMANDS = frozenset(
    {
        "add", "get", "set", "touch", "delete", "get_many", "set_many", "delete_many",
        "has_key", "incr", "decr", "incr_version", "clear", "ttl", "expire", "persist",
        "get_many_with_markers", "set_many_with_markers", "get_planned_entries", "set_plan",
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


# An entry kept by set_many_with_markers is a line of the full Redis names of its markers, as
# a JSON list, then the entry as django-redis serializes it. For each key asked, the
# scripts answer how many values follow, then the whole entry and the values of those
# markers that are set (most are not: fewer to parse); 0 and nothing for no entry (or one
# not kept by set_many_with_markers). The names are read from the entries, so not declared in
# KEYS: fine on one Redis and its replicas, not on Redis Cluster.
ENTRIES_WITH_MARKERS_LUA = """
local function entries_with_markers(keys, reply)
    for _, key in ipairs(keys) do
        local entry = redis.call('GET', key)
        local newline = entry and string.find(entry, '\\n', 1, true)
        if newline and string.sub(entry, 1, 1) == '[' then
            local count = #reply + 1
            reply[count] = 1
            reply[#reply + 1] = entry
            local names = cjson.decode(string.sub(entry, 1, newline - 1))
            for first = 1, #names, 1000 do
                local last = math.min(first + 999, #names)
                local values = redis.call('MGET', unpack(names, first, last))
                for _, value in ipairs(values) do
                    if value then reply[#reply + 1] = value end
                end
            end
            reply[count] = #reply - count
        else
            reply[#reply + 1] = 0
        end
    end
    return reply
end
"""
ENTRIES_WITH_MARKERS_SCRIPT = ENTRIES_WITH_MARKERS_LUA + "return entries_with_markers(KEYS, {})"
# A plan (set_plan) is a line of the full Redis names of the keys it lists, as a JSON
# list, then a line of those keys as the cache names them: the script answers the plan,
# then each listed key as above; nothing (a nil) without a plan.
PLANNED_ENTRIES_SCRIPT = (
    ENTRIES_WITH_MARKERS_LUA
    + """
local plan = redis.call('GET', KEYS[1])
if not plan then return {false} end
local newline = string.find(plan, '\\n', 1, true)
return entries_with_markers(cjson.decode(string.sub(plan, 1, newline - 1)), {plan})
"""
)


PICKLE_PROTO = b"\x80"  # the first byte of a pickle of protocol 2 or later (pickle.PROTO)

# What django-redis's client reports as ConnectionInterrupted (a miss, with
# IGNORE_EXCEPTIONS): Redis unreachable, silent, or refusing the command.
REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, ResponseError, socket.timeout)


class MarkedEntriesClient(DefaultClient):
    """django-redis's client, which also keeps entries with the names of their markers
    and reads one with its markers' values in one round trip."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scripts = {}  # redis-py's Script objects, by their text

    def decode(self, value):
        """A value as django-redis decodes it, without its int() first for a pickle: a
        value that starts with pickle's PROTO opcode is never an int, and the exception
        int() raised cost more than unpickling the value. A page reads a hundred of them
        (its kept parts and their purges' times)."""
        if value[:1] != PICKLE_PROTO:
            return super().decode(value)
        try:  # noqa: SIM105 (a try costs nothing; suppress() makes a context manager)
            value = self._compressor.decompress(value)
        except CompressorError:
            pass  # as django-redis does: left as it was, not compressed
        return self._serializer.loads(value)

    def set_many_with_markers(self, entries):
        """Keep each `value` of {key: (value, markers, timeout)} under its key for
        `timeout` seconds (more than none), with the names of the cache keys `markers`
        (in the default version, as cache.set_many writes them) for
        get_many_with_markers to read, in one round trip."""
        client = self.get_client(write=True)
        pipeline = client.pipeline(transaction=False)
        for key, (value, markers, timeout) in entries.items():
            names = json.dumps([self.make_key(marker) for marker in markers], ensure_ascii=False)
            entry = names.encode() + b"\n" + self.encode(value, allow_int=False)
            pipeline.set(self.make_key(key), entry, px=int(timeout * 1000))
        try:
            return all(pipeline.execute())
        except REDIS_ERRORS as error:
            raise ConnectionInterrupted(connection=client) from error

    def get_many_with_markers(self, keys, version=None):
        """For each of `keys` kept by set_many_with_markers, its value and the values of its
        markers that are set, by key; the others are left out."""
        names = [self.make_key(key, version=version) for key in keys]
        reply = self._run_script(ENTRIES_WITH_MARKERS_SCRIPT, names) if names else []
        return self._entries_with_markers(keys, reply)

    def set_plan(self, plan, keys, timeout):
        """Keep the list of cache keys `keys` under `plan` for get_planned_entries."""
        names = json.dumps([self.make_key(key) for key in keys], ensure_ascii=False)
        value = f"{names}\n{json.dumps(list(keys), ensure_ascii=False)}"
        client = self.get_client(write=True)
        try:
            return bool(client.set(self.make_key(plan), value, px=int(timeout * 1000)))
        except REDIS_ERRORS as error:
            raise ConnectionInterrupted(connection=client) from error

    def get_planned_entries(self, plan):
        """(the keys listed under `plan` by set_plan, get_many_with_markers of them), in
        one round trip; (None, {}) without a plan."""
        reply = self._run_script(PLANNED_ENTRIES_SCRIPT, [self.make_key(plan)])
        if reply[0] is None:
            return None, {}
        keys = json.loads(reply[0].partition(b"\n")[2])
        return keys, self._entries_with_markers(keys, reply[1:])

    def _run_script(self, script, keys):
        client = self.get_client(write=False)
        if script not in self.scripts:
            self.scripts[script] = client.register_script(script)
        try:
            return self.scripts[script](keys=keys, client=client)
        except REDIS_ERRORS as error:
            raise ConnectionInterrupted(connection=client) from error

    def _entries_with_markers(self, keys, reply):
        found, at = {}, 0
        for key in keys:
            count = reply[at]
            if count:
                _names, _newline, value = reply[at + 1].partition(b"\n")
                markers = reply[at + 2 : at + 1 + count]
                found[key] = (self.decode(value), [self.decode(marker) for marker in markers])
            at += 1 + count
        return found


class CircuitBreakerRedisCache(RedisCache):
    """``django_redis.cache.RedisCache`` that skips Redis for a while after a failure,
    with ``get_many_with_markers`` and ``set_many_with_markers`` (MarkedEntriesClient).

    OPTIONS takes CIRCUIT_OPEN_SECONDS (default 5) besides django-redis's own; its
    CLIENT_CLASS defaults to MarkedEntriesClient.
    """

    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        client_class = f"{__name__}.{MarkedEntriesClient.__name__}"
        params = {**params, "OPTIONS": {"CLIENT_CLASS": client_class, **options}}
        super().__init__(server, params)
        self.breaker = breaker_for(server, options.get("CIRCUIT_OPEN_SECONDS", 5))

    @property
    def client(self):
        return GuardedClient(super().client, self.breaker)

    @omit_exception(return_value={})
    def get_many_with_markers(self, keys, version=None):
        """{key: (value, [each marker's value])} of the entries kept by set_many_with_markers
        under `keys`, in one round trip; a key without one is left out, and all of them
        when Redis fails (as for get_many)."""
        return self.client.get_many_with_markers(keys, version=version)

    @omit_exception
    def set_many_with_markers(self, entries):
        """Keep each value of {key: (value, markers, timeout)} with the names of the
        cache keys `markers`, in one round trip."""
        return self.client.set_many_with_markers(entries)

    @omit_exception(return_value=(None, {}))
    def get_planned_entries(self, plan):
        """(the keys kept under `plan` by set_plan, {key: (value, [each marker's
        value])} of those kept by set_many_with_markers), in one round trip."""
        return self.client.get_planned_entries(plan)

    @omit_exception
    def set_plan(self, plan, keys, timeout):
        """Keep the list of cache keys `keys` under `plan`, for `timeout` seconds."""
        return self.client.set_plan(plan, keys, timeout)
