"""Real servers for the tests that need one of their own: free ports, waiting, Redis,
PostgreSQL, gunicorn; and reading the forms on the pages they serve."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest

STARTUP_SECONDS = 30
REPO_ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"


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


def manage(env, *command):
    """`manage.py command` with `env`, as a deployment runs it; its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"manage.py {command[0]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def start_gunicorn(env, port, log, *, workers=1):
    """gunicorn with the shipped gunicorn.conf.py (its sync workers) serving the app
    on `port` with `env`, its output appended to `log`; the caller stops it with
    stop_gunicorn() and waits for it to answer."""
    if not GUNICORN.exists():
        pytest.fail(f"This test needs gunicorn ({GUNICORN}; make install)")
    with log.open("ab") as output:
        return subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "newsroom.wsgi", "--workers", str(workers)],
            cwd=REPO_ROOT,
            env={**env, "PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_gunicorn(process):
    """gunicorn's quick shutdown (SIGINT); its whole process group killed after 10 s."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(port, workdir, *options):
    """A throwaway redis-server on `port` that keeps nothing on disk (`options`: more
    of its command-line settings); the caller stops it."""
    if not shutil.which("redis-server"):
        pytest.fail("This test needs redis-server (Debian: apt-get install redis-server)")
    redis = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(workdir), *options),
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_until(lambda: redis_answers(port), "redis-server")
    return redis


def postgres_bindir():
    """Where initdb and pg_ctl are: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    if initdb := shutil.which("initdb"):
        # Resolved: a link on PATH may stand for initdb alone, not its siblings.
        return Path(initdb).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        pytest.fail("This test needs PostgreSQL's server (Debian: apt-get install postgresql)")
    return versions[-1].parent


def signal_postgres(data, number):
    """Send a signal to a whole PostgreSQL server (its data directory `data`): the
    postmaster, then each of its processes, which lead process groups of their own.
    SIGSTOP freezes it as a paused VM would: the kernel still accepts connections and
    data, and nothing answers; SIGCONT thaws it."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, number)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == postmaster:  # its parent
            os.kill(int(stat.parent.name), number)


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

    def create_standby(self, primary):
        """A streaming replica of `primary` (another PrivatePostgres), started: a base
        backup with the settings to follow the primary (pg_basebackup -R)."""
        self.run(
            *self.as_user, str(self.bindir / "pg_basebackup"), "-h", "127.0.0.1",
            "-p", str(primary.port), "-U", "postgres", "-D", str(self.data),
            "-X", "stream", "-R", "-c", "fast", "--no-sync",
        )  # fmt: skip
        self.start()

    def start(self):
        self.run(*self.pg_ctl, "start")
        self.running = True

    def stop(self):
        """A fast shutdown: clients are disconnected at once, as in an outage."""
        self.run(*self.pg_ctl, "-m", "fast", "stop")
        self.running = False

    def send_signal(self, number):
        signal_postgres(self.data, number)

    def remove(self):
        if self.running:
            self.send_signal(signal.SIGCONT)
            subprocess.run([*self.pg_ctl, "-m", "immediate", "stop"], capture_output=True)
            self.running = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, *command):
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode:
            log = self.dir / "postgres.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            pytest.fail(f"{Path(command[len(self.as_user)]).name} failed:\n{result.stderr}{tail}")


class MailServer:
    """A mail server of our own on a free port, in threads: it speaks just enough SMTP
    for smtplib and keeps each message, or, while `silent`, accepts connections and
    never says a word (a server that hangs, as one was found to in production)."""

    def __init__(self, *, silent=False):
        self.silent = silent
        self.messages = []
        self.connections = 0  # accepted so far, answered or not
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:  # closed
                return
            self.connections += 1
            serve = self.hold if self.silent else self.answer
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    def hold(self, connection):
        """Say nothing until the client gives up and hangs up."""
        with connection:
            while connection.recv(1024):
                pass

    def answer(self, connection):
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 newsroom-test ESMTP\r\n")
            for line in lines:
                verb = line[:4].upper()
                if verb == b"DATA":
                    connection.sendall(b"354 go ahead\r\n")
                    message = b"".join(iter(lines.readline, b".\r\n"))
                    self.messages.append(message.decode("utf-8", "replace"))
                    connection.sendall(b"250 kept\r\n")
                elif verb == b"QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                else:
                    connection.sendall(b"250 ok\r\n")

    def close(self):
        self.listener.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def comment_form_fields(html):
    """The signed hidden fields of the comment form on an article page."""
    start = html.index('action="/comments/post/"')
    form = html[start : html.index("</form>", start)]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
