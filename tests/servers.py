"""Real servers for the tests that need one of their own: free ports, waiting, Redis,
PostgreSQL; and reading the forms on the pages they serve."""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
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


def stop(process):
    """Stop a server the test started: politely, then by force after 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def answers(port):
    """Whether something listens on this loopback port."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


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


def postgres_bindir():
    """Where initdb and pg_ctl are: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        pytest.fail("This test needs PostgreSQL's server (Debian: apt-get install postgresql)")
    return versions[-1].parent


class PrivatePostgres:
    """A throwaway PostgreSQL server of the test's own (initdb in a temporary folder, on
    a free port), so a test can stop and start it without disturbing anyone else's
    databases. As root it runs as the postgres user, as PostgreSQL refuses root."""

    def __init__(self):
        self.bindir = postgres_bindir()
        self.port = free_port()
        # Not under pytest's temporary folders: as root, those are closed to postgres.
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-test-pg-"))
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/newsroom"
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self.pg_ctl = [
            *self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data),
            "-l", str(self.dir / "postgres.log"), "-o", options, "-w", "-t", "60",
        ]  # fmt: skip
        self.running = False

    def create(self):
        """initdb, start, and an empty database "newsroom"."""
        self.run(
            *self.as_user, str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        self.start()
        maintenance = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute("CREATE DATABASE newsroom")

    def start(self):
        self.run(*self.pg_ctl, "start")
        self.running = True

    def stop(self):
        """A fast shutdown: clients are disconnected at once, as in an outage."""
        self.run(*self.pg_ctl, "-m", "fast", "stop")
        self.running = False

    def remove(self):
        if self.running:
            subprocess.run([*self.pg_ctl, "-m", "immediate", "stop"], capture_output=True)
            self.running = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, *command):
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode:
            log = self.dir / "postgres.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            pytest.fail(f"{Path(command[len(self.as_user)]).name} failed:\n{result.stderr}{tail}")


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def comment_form_fields(html):
    """The signed hidden fields of the comment form on an article page."""
    start = html.index('action="/comments/post/"')
    form = html[start : html.index("</form>", start)]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
