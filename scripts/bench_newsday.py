"""A news day through the shipped stack: readers, approvals and stories; print what held.

The script builds the production stack on this machine, on loopback only:

    readers --TLS--> nginx (deploy/nginx.conf) --> Varnish (deploy/varnish.vcl)
            --> gunicorn (newsroom.settings.prod, GUNICORN x 4 workers) --> PostgreSQL, Redis

with a PostgreSQL and a Redis of its own (scripts/stack.py, as the soak), the app purging
Varnish after each commit (VARNISH_PURGE_URLS). nginx is rendered from the shipped file
the way tests/newsroom/test_nginx.py renders it (only ports, certificate and paths change;
its upstream is this Varnish) and serves TLS with a self-signed certificate; Varnish runs
the shipped VCL with only the backend's port changed (tests/varnish.py).

Content: the demo newsroom (``manage.py load_demo``) plus --stories published stories
(bench/pages.py's save_articles: one every 45 minutes, so about 32 are today's), a few
drafts to publish and pending comments to approve. That makes a few thousand distinct
URLs: stories, sections, tags, authors and Latest with their pages, feeds, sitemaps.
Every URL is read once before the clock starts (a site's cache is warm on a news day);
--no-warm-up skips that.

Then for --duration seconds:

- --readers threads (in --reader-processes processes, so that one GIL does not hold them
  all) read over keep-alive TLS connections: 30% the home page, 30% today's stories
  (newer ones more often), 40% a Zipf tail (s=1) over every other URL, newest first;
- an editor process with the app's environment approves one pending comment a second
  (``comments.services.comments_moderate``) and publishes one draft a minute
  (``articles.services.article_publish``), each in its own transaction, so the purge
  goes out after the commit as in production. A change that fails (the database is
  down) is tried again every half second until it commits;
- for each change a watcher polls the page that must show it (the story page for a
  comment, the home page for a story) every 20 ms through nginx until it does; for a
  comment, another polls the comment counts its story's cards are brought up to date
  from (comments.counts) until they give the new count;
- each read of the home page also reads the comment counts its cards ask for, as a
  browser's script does (static/js/comment-counts.js).

Printed: requests, errors (no answer or 5xx), 4xx, the share of reads answered by Varnish
(X-Cache: HIT, i.e. from its store, fresh or in grace) and varnishstat's counters,
requests reaching Django (gunicorn's access log, without Varnish's health probes) per
second, reader latency p50/p99, and staleness: from each change's commit (taken in the
editor process just after COMMIT, before the purge is sent) to the first watcher response
that shows it, p50 and max (CLOCK_MONOTONIC, shared by all processes on Linux). The
targets (issue 9): >= 99% of reads served by Varnish, staleness max <= 1 s, no errors.

--db-outage stops PostgreSQL (``pg_ctl stop -m fast``) for --outage-seconds in the middle
of the run and starts it again; the reads during the outage are counted on their own.
Changes made during the outage fail and are retried after it; their staleness still
counts from their commit.

    .venv/bin/python scripts/bench_newsday.py [--duration 60] [--readers 24]
        [--reader-processes 3] [--stories 2500] [--workers 4] [--db-outage]

The load generator shares this machine's cores with the servers it measures: compare
runs on one machine. Everything it starts is stopped, and its temporary folders removed,
when it ends, also on Ctrl-C or an error.
"""

import argparse
import bisect
import collections
import concurrent.futures
import contextlib
import datetime
import gzip
import http.client
import json
import math
import multiprocessing
import os
import queue
import random
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from stack import (
    REPO_ROOT,
    AppStack,
    PrivatePostgres,
    clean_up_when_stopped,
    free_port,
    percentile,
    stop_process,
    wait_for,
)

# A load generator that starts services: `random` picks pages and makes no secrets, and
# every command it runs is written out here.
# ruff: noqa: S311, S603, S607

sys.path.insert(0, str(REPO_ROOT))

HOST = "news.example.com"
DATABASE_NAME = "newsroom_newsday"
EDITOR_USERNAME = "admin"  # load_demo's superuser: may publish and moderate
POLL_SECONDS = 0.02
WATCH_SECONDS = 60  # a change not seen this long after it was asked for counts as lost
DRAIN_SECONDS = 20  # after the run, how long changes still in flight are waited for
REQUEST_TIMEOUT = 15
TARGET_HIT_SHARE = 0.99
TARGET_STALENESS_SECONDS = 1.0


# --- the stack ------------------------------------------------------------------------


class NewsdayStack(AppStack):
    """The soak's PostgreSQL, Redis and gunicorn, with Varnish and nginx in front."""

    up_path = "/healthz"

    def __init__(self, args):
        super().__init__(PrivatePostgres(), database=DATABASE_NAME, prefix="newsroom-newsday-")
        self.workers = args.workers
        self.app_headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        self.varnish_port = free_port()
        self.https_port = free_port()
        self.http_port = free_port()
        self.varnish_name = self.tmp / "varnish"
        self.varnish = None
        self.nginx = None
        self.cert = self.tmp / "cert.pem"

    def env(self):
        return {
            **super().env(),
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}",
            "SECURE_SSL_REDIRECT": "True",
            "VARNISH_PURGE_URLS": f"http://127.0.0.1:{self.varnish_port}/",
            # One machine, one clock: a render that began after a purge is kept.
            "PURGE_CLOCK_SKEW_SECONDS": "0",
        }

    def start_varnish(self):
        from tests.varnish import SHIPPED, render

        vcl = self.tmp / "varnish.vcl"
        vcl.write_text(render(SHIPPED.read_text(), app_port=self.port))
        # -j none: as root, varnishd would drop to the varnish user, who cannot read the
        # temporary folder. Everything else is as deploy/varnish.vcl's header says (the
        # ~3,500 pages read take ~30 MB, stored compressed).
        self.varnish = subprocess.Popen(
            [
                *("varnishd", "-F", "-j", "none", "-n", str(self.varnish_name)),
                *("-a", f"127.0.0.1:{self.varnish_port}", "-f", str(vcl), "-s", "malloc,256m"),
            ],
            stdout=(self.tmp / "varnishd.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: self.answers(self.varnish, self.varnish_port), 30, "varnishd")

    def start_nginx(self):
        from tests.newsroom.test_nginx import SHIPPED, render

        key = self.tmp / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"),
                *("-keyout", str(key), "-out", str(self.cert)),
            ],
            check=True,
            capture_output=True,
        )
        work = self.tmp / "nginx"
        work.mkdir()
        servers = render(
            SHIPPED.read_text(),
            http_port=self.http_port,
            https_port=self.https_port,
            app_port=self.varnish_port,  # the shipped upstream: Varnish
            cert=self.cert,
            key=key,
            media_root=self.tmp / "media",
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = work / "nginx.conf"
        temp_paths = "".join(
            f"  {kind}_temp_path {work}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf.write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
            f"error_log {work}/error.log;\nevents {{}}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n{temp_paths}"
            f"{servers}\n}}\n"
        )
        self.nginx = subprocess.Popen(
            ["nginx", "-p", str(work), "-c", str(conf)], start_new_session=True
        )
        wait_for(lambda: self.answers(self.nginx, self.https_port), 30, "nginx")

    @staticmethod
    def answers(process, port):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return True
        return False

    def varnishstat(self):
        result = subprocess.run(
            ["varnishstat", "-n", str(self.varnish_name), "-1", "-j"],
            capture_output=True,
            text=True,
            check=True,
        )
        counters = json.loads(result.stdout)
        counters = counters.get("counters", counters)  # varnish >= 6.5 nests them
        return {
            name: entry["value"]
            for name, entry in counters.items()
            if isinstance(entry, dict) and "value" in entry
        }

    def django_answers(self):
        """The requests gunicorn logged so far, but for Varnish's health probes, each as
        (milliseconds, path): gunicorn.conf.py's access log format."""
        with self.gunicorn_log.open(errors="replace") as log:
            return [
                (int(match[2]), match[1])
                for line in log
                if (match := ACCESS_LOG_GET.search(line)) and match[1] != "/healthz"
            ]

    def prepare(self, args):
        started = time.monotonic()
        self.prepare_site()
        output = self.python(__file__, "--role", "seed", str(args.stories), str(args.duration))
        content = json.loads(output.splitlines()[-1])
        self.start_gunicorn()
        self.start_varnish()
        self.start_nginx()
        return content, time.monotonic() - started

    def start_editor(self, script=__file__):
        """`script --role editor` with the app's environment, talking JSON lines on its
        standard input and output."""
        return subprocess.Popen(
            [sys.executable, script, "--role", "editor"],
            cwd=REPO_ROOT,
            env=self.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(self.tmp / "editor.log").open("wb"),
            text=True,
            bufsize=1,
            start_new_session=True,
        )

    def cleanup(self):
        for process in (self.nginx, self.varnish):
            stop_process(process)
        steps = [self.stop_gunicorn, self.stop_redis, self.postgres.stop]
        for step in steps:
            try:
                step()
            except Exception as error:  # go on with the rest of the clean-up
                print(f"clean-up: {error}", file=sys.stderr)
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- inside the app (--role seed, --role editor) ---------------------------------------


def setup_django():
    import django

    django.setup()


def seed(stories, duration):
    """Published stories, drafts to publish and pending comments to approve; the URLs."""
    setup_django()
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Author, Byline, Photo, Section, Tag
    from articles.pages import LAST_NUMBERED_PAGE, LISTING_PAGE_SIZE
    from bench.pages import analyze_tables, save_articles
    from comments.counts import counts_url
    from comments.models import ReaderComment, comment_fingerprint

    token = os.urandom(3).hex()
    sections = {section.slug: section for section in Section.objects.all()}
    with transaction.atomic():
        save_articles(
            stories,
            sections,
            list(Photo.objects.all()),
            list(Author.objects.all()),
            list(Tag.objects.all()),
        )
        # Drafts: one a minute, and a few more for the ones an outage delays.
        drafts = Article.objects.bulk_create(
            Article(
                headline=f"Newsday {token} story {n} ferry timetable agreed",
                slug=f"newsday-{token}-story-{n}",
                standfirst="The harbour board and the unions settle the winter timetable.",
                body="<p>The ferries will run every twenty minutes from Monday.</p>" * 6,
                section=sections[next(iter(sections))],
                status=Article.Status.DRAFT,
            )
            for n in range(math.ceil(duration / 60) + 3)
        )
        Byline.objects.bulk_create(
            Byline(article=draft, author=Author.objects.first(), position=0) for draft in drafts
        )
    analyze_tables()
    now = timezone.now()
    public = list(
        Article.objects.published().filter(published_at__lte=now).select_related("section")
    )
    public.sort(key=lambda article: article.published_at, reverse=True)
    today = [a for a in public if a.published_at > now - datetime.timedelta(hours=24)]
    # Comments go to today's stories (where readers comment), newest most often.
    article_type = ContentType.objects.get_for_model(Article)
    comments = []
    # The count each approval brings its story's cards to: approvals go in this order.
    counts = {article.pk: article.comment_count for article in today}
    for n in range(int(duration * 1.5) + 30):
        article = today[int(len(today) * random.random() ** 2)]
        text = f"Newsday {token} comment {n} the new timetable suits our school run"
        email = f"reader-{n}@example.org"
        comment = ReaderComment(
            content_type=article_type,
            object_pk=str(article.pk),
            site_id=1,
            user_name=f"Reader {n}",
            user_email=email,
            comment=text,
            submit_date=now,
            fingerprint=comment_fingerprint(article_id=article.pk, email=email, text=text),
        )
        comment.set_status(ReaderComment.Status.PENDING)
        comment.save()
        counts[article.pk] += 1
        comments.append(
            {
                "id": comment.pk,
                "url": article.get_absolute_url(),
                "marker": text,
                "story": article.pk,
                "counts_url": counts_url(article.pk),
                "count": counts[article.pk],
            }
        )
    listings = [("/latest/", Article.objects.published().count())]
    listings += [(s.get_absolute_url(), s.articles.published().count()) for s in sections.values()]
    listings += [(t.get_absolute_url(), t.articles.published().count()) for t in Tag.objects.all()]
    listings += [
        (a.get_absolute_url(), a.articles.published().count()) for a in Author.objects.all()
    ]
    first_pages, deeper_pages = [], []
    for url, count in listings:
        first_pages.append(url)
        # Old numbered links go as deep as LAST_NUMBERED_PAGE; deeper pages are cursors.
        last = min(math.ceil(count / LISTING_PAGE_SIZE), LAST_NUMBERED_PAGE)
        deeper_pages += [f"{url}?page={page}" for page in range(2, last + 1)]
    feeds = ["/feeds/", "/sitemap.xml", "/news-sitemap.xml"]
    feeds += [f"/feeds/sections/{slug}/" for slug in sections]
    feeds += [f"/feeds/tags/{tag.slug}/" for tag in Tag.objects.all()]
    feeds += [f"/feeds/authors/{author.slug}/" for author in Author.objects.all()]
    archive = [a.get_absolute_url() for a in public if a not in today]
    return {
        "today": [a.get_absolute_url() for a in today],
        # The tail, roughly by how often it is read: listings' first pages, the archive
        # newest first, feeds, then the deeper pages of the listings.
        "tail": first_pages + archive + feeds + deeper_pages,
        "comments": comments,
        "drafts": [{"id": d.pk, "marker": d.headline} for d in drafts],
    }


def editor():
    """Read changes to make, one JSON line each, from stdin; make each in a transaction of
    its own, retrying while the database is down; say when each committed."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, InterfaceError, connection, transaction

    from articles.models import Article
    from articles.services import article_publish
    from comments.models import ReaderComment
    from comments.services import comments_moderate

    def approve(pk, by):
        comment = ReaderComment.objects.get(pk=pk)
        comments_moderate(comments=[comment], status=ReaderComment.Status.PUBLIC, by=by)

    def publish(pk, by):
        article_publish(article=Article.objects.get(pk=pk), by=by)

    changes = {"comment": approve, "story": publish}
    user = None
    for line in sys.stdin:
        change = json.loads(line)
        deadline = time.monotonic() + WATCH_SECONDS
        attempts, error = 0, ""
        while time.monotonic() < deadline:
            attempts += 1
            committed = {}
            try:
                user = user or get_user_model().objects.get(username=EDITOR_USERNAME)
                with transaction.atomic():
                    # Registered first, so it runs first after COMMIT: before the purge.
                    transaction.on_commit(lambda c=committed: c.setdefault("at", time.monotonic()))
                    changes[change["kind"]](change["id"], user)
                purged = time.monotonic()  # the purges ran after COMMIT, before this
                print(
                    json.dumps(
                        {
                            **change,
                            "committed": committed["at"],
                            "purged": purged,
                            "attempts": attempts,
                        }
                    ),
                    flush=True,
                )
                break
            except (DatabaseError, InterfaceError) as exc:
                error = f"{type(exc).__name__}: {exc}".splitlines()[0]
                with contextlib.suppress(Exception):
                    connection.close()
                time.sleep(0.5)
        else:
            print(json.dumps({**change, "failed": error, "attempts": attempts}), flush=True)


# A GET in gunicorn's access log (gunicorn.conf.py's access_log_format): path, milliseconds.
ACCESS_LOG_GET = re.compile(r'"GET (\S+) HTTP/[\d.]+" \d+ \S+ (\d+)ms')

# --- readers and watchers ---------------------------------------------------------------


def connect(port, cafile):
    context = ssl.create_default_context(cafile=cafile)
    return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=REQUEST_TIMEOUT)


# As a browser asks: Varnish serves the copy it keeps in Brotli.
HEADERS = {"Host": HOST, "Accept-Encoding": "gzip, deflate, br", "User-Agent": "newsday-bench"}


def decoded(headers, body):
    coding = headers.get("Content-Encoding")
    return {"gzip": gzip.decompress, "br": brotli.decompress}.get(coding, bytes)(body)


def get(connection, path):
    """(status, headers, body) of a GET on a kept-alive connection; status 0 if none."""
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    except (OSError, http.client.HTTPException) as error:
        connection.close()  # the next request opens a new connection
        return 0, {"X-Cache": type(error).__name__}, b""


@dataclass
class Mix:
    """Where reads go: the home page, today's stories, the tail; each list by rank."""

    today: list
    tail: list
    # The comment counts the home page's cards ask for, read with it.
    home_counts: list = field(default_factory=list)
    shares: tuple = (0.3, 0.3, 0.4)
    weights: dict = field(default_factory=dict)

    def __post_init__(self):
        # Zipf (s=1) by rank within each list: cumulative weights for bisect.
        for name in ("today", "tail"):
            total, cumulative = 0.0, []
            for rank in range(len(getattr(self, name))):
                total += 1 / (rank + 1)
                cumulative.append(total)
            self.weights[name] = cumulative

    def pick(self, rng):
        draw = rng.random()
        if draw < self.shares[0]:
            return "/"
        name = "today" if draw < self.shares[0] + self.shares[1] else "tail"
        cumulative = self.weights[name]
        index = bisect.bisect_left(cumulative, rng.random() * cumulative[-1])
        return getattr(self, name)[index]


def reader_process(number, threads, port, cafile, mix, start_at, stop_at, niceness):
    """`threads` readers until stop_at (a time.monotonic()); each read as
    (started, seconds, status, X-Cache). The readers stand for other machines: at
    `niceness`, they take the CPU the stack leaves rather than the CPU it needs."""
    os.nice(niceness)
    samples = []
    lock = threading.Lock()

    def read(seed):
        rng = random.Random(seed)
        connection = connect(port, cafile)
        mine = []
        while time.monotonic() < start_at:
            time.sleep(0.01)
        for _ in range(10_000_000):  # bounded; the clock ends it long before
            started = time.monotonic()
            if started >= stop_at:
                break
            url = mix.pick(rng)
            status, headers, _body = get(connection, url)
            ended = time.monotonic()
            mine.append((started, ended - started, status, headers.get("X-Cache", "")))
            if url == "/" and status == 200:
                # What the page's script asks for next.
                for counts in mix.home_counts:
                    started = time.monotonic()
                    status, headers, _body = get(connection, counts)
                    ended = time.monotonic()
                    mine.append((started, ended - started, status, headers.get("X-Cache", "")))
        connection.close()
        with lock:
            samples.extend(mine)

    pool = [threading.Thread(target=read, args=(number * 1000 + i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(stop_at - time.monotonic() + REQUEST_TIMEOUT + 5)
    return samples


@dataclass
class Change:
    kind: str  # "comment", "count" (a comment's, for its story's cards) or "story"
    id: int  # the comment's, the story's
    url: str  # the page that must show it
    marker: str  # what it shows
    asked: float = 0.0
    committed: float | None = None
    purged: float | None = None
    attempts: int = 0
    failed: str = ""
    seen: float | None = None
    seen_before_commit: bool = False
    polls: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    # Changes seen elsewhere that this one's commit makes (a comment's count).
    followers: list = field(default_factory=list)

    def shown_in(self, body):
        if self.kind == "count":  # the marker is the count, in the counts document
            # At least: the next approval on the story may come before the next poll.
            return json.loads(body)["counts"].get(str(self.id), 0) >= int(self.marker)
        return self.marker.encode() in body

    @property
    def staleness(self):
        if self.seen is None or self.committed is None:
            return None
        return self.seen - self.committed


def watch(change, port, cafile, stop_at):
    """Poll the page every POLL_SECONDS until it shows the change (or time is up)."""
    connection = connect(port, cafile)
    for _ in range(int(WATCH_SECONDS / POLL_SECONDS)):
        started = time.monotonic()
        if started > stop_at:
            break
        status, headers, body = get(connection, change.url)
        change.polls += 1
        body = decoded(headers, body)
        if status == 200 and change.shown_in(body):
            change.seen = time.monotonic()
            if change.committed is None:
                # Shown before the editor said it committed: the commit time is on its way
                # (the pipe); shown before the commit itself would be a bug.
                change.done.wait(5)
                if change.committed is None or change.committed > change.seen:
                    change.seen_before_commit = True
            break
        time.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - started)))
    connection.close()


# --- the run ----------------------------------------------------------------------------


class Newsday:
    def __init__(self, args, stack, content):
        self.args = args
        self.stack = stack
        self.content = content
        self.changes = []
        self.by_id = {}
        self.watchers = []
        self.events = {}

    def warm_up(self, mix):
        """Every URL once, with a few threads: a news site's cache is warm."""
        urls = ["/", *mix.today, *mix.tail]
        todo = queue.Queue()
        for url in urls:
            todo.put(url)
        statuses = {}

        def fetch():
            connection = connect(self.stack.https_port, str(self.stack.cert))
            while True:
                try:
                    url = todo.get_nowait()
                except queue.Empty:
                    break
                statuses[url] = get(connection, url)[0]
            connection.close()

        threads = [threading.Thread(target=fetch) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        bad = {url: status for url, status in statuses.items() if status != 200}
        return len(urls), bad

    def read_editor(self, editor):
        for line in editor.stdout:
            report = json.loads(line)
            change = self.by_id[(report["kind"], report["id"])]
            for made in (change, *change.followers):
                made.committed = report.get("committed")
                made.purged = report.get("purged")
                made.attempts = report.get("attempts", 0)
                made.failed = report.get("failed", "")
                made.done.set()

    def ask(self, editor, change, stop_at):
        self.by_id[(change.kind, change.id)] = change
        for watched in (change, *change.followers):
            watched.asked = time.monotonic()
            self.changes.append(watched)
            watcher = threading.Thread(
                target=watch,
                args=(watched, self.stack.https_port, str(self.stack.cert), stop_at),
                daemon=True,
            )
            watcher.start()
            self.watchers.append(watcher)
        editor.stdin.write(json.dumps({"kind": change.kind, "id": change.id}) + "\n")
        editor.stdin.flush()

    def outage(self, origin):
        """PostgreSQL down for --outage-seconds in the middle of the run."""
        begin = origin + (self.args.duration - self.args.outage_seconds) / 2
        time.sleep(max(0.0, begin - time.monotonic()))
        self.events["outage_began"] = time.monotonic()
        self.stack.postgres.pause()
        self.events["outage_stopped"] = time.monotonic()
        time.sleep(max(0.0, begin + self.args.outage_seconds - time.monotonic()))
        self.events["outage_restarting"] = time.monotonic()
        self.stack.postgres.resume()
        self.events["outage_ended"] = time.monotonic()

    def run(self):
        args, stack = self.args, self.stack
        mix = Mix(self.content["today"], self.content["tail"])
        started = time.monotonic()
        if args.warm_up:
            count, bad = self.warm_up(mix)
            print(
                f"Warm-up: {count} URLs read once in {time.monotonic() - started:.0f} s"
                + (f"; not 200: {dict(list(bad.items())[:5])} ({len(bad)})" if bad else "")
                + (", left out of the readers' mix" if bad else "")
            )
            # A numbered page past a section's end (its front's stories are not listed).
            mix = Mix(
                [url for url in mix.today if url not in bad],
                [url for url in mix.tail if url not in bad],
            )
        connection = connect(stack.https_port, str(stack.cert))
        _status, headers, body = get(connection, "/")
        connection.close()
        body = decoded(headers, body)
        found = re.findall(rb'data-comment-counts="([^"]+)"', body)
        mix.home_counts = sorted({url.decode() for url in found})
        print(f"The home page's cards ask for {len(mix.home_counts)} counts documents.")
        editor = stack.start_editor()
        threading.Thread(target=self.read_editor, args=(editor,), daemon=True).start()
        comments = iter(self.content["comments"])
        drafts = iter(self.content["drafts"])
        origin = time.monotonic() + 3  # the readers' processes start meanwhile
        stop_at = origin + args.duration
        before = {"varnish": stack.varnishstat(), "django": len(stack.django_answers())}
        context = multiprocessing.get_context("spawn")
        per_process = math.ceil(args.readers / args.reader_processes)
        with concurrent.futures.ProcessPoolExecutor(args.reader_processes, context) as pool:
            futures = [
                pool.submit(
                    reader_process,
                    n,
                    per_process,
                    stack.https_port,
                    str(stack.cert),
                    mix,
                    origin,
                    stop_at,
                    args.reader_niceness,
                )
                for n in range(args.reader_processes)
            ]
            outage = None
            if args.db_outage:
                outage = threading.Thread(target=self.outage, args=(origin,), daemon=True)
                outage.start()
            second = 0
            while (now := time.monotonic()) < stop_at - 1 and second < 100_000:
                moment = origin + second
                time.sleep(max(0.0, moment - now))
                if second % args.story_every == 5 % args.story_every:
                    draft = next(drafts, None)
                    if draft:
                        story = Change("story", draft["id"], "/", draft["marker"])
                        self.ask(editor, story, stop_at + DRAIN_SECONDS)
                if second >= 1 and (comment := next(comments, None)):
                    count = Change(
                        "count", comment["story"], comment["counts_url"], str(comment["count"])
                    )
                    change = Change("comment", comment["id"], comment["url"], comment["marker"])
                    change.followers.append(count)
                    self.ask(editor, change, stop_at + DRAIN_SECONDS)
                second += 1
            samples = [sample for future in futures for sample in future.result()]
        answers = stack.django_answers()
        after = {"varnish": stack.varnishstat(), "django": len(answers), "answers": answers}
        if outage is not None:
            outage.join(60)
        editor.stdin.close()
        for watcher in self.watchers:
            watcher.join(max(0.1, stop_at + DRAIN_SECONDS - time.monotonic()))
        editor.wait(DRAIN_SECONDS)
        return samples, before, after, origin


def stat_delta(before, after, name):
    return after.get(name, 0) - before.get(name, 0)


def report(newsday, samples, before, after, origin):
    args = newsday.args
    duration = args.duration
    reads = [s for s in samples if s[0] >= origin]
    errors = [s for s in reads if s[2] == 0 or s[2] >= 500]
    client_errors = [s for s in reads if 400 <= s[2] < 500]
    hits = [s for s in reads if s[3] == "HIT"]
    varnish = {
        name: stat_delta(before["varnish"], after["varnish"], f"MAIN.{name}")
        for name in ("cache_hit", "cache_hit_grace", "cache_miss", "cache_hitpass",
                     "cache_hitmiss", "s_pass", "backend_req", "n_expired", "n_lru_nuked",
                     "client_req")
    }  # fmt: skip
    django = after["django"] - before["django"]
    rows = [("all reads", reads)]
    if "outage_began" in newsday.events:
        began, ended = newsday.events["outage_began"], newsday.events["outage_ended"]
        rows += [
            ("before outage", [s for s in reads if s[0] < began]),
            ("during outage", [s for s in reads if began <= s[0] < ended]),
            ("after outage", [s for s in reads if s[0] >= ended]),
        ]
    print()
    header = (
        f"{'reads':<15}{'requests':>9}{'req/s':>7}{'errors':>7}{'4xx':>5}{'Varnish':>9}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, rows_samples in rows:
        span = (max(s[0] for s in rows_samples) - min(s[0] for s in rows_samples)) or 1
        lat = [s[1] * 1000 for s in rows_samples]
        print(
            f"{label:<15}{len(rows_samples):>9}{len(rows_samples) / span:>7.0f}"
            f"{sum(s[2] == 0 or s[2] >= 500 for s in rows_samples):>7}"
            f"{sum(400 <= s[2] < 500 for s in rows_samples):>5}"
            f"{100 * sum(s[3] == 'HIT' for s in rows_samples) / len(rows_samples):>8.2f}%"
            f"{percentile(lat, 0.5):>8.1f}{percentile(lat, 0.99):>8.1f}{max(lat):>8.0f}"
        )
    print("-" * len(header))
    if errors:
        kinds = collections.Counter(f"{s[2]} {s[3]}".strip() for s in errors)
        print("errors: " + ", ".join(f"{kind} x{count}" for kind, count in kinds.most_common()))
    print("Varnish: the share of reads answered X-Cache: HIT (from Varnish's store, fresh or")
    print("in grace); errors: no answer or 5xx.")
    print()
    print(
        "varnishstat over the run: "
        + ", ".join(f"{name} {value}" for name, value in varnish.items())
    )
    lookups = varnish["cache_hit"] + varnish["cache_miss"] + varnish["cache_hitpass"]
    lookups += varnish["cache_hitmiss"] + varnish["s_pass"]
    if lookups:
        print(
            f"  cache_hit / (hit + miss + hitpass + hitmiss + pass): "
            f"{100 * varnish['cache_hit'] / lookups:.2f}% (watchers' polls and purges included)"
        )
    print(
        f"Requests reaching Django: {django} ({django / duration:.1f}/s; gunicorn's access log, "
        f"without the health probes); Varnish backend_req {varnish['backend_req']} "
        f"({varnish['backend_req'] / duration:.1f}/s)"
    )
    answered = sorted(after["answers"][before["django"] :], reverse=True)
    if answered:
        print(
            f"  their time in gunicorn: median {statistics.median(ms for ms, _ in answered)} ms;"
            " slowest: " + ", ".join(f"{ms} ms {path}" for ms, path in answered[:3])
        )

    print()
    print(f"{'changes':<10}{'asked':>6}{'seen':>6}{'retried':>8}{'failed':>7}"
          f"{'p50 s':>8}{'p90 s':>8}{'max s':>8}{f'> {TARGET_STALENESS_SECONDS:g} s':>7}"
          f"{'purge p50 ms':>13}")  # fmt: skip
    all_stale = []
    for kind in ("comment", "count", "story"):
        changes = [c for c in newsday.changes if c.kind == kind]
        stale = [c.staleness for c in changes if c.staleness is not None]
        all_stale += stale
        purges = [(c.purged - c.committed) * 1000 for c in changes if c.purged and c.committed]
        print(
            f"{kind:<10}{len(changes):>6}{len(stale):>6}"
            f"{sum(c.attempts > 1 for c in changes):>8}{sum(bool(c.failed) for c in changes):>7}"
            f"{percentile(stale, 0.5):>8.3f}{percentile(stale, 0.9):>8.3f}"
            f"{max(stale, default=math.nan):>8.3f}"
            f"{sum(s > TARGET_STALENESS_SECONDS for s in stale):>7}"
            f"{percentile(purges, 0.5):>13.1f}"
        )
    print("staleness: from a change's commit to the first response through nginx that shows it")
    print("(the watcher polls every 20 ms); purge: from the commit to the purge's answer.")
    delayed = [c for c in newsday.changes if c.attempts > 1]
    if delayed:
        print(f"  changes retried (the database was down): {len(delayed)}; their staleness "
              f"max {max((c.staleness or 0) for c in delayed):.3f} s")  # fmt: skip
    early = [c for c in newsday.changes if c.seen_before_commit]
    if early:
        print(f"  SHOWN BEFORE ITS COMMIT: {len(early)} changes")

    print()
    hit_share = len(hits) / max(len(reads), 1)
    checks = [
        (f">= {100 * TARGET_HIT_SHARE:.0f}% of reads served by Varnish "
         f"({100 * hit_share:.2f}%)", hit_share >= TARGET_HIT_SHARE),
        (f"staleness max <= {TARGET_STALENESS_SECONDS:g} s "
         f"({max(all_stale, default=math.nan):.3f} s)",
         bool(all_stale) and max(all_stale) <= TARGET_STALENESS_SECONDS),
        (f"no errors ({len(errors)}) and no 4xx ({len(client_errors)})",
         not errors and not client_errors),
        ("every change committed and seen",
         all(c.staleness is not None for c in newsday.changes)),
    ]  # fmt: skip
    for label, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {label}")
    return 0 if all(passed for _label, passed in checks) else 1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--readers", type=int, default=24, help="reader threads (default 24)")
    parser.add_argument(
        "--reader-processes", type=int, default=3, help="processes they run in (default 3)"
    )
    parser.add_argument(
        "--stories", type=int, default=2500, help="published stories added (default 2500)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument(
        "--story-every", type=int, default=60, help="seconds between stories (default 60)"
    )
    parser.add_argument(
        "--reader-niceness",
        type=int,
        default=10,
        help="the readers' processes run at this nice value (default 10): on this one box "
        "they stand for other machines, and must not starve the stack they measure",
    )
    parser.add_argument("--db-outage", action="store_true", help="stop PostgreSQL mid-run")
    parser.add_argument("--outage-seconds", type=float, default=10)
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    parser.add_argument("--keep-logs", type=Path, help="copy the servers' logs to this folder")
    parser.add_argument("--role", choices=["seed", "editor"], help=argparse.SUPPRESS)
    parser.add_argument("role_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.role and args.duration < 20:
        parser.error("--duration must be at least 20 seconds")
    if args.db_outage and args.outage_seconds >= args.duration - 4:
        parser.error("the outage must fit in the run")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.role == "seed":
        print(json.dumps(seed(int(args.role_args[0]), float(args.role_args[1]))))
        return 0
    if args.role == "editor":
        editor()
        return 0
    clean_up_when_stopped()
    os.chdir(REPO_ROOT)
    for program in ("varnishd", "varnishstat", "nginx", "openssl"):
        if not shutil.which(program):
            raise SystemExit(f"{program} not found (Debian: varnish varnish-modules nginx-light)")
    outage = f"PostgreSQL stopped for {args.outage_seconds:g} s mid-run, " if args.db_outage else ""
    print(
        f"Newsday: {args.duration:g} s, {args.readers} readers in {args.reader_processes} "
        f"processes at nice {args.reader_niceness}, {outage}"
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    stack = NewsdayStack(args)
    status = 1
    try:
        content, seconds = stack.prepare(args)
        urls = 1 + len(content["today"]) + len(content["tail"])
        print(
            f"Set up in {seconds:.0f} s: nginx (TLS) :{stack.https_port} -> Varnish "
            f":{stack.varnish_port} -> gunicorn :{stack.port} ({stack.workers_description()}, "
            f"newsroom.settings.prod) -> PostgreSQL :"
            f"{stack.postgres.port}, Redis :{stack.redis_port}"
        )
        print(
            f"  {urls} URLs: home, {len(content['today'])} of today's stories, "
            f"{len(content['tail'])} others; {len(content['comments'])} pending comments, "
            f"{len(content['drafts'])} drafts"
        )
        newsday = Newsday(args, stack, content)
        samples, before, after, origin = newsday.run()
        print(f"Done; load average {os.getloadavg()[0]:.1f}")
        status = report(newsday, samples, before, after, origin)
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for name in ("gunicorn.log", "varnishd.log", "editor.log"):
                with contextlib.suppress(OSError):
                    shutil.copyfile(stack.tmp / name, args.keep_logs / name)
    except KeyboardInterrupt:
        print("\nInterrupted; cleaning up.", file=sys.stderr)
        status = 130
    finally:
        stack.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
