"""Soak Newsroom under load while PostgreSQL restarts and Redis goes away, and print what held.

The script builds a production-like site of its own on this machine and drives it:

1. a PostgreSQL server of its own (initdb + pg_ctl in a temporary directory, on a free
   port; as root it runs them as the ``postgres`` user), so that restarting it disturbs
   no one else's databases; or, with --postgres-url, an existing server. On it a
   throwaway database, ``newsroom_soak``, migrated, with the demo newsroom loaded
   (``manage.py load_demo``); a Redis of its own on a free port; static files collected
   into a temporary directory;
2. gunicorn with the production settings (``newsroom.settings.prod``; ``-c
   gunicorn.conf.py`` when the repository has one, with bind and workers given on the
   command line), 2 workers as gunicorn.conf.py makes them (sync);
3. for --duration seconds, --readers threads fetching public pages (home, articles,
   sections, search, feeds) and --commenters threads each opening an article, reading
   the comment form's signed hidden fields and posting a comment whose text and email
   are unique. Each comment comes from an address of its own (X-Forwarded-For, with
   TRUSTED_PROXIES=127.0.0.1), so the site's own flood control stays in force unchanged
   and still lets every honest commenter through;
4. the time is split into equal phases:

   - ``warm``: everything up;
   - ``postgres-restart``: PostgreSQL is restarted 2 s in (``pg_ctl -m fast restart``;
     with --postgres-url, --pg-restart-command or by default ``pg_ctlcluster
     --skip-systemctl-redirect <version> main restart``, which interrupts every other
     database on that server too);
   - ``redis-down``: the soak's Redis is stopped; pages must still be served;
   - ``redis-back``: it is started again, empty;
   - ``redis-hang``: it is frozen with SIGSTOP, so it accepts connections and answers
     nothing (the site must give up on it quickly), and thawed at the end of the phase;
   - ``cool``: everything up again;
   - ``silent-smtp``: the soak's mail server accepts connections and never answers;
     commenters' posts still queue the moderators' notice (every 5 s at most here),
     which the task worker (``manage.py db_worker``, restarted when it exits) tries and
     gives up on after EMAIL_TIMEOUT; readers and commenters must not notice;
   - ``postgres-frozen``: PostgreSQL is frozen with SIGSTOP (every process of it) 2 s
     in, and thawed at the end: uncached pages must end in a 503 within the app's deadline,
     never hang, while pages from the page cache keep being served.

Every request is recorded with its phase (the one it started in), status and latency.
A comment counts as *accepted* when the answer was the success redirect (302 to
``?comment=pending`` or ``?comment=published``). At the end the script counts how many
of the accepted comments the database holds, and prints per phase: requests, errors
(5xx or no answer), error rate, p50/p95/max latency, the share of reader pages served
from the page cache, comments accepted and refused, and what /healthz said; then the
comment totals and the time to recover after the PostgreSQL restart.

Checks (exit status 0 when all pass, 1 otherwise):

- every accepted comment is stored, exactly once (accepted == stored);
- pages are served while Redis is down or hanging (no errors in those phases);
- no errors in ``warm``, ``redis-back``, ``cool`` and ``silent-smtp``: the site recovered
  by itself, and no reader waits on mail;
- every request in ``postgres-frozen`` is answered (none waits for REQUEST_TIMEOUT).

Errors during ``postgres-restart`` are expected while the server is down; their span is
the time to recover.

Run it from the repository root (it needs PostgreSQL's server binaries, ``redis-server``
and the venv); it takes about 40 s to set up, then --duration:

    .venv/bin/python scripts/soak.py [--duration 90] [--readers 8] [--commenters 4]
        [--port 0] [--server-log soak-gunicorn.log]
        [--postgres-url postgres://postgres@127.0.0.1:5432/postgres
         [--pg-restart-command "..."]]

The latencies are those of this machine with the load generator on it: compare runs on
the same machine, not with other machines. The load average is printed before and after.

Everything it starts is stopped and everything it creates is removed when it ends,
also on Ctrl-C or an error: gunicorn, Redis, PostgreSQL (or the database, on an existing
server, which is never left down) and the temporary directories.
"""

import argparse
import html.parser
import itertools
import math
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
from stack import (
    REQUEST_TIMEOUT,
    AppStack,
    PrivatePostgres,
    clean_up_when_stopped,
    percentile,
    request,
)

# A load generator that starts services: `random` picks pages, it makes no secrets, and
# every command it runs is written out here (redis-server, gunicorn, manage.py, the
# PostgreSQL restart) or given by whoever runs it (--pg-restart-command).
# ruff: noqa: S311, S603

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
from tests.servers import MailServer  # noqa: E402

DATABASE_NAME = "newsroom_soak"
PHASES = [
    ("warm", "steady load, everything up"),
    ("postgres-restart", "PostgreSQL restarted"),
    ("redis-down", "Redis stopped"),
    ("redis-back", "Redis started again, empty"),
    ("redis-hang", "Redis frozen (SIGSTOP): connects, never answers"),
    ("cool", "everything up again"),
    ("silent-smtp", "mail server accepts, never answers"),
    ("postgres-frozen", "PostgreSQL frozen (SIGSTOP): connects, never answers"),
]
MUST_BE_CLEAN = ["warm", "redis-down", "redis-back", "redis-hang", "cool", "silent-smtp"]
MUST_ANSWER = ["postgres-frozen"]  # 503s expected there, but no request left hanging
RESTART_AFTER_SECONDS = 2.0
ARTICLE_PATH = re.compile(r'href="(/[\w-]+/\d{4}/\d{2}/\d{2}/[\w-]+/)"')
SEARCH_WORDS = ["harbour", "council", "school", "match", "budget", "river", "tram", "festival"]


@dataclass
class Sample:
    phase: str
    kind: str
    status: int  # 0: no answer (refused, reset, timed out)
    started: float
    ended: float
    page_cache: str = ""

    @property
    def failed(self):
        return self.status == 0 or self.status >= 500


@dataclass
class Run:
    """What the load threads share with the conductor."""

    port: int
    run_id: str
    phase: str = PHASES[0][0]
    stop: threading.Event = field(default_factory=threading.Event)
    samples: list = field(default_factory=list)
    accepted: dict = field(default_factory=dict)  # comment text -> phase
    comment_outcomes: list = field(default_factory=list)  # (phase, outcome)
    health: list = field(default_factory=list)  # (phase, status)
    articles: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    origin: float = field(default_factory=time.monotonic)

    def now(self):
        return time.monotonic() - self.origin


class CommentFormParser(html.parser.HTMLParser):
    """The hidden fields of the comment form (its signed target and timestamp)."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.fields = {}
        self.found = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("action") or "").endswith("/comments/post/"):
            self.in_form = self.found = True
        elif tag == "input" and self.in_form and attrs.get("type") == "hidden":
            self.fields[attrs.get("name")] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def timed(run, kind, method, path, **kwargs):
    phase, started = run.phase, run.now()
    status, headers, body = request(run.port, method, path, **kwargs)
    run.samples.append(
        Sample(phase, kind, status, started, run.now(), headers.get("X-Page-Cache", ""))
    )
    return status, headers, body


def reader(run, seed):
    rng = random.Random(seed)
    kinds = ["home", "article", "section", "search", "feed"]
    weights = [25, 45, 15, 10, 5]
    while not run.stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        if kind == "home":
            path = "/"
        elif kind == "article":
            path = rng.choice(run.articles)
        elif kind == "section":
            path = f"/{rng.choice(run.sections)}/"
        elif kind == "search":
            path = "/search/?" + urlencode({"q": rng.choice(SEARCH_WORDS)})
        else:
            path = rng.choice(["/feeds/", f"/feeds/sections/{rng.choice(run.sections)}/"])
        timed(run, kind, "GET", path)


def commenter(run, seed):
    rng = random.Random(seed)
    while not run.stop.is_set():
        path = rng.choice(run.articles)
        status, _headers, body = timed(run, "article", "GET", path)
        if status != 200:
            run.stop.wait(0.2)
            continue
        form = CommentFormParser()
        form.feed(body.decode("utf-8", "replace"))
        if not form.found:
            continue
        n = next(run.counter)
        text = f"Soak {run.run_id} comment {n}: the ferry timetable matters to us all."
        data = {
            **form.fields,
            "name": f"Soak reader {n}",
            "email": f"soak-{run.run_id}-{n}@example.org",
            "comment": text,
            "honeypot": "",
        }
        address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
        phase = run.phase
        status, headers, _body = timed(
            run,
            "comment",
            "POST",
            "/comments/post/",
            body=urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": address,
            },
        )
        location = headers.get("Location", "") if status else ""
        if status == 302 and re.search(r"[?&]comment=(pending|published)\b", location):
            run.accepted[text] = phase
            outcome = "accepted"
        elif status == 429:
            outcome = "refused (429)"
        elif status == 0 or status >= 500:
            outcome = "failed"
        else:
            outcome = f"other ({status})"
        run.comment_outcomes.append((phase, outcome))
        run.stop.wait(rng.uniform(0.05, 0.25))


def health_monitor(run):
    """What /healthz says, once a second: what a load balancer would have seen."""
    while not run.stop.wait(1.0):
        phase = run.phase
        status, _headers, body = request(run.port, "GET", "/healthz")
        if status == 0:
            label = "no answer"
        else:
            match = re.search(rb'"status":\s*"(\w+)"', body)
            label = f"{status} {match.group(1).decode()}" if match else str(status)
        run.health.append((phase, label))


class SharedPostgres:
    """An existing PostgreSQL server (--postgres-url). Restarting it interrupts every
    database on it, so it is never left down: the clean-up starts it again if need be."""

    def __init__(self, url, restart_command):
        self.maintenance_url = url
        self.start_command = None
        if restart_command:
            self.restart_command = shlex.split(restart_command)
            return
        etc = Path("/etc/postgresql")
        clusters = sorted(os.listdir(etc)) if etc.is_dir() else []
        if not clusters or not shutil.which("pg_ctlcluster"):
            raise SystemExit("No Debian PostgreSQL cluster to restart: give --pg-restart-command.")
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1], "main"]
        self.restart_command, self.start_command = [*command, "restart"], [*command, "start"]

    def describe(self):
        server = urlsplit(self.maintenance_url)
        return f"the PostgreSQL server at {server.hostname}:{server.port or 5432}"

    def start(self):
        pass

    def send_signal(self, number):
        """A server others use is never frozen: postgres-frozen runs with it up."""

    def stop(self):
        for _ in range(50):
            try:
                psycopg.connect(self.maintenance_url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.2)
        if self.start_command:
            print("PostgreSQL is not answering; starting it again.", file=sys.stderr)
            subprocess.run(self.start_command, check=False)


class Soak(AppStack):
    """Owns everything the soak starts or creates, and takes all of it down again."""

    def __init__(self, args):
        self.args = args
        postgres = (
            SharedPostgres(args.postgres_url, args.pg_restart_command)
            if args.postgres_url
            else PrivatePostgres()
        )
        super().__init__(postgres, database=args.database, port=args.port, prefix="newsroom-soak-")
        self.restart = None
        self.smtp = MailServer()

    def env(self):
        # Moderators' notices every 5 s at most, so each phase sends (or tries) some.
        return {
            **super().env(),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "COMMENTS_MODERATOR_EMAILS": "desk@example.org",
            "COMMENTS_NOTIFY_EVERY_SECONDS": "5",
        }

    # --- setting up ---------------------------------------------------------------

    def discover(self, run):
        with psycopg.connect(self.database_url) as connection:
            run.sections = [
                row[0]
                for row in connection.execute("SELECT slug FROM articles_section ORDER BY position")
            ]
        articles = set()
        for path in ["/", *(f"/{slug}/" for slug in run.sections)]:
            _status, _headers, body = request(self.port, "GET", path)
            articles.update(ARTICLE_PATH.findall(body.decode("utf-8", "replace")))
        run.articles = sorted(articles)
        if not run.articles or not run.sections:
            raise RuntimeError("The soak site shows no articles or sections.")

    # --- tearing down -------------------------------------------------------------

    def stop_postgres(self):
        """Never leave PostgreSQL down, even when interrupted mid-restart."""
        if self.restart is not None and self.restart.poll() is None:
            self.restart.wait()
        if isinstance(self.postgres, SharedPostgres):
            self.postgres.stop()  # waits for it to answer (starting it if need be)
            self.drop_database()
        else:
            self.postgres.stop()  # the database goes with the whole server

    def cleanup(self):
        steps = [
            self.stop_worker,
            self.smtp.close,
            self.stop_gunicorn,
            self.stop_redis,
            self.keep_log,
            self.stop_postgres,
            lambda: shutil.rmtree(self.tmp, ignore_errors=True),
        ]
        for step in steps:
            try:
                step()
            except Exception as error:  # go on with the rest of the clean-up
                print(f"clean-up: {error}", file=sys.stderr)

    def keep_log(self):
        if self.args.server_log and self.gunicorn_log.exists():
            shutil.copyfile(self.gunicorn_log, self.args.server_log)

    # --- the run ------------------------------------------------------------------

    def prepare(self):
        started = time.monotonic()
        self.prepare_site()
        self.start_gunicorn()
        self.start_worker()
        return time.monotonic() - started

    def conduct(self, run):
        """Move through the phases, breaking and mending the services on cue."""
        phase_seconds = self.args.duration / len(PHASES)
        events = {}
        for index, (name, description) in enumerate(PHASES):
            run.phase = name
            phase_end = (index + 1) * phase_seconds
            print(f"  {run.now():6.1f} s  {name}: {description}", flush=True)
            if name == "postgres-restart":
                self.sleep_until(run, run.now() + RESTART_AFTER_SECONDS)
                events["restart_began"] = run.now()
                self.restart = subprocess.Popen(
                    self.postgres.restart_command,
                    start_new_session=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                if self.restart.wait() != 0:
                    raise RuntimeError(f"{shlex.join(self.postgres.restart_command)} failed")
                events["restart_ended"] = run.now()
            elif name == "redis-down":
                self.stop_redis()
            elif name == "redis-back":
                self.start_redis()
            elif name == "redis-hang":
                self.redis.send_signal(signal.SIGSTOP)
            elif name == "silent-smtp":
                self.smtp.silent = True
            elif name == "postgres-frozen":
                # As for the restart: the requests of the phase before end first.
                self.sleep_until(run, run.now() + RESTART_AFTER_SECONDS)
                self.postgres.send_signal(signal.SIGSTOP)
            self.sleep_until(run, phase_end)
            if name == "redis-hang":
                self.redis.send_signal(signal.SIGCONT)
            elif name == "postgres-frozen":
                self.postgres.send_signal(signal.SIGCONT)
        return events

    @staticmethod
    def sleep_until(run, moment):
        while (left := moment - run.now()) > 0:
            time.sleep(min(left, 0.5))

    def stored_comments(self, run):
        with psycopg.connect(self.database_url) as connection:
            rows = connection.execute(
                "SELECT comment, count(*) FROM django_comments WHERE comment LIKE %s "
                "GROUP BY comment",
                [f"Soak {run.run_id} comment %"],
            ).fetchall()
        return dict(rows)

    def main(self):
        print(
            f"Soak: {self.args.duration:g} s, {self.args.readers} readers, "
            f"{self.args.commenters} commenters, against gunicorn on 127.0.0.1:{self.port}; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        setup_seconds = self.prepare()
        print(f"Set up in {setup_seconds:.1f} s: {shlex.join(self.gunicorn_command())}")
        print(
            f"  Database {self.args.database} (the demo newsroom) on {self.postgres.describe()}; "
            f"Redis of its own on 127.0.0.1:{self.redis_port}; newsroom.settings.prod with "
            "PAGE_CACHE_SECONDS=600"
        )
        print(
            "  Flood control: the site's default limits, unchanged; each comment comes "
            "from its own address (X-Forwarded-For, TRUSTED_PROXIES=127.0.0.1)."
        )
        print(f"  PostgreSQL restart: {shlex.join(self.postgres.restart_command)}")
        run = Run(port=self.port, run_id=secrets.token_hex(4))
        self.discover(run)
        print(f"  {len(run.articles)} article pages, {len(run.sections)} sections")
        threads = [
            threading.Thread(target=reader, args=(run, i), daemon=True)
            for i in range(self.args.readers)
        ]
        threads += [
            threading.Thread(target=commenter, args=(run, 1000 + i), daemon=True)
            for i in range(self.args.commenters)
        ]
        threads.append(threading.Thread(target=health_monitor, args=(run,), daemon=True))
        run.origin = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            events = self.conduct(run)
        finally:
            run.stop.set()
            for thread in threads:
                thread.join(REQUEST_TIMEOUT + 5)
        print(f"  {run.now():6.1f} s  done; load average {os.getloadavg()[0]:.1f}")
        stored = self.stored_comments(run)
        status = report(run, events, stored, self)
        print(
            f"\nModerators' notices: {len(self.smtp.messages)} delivered, "
            f"{self.smtp.connections} connections to the mail server; tasks "
            + ", ".join(f"{state} {count}" for state, count in self.notice_tasks())
            + f"; the worker started {self.worker_starts} time(s)"
        )
        return status

    def notice_tasks(self):
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
                "GROUP BY status ORDER BY status"
            ).fetchall()


def report(run, events, stored, soak):
    print()
    header = (
        f"{'phase':<17}{'requests':>9}{'req/s':>7}{'errors':>7}{'err %':>7}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'cached':>7}{'comments':>9}{'429':>5}  healthz"
    )
    print(header)
    print("-" * (len(header) + 12))
    phase_seconds = soak.args.duration / len(PHASES)
    errors_by_phase = {}
    for name, _description in PHASES:
        samples = [s for s in run.samples if s.phase == name]
        latencies = [(s.ended - s.started) * 1000 for s in samples]
        errors = sum(s.failed for s in samples)
        errors_by_phase[name] = errors
        pages = [s for s in samples if s.kind != "comment" and s.status == 200]
        hits = sum(s.page_cache == "hit" for s in pages)
        outcomes = [o for p, o in run.comment_outcomes if p == name]
        health = {}
        for phase, label in run.health:
            if phase == name:
                health[label] = health.get(label, 0) + 1
        print(
            f"{name:<17}{len(samples):>9}{len(samples) / phase_seconds:>7.0f}{errors:>7}"
            f"{100 * errors / max(len(samples), 1):>6.1f}%"
            f"{percentile(latencies, 0.5):>8.0f}{percentile(latencies, 0.95):>8.0f}"
            f"{max(latencies, default=math.nan):>8.0f}"
            f"{100 * hits / max(len(pages), 1):>6.0f}%"
            f"{outcomes.count('accepted'):>9}{outcomes.count('refused (429)'):>5}  "
            + ", ".join(f"{label} x{count}" for label, count in health.items())
        )
    total = len(run.samples)
    failed = sum(s.failed for s in run.samples)
    print("-" * (len(header) + 12))
    print(f"{'all':<17}{total:>9}{total / soak.args.duration:>7.0f}{failed:>7}")
    print("errors: 5xx answers or no answer; cached: reader pages served from the page cache;")
    print("comments: posts answered with the success redirect (accepted).")

    outcomes = {}
    for _phase, outcome in run.comment_outcomes:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    accepted = set(run.accepted)
    stored_accepted = sum(1 for text in accepted if text in stored)
    duplicates = sum(1 for count in stored.values() if count > 1)
    unanswered = sum(1 for text in stored if text not in accepted)
    print()
    print(
        "Comments posted: "
        + (", ".join(f"{outcome} {count}" for outcome, count in sorted(outcomes.items())) or "none")
    )
    print(f"Comments accepted: {len(accepted)}; of these stored: {stored_accepted}")
    print(f"Stored more than once: {duplicates}; stored without a success answer: {unanswered}")

    print()
    if "restart_began" in events:
        began, ended = events["restart_began"], events["restart_ended"]
        failures = [
            s
            for s in run.samples
            if s.phase == "postgres-restart" and s.failed and s.ended >= began
        ]
        print(f"PostgreSQL restart: the command took {ended - began:.2f} s")
        if failures:
            last = max(s.ended for s in failures)
            print(
                f"  {len(failures)} requests failed; the last failure ended {last - began:.2f} s "
                f"after the restart began ({last - ended:+.2f} s after PostgreSQL was back)"
            )
            print(f"Time to recover: {last - began:.2f} s")
        else:
            print("Time to recover: 0.00 s (no request failed)")

    checks = [
        (
            "every accepted comment is stored, exactly once",
            stored_accepted == len(accepted) and duplicates == 0,
        ),
        *(
            (f"no errors in {name}", errors_by_phase[name] == 0)
            for name in MUST_BE_CLEAN
            if name in errors_by_phase
        ),
        *(
            (
                f"every request answered in {name}",
                not any(s.status == 0 for s in run.samples if s.phase == name),
            )
            for name in MUST_ANSWER
        ),
    ]
    print()
    for label, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {label}")
    ok = all(passed for _label, passed in checks)
    if not ok:
        print("\nLast lines of the gunicorn log:\n" + soak.log_tail())
    return 0 if ok else 1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=90, help="seconds of load (default 90)")
    parser.add_argument("--readers", type=int, default=8, help="reader threads (default 8)")
    parser.add_argument("--commenters", type=int, default=4, help="commenter threads (default 4)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument(
        "--postgres-url",
        help="soak an existing PostgreSQL server instead of a private one: a database on it "
        "to connect to, e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--database", default=DATABASE_NAME, help="the throwaway database's name")
    parser.add_argument(
        "--pg-restart-command",
        help="with --postgres-url: how to restart that server (default: pg_ctlcluster "
        "--skip-systemctl-redirect <version> main restart)",
    )
    parser.add_argument("--server-log", type=Path, help="keep gunicorn's log in this file")
    args = parser.parse_args(argv)
    if args.duration < 30:
        parser.error("--duration must be at least 30 seconds")
    if args.readers < 1 or args.commenters < 0:
        parser.error("at least one reader, and no negative number of commenters")
    if args.pg_restart_command and not args.postgres_url:
        parser.error("--pg-restart-command goes with --postgres-url")
    return args


def main(argv=None):
    args = parse_args(argv)
    # Ctrl-C and TERM end the soak through the clean-up, also when it was started with
    # SIGINT ignored (as a background job of a non-interactive shell is).
    clean_up_when_stopped()
    os.chdir(REPO_ROOT)
    started = time.monotonic()
    soak = Soak(args)
    try:
        status = soak.main()
    except KeyboardInterrupt:
        print("\nInterrupted; cleaning up.", file=sys.stderr)
        status = 130
    finally:
        soak.cleanup()
    print(f"\nSoak finished in {time.monotonic() - started:.0f} s; exit status {status}.")
    return status


if __name__ == "__main__":
    sys.exit(main())
