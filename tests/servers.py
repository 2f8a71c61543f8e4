"""Real servers for the tests that need one of their own: free ports, waiting, Redis."""

import shutil
import socket
import subprocess
import time

import pytest

STARTUP_SECONDS = 30


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, what, seconds=STARTUP_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not come up within {seconds} s")


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(port, workdir):
    """A throwaway redis-server on `port` that keeps nothing on disk; the caller stops it."""
    if not shutil.which("redis-server"):
        pytest.fail("This test needs redis-server (Debian: apt-get install redis-server)")
    redis = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(workdir)),
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_until(lambda: redis_answers(port), "redis-server")
    return redis
