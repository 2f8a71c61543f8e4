"""The Redis cache backend fails fast: against a real Redis that is up, frozen, or gone.

Each test starts a redis-server of its own on a free port; a missing redis-server fails
the test, it never skips.
"""

import signal
import threading
import time
from unittest import mock

import pytest
from django_redis.cache import RedisCache
from django_redis.client import DefaultClient

from newsroom import cache as cache_module
from newsroom.cache import CircuitBreakerRedisCache, MarkedEntriesClient
from tests.newsroom.test_production import run_django
from tests.servers import free_port, redis_answers, start_redis, wait_until

OPEN_SECONDS = 0.5


@pytest.fixture(autouse=True)
def fresh_breakers(monkeypatch):
    """Each test's breakers start closed, whatever port an earlier test used."""
    monkeypatch.setattr(cache_module, "_breakers", {})


@pytest.fixture
def redis(tmp_path):
    port = free_port()
    server = start_redis(port, tmp_path)
    server.port = port
    yield server
    server.send_signal(signal.SIGCONT)
    server.terminate()
    server.wait(10)


def make_cache(port):
    return CircuitBreakerRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
                "CIRCUIT_OPEN_SECONDS": OPEN_SECONDS,
            }
        },
    )


def wait_for_the_circuit_to_close(cache):
    wait_until(lambda: not cache.breaker.is_open, "the closed circuit", OPEN_SECONDS * 4)


def test_a_healthy_redis_is_used_normally(redis):
    cache = make_cache(redis.port)
    assert cache.add("k", "first", 60)
    assert not cache.add("k", "second", 60)
    assert cache.get("k") == "first"
    cache.delete("k")
    assert cache.get("k") is None
    assert not cache.breaker.is_open


def spy(method, client_class=DefaultClient):
    return mock.patch.object(
        client_class, method, autospec=True, side_effect=getattr(client_class, method)
    )


def test_a_frozen_redis_is_asked_once_then_left_alone(redis):
    cache = make_cache(redis.port)
    cache.set("page", "cached page", 60)
    redis.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing
    with spy("get") as get, spy("add") as add, spy("set") as set_:
        answers = [cache.get("page") for _ in range(20)]
        # Writes are skipped as well, and say so the way django-redis does for a failure.
        assert cache.add("lock", True, 60) is None
        assert cache.set("other", "value", 60) is None
    # Every call answers a miss; only the first one waited for Redis.
    assert answers == [None] * 20
    assert get.call_count == 1
    assert add.call_count == set_.call_count == 0
    assert cache.breaker.is_open

    redis.send_signal(signal.SIGCONT)
    wait_for_the_circuit_to_close(cache)
    assert cache.get("page") == "cached page"
    assert not cache.breaker.is_open


def test_entries_come_back_with_the_values_of_the_keys_they_name(redis):
    cache = make_cache(redis.port)
    cache.set_many({"purged:a": 1.5, 'purged:ç"😀': 3, "purged:c": 7}, 60)
    assert cache.set_many_with_markers(
        {
            "entry": ({"html": "<p>"}, ["purged:a", "purged:b", 'purged:ç"😀'], 60),
            "bare": ("<li>", [], 60),
            "other": (["<ul>"], ["purged:c"], 60),
        }
    )
    cache.set("plain", "not kept with markers", 60)

    assert cache.get_many_with_markers(["entry", "missing", "bare", "plain", "other"]) == {
        "entry": ({"html": "<p>"}, [1.5, 3]),
        "bare": ("<li>", []),
        "other": (["<ul>"], [7]),
    }
    assert cache.get_many_with_markers(["missing"]) == {}
    assert cache.get_many_with_markers([]) == {}


def test_an_entry_with_markers_is_read_after_redis_forgot_the_script(redis):
    cache = make_cache(redis.port)
    cache.set_many_with_markers({"entry": ("kept", [], 60)})
    assert cache.get_many_with_markers(["entry"]) == {"entry": ("kept", [])}

    cache.client.get_client().script_flush()  # as a restarted Redis has

    assert cache.get_many_with_markers(["entry"]) == {"entry": ("kept", [])}


def test_a_frozen_redis_answers_entries_with_markers_as_a_miss_once_then_at_once(redis):
    cache = make_cache(redis.port)
    cache.set_many_with_markers({"entry": ("kept", ["purged:a"], 60)})
    redis.send_signal(signal.SIGSTOP)
    with spy("get_many_with_markers", MarkedEntriesClient) as read:
        begun = time.monotonic()
        answers = [cache.get_many_with_markers(["entry"]) for _ in range(20)]
        took = time.monotonic() - begun
        assert cache.set_many_with_markers({"other": ("value", [], 60)}) is None
    assert answers == [{}] * 20
    assert read.call_count == 1
    assert took < 1  # one socket timeout (0.2 s), not twenty
    assert cache.breaker.is_open

    redis.send_signal(signal.SIGCONT)
    wait_for_the_circuit_to_close(cache)
    assert cache.get_many_with_markers(["entry"]) == {"entry": ("kept", [])}


def test_every_thread_of_the_process_shares_the_breaker(redis):
    # Django gives each thread a cache backend of its own.
    redis.send_signal(signal.SIGSTOP)
    first = make_cache(redis.port)
    thread = threading.Thread(target=first.get, args=["page"])
    thread.start()
    thread.join()
    other = make_cache(redis.port)
    with spy("get") as get:
        assert other.get("page") is None
    assert get.call_count == 0


def test_redis_refusing_one_command_does_not_open_the_circuit(redis):
    cache = make_cache(redis.port)
    cache.client.get_client().rpush(cache.make_key("queue"), "item")
    # GET on a list: Redis answers WRONGTYPE; django-redis reports a miss.
    assert cache.get("queue") is None
    assert not cache.breaker.is_open


def test_what_is_not_a_cache_command_passes_through_an_open_circuit(redis):
    cache = make_cache(redis.port)
    redis.send_signal(signal.SIGSTOP)
    cache.get("page")
    assert cache.breaker.is_open
    lock = cache.lock("nightly-job", timeout=5)
    assert type(lock).__name__ == "Lock"
    assert cache.client.get_client() is not None


def test_a_stopped_redis_opens_the_circuit_and_a_restarted_one_closes_it(redis, tmp_path):
    cache = make_cache(redis.port)
    redis.terminate()
    redis.wait(10)
    assert cache.get("page") is None
    assert cache.breaker.is_open

    restarted = start_redis(redis.port, tmp_path)
    try:
        wait_until(lambda: redis_answers(redis.port), "the restarted redis-server")
        wait_for_the_circuit_to_close(cache)
        assert cache.add("lock", True, 60) is True
        assert cache.get("lock") is True
    finally:
        restarted.terminate()
        restarted.wait(10)


def test_the_breaker_logs_once_per_opening(redis, caplog):
    cache = make_cache(redis.port)
    redis.send_signal(signal.SIGSTOP)
    with caplog.at_level("WARNING", logger="newsroom.cache"):
        for _ in range(5):
            cache.get("page")
    assert len(caplog.records) == 1
    assert "carrying on without the cache" in caplog.records[0].getMessage()


def test_production_uses_the_breaker():
    code = "from django.core.cache import caches; print(type(caches['default']).__name__)"
    env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "news.example.com",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    assert run_django(code, **env) == "CircuitBreakerRedisCache"


@pytest.mark.parametrize("compressor", [None, "django_redis.compressors.zlib.ZlibCompressor"])
def test_values_decode_as_django_redis_decodes_them(redis, compressor):
    """MarkedEntriesClient.decode skips django-redis's int() for a pickle, and nothing else."""
    options = {"COMPRESSOR": compressor} if compressor else {}
    ours = CircuitBreakerRedisCache(f"redis://127.0.0.1:{redis.port}/0", {"OPTIONS": options})
    theirs = RedisCache(
        f"redis://127.0.0.1:{redis.port}/0",
        {"OPTIONS": {**options, "CLIENT_CLASS": "django_redis.client.DefaultClient"}},
    )
    values = [7, -3, 1.5, time.time(), "text", b"\x80raw", True, None, {"html": "<p>" * 300}]
    for value in values:
        encoded = theirs.client.encode(value)  # an int as it is: Redis returns its digits
        encoded = encoded if isinstance(encoded, bytes) else str(encoded).encode()
        assert ours.client.decode(encoded) == theirs.client.decode(encoded) == value
    ours.set("kept", values, 60)
    assert theirs.get("kept") == ours.get("kept") == values
