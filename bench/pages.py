"""Measure what each public page of Newsroom costs at scale, and print the figures.

The script builds a throwaway newsroom: by default 2,000 published articles over 5
sections, 30 authors, 60 tags and 20 photos, plus a few drafts and scheduled articles.
It uses a temporary SQLite file, or a PostgreSQL database that it creates and drops, and
a temporary MEDIA_ROOT, so the developer's own database and media are never touched.
Each public page then goes through Django's test client in this process, after one
warm-up request, and the script reports:

- the SQL queries of one request, the response size and the tracemalloc peak of one
  request;
- with the page cache off, the median and 95th-percentile wall time of --requests
  requests;
- with the page cache off, the median CPU time of --requests requests (this thread's
  CPU clock, so other processes on the machine do not count), and where it goes: SQL,
  the ORM, templates and the rest, each the median of --requests more requests with the
  instrumentation of bench/breakdown.py on; and the median CPU of the first render
  with no part kept, after a comment is approved on the benched story, and after a
  story is published in the benched section, tag and author;
- with the page cache on (PAGE_CACHE_SECONDS=600), the time of the first request, a miss
  that starts a new cache generation and stores the page, and the median of --requests
  hits, each checked for ``X-Page-Cache: hit`` (a miss for the pages never kept: a
  search, a page past newsroom.pagecache.MAX_CACHED_PAGE);
- the peak RSS of the whole process.

The tests never time anything; speed is measured here. Run it from the repository root:

    .venv/bin/python bench/pages.py [--articles N] [--requests R]
        [--database-url postgres://postgres@127.0.0.1:5432/newsroom_bench]
        [--redis-url redis://127.0.0.1:6379/0] [--save-html DIR] [--only PATTERN]
        [--profile warm|cold|approved|published|unread]

With --profile, it prints instead where each page's CPU goes (cProfile), for the renders
of that kind the CPU table measures: where to look before the next change.

The exit code is 0 when every page answers 200 and every cached request is a hit;
otherwise the script exits with a message.
"""

import argparse
import contextlib
import cProfile
import gc
import itertools
import math
import os
import platform
import pstats
import re
import resource
import shlex
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from dataclasses import dataclass
from datetime import timedelta
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

import django
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from psycopg import sql

from bench.breakdown import CATEGORIES, instrumented
from bench.framestack import on_own_frame_stack

# The project's own modules (articles, newsroom, tests.factories) are imported inside the
# functions that use them: they need django.setup(), which configure_django() runs.

REPO_ROOT = Path(__file__).resolve().parent.parent
PHOTO_COUNT = 20
AUTHOR_COUNT = 30
TAG_COUNT = 60
# About 32 articles a day, so 2,000 articles cover two months.
MINUTES_BETWEEN_ARTICLES = 45
MUST_READ_INDEXES = {1, 4, 9, 16, 25}
# The articles are written from the 44 demo articles; 6 of their headlines name the club.
SEARCH_WORD = "Harbourers"
CACHE_ON_SECONDS = 600
COMMENT_THREADS = 4  # a comment, a reply and a reply to it each: 12 on the story


@dataclass
class PageFigures:
    label: str
    path: str
    queries: int
    size_kb: float
    alloc_peak_kb: float
    off_median_ms: float
    off_p95_ms: float
    miss_ms: float
    hit_median_ms: float
    cpu_ms: float
    cpu_cold_ms: float
    cpu_approved_ms: float
    cpu_published_ms: float
    cpu_parts_ms: dict[str, float]
    sql_wall_ms: float


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=positive_int, default=2000, metavar="N")
    parser.add_argument("--requests", type=positive_int, default=50, metavar="R")
    parser.add_argument(
        "--database-url",
        type=postgres_url,
        help="a PostgreSQL database to create and drop (default: a temporary SQLite file)",
    )
    parser.add_argument("--redis-url", help="use Redis as the cache (default: local memory)")
    parser.add_argument(
        "--save-html",
        type=Path,
        metavar="DIR",
        help="write each page's HTML there, to compare the pages before and after a change",
    )
    parser.add_argument("--only", help="measure only the pages whose label matches (regex)")
    parser.add_argument(
        "--profile",
        choices=PROFILED_RENDERS,
        help="instead of the tables, print where the CPU of each page's render of that kind "
        "(unread: the pages nobody has read) "
        "goes (cProfile, the functions that take the most, by their own time and with "
        "what they call)",
    )
    return parser.parse_args()


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def postgres_url(text):
    parts = urlsplit(text)
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/"):
        raise argparse.ArgumentTypeError("expected postgres://user@host:port/database")
    return text


def log(message):
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def throwaway_postgres(url):
    """Create the database if missing and drop it afterwards; never reuse one with tables."""
    parts = urlsplit(url)
    dbname = parts.path.strip("/")
    name = sql.Identifier(dbname)
    maintenance_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if found:
            refuse_database_with_tables(url)
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield
    finally:
        with psycopg.connect(maintenance_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def refuse_database_with_tables(url):
    with psycopg.connect(url) as conn:
        (tables,) = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    if tables:
        sys.exit(
            f"error: {url} already has tables. The bench drops its database at the end, "
            "so give it an empty or missing one."
        )


def configure_django(database_url, scratch, redis_url):
    """Test settings on the bench's own database, media and static folders."""
    (scratch / "static").mkdir()  # whitenoise warns about a missing STATIC_ROOT
    # The settings read these from the environment when first used.
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["STATIC_ROOT"] = str(scratch / "static")
    sys.path.insert(0, str(REPO_ROOT))  # run as bench/pages.py, the project is one level up
    settings.PHOTO_RENDITION_WIDTHS = (480, 800)
    # Production's fragment cache (the test settings turn it off).
    settings.FRAGMENT_CACHE_SECONDS = 600
    # A local memory cache as large as a production Redis: Django's default of 300
    # entries evicts the parts kept for other pages, which Redis would keep.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }
    if redis_url:
        settings.CACHES = {
            "default": {
                # Production's backend (newsroom/settings/base.py): a kept part and its
                # keys' purges in one round trip.
                "BACKEND": "newsroom.cache.CircuitBreakerRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": f"newsroom-bench-{uuid.uuid4().hex[:8]}",
            }
        }
    django.setup()
    gc.freeze()  # what a gunicorn worker does once loaded (gunicorn.conf.py)


def build_newsroom(article_count):
    """Sections, photos, authors and tags with the factories; articles with bulk_create.

    Saving each article with ArticleFactory, bylines, tags and corrections runs 16 queries
    an article: 2,000 take 6 s on SQLite and 12 s on PostgreSQL, 20,000 one and two
    minutes. Built with ArticleFactory.build() and saved in bulk, they take 1.0 and 1.4 s,
    and 20,000 take 13 and 16 s.
    """
    from demo import reader
    from demo.drawing import PALETTES
    from tests import factories

    sections = {
        data["slug"]: factories.SectionFactory(**data, position=position)
        for position, data in enumerate(reader.sections())
    }
    photos = [
        factories.PhotoFactory(dimensions=(960, 540), palette=palette, seed=seed)
        for seed, palette in zip(range(PHOTO_COUNT), cycle(PALETTES), strict=False)
    ]
    authors = [
        factories.AuthorFactory(**data, photo=photo)
        for data, photo in zip(reader.authors(), photos, strict=False)
    ]
    authors += factories.AuthorFactory.create_batch(AUTHOR_COUNT - len(authors))
    tags = [factories.TagFactory(**data) for data in reader.tags()]
    tags += factories.TagFactory.create_batch(TAG_COUNT - len(tags))
    published = save_articles(article_count, sections, photos, authors, tags)
    add_comments(published[0])
    add_ads(sections)
    editor = factories.UserFactory(username="bench-editor", is_superuser=True)
    return {
        "article": published[0],
        "section": next(iter(sections.values())),
        "fronted_section": publish_section_front(list(sections.values())[1], editor),
        "tag": tags[0],
        "author": authors[0],
        "editor": editor,
    }


def publish_section_front(section, editor):
    """A section whose page has a front above its list: the new front's default layout
    (13 stories in two blocks), published."""
    from fronts import services
    from fronts.models import Front

    front = services.front_create(front=Front(section=section), by=editor)
    services.front_publish(front=front, by=editor)
    return section


def article_schedule(article_count):
    """(status, publish time) of every article: the published ones newest first, then a
    few drafts, articles in review and scheduled articles."""
    from django.utils import timezone

    from articles.models import Article

    now = timezone.now()
    published = [
        (Article.Status.PUBLISHED, now - timedelta(minutes=MINUTES_BETWEEN_ARTICLES * (i + 1)))
        for i in range(article_count)
    ]
    unpublished = [(Article.Status.DRAFT, None)] * 6 + [(Article.Status.REVIEW, None)] * 3
    scheduled = [(Article.Status.PUBLISHED, now + timedelta(hours=hours)) for hours in (6, 24, 72)]
    return now, published + unpublished + scheduled


def build_article(index, template, status, published_at, sections, photos, now):
    from django.utils.html import escape

    from tests import factories

    is_must_read = index in MUST_READ_INDEXES
    return factories.ArticleFactory.build(
        headline=template.headline,
        slug=f"{template.slug[:100]}-{index}",
        standfirst=template.standfirst,
        body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in template.paragraphs),
        section=sections[template.section],
        hero_photo=None if index % 4 == 3 else photos[index % len(photos)],
        agency=template.agency,
        dateline=template.dateline,
        status=status,
        published_at=published_at,
        is_must_read=is_must_read,
        must_read_until=now + timedelta(days=2) if is_must_read else None,
    )


def save_articles(article_count, sections, photos, authors, tags):
    """Save the articles, 2 or 3 bylines and 3 tags each, and a correction on one in 20."""
    from django.db.models import F

    from articles.models import Article, Byline, Correction
    from demo import reader
    from tests import factories

    now, schedule = article_schedule(article_count)
    templates = cycle(reader.stories())
    articles = Article.objects.bulk_create(
        build_article(index, next(templates), status, published_at, sections, photos, now)
        for index, (status, published_at) in enumerate(schedule)
    )
    Byline.objects.bulk_create(
        Byline(
            article=article,
            author=authors[(index + 11 * position) % len(authors)],
            position=position,
        )
        for index, article in enumerate(articles)
        for position in range(2 + index % 2)
    )
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article=article, tag=tags[(index + 20 * offset) % len(tags)])
        for index, article in enumerate(articles)
        for offset in range(3)
    )
    kinds = cycle(Correction.Kind)
    published = articles[:article_count]
    Correction.objects.bulk_create(
        factories.CorrectionFactory.build(
            article=article,
            kind=next(kinds),
            created_at=min(article.published_at + timedelta(hours=3), now),
        )
        for article in published[::20]
    )
    # As if each article was last saved when it went live: "Updated" only after a correction.
    Article.objects.filter(published_at__lte=now).update(updated_at=F("published_at"))
    return published


def add_comments(article):
    """A thread under the benched story: top-level comments, replies, replies to replies."""
    from articles.models import Article
    from tests import factories

    for _ in range(COMMENT_THREADS):
        comment = factories.ReaderCommentFactory(article=article)
        reply = factories.ReaderCommentFactory(parent=comment)
        factories.ReaderCommentFactory(parent=reply)
    Article.objects.filter(pk=article.pk).update(comment_count=COMMENT_THREADS * 3)


def add_ads(sections):
    """A live image creative in every placement, and a sponsorship for one section."""
    from ads.models import Creative
    from ads.placements import REGISTRY
    from tests import factories

    factories.CreativeFactory(placements=[key for key, *_ in REGISTRY])
    factories.CreativeFactory(
        placements=["sidebar-top"],
        sections=list(sections.values())[:1],
        priority=Creative.Priority.SPONSORSHIP,
    )


def analyze_tables():
    """Give PostgreSQL's planner statistics on the new rows now, as autovacuum would a
    minute or so after the load: in the middle of the measurements, changing the plans."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def deepest_page(section):
    """The last page of a section's list: the one after its 21st oldest story (the list
    goes back by a cursor, articles.pages.ListingCursor)."""
    from articles.models import Article
    from articles.pages import LISTING_PAGE_SIZE, ListingCursor

    stories = Article.objects.published().filter(section=section)
    last_before = stories.order_by("published_at", "pk")[LISTING_PAGE_SIZE]
    return f"{section.get_absolute_url()}{ListingCursor.of(last_before).query()}"


def public_pages(newsroom):
    from django.urls import reverse

    section_url = newsroom["section"].get_absolute_url()
    return [
        ("home", reverse("fronts:home")),
        ("article", newsroom["article"].get_absolute_url()),
        ("latest", reverse("articles:latest")),
        ("section", section_url),
        ("section, deepest page", deepest_page(newsroom["section"])),
        ("section with a front", newsroom["fronted_section"].get_absolute_url()),
        ("tag", newsroom["tag"].get_absolute_url()),
        ("author", newsroom["author"].get_absolute_url()),
        ("search", f"{reverse('articles:search')}?q={SEARCH_WORD}"),
        ("feed", reverse("articles:feed")),
        ("articles sitemap", reverse("sitemap-section", kwargs={"section": "articles"})),
        ("news sitemap", reverse("sitemap-news")),
    ]


UNREAD_STORIES = "a story nobody has read"
UNREAD_ARCHIVE_PAGES = "a section archive page nobody has read"


def unread_pages(newsroom, count, only=None, *, minimum=2):
    """Pages of two kinds that nobody has asked for in this run, `count` of each at
    most: stories (each given the benched story's thread first) and pages of the benched
    section's archive that share no story; only the kinds whose label matches `only`
    (a regex), if given, and holding `minimum` pages at least. What a miss costs when
    its own parts are not kept and only what it shares with every page of its kind is
    (the navigation, Latest, the ads' choice...): a story nobody has read this hour, a
    deep archive page."""
    from articles.models import Article
    from articles.pages import LISTING_PAGE_SIZE, ListingCursor

    kinds = []
    if not only or re.search(only, UNREAD_STORIES):
        others = Article.objects.published().exclude(pk=newsroom["article"].pk).order_by("pk")
        others = list(others)
        stories = others[:: max(1, len(others) // count)][:count]  # spread over the archive
        for story in stories:
            add_comments(story)
        kinds.append((UNREAD_STORIES, [story.get_absolute_url() for story in stories]))
    if not only or re.search(only, UNREAD_ARCHIVE_PAGES):
        section = newsroom["section"]
        in_section = Article.objects.published().filter(section=section)
        newest_first = list(in_section.order_by("-published_at", "-pk"))
        # Pages after every 20th story: each holds 20 stories no other one shows.
        after = newest_first[LISTING_PAGE_SIZE * 2 :: LISTING_PAGE_SIZE][:count]
        archive = section.get_absolute_url()
        pages = [f"{archive}{ListingCursor.of(story).query()}" for story in after]
        kinds.append((UNREAD_ARCHIVE_PAGES, pages))
    for label, paths in kinds:
        if len(paths) < minimum:
            log(f"too few pages for {label}: not measured (try more --articles or --requests)")
    return [(label, paths) for label, paths in kinds if len(paths) >= minimum]


def cpu_unread(client, label, paths):
    """The CPU of the first request for each of `paths` but the first, a warm-up (the
    parts every page of the kind shares are then kept), in turn: one page uninstrumented,
    for the median CPU, the next instrumented, for its parts (breakdown_of)."""
    fetch(client, label, paths[0])
    times, parts = [], {category: [] for category in CATEGORIES}
    for uninstrumented, instrumented_too in itertools.zip_longest(paths[1::2], paths[2::2]):
        times.append(cpu_fetch(client, label, uninstrumented))
        if instrumented_too is not None:
            page_parts, _sql_wall = breakdown_of(client, label, [instrumented_too])
            for category, ms in page_parts.items():
                parts[category].append(ms)
    medians = {category: statistics.median(ms) for category, ms in parts.items()}
    return statistics.median(times), medians, len(times)


def fetch(client, label, path):
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"error: the {label} page {path} answered {response.status_code}, not 200")
    return response


def timed_fetch(client, label, path):
    start = time.perf_counter()
    response = fetch(client, label, path)
    return (time.perf_counter() - start) * 1000, response


def allocation_peak_kb(client, label, path):
    tracemalloc.start()
    try:
        fetch(client, label, path)
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def nearest_rank(values, fraction):
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def expect_page_cache(response, expected, label, path):
    if response.get("X-Page-Cache") != expected:
        sys.exit(
            f"error: the {label} page {path} came with X-Page-Cache: "
            f"{response.get('X-Page-Cache')}, expected {expected}"
        )


def cpu_fetch(client, label, path):
    start = time.thread_time()
    fetch(client, label, path)
    return (time.thread_time() - start) * 1000


def cpu_after_approval(client, label, path, requests, article, *, measure=cpu_fetch):
    """The median CPU of the first request after a comment on `article` is approved:
    what the page costs the front cache's refresh on a news day, a decision a second
    (its thread on the story page; lists keep the count of their render, which the
    browser brings up to date from comments.counts, so they are not rendered again)."""
    from comments.models import ReaderComment
    from comments.services import comments_moderate
    from tests import factories

    times = []
    for _ in range(requests):
        held = factories.ReaderCommentFactory(article=article, status=ReaderComment.Status.PENDING)
        comments_moderate(
            comments=ReaderComment.objects.filter(pk=held.pk),
            status=ReaderComment.Status.PUBLIC,
            by=None,
        )
        times.append(measure(client, label, path))
    return statistics.median(times)


def cpu_after_publish(client, label, path, requests, newsroom, *, measure=cpu_fetch):
    """The median CPU of the first request after a story is published in the benched
    section, with the benched tag and author: what the front cache's refresh costs when
    news breaks (every list showing it changes; the stories it already showed are kept
    rendered as cards). Each story is taken down again after the request, so the
    newsroom measured next is the same size."""
    from articles.models import Article
    from articles.services import article_publish, article_unpublish
    from tests import factories

    times = []
    for _ in range(requests):
        story = factories.ArticleFactory(
            status=Article.Status.DRAFT,
            published_at=None,
            section=newsroom["section"],
            tags=[newsroom["tag"]],
            authors=[newsroom["author"]],
        )
        article_publish(article=story, by=newsroom["editor"])
        times.append(measure(client, label, path))
        article_unpublish(article=story, by=newsroom["editor"])
    return statistics.median(times)


def breakdown_of(client, label, paths):
    """The median CPU milliseconds of each part of the requests for `paths`, one each,
    instrumented (bench/breakdown.py), and the median of SQL's wall time (which on
    PostgreSQL includes the server's work and the round trip)."""
    parts = {category: [] for category in CATEGORIES}
    sql_wall = []
    with instrumented() as stopwatch:
        for path in paths:
            stopwatch.reset()
            fetch(client, label, path)
            for category, ms in stopwatch.read().items():
                parts[category].append(ms)
            sql_wall.append(stopwatch.wall_sql * 1000)
    return {category: statistics.median(ms) for category, ms in parts.items()}, statistics.median(
        sql_wall
    )


PROFILED_RENDERS = ("warm", "cold", "approved", "published", "unread")
PROFILE_LINES = 30


def profile_page(client, label, path, requests, newsroom, render, paths=()):
    """Print where the CPU of `requests` renders of the page goes, by cProfile: each
    render of the kind `render` names, as the CPU table measures it ("warm": every part
    kept; "cold": no part kept; "approved", "published": the first render after a
    comment is approved, after a story is published; "unread": the first request for
    each of `paths`, pages of the kind nobody has read). The profiler's own cost inflates
    the functions called most, so read it for where, not how much."""
    profiler = cProfile.Profile(time.thread_time)  # CPU, as the tables: not the waits

    def profiled(client, label, path):
        profiler.enable()
        try:
            fetch(client, label, path)
        finally:
            profiler.disable()
        return 0.0

    fetch(client, label, path)  # warm-up
    if render == "unread":
        for other in paths:
            profiled(client, label, other)
    elif render == "approved":
        cpu_after_approval(client, label, path, requests, newsroom["article"], measure=profiled)
    elif render == "published":
        cpu_after_publish(client, label, path, requests, newsroom, measure=profiled)
    else:
        fragments = {} if render == "warm" else {"FRAGMENT_CACHE_SECONDS": 0}
        with override_settings(**fragments):
            for _ in range(requests):
                profiled(client, label, path)
    print(f"{label} ({path}): {len(paths) or requests} renders, {render}")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(PROFILE_LINES)
    # Newsroom's own functions, by what they cost with what they call.
    stats.sort_stats("cumulative").print_stats(str(REPO_ROOT / "[a-z]"), PROFILE_LINES)


def forget_cached_pages():
    """Empty this run's cache: the next request is a page cache miss."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")  # Redis: only keys under this run's KEY_PREFIX
    else:
        cache.clear()  # local memory: this process's own


def measure_page(client, label, path, requests, newsroom):
    from newsroom.pagecache import page_cache_key

    fetch(client, label, path)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = fetch(client, label, path)
    query_count = len(queries)  # read now: the next request empties the query log
    alloc_peak_kb = allocation_peak_kb(client, label, path)
    times = [timed_fetch(client, label, path)[0] for _ in range(requests)]
    cpu_ms = statistics.median(cpu_fetch(client, label, path) for _ in range(requests))
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        cpu_cold_ms = statistics.median(cpu_fetch(client, label, path) for _ in range(requests))
    cpu_approved_ms = cpu_after_approval(client, label, path, requests, newsroom["article"])
    cpu_published_ms = cpu_after_publish(client, label, path, requests, newsroom)
    cpu_parts_ms, sql_wall_ms = breakdown_of(client, label, [path] * requests)
    with override_settings(PAGE_CACHE_SECONDS=CACHE_ON_SECONDS):
        forget_cached_pages()
        miss_ms, miss = timed_fetch(client, label, path)
        expect_page_cache(miss, "miss", label, path)
        # A search, and a page past MAX_CACHED_PAGE, are rendered each time.
        kept = page_cache_key(RequestFactory().get(path)) is not None
        hits = []
        for _ in range(requests):
            hit_ms, hit = timed_fetch(client, label, path)
            expect_page_cache(hit, "hit" if kept else "miss", label, path)
            hits.append(hit_ms)
    return PageFigures(
        label=label,
        path=path,
        queries=query_count,
        size_kb=len(response.content) / 1024,
        alloc_peak_kb=alloc_peak_kb,
        off_median_ms=statistics.median(times),
        off_p95_ms=nearest_rank(times, 0.95),
        miss_ms=miss_ms,
        hit_median_ms=statistics.median(hits),
        cpu_ms=cpu_ms,
        cpu_cold_ms=cpu_cold_ms,
        cpu_approved_ms=cpu_approved_ms,
        cpu_published_ms=cpu_published_ms,
        cpu_parts_ms=cpu_parts_ms,
        sql_wall_ms=sql_wall_ms,
    )


def database_description():
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    return f"SQLite {connection.Database.sqlite_version}"


def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def format_table(header, rows):
    """Plain columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    )


def report(figures, unread, args, setup_seconds):
    from articles.models import Article

    published = Article.objects.published().count()
    unpublished = Article.objects.count() - published
    cache = "Redis" if args.redis_url else "locmem"
    print(
        f"Newsroom page bench: {database_description()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {published:,} published articles "
        f"(+{unpublished} drafts, in review or scheduled), {cache} cache, "
        f"{args.requests} requests a figure, {os.cpu_count()} CPUs"
    )
    print(f"command: {shlex.join(sys.orig_argv)}")
    print(
        f"setup: migrate {setup_seconds['migrate']:.1f} s, "
        f"content {setup_seconds['content']:.1f} s "
        f"({PHOTO_COUNT} photos with renditions at {settings.PHOTO_RENDITION_WIDTHS})"
    )
    print()
    header = [
        "page", "queries", "KB", "alloc peak KB",
        "off median ms", "off p95 ms", "on miss ms", "on hit median ms",
    ]  # fmt: skip
    rows = [
        [
            f.label, str(f.queries), f"{f.size_kb:.1f}", f"{f.alloc_peak_kb:,.0f}",
            f"{f.off_median_ms:.2f}", f"{f.off_p95_ms:.2f}", f"{f.miss_ms:.2f}",
            f"{f.hit_median_ms:.2f}",
        ]
        for f in figures
    ]  # fmt: skip
    print(format_table(header, rows))
    print("off: page cache off. on: page cache on, a miss that starts a new generation, then hits.")
    print("alloc peak: the tracemalloc peak of one request, page cache off.")
    print()
    print("CPU per request, page cache off (this thread's CPU time, median; ms):")
    header = [
        "page", "CPU", "SQL", "ORM", "templates", "other", "SQL wall", "CPU, no fragments",
        "CPU, a comment approved", "CPU, a story published",
    ]  # fmt: skip
    rows = [
        [
            f.label,
            f"{f.cpu_ms:.2f}",
            *(f"{f.cpu_parts_ms[category]:.2f}" for category in CATEGORIES),
            f"{f.sql_wall_ms:.2f}",
            f"{f.cpu_cold_ms:.2f}",
            f"{f.cpu_approved_ms:.2f}",
            f"{f.cpu_published_ms:.2f}",
        ]
        for f in figures
    ]
    print(format_table(header, rows))
    print(
        "CPU: uninstrumented. SQL, ORM, templates, other: each the median of as many "
        "instrumented requests (bench/breakdown.py), so they add up only roughly. "
        "SQL wall: time inside the driver, the database server's work included. "
        "CPU, no fragments: as the first render after every part it shows changed "
        "(FRAGMENT_CACHE_SECONDS=0). CPU, a comment approved: the first request after "
        "a comment on the benched story is approved (its thread; lists are not purged). "
        "CPU, a story published: the first request after a story is published in the "
        "benched section, with the benched tag and author (the new story's card rendered, "
        "the others kept)."
    )
    if unread:
        print()
        print("CPU of a page nobody has read, page cache off (ms, median of first requests):")
        rows = [
            [label, f"{ms:.2f}", *(f"{parts[category]:.2f}" for category in CATEGORIES), str(pages)]
            for label, ms, parts, pages in unread
        ]
        print(format_table(["page", "CPU", "SQL", "ORM", "templates", "other", "pages"], rows))
        print(
            "Each page asked for once: its own parts (the story, its thread, its cards) are "
            "rendered, what it shares with the pages of its kind is kept. The stories have "
            "the benched story's thread; the archive pages share no story. CPU: the median "
            "of `pages` pages, uninstrumented; SQL, ORM, templates, other: the medians of the "
            "pages between them, instrumented (as in the table above)."
        )
    print()
    for f in figures:
        print(f"{f.label}: {f.path}")
    print(f"peak RSS of the process, setup included: {peak_rss_mb():.0f} MB")


def run(args, database_url, scratch):
    configure_django(database_url, scratch, args.redis_url)
    log(f"migrating the {connection.vendor} database")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    setup_seconds = {"migrate": time.perf_counter() - start}
    log(f"building a newsroom of {args.articles:,} articles")
    start = time.perf_counter()
    newsroom = build_newsroom(args.articles)
    analyze_tables()
    setup_seconds["content"] = time.perf_counter() - start
    client = Client()
    figures = []
    if args.profile == "unread":
        for label, (path, *paths) in unread_pages(newsroom, args.requests + 1, args.only):
            profile_page(client, label, path, args.requests, newsroom, "unread", paths)
        return
    # Pages nobody has read first: the lists measured after them show cards of the
    # same kind, which would otherwise be kept already.
    unread = []
    if not args.profile:
        # Twice as many pages: every other one is instrumented (cpu_unread).
        for label, paths in unread_pages(newsroom, 2 * args.requests + 1, args.only, minimum=3):
            log(f"measuring {label}")
            unread.append((label, *cpu_unread(client, label, paths)))
    for label, path in public_pages(newsroom):
        if args.only and not re.search(args.only, label):
            continue
        if args.profile:
            profile_page(client, label, path, args.requests, newsroom, args.profile)
            continue
        log(f"measuring {label}")
        figures.append(measure_page(client, label, path, args.requests, newsroom))
        if args.save_html:
            save_html(client, label, path, args.save_html)
    if figures or unread:
        report(figures, unread, args, setup_seconds)


def save_html(client, label, path, folder):
    """The page as readers get it, to compare before and after a change: `diff -r`."""
    folder.mkdir(parents=True, exist_ok=True)
    name = label.replace(" ", "-").replace("?", "").replace("=", "-")
    (folder / f"{name}.html").write_bytes(fetch(client, label, path).content)


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        database = (
            throwaway_postgres(args.database_url) if args.database_url else contextlib.nullcontext()
        )
        with database:
            try:
                # Every request from the same depth of CPython's frame stack, whatever the
                # script was started as (python -m bench.pages or imported): see
                # bench/framestack.py. Otherwise its figures moved by a third with it.
                on_own_frame_stack(run, args, database_url, Path(tmp))
            finally:
                if args.redis_url:
                    forget_cached_pages()
                connections.close_all()


if __name__ == "__main__":
    main()
