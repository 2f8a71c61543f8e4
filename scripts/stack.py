"""The servers a load script starts on this machine for itself, and takes down again:
a PostgreSQL of its own (initdb + pg_ctl on a free port), a Redis of its own, and
gunicorn with the production settings on a throwaway database with the demo newsroom.

Shared by scripts/soak.py and scripts/bench_newsday.py; run nothing here directly.
"""

import http.client
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import gunicorn.config
import psycopg
from psycopg import sql

GUNICORN_WORKER_CONNECTIONS = gunicorn.config.WorkerConnections.default  # 1000

# Every command run here is written out here (initdb, pg_ctl, redis-server, gunicorn,
# manage.py).
# ruff: noqa: S603

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO_ROOT))  # the tests' server helpers (tests/servers.py)
REQUEST_TIMEOUT = 15


def request(port, method, path, *, body=None, headers=None):
    """(status, headers, body) of one request on a fresh connection; status 0 if none came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(
            method, path, body=body, headers={"Connection": "close", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    except (OSError, http.client.HTTPException):
        return 0, {}, b""
    finally:
        connection.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {seconds} s")


def percentile(values, fraction):
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def clean_up_when_stopped():
    """Ctrl-C and SIGTERM raise KeyboardInterrupt, so a script's `finally` stops what it
    started and removes its temporary folders."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def stop_process(process, seconds=10):
    """Terminate a process this script started, killing it if it lingers."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def postgres_bindir():
    """Where initdb and pg_ctl are: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise SystemExit(
            "PostgreSQL's initdb not found (Debian: apt-get install postgresql); or give "
            "--postgres-url to soak an existing server."
        )
    return versions[-1].parent


class PrivatePostgres:
    """A PostgreSQL server of the soak's own, on a free port, so restarting it disturbs
    nobody else's databases; removed at the end."""

    def __init__(self):
        self.bindir = postgres_bindir()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="newsroom-soak-pg-"))
        # PostgreSQL refuses to run as root: as root, run it as the postgres user.
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"
        self.started = False
        self.maintenance_url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir}"
        self.pg_ctl = [
            *self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data),
            "-l", str(self.dir / "postgres.log"), "-o", options, "-w", "-t", "60",
        ]  # fmt: skip
        self.restart_command = [*self.pg_ctl, "-m", "fast", "restart"]

    def describe(self):
        output = subprocess.run(
            [str(self.bindir / "pg_ctl"), "--version"], capture_output=True, text=True, check=False
        ).stdout
        version = re.search(r"\d+(\.\d+)?", output)
        return (
            f"a private PostgreSQL {version.group() if version else ''} server "
            f"on 127.0.0.1:{self.port}"
        )

    def start(self):
        initdb = [
            *self.as_user, str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
        ]  # fmt: skip
        subprocess.run(initdb, check=True, capture_output=True)
        subprocess.run([*self.pg_ctl, "start"], check=True, capture_output=True)
        self.started = True

    def stop(self):
        if self.started:
            self.send_signal(signal.SIGCONT)  # in case it was left frozen
            subprocess.run([*self.pg_ctl, "-m", "fast", "stop"], check=False, capture_output=True)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def pause(self):
        """Stop the server (fast: sessions are cut) and keep its data, to start it again."""
        subprocess.run([*self.pg_ctl, "-m", "fast", "stop"], check=True, capture_output=True)

    def resume(self):
        subprocess.run([*self.pg_ctl, "start"], check=True, capture_output=True)

    def send_signal(self, number):
        """SIGSTOP freezes the whole server (connections accepted, nothing answered)."""
        from tests.servers import signal_postgres

        signal_postgres(self.data, number)


class AppStack:
    """A throwaway database on `postgres` (PrivatePostgres, or an existing server), a
    Redis of its own, and gunicorn with newsroom.settings.prod serving that database."""

    workers = 2
    # None: as gunicorn.conf.py makes them. threads 0: sync workers; N: gthread workers
    # taking worker_connections each (None: gunicorn's own default).
    threads = None
    worker_connections = None
    up_path = "/"  # what must answer 200 before gunicorn counts as up

    def __init__(self, postgres, *, database, port=0, prefix="newsroom-stack-"):
        self.postgres = postgres
        self.database = database
        self.secret_key = secrets.token_urlsafe(50)
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix))
        self.redis = None
        self.gunicorn = None
        self.worker = None
        self.worker_starts = 0
        self.worker_stopping = threading.Event()
        self.database_created = False
        server = urlsplit(self.postgres.maintenance_url)
        self.database_url = urlunsplit(server._replace(path=f"/{database}"))
        self.redis_port = free_port()
        self.port = port or free_port()
        self.gunicorn_log = self.tmp / "gunicorn.log"
        self.app_headers = {}

    def env(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "MEDIA_ROOT": str(self.tmp / "media"),
            "STATIC_ROOT": str(self.tmp / "static"),
            "TRUSTED_PROXIES": "127.0.0.1",
            # The benches sign the demo's superuser in with its password alone.
            "MFA_REQUIRED_ROLES": "",
            "PAGE_CACHE_SECONDS": "600",
            "EMAIL_URL": "consolemail://",
            "PYTHONUNBUFFERED": "1",
        }

    def python(self, *arguments):
        """Run Python with the app's environment; what it printed."""
        result = subprocess.run(
            [sys.executable, *arguments],
            cwd=REPO_ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"{' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def manage(self, *arguments):
        return self.python("manage.py", *arguments)

    def prepare_site(self):
        """PostgreSQL, Redis, the database migrated with the demo newsroom, static files."""
        self.postgres.start()
        self.start_redis()
        self.create_database()
        self.manage("migrate", "--no-input")
        self.manage("load_demo", f"--password={secrets.token_urlsafe(16)}")
        self.manage("collectstatic", "--no-input", "-v", "0")

    def create_database(self):
        with psycopg.connect(self.postgres.maintenance_url, autocommit=True) as connection:
            name = sql.Identifier(self.database)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
        self.database_created = True

    def start_redis(self):
        if not shutil.which("redis-server"):
            raise SystemExit("redis-server not found (Debian: apt-get install redis-server).")
        command = [
            "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(self.tmp),
        ]  # fmt: skip
        self.redis = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: redis_answers(self.redis_port), 10, "Redis")

    def stop_redis(self):
        if self.redis is not None and self.redis.poll() is None:
            self.redis.send_signal(signal.SIGCONT)
            stop_process(self.redis)
        self.redis = None

    def gunicorn_command(self, *, port=None, root=REPO_ROOT):
        """gunicorn serving the checkout at `root` (run it there) on `port` (the stack's)."""
        command = [str(VENV_BIN / "gunicorn"), "newsroom.wsgi"]
        if (root / "gunicorn.conf.py").exists():
            command += ["-c", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{port or self.port}", "--workers", str(self.workers)]
        if self.threads is not None:
            # threads = 0: gunicorn's sync workers (one request at a time, no keep-alive).
            command += [
                "--threads", str(max(self.threads, 1)),
                "--worker-class", "gthread" if self.threads else "sync",
            ]  # fmt: skip
            # Always given: gunicorn.conf.py's own follow its threads, not these. With room
            # for idle connections, the keep-alive it gave gthread workers until 7 Dec 2026.
            connections = self.worker_connections or GUNICORN_WORKER_CONNECTIONS
            command += ["--worker-connections", str(connections)]
            if self.threads and connections > self.threads:
                command += ["--keep-alive", "5"]
        if any(s.name == "control_socket_disable" for s in gunicorn.config.KNOWN_SETTINGS):
            # gunicorn >= 25.1 listens on ~/.gunicorn/gunicorn.ctl by default, and a second
            # gunicorn takes that socket over from the first: leave it to the site's own.
            command.append("--no-control-socket")
        return command

    def workers_description(self):
        """gunicorn's workers, as the benches print them."""
        if self.threads is None:
            return f"{self.workers} workers as gunicorn.conf.py makes them"
        kind = f"gthread, {self.threads} threads" if self.threads else "sync"
        return f"{self.workers} workers ({kind})"

    def start_gunicorn(self):
        self.gunicorn = subprocess.Popen(
            self.gunicorn_command(),
            cwd=REPO_ROOT,
            env=self.env(),
            stdout=self.gunicorn_log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def up():
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            return request(self.port, "GET", self.up_path, headers=self.app_headers)[0] == 200

        wait_for(up, 30, "gunicorn")

    def stop_gunicorn(self):
        if self.gunicorn is None:
            return
        if self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.gunicorn.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
                self.gunicorn.wait()
        self.gunicorn = None

    def start_worker(self):
        """The task worker (`manage.py db_worker`: the moderators' mail), in gunicorn's
        log; started again when it exits, as systemd does in production (it exits when
        it loses the database)."""

        def supervise():
            while not self.worker_stopping.is_set():
                self.worker_starts += 1
                self.worker = subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker", "--no-reload"],
                    cwd=REPO_ROOT,
                    env=self.env(),
                    stdout=self.gunicorn_log.open("ab"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                self.worker.wait()
                self.worker_stopping.wait(1)

        threading.Thread(target=supervise, daemon=True).start()

    def stop_worker(self):
        self.worker_stopping.set()
        stop_process(self.worker)

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.gunicorn_log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def drop_database(self):
        if not self.database_created:
            return
        with psycopg.connect(self.postgres.maintenance_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.database)
                )
            )
        self.database_created = False
