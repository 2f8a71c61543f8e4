"""Live coverage under load: N readers poll one live story through Varnish while an
editor posts an entry every 5 s; print what reached Django and how soon readers saw it.

The stack is bench_newsday's without nginx, on loopback only:

    readers --HTTP--> Varnish (deploy/varnish.vcl, tests/varnish.py's rendering)
            --> gunicorn (newsroom.settings.prod, --workers) --> PostgreSQL, Redis

with a PostgreSQL and a Redis of its own (scripts/stack.py), the demo newsroom, and the
app purging Varnish after each commit (VARNISH_PURGE_URLS); LIVEBLOG_POLL_SECONDS is
--poll-seconds (5 by default, the shortest the app allows).

For each reader count in --readers (100,1000 by default), on a live story of its own
with 20 entries, for --duration seconds:

- each simulated reader does what static/js/liveblog.js does: it opens the live page
  once (at a moment spread over the first poll interval, as an audience arrives), reads
  the polling URL and cursor from it, then asks the polling URL for entries newer than
  its cursor, taking the answer's `next` as its cursor and waiting the `poll_seconds`
  the answer sets. Readers run as threads in --reader-processes processes, keep-alive
  connections, gzip accepted as browsers do;
- an editor process with the app's environment posts and publishes an entry every
  --post-every seconds through liveblog.services (in a transaction, so the purge goes
  out after COMMIT as in production) and notes the moment it committed.

Printed per run: requests served (page loads and polls), errors, Varnish's hit share;
requests reaching Django (gunicorn's access log, without Varnish's health probes), all
and per entry posted, with varnishstat's backend_req; from each entry's COMMIT to the
first reader answer that carries it, and to the moment every reader has it, median and
max (CLOCK_MONOTONIC, shared by all processes on Linux); the CPU seconds gunicorn used
(its master and workers, /proc). The last line compares the runs: the requests reaching
Django must not grow with the number of readers.

    .venv/bin/python scripts/bench_liveblog.py [--readers 100,1000] [--duration 60]
        [--poll-seconds 5] [--post-every 5] [--workers 4] [--reader-processes 2]

The load generator shares this machine's cores with the servers it measures. Everything
it starts is stopped, and its temporary folders removed, when it ends (Ctrl-C too).
"""

import argparse
import collections
import concurrent.futures
import contextlib
import datetime
import gzip
import heapq
import http.client
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

from bench_newsday import HOST, NewsdayStack
from stack import REPO_ROOT, clean_up_when_stopped, percentile

# A load generator: `random` spreads readers and makes no secrets.
# ruff: noqa: S311

sys.path.insert(0, str(REPO_ROOT))

EDITOR_USERNAME = "admin"  # load_demo's superuser: may publish entries
STARTING_ENTRIES = 20
START_SECONDS = 3  # for the readers' processes to start before the clock does
DRAIN_SECONDS = 15  # after the run, readers keep polling for entries still in flight
REQUEST_TIMEOUT = 15
THREADS_PER_PROCESS = 32
HEADERS = {
    "Host": HOST,
    "X-Forwarded-Proto": "https",  # as nginx says in production
    "Accept-Encoding": "gzip",
    "User-Agent": "liveblog-bench",
}
POLL_URL = re.compile(rb'data-url="(/live/\d+/updates/)0/" data-since="(\d+)"')
IDLE_CLOSED = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
ENTRY_ID = re.compile(rb'class="live-entry[^"]*" id="entry-(\d+)"')


class LiveStack(NewsdayStack):
    """PostgreSQL, Redis, gunicorn and Varnish (bench_newsday's stack; no nginx)."""

    def __init__(self, args):
        super().__init__(args)
        self.poll_seconds = args.poll_seconds

    def env(self):
        return {**super().env(), "LIVEBLOG_POLL_SECONDS": str(self.poll_seconds)}

    def prepare(self, args):
        started = time.monotonic()
        self.prepare_site()
        self.start_gunicorn()
        self.start_varnish()
        return time.monotonic() - started

    def django_requests(self):
        """Requests gunicorn logged so far by kind (polls, the rest), without Varnish's
        health probes."""
        counts = {"polls": 0, "other": 0}
        with self.gunicorn_log.open(errors="replace") as log:
            for line in log:
                if '"GET /' not in line or "/healthz" in line:
                    continue
                counts["polls" if "/updates/" in line else "other"] += 1
        return counts

    def cpu_seconds(self):
        """CPU time gunicorn has used: its master and workers, living and reaped."""
        master = self.gunicorn.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return sum(process_cpu_seconds(pid) for pid in [master, *children])


def process_cpu_seconds(pid):
    """utime + stime + cutime + cstime of a process (/proc/<pid>/stat), in seconds."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0  # a worker that just exited: its master counts it once reaped
    fields = stat.rsplit(")", 1)[1].split()  # the fields after the command's name
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


# --- inside the app (--role editor) -----------------------------------------------------


def editor():
    """Answer one JSON line per command read from stdin: make a live story, or post and
    publish an entry of it (saying when it committed)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Section
    from liveblog.models import LiveEntry
    from liveblog.services import live_entry_save

    user = get_user_model().objects.get(username=EDITOR_USERNAME)
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "story":
            token = os.urandom(3).hex()
            now = timezone.now()
            with transaction.atomic():
                article = Article.objects.create(
                    headline=f"Harbour storm live {token}",
                    slug=f"harbour-storm-live-{token}",
                    standfirst="Gales close the Kestrel Bay ferries; updates as they come.",
                    body="<p>A storm is crossing Port Alder this afternoon.</p>",
                    section=Section.objects.first(),
                    status=Article.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(hours=1),
                    coverage=Article.Coverage.LIVE,
                )
                LiveEntry.objects.bulk_create(
                    LiveEntry(
                        article=article,
                        title=f"Earlier update {n}",
                        body="<p>Winds gusting to 80 km/h on the harbour wall.</p>",
                        status=LiveEntry.Status.PUBLISHED,
                        published_at=now - datetime.timedelta(minutes=60 - n),
                    )
                    for n in range(STARTING_ENTRIES)
                )
            reply = {"id": article.pk, "url": article.get_absolute_url()}
        else:
            committed = {}
            with transaction.atomic():
                # Registered first, so it runs first after COMMIT: before the purge.
                transaction.on_commit(lambda c=committed: c.setdefault("at", time.monotonic()))
                entry = live_entry_save(
                    entry=LiveEntry(
                        article_id=command["article"],
                        title=f"Bench entry {command['n']}",
                        body="<p>The Gull Point road is closed by fallen trees.</p>",
                        status=LiveEntry.Status.PUBLISHED,
                    ),
                    by=user,
                )
            reply = {"id": entry.pk, "committed": committed["at"], "purged": time.monotonic()}
        print(json.dumps(reply), flush=True)


# --- readers ------------------------------------------------------------------------------


def get(connection, path):
    """(status, X-Cache, body) of a GET on a kept-alive connection; status 0 if none.

    A connection Varnish closed while it was idle (timeout_idle, 5 s: as long as a
    poll's wait) is opened again and the request sent once more, as browsers do."""
    for attempt in (1, 2):
        try:
            connection.request("GET", path, headers=HEADERS)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()  # the next request opens a new connection
            if attempt == 1 and isinstance(error, IDLE_CLOSED):
                continue
            return 0, type(error).__name__, b""
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, response.headers.get("X-Cache", ""), body
    raise AssertionError("unreachable")


class Reader:
    """One reader's page, as static/js/liveblog.js keeps it."""

    def __init__(self, due):
        self.due = due  # when it next asks (time.monotonic())
        self.poll_path = None  # before the page is loaded
        self.since = None
        self.known = set()  # entry ids on its page or given by a poll

    def __lt__(self, other):
        return self.due < other.due


def reader_process(readers, port, page_url, start_at, stop_at, drain_until, poll_seconds):
    """`readers` readers until stop_at (no new page loads after it; polls go on until
    drain_until so that entries posted last reach them). Returns the requests made as
    (started, seconds, status, X-Cache, kind) and, per entry id, when each reader first
    had it."""
    rng = random.Random()
    requests, seen = [], {}
    lock = threading.Lock()
    everyone = [Reader(start_at + rng.random() * poll_seconds) for _ in range(readers)]
    shares = [everyone[n::THREADS_PER_PROCESS] for n in range(THREADS_PER_PROCESS)]

    def run(mine):
        heapq.heapify(mine)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        made, firsts = [], []
        while mine:
            reader = heapq.heappop(mine)
            time.sleep(max(0.0, reader.due - time.monotonic()))
            started = time.monotonic()
            if started >= drain_until or (reader.poll_path is None and started >= stop_at):
                continue
            if reader.poll_path is None:
                kind = "page"
                status, cache, body = get(connection, page_url)
                if status == 200 and (found := POLL_URL.search(body)):
                    reader.poll_path = found.group(1).decode()
                    reader.since = int(found.group(2))
                    reader.known = {int(pk) for pk in ENTRY_ID.findall(body)}
                    wait = poll_seconds
                else:
                    wait = 1.0
            else:
                kind = "poll"
                status, cache, body = get(connection, f"{reader.poll_path}{reader.since}/")
                wait = poll_seconds * 2  # as the script does after a failure
                if status == 200:
                    data = json.loads(body)
                    ended = time.monotonic()
                    for entry in data["entries"]:
                        if entry["id"] not in reader.known:
                            reader.known.add(entry["id"])
                            firsts.append((entry["id"], ended))
                    reader.since, wait = data["next"], data["poll_seconds"]
            ended = time.monotonic()
            if started < stop_at:
                made.append((started, ended - started, status, cache, kind))
            reader.due = ended + wait
            heapq.heappush(mine, reader)
        connection.close()
        with lock:
            requests.extend(made)
            for entry_id, at in firsts:
                seen.setdefault(entry_id, []).append(at)

    threads = [threading.Thread(target=run, args=(share,)) for share in shares if share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(drain_until - time.monotonic() + REQUEST_TIMEOUT + 5)
    return requests, seen


# --- the runs -----------------------------------------------------------------------------


def ask(editor, command):
    editor.stdin.write(json.dumps(command) + "\n")
    editor.stdin.flush()
    return json.loads(editor.stdout.readline())


def run(args, stack, editor, readers):
    """One run of `readers` readers on a live story of its own; its figures."""
    story = ask(editor, {"do": "story"})
    connection = http.client.HTTPConnection("127.0.0.1", stack.varnish_port, timeout=15)
    status, _cache, _body = get(connection, story["url"])
    connection.close()
    if status != 200:
        raise RuntimeError(f"the live story answered {status}:\n{stack.log_tail()}")
    time.sleep(1)  # the purges of its creation are out
    before = {
        "varnish": stack.varnishstat(),
        "django": stack.django_requests(),
        "cpu": stack.cpu_seconds(),
    }
    origin = time.monotonic() + START_SECONDS
    stop_at = origin + args.duration
    drain_until = stop_at + DRAIN_SECONDS
    processes = min(args.reader_processes, readers)
    per_process = [readers // processes + (n < readers % processes) for n in range(processes)]
    posted = []
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(processes, context) as pool:
        futures = [
            pool.submit(
                reader_process,
                count,
                stack.varnish_port,
                story["url"],
                origin,
                stop_at,
                drain_until,
                args.poll_seconds,
            )
            for count in per_process
        ]
        n = 1
        while (moment := origin + n * args.post_every) < stop_at:
            time.sleep(max(0.0, moment - time.monotonic()))
            posted.append(ask(editor, {"do": "post", "article": story["id"], "n": n}))
            n += 1
        time.sleep(max(0.0, stop_at - time.monotonic()))
        after = {
            "varnish": stack.varnishstat(),
            "django": stack.django_requests(),
            "cpu": stack.cpu_seconds(),
        }
        results = [future.result() for future in futures]
    requests = [sample for made, _seen in results for sample in made]
    seen = {}
    for _made, their_seen in results:
        for entry_id, times in their_seen.items():
            seen.setdefault(entry_id, []).extend(times)
    first, every = [], []
    for entry in posted:
        times = seen.get(entry["id"], [])
        if times:
            first.append(min(times) - entry["committed"])
        if len(times) == readers:
            every.append(max(times) - entry["committed"])
    django = {kind: after["django"][kind] - before["django"][kind] for kind in ("polls", "other")}
    return {
        "readers": readers,
        "requests": requests,
        "posted": len(posted),
        "first": first,
        "every": every,
        "django": django,
        "backend_req": after["varnish"].get("MAIN.backend_req", 0)
        - before["varnish"].get("MAIN.backend_req", 0),
        "cpu": after["cpu"] - before["cpu"],
    }


def report(args, figures):
    duration = args.duration
    requests = figures["requests"]
    polls = [r for r in requests if r[4] == "poll"]
    errors = collections.Counter(
        f"{r[4]} {r[2] or r[3]}" for r in requests if r[2] == 0 or r[2] >= 400
    )
    hits = sum(r[3] == "HIT" for r in requests)
    django = figures["django"]
    reaching = django["polls"] + django["other"]
    latency = [r[1] * 1000 for r in requests]
    print()
    print(f"{figures['readers']} readers, {duration:g} s, an entry every {args.post_every:g} s:")
    print(
        f"  served: {len(requests)} requests ({len(requests) / duration:.0f}/s): "
        f"{len(requests) - len(polls)} page loads, {len(polls)} polls; "
        f"errors {sum(errors.values())}{f' {dict(errors)}' if errors else ''}; "
        f"Varnish HIT {100 * hits / max(len(requests), 1):.2f}%; "
        f"latency p50 {percentile(latency, 0.5):.1f} ms, p99 {percentile(latency, 0.99):.1f} ms"
    )
    print(
        f"  reaching Django: {reaching} ({reaching / duration:.2f}/s; polls {django['polls']}, "
        f"pages and the rest {django['other']}), {reaching / max(figures['posted'], 1):.1f} "
        f"per entry posted; Varnish backend_req {figures['backend_req']}; "
        f"{100 * reaching / max(len(requests), 1):.2f}% of requests served"
    )
    first, every = figures["first"], figures["every"]
    print(
        f"  {figures['posted']} entries posted, {len(first)} seen; from COMMIT to the first "
        f"reader: median {statistics.median(first) if first else math.nan:.2f} s, max "
        f"{max(first, default=math.nan):.2f} s; to every reader ({len(every)} entries): "
        f"median {statistics.median(every) if every else math.nan:.2f} s, max "
        f"{max(every, default=math.nan):.2f} s"
    )
    print(
        f"  app CPU (gunicorn): {figures['cpu']:.1f} s, "
        f"{100 * figures['cpu'] / duration:.1f}% of one core"
    )
    return reaching


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--readers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[100, 1000],
        help="reader counts, one run each (default 100,1000)",
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--poll-seconds", type=int, default=5, help="LIVEBLOG_POLL_SECONDS")
    parser.add_argument("--post-every", type=float, default=5, help="seconds between entries")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--reader-processes", type=int, default=2)
    parser.add_argument("--role", choices=["editor"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.role and (args.duration < 10 or args.duration > 600):
        parser.error("--duration must be between 10 and 600 seconds")
    if any(n < 1 or n > 5000 for n in args.readers):
        parser.error("--readers: between 1 and 5000 each")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.role == "editor":
        editor()
        return 0
    clean_up_when_stopped()
    os.chdir(REPO_ROOT)
    for program in ("varnishd", "varnishstat"):
        if not shutil.which(program):
            raise SystemExit(f"{program} not found (Debian: varnish varnish-modules)")
    print(
        f"Live blog bench: readers {args.readers}, {args.duration:g} s each, polling every "
        f"{args.poll_seconds} s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    stack = LiveStack(args)
    editor_process = None
    status = 1
    try:
        seconds = stack.prepare(args)
        print(
            f"Set up in {seconds:.0f} s: Varnish :{stack.varnish_port} -> gunicorn "
            f":{stack.port} ({stack.workers_description()}, newsroom.settings.prod) -> "
            f"PostgreSQL :{stack.postgres.port}, Redis :{stack.redis_port}"
        )
        editor_process = stack.start_editor(__file__)
        reaching = {}
        for readers in args.readers:
            reaching[readers] = report(args, run(args, stack, editor_process, readers))
        fewest, most = min(args.readers), max(args.readers)
        # Allowance: one extra render per entry posted, for a purge landing between polls.
        allowed = reaching[fewest] + math.ceil(args.duration / args.post_every)
        grows = reaching[most] > allowed
        print()
        print(
            f"{'FAIL' if grows else 'PASS'}  requests reaching Django with {most} readers "
            f"({reaching[most]}) no more than with {fewest} ({reaching[fewest]}) plus one "
            f"per entry posted ({allowed})"
        )
        status = 1 if grows else 0
    except KeyboardInterrupt:
        print("\nInterrupted; cleaning up.", file=sys.stderr)
        status = 130
    finally:
        if editor_process is not None:
            with contextlib.suppress(OSError):
                editor_process.stdin.close()
            editor_process.wait(10)
        stack.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
