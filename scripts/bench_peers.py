"""Newsroom in the peers' benchmark (../shared/bench/peers): serve it three ways, run
measure.sh once with them as --extra rows, print its table.

Served as the peers' README says: production settings, a PostgreSQL and a Redis of its
own (scripts/stack.py), the demo newsroom, gunicorn with 4 workers (GUNICORN_WORKERS=4, as
the peers), the benchmark article loaded with the peers' newsroom/load_article.py. Three rows:

- ``newsroom-varnish``: Varnish with deploy/varnish.vcl in front of gunicorn (a hit);
- ``newsroom-pagecache``: the same gunicorn, straight (its Redis page cache: a hit);
- ``newsroom-uncached``: a second gunicorn on the same database with PAGE_CACHE_SECONDS=0;
- with ``--before REV``, ``newsroom-before``: the page uncached as Newsroom rendered it at
  commit REV (a git worktree of it, its own gunicorn.conf.py, a database of its own
  migrated and filled by that code the same way, the same virtualenv), so that a change
  is judged against the code before it in the same run.

Then the cached rows again with Accept-Encoding: gzip, and what Varnish itself costs a
hit on this machine: the same page from a Varnish that only caches, stored as sent or
gzipped (print_varnish_cost_rows).

The peers must be set up already (their setup.sh). Everything started here is stopped
at the end.

    .venv/bin/python scripts/bench_peers.py [--peers-dir ../shared/bench/peers]
        [--before REV] [-- measure.sh options, default: --conns 1,32]
"""

import argparse
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
from bench_gunicorn import process_tree_cpu_seconds, wrk
from bench_newsday import HOST, NewsdayStack
from psycopg import sql
from stack import REPO_ROOT, free_port, request, stop_process, wait_for

# ruff: noqa: S603

GIT = shutil.which("git") or "git"
PORT = 8000  # the peers' README reserves it for Newsroom
STATIC_URL = (
    "http://127.0.0.1:8081/news/first-day-of-syria-talks-end-without-apparent-breakthrough/"
)

# What Varnish costs per hit on this machine, feature by feature: the story page as
# Newsroom sends it, served by a Varnish with nothing but a cache in its VCL.
BARE_VCL = """vcl 4.1;
backend pages { .host = "127.0.0.1"; .port = "%d"; }
sub vcl_recv { return (hash); }
sub vcl_backend_response {
    set beresp.ttl = 1h;
    set beresp.do_gzip = bereq.url ~ "gzip";
}
"""


class PeersStack(NewsdayStack):
    up_path = "/healthz"

    def env(self):
        return {
            **super().env(),
            # wrk asks for 127.0.0.1:<port> over plain HTTP; the Varnish probe for HOST.
            "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
            "SITE_URL": f"http://127.0.0.1:{PORT}",
            "SECURE_SSL_REDIRECT": "False",
        }


def load_peers_article(env, peers, cwd=REPO_ROOT):
    """The peers' benchmark article, loaded with their newsroom/load_article.py; its path."""
    loaded = subprocess.run(
        [sys.executable, "manage.py", "shell"],
        stdin=(peers / "newsroom" / "load_article.py").open(),
        env={**env, "BENCH_DIR": str(peers)},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if loaded.returncode:
        raise RuntimeError(f"load_article.py failed:\n{loaded.stderr[-3000:]}")
    return loaded.stdout.strip().splitlines()[-1].split()[0]  # "<path> 3 published"


@contextlib.contextmanager
def newsroom_before(stack, revision, peers, port):
    """gunicorn serving the site uncached as commit `revision` renders it, on `port`:
    a worktree of that commit, a database of its own that its code migrated and filled
    (the demo, then the peers' article), a Redis database of its own; the same
    virtualenv. Yields the gunicorn process; everything is removed afterwards."""
    worktree = stack.tmp / "before"
    database = f"{stack.database}_before"
    env = {
        **stack.env(),
        "DATABASE_URL": stack.database_url.rsplit("/", 1)[0] + f"/{database}",
        "REDIS_URL": f"redis://127.0.0.1:{stack.redis_port}/1",
        "MEDIA_ROOT": str(stack.tmp / "media-before"),
        "STATIC_ROOT": str(stack.tmp / "static-before"),
        "PAGE_CACHE_SECONDS": "0",
    }
    process = None
    try:
        subprocess.run(
            [GIT, "worktree", "add", "--detach", str(worktree), revision],
            cwd=REPO_ROOT, check=True, capture_output=True,
        )  # fmt: skip
        with psycopg.connect(stack.postgres.maintenance_url, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        for arguments in (
            ["migrate", "--no-input"],
            ["load_demo", f"--password={secrets.token_urlsafe(16)}"],
            ["collectstatic", "--no-input", "-v", "0"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *arguments],
                cwd=worktree, env=env, check=True, capture_output=True,
            )  # fmt: skip
        load_peers_article(env, peers, cwd=worktree)
        log = stack.tmp / "gunicorn-before.log"
        process = subprocess.Popen(
            stack.gunicorn_command(port=port, root=worktree),
            cwd=worktree, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        yield process
    finally:
        stop_process(process)
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(stack.postgres.maintenance_url, autocommit=True) as connection,
        ):
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
        subprocess.run(
            [GIT, "worktree", "remove", "--force", str(worktree)],
            cwd=REPO_ROOT, check=False, capture_output=True,
        )  # fmt: skip


def print_gzip_rows(targets, path, connections=32, seconds=15):
    """The cached rows again as browsers ask for them, with Accept-Encoding: gzip, which
    measure.sh's wrk never sends: Varnish then sends the copy it keeps gzipped, where
    wrk's rows got the copy it keeps as sent (deploy/varnish.vcl keeps both)."""
    print(f"\nWith Accept-Encoding: gzip (wrk -t2 -c{connections} -d{seconds}s, 3 s warm-up):")
    print("target                   req/s   p50 ms   p99 ms   srv CPU ms/req")
    for label, (port, pid) in targets.items():
        url = f"http://127.0.0.1:{port}{path}"
        headers = ["Accept-Encoding: gzip"]
        wrk(url, connections, 3, headers)
        before = process_tree_cpu_seconds(pid)
        figures = wrk(url, connections, seconds, headers)
        cpu_ms = (process_tree_cpu_seconds(pid) - before) * 1000 / figures["requests"]
        print(
            f"{label:<22} {figures['rate']:>8,.1f} {figures['p50']:>8.2f} "
            f"{figures['p99']:>8.2f} {cpu_ms:>16.3f}"
        )


def print_varnish_cost_rows(path, connections=32, seconds=10):
    """The story page from a Varnish whose VCL only caches (BARE_VCL), stored as sent or
    gzipped, asked by a client that does not or does accept gzip; the peers' nginx
    serving its page as a file, in the same loop, is the 100%. deploy/varnish.vcl keeps
    a page both ways, and serves each client the copy it asks for: stored as sent for
    the first row, stored gzipped for the last."""
    status, _headers, page = request(PORT, "GET", path, headers={"Host": "127.0.0.1"})
    if status != 200:
        sys.exit(f"error: the story page came {status}")

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self):
            body = page
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="newsroom-bare-varnish-") as tmp:
        vcl = Path(tmp) / "bare.vcl"
        vcl.write_text(BARE_VCL % server.server_port)
        port = free_port()
        varnish = subprocess.Popen(
            [
                *("varnishd", "-F", "-j", "none", "-n", str(Path(tmp) / "varnish")),
                *("-a", f"127.0.0.1:{port}", "-f", str(vcl), "-s", "malloc,64m"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(lambda: request(port, "GET", "/")[0] == 200, 30, "varnishd")
            print(
                f"\nWhat Varnish costs on this machine: the story page ({len(page):,} bytes) "
                f"from a Varnish that only caches (wrk -t2 -c{connections} -d{seconds}s, "
                "3 s warm-up; % of nginx serving the peers' page as a file, measured between):"
            )
            print(
                f"{'served':<16} {'gzip asked':<10} {'req/s':>9} {'of nginx':>11} "
                f"{'Varnish CPU ms/req':>20}"
            )
            for label, url_path in [("stored as sent", "/"), ("stored gzipped", "/?gzip")]:
                for headers in ([], ["Accept-Encoding: gzip"]):
                    wrk(STATIC_URL, connections, 3)
                    nginx = wrk(STATIC_URL, connections, seconds)["rate"]
                    url = f"http://127.0.0.1:{port}{url_path}"
                    wrk(url, connections, 3, headers)
                    before = process_tree_cpu_seconds(varnish.pid)
                    figures = wrk(url, connections, seconds, headers)
                    cpu_ms = (process_tree_cpu_seconds(varnish.pid) - before) * 1000
                    print(
                        f"{label:<16} {'yes' if headers else 'no':<10} {figures['rate']:>9,.0f} "
                        f"{100 * figures['rate'] / nginx:>10.1f}% "
                        f"{cpu_ms / figures['requests']:>20.3f}"
                    )
        finally:
            stop_process(varnish)
            server.shutdown()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers-dir", type=Path, default=REPO_ROOT.parent / "shared/bench/peers")
    parser.add_argument(
        "--before", metavar="REV", help="add the page uncached as commit REV renders it"
    )
    parser.add_argument("measure_args", nargs="*", default=["--conns", "1,32"])
    args = parser.parse_args(argv)
    peers = args.peers_dir.resolve()
    os.chdir(REPO_ROOT)
    stack = PeersStack(argparse.Namespace(workers=4))
    stack.port = PORT
    stack.app_headers = {"Host": "127.0.0.1"}
    uncached = None
    before = contextlib.ExitStack()
    try:
        stack.prepare_site()  # with the demo newsroom: the sidebars' stories
        path = load_peers_article(stack.env(), peers)
        stack.start_gunicorn()
        stack.start_varnish()
        uncached_port = PORT + 1
        uncached = subprocess.Popen(
            stack.gunicorn_command(port=uncached_port),
            cwd=REPO_ROOT,
            env={**stack.env(), "PAGE_CACHE_SECONDS": "0"},
            stdout=(stack.tmp / "gunicorn-uncached.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(lambda: request(uncached_port, "GET", path)[0] == 200, 30, "gunicorn")
        except RuntimeError:
            log = (stack.tmp / "gunicorn-uncached.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{request(uncached_port, 'GET', path)[:2]}\n{log}") from None
        servers = [
            ("gunicorn", stack.gunicorn), ("uncached", uncached), ("varnishd", stack.varnish)
        ]  # fmt: skip
        extras = {
            "newsroom-varnish": stack.varnish_port,
            "newsroom-pagecache": PORT,
            "newsroom-uncached": uncached_port,
        }
        if args.before:
            before_port = PORT + 2
            print(f"Setting up Newsroom at {args.before}", flush=True)
            process = before.enter_context(newsroom_before(stack, args.before, peers, before_port))
            servers.append(("before", process))
            wait_for(lambda: request(before_port, "GET", path)[0] == 200, 30, "gunicorn (before)")
            extras["newsroom-before"] = before_port
        pids = []
        for name, process in servers:
            pidfile = stack.tmp / f"{name}.pid"
            pidfile.write_text(f"{process.pid}\n")
            pids.append(str(pidfile))
        print(f"Newsroom article: {path}", flush=True)
        command = [str(peers / "measure.sh"), *args.measure_args, "--extra-pids", ",".join(pids)]
        for label, port in extras.items():
            command += ["--extra", f"{label}=http://127.0.0.1:{port}{path}"]
        measured = subprocess.run(command, check=False)
        print_gzip_rows(
            {
                "newsroom-varnish": (stack.varnish_port, stack.varnish.pid),
                "newsroom-pagecache": (PORT, stack.gunicorn.pid),
            },
            path,
        )
        print_varnish_cost_rows(path)
        return measured.returncode
    finally:
        before.close()
        stop_process(uncached)
        stack.cleanup()


if __name__ == "__main__":
    sys.exit(main())
