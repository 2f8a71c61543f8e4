"""gunicorn's worker and thread mix for uncached story pages: each mix under the same
load, with its throughput, latency and CPU per request, printed as a table.

The stack is scripts/stack.py's (production settings, a PostgreSQL and a Redis of its
own, the demo newsroom), with the page cache off (PAGE_CACHE_SECONDS=0), so every
request renders the story with the most comments. Each mix is loaded with wrk (Debian:
apt-get install wrk) at --connections, after a warm-up; CPU is the gunicorn processes'
own (user + system, from /proc), divided by the requests served.

    .venv/bin/python scripts/bench_gunicorn.py [--mixes 5x4,5x1,2x1] [--connections 32]
        [--seconds 15]
"""

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from stack import AppStack, PrivatePostgres

# ruff: noqa: S603

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class UncachedStack(AppStack):
    def env(self):
        return {**super().env(), "PAGE_CACHE_SECONDS": "0"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mixes",
        default="5x4,5x1,2x1",
        help="workers x threads, comma-separated; 0 threads: sync workers; a suffix cN sets"
        " gunicorn's worker_connections to N (default: 5x4,5x1,2x1)",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=15)
    return parser.parse_args()


def process_tree_cpu_seconds(pid):
    """User + system CPU seconds of a process and its children (gunicorn's workers),
    those that ended included."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, and cutime, cstime: the workers gunicorn recycled and reaped
            total += sum(int(field) for field in fields[11:15])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue  # a worker recycled meanwhile; its CPU is lost to the figure
        pids += [int(child) for child in children]
    return total / CLOCK_TICKS


def wrk(url, connections, seconds, headers=()):
    """wrk's figures: requests, requests a second, median and p99 latency in ms;
    `headers` ("Name: value") are sent with each request."""
    output = subprocess.run(
        # A long timeout: wrk leaves requests slower than it out of its latencies, which
        # would hide the tail this measures.
        [
            shutil.which("wrk"),
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "60s",
            "--latency",
            *(option for header in headers for option in ("-H", header)),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    if errors:
        sys.exit(f"error: {errors[0]}:\n{output}")
    return {
        "requests": requests,
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": milliseconds(re.search(r"50%\s+([\d.]+\w+)", output)[1]),
        "p99": milliseconds(re.search(r"99%\s+([\d.]+\w+)", output)[1]),
    }


def milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure(stack, mix, path, args):
    stack.workers, stack.threads, stack.worker_connections = mix
    stack.start_gunicorn()
    try:
        url = f"http://127.0.0.1:{stack.port}{path}"
        wrk(url, args.connections, 3)  # warm-up: imports, connections, fragments
        before = process_tree_cpu_seconds(stack.gunicorn.pid)
        spread = []
        midway = threading.Timer(
            args.seconds / 2,
            lambda: spread.extend(clients_per_worker(stack.gunicorn.pid, stack.port)),
        )
        midway.start()
        figures = wrk(url, args.connections, args.seconds)
        midway.join()
        cpu = process_tree_cpu_seconds(stack.gunicorn.pid) - before
        rss = worker_rss_mb(stack.gunicorn.pid)
    finally:
        stack.stop_gunicorn()
    return {**figures, "cpu_ms": cpu * 1000 / figures["requests"], "rss": rss, "spread": spread}


def clients_per_worker(pid, port):
    """How many client connections each gunicorn worker holds open, most first: wrk's
    keep-alive connections stay with the worker that accepted them."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
            established.add(f"socket:[{fields[9]}]")
    counts = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        fds = Path(f"/proc/{child}/fd")
        with contextlib.suppress(OSError):
            counts.append(sum(1 for fd in fds.iterdir() if os.readlink(fd) in established))
    return sorted(counts, reverse=True)


def worker_rss_mb(pid):
    """The largest resident set of gunicorn's workers."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024)
    return max(sizes, default=0)


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found (Debian: apt-get install wrk)")
    mixes = [parse_mix(mix) for mix in args.mixes.split(",")]
    postgres = PrivatePostgres()
    stack = UncachedStack(postgres, database="newsroom_gunicorn")
    rows = []
    try:
        stack.prepare_site()
        path = stack.manage(
            "shell",
            "-c",
            "from articles.models import Article; "
            "print(Article.objects.published().order_by('-comment_count')[0].get_absolute_url())",
        ).split()[-1]
        for mix in mixes:
            print(f"measuring {mix_name(mix)}", file=sys.stderr)
            rows.append((mix, measure(stack, mix, path, args)))
    finally:
        stack.stop_gunicorn()
        stack.drop_database()
        stack.stop_redis()
        postgres.stop()
        shutil.rmtree(stack.tmp, ignore_errors=True)
    print(
        f"Uncached story page {path}, wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"{os.cpu_count()} CPUs (load average at the end: {os.getloadavg()[0]:.1f})"
    )
    print(
        "workers x threads    req/s   p50 ms   p99 ms   p99/p50   CPU ms/req   worker RSS MB"
        "   clients per worker"
    )
    for mix, f in rows:
        print(
            f"{mix_name(mix):<19}  {f['rate']:>7.1f}"
            f"  {f['p50']:>7.1f}  {f['p99']:>7.1f}"
            f"  {f['p99'] / f['p50']:>8.1f}  {f['cpu_ms']:>11.1f}  {f['rss']:>14.0f}"
            f"   {'/'.join(map(str, f['spread']))}"
        )


def parse_mix(text):
    """ "4x4" or "4x4c4": workers, threads and worker_connections (None: the config's)."""
    match = re.fullmatch(r"(\d+)x(\d+)(?:c(\d+))?", text)
    if not match:
        sys.exit(f"error: a mix is WxT or WxTcN, not {text!r}")
    workers, threads, connections = match.groups()
    return int(workers), int(threads), connections and int(connections)


def mix_name(mix):
    workers, threads, connections = mix
    name = f"{workers:>7} x {threads or 'sync'}"
    return f"{name} c{connections}" if connections else name


if __name__ == "__main__":
    main()
