"""psycopg's connection pool under newsroom/postgres: the settings that turn it on, and
the deadline and circuit breaker on the connections it hands out, against a PostgreSQL
of the test's own that the test freezes (SIGSTOP). These tests always run on
PostgreSQL, whichever database the rest of the run uses; they never skip."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import OperationalError, connections

from newsroom.postgres.base import DeadlineConnection
from tests.servers import REPO_ROOT, PrivatePostgres

ANSWER_TIMEOUT = 1  # seconds

SHOW_DATABASES = """
import json
from django.conf import settings
print(json.dumps({
    "databases": settings.DATABASES,
    "routers": settings.DATABASE_ROUTERS,
}, default=str))
"""


def configured(**environment):
    """The settings the production settings make of `environment`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"))
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{SHOW_DATABASES}"],
        cwd=REPO_ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "news.example.test",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_without_pool_or_replicas_the_database_settings_are_unchanged():
    settings = configured(DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom")
    assert list(settings["databases"]) == ["default"]
    assert settings["databases"]["default"]["CONN_MAX_AGE"] == 60
    assert "pool" not in settings["databases"]["default"]["OPTIONS"]
    assert settings["routers"] == []


def test_the_pool_replaces_persistent_connections():
    settings = configured(
        DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom",
        DATABASE_POOL_MIN_SIZE="2",
        DATABASE_POOL_MAX_SIZE="4",
    )
    default = settings["databases"]["default"]
    assert default["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent ones
    assert default["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 3}


@pytest.fixture(scope="module")
def postgres():
    server = PrivatePostgres()
    try:
        server.create()
        yield server
    finally:
        server.remove()


@pytest.fixture
def pooled(postgres, request, django_db_blocker):
    """A wrapper of newsroom/postgres with a pool, on the private server, as the
    settings make it; its own alias, so its breaker is its own."""
    alias = f"pooled_{request.node.name[-40:]}"
    database = {
        "ENGINE": "newsroom.postgres",
        "NAME": "newsroom",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": postgres.port,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "pool": {"min_size": 1, "max_size": 2, "timeout": 2},
            "connect_timeout": 2,
            "answer_timeout": ANSWER_TIMEOUT,
            "circuit_open_seconds": 60,
        },
    }
    # In the project's handler: django.contrib.postgres looks connections up there.
    connections.settings[alias] = connections.configure_settings({"default": database})["default"]
    wrapper = connections[alias]
    try:
        with django_db_blocker.unblock():
            yield wrapper
    finally:
        postgres.send_signal(signal.SIGCONT)
        wrapper.close()
        wrapper.close_pool()
        del connections[alias]
        del connections.settings[alias]


def test_pooled_connections_have_the_answer_deadline(pooled):
    with pooled.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    connection = pooled.connection
    assert type(connection) is DeadlineConnection
    assert connection.answer_timeout == ANSWER_TIMEOUT
    assert connection._pool is pooled.pool
    pooled.close()  # back to the pool, not closed
    assert not connection.closed
    assert pooled.pool.get_stats()["pool_available"] >= 1


def test_a_frozen_server_costs_a_pooled_connection_one_deadline_then_fails_fast(pooled, postgres):
    pooled.ensure_connection()
    postgres.send_signal(signal.SIGSTOP)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="did not answer within"), pooled.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert ANSWER_TIMEOUT <= time.monotonic() - started < ANSWER_TIMEOUT + 3
    pooled.close()

    # The circuit is open: the next request fails at once, without asking the pool.
    started = time.monotonic()
    with pytest.raises(OperationalError, match="did not answer a moment ago"):
        pooled.ensure_connection()
    assert time.monotonic() - started < 0.5


def test_a_pool_that_cannot_connect_opens_the_circuit_after_its_timeout(pooled, postgres):
    postgres.stop()
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="couldn't get a connection"):
            pooled.ensure_connection()
        assert 2 <= time.monotonic() - started < 5  # the pool's timeout
        started = time.monotonic()
        with pytest.raises(OperationalError, match="did not answer a moment ago"):
            pooled.ensure_connection()
        assert time.monotonic() - started < 0.5
    finally:
        postgres.start()


def test_the_sites_sessions_run_without_jit_or_parallel_workers_unless_told():
    """Short indexed reads: JIT compilation and parallel workers' start-up cost them
    more than they save (issue 10's measurements); each can be turned back on."""
    options = configured(DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom")["databases"][
        "default"
    ]["OPTIONS"]["options"]
    assert "-c jit=off" in options and "-c max_parallel_workers_per_gather=0" in options
    assert "-c statement_timeout=5000" in options
    options = configured(
        DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom",
        DATABASE_JIT="on",
        DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER="2",
    )["databases"]["default"]["OPTIONS"]["options"]
    assert "-c jit=on" in options and "-c max_parallel_workers_per_gather=2" in options


@pytest.mark.django_db
def test_a_session_on_postgresql_has_them_off():
    if connections["default"].vendor != "postgresql":
        pytest.skip("PostgreSQL's session settings")
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
