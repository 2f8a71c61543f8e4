"""The default cache on the real Redis at 127.0.0.1:6379, for the tests of what is kept
there: in a database and under a key prefix of each test's own, emptied afterwards."""

import uuid
from unittest import mock

import pytest
import redis.client
from django.core.cache import cache
from django.test import override_settings

from newsroom import cache as cache_module

REDIS_URL = "redis://127.0.0.1:6379/13"


def redis_cache_settings(location=REDIS_URL):
    return {
        "default": {
            "BACKEND": "newsroom.cache.CircuitBreakerRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-kept-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
                "CIRCUIT_OPEN_SECONDS": 5,
            },
        }
    }


@pytest.fixture
def on_redis(clear_cache, monkeypatch):
    """The default cache on the real Redis, under a prefix of this test's own. After
    clear_cache, so that its cache.clear() (a FLUSHDB on Redis) runs on the local cache."""
    monkeypatch.setattr(cache_module, "_breakers", {})
    with override_settings(CACHES=redis_cache_settings()):
        yield cache
        cache.delete_pattern("*")  # this prefix's keys only


@pytest.fixture(params=["locmem", "redis"])
def backend(request):
    """Each test of what is served runs on both: the same behaviour either way."""
    if request.param == "redis":
        request.getfixturevalue("on_redis")
    return request.param


def redis_commands():
    """The commands sent to Redis meanwhile, by name."""
    return mock.patch.object(
        redis.client.Redis,
        "execute_command",
        autospec=True,
        side_effect=redis.client.Redis.execute_command,
    )


def sent(spy):
    return [call.args[1] for call in spy.call_args_list]
