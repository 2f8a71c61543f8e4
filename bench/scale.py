"""Newsroom at a regional daily's scale: ten years of archive and ten million comments.

``make bench-scale`` builds (once; kept between runs) a PostgreSQL database of
--articles stories over ten years and about --comments comments, then measures every
public page and every admin list and form a newsroom uses (each registered changelist
with a search and each of its filters, found on the admin site), with the page cache off, and
prints one table: the median and the slowest of --requests requests, the queries of one
request, the slowest of them with the top of its plan, and the memory one request
allocates; then the plans of the rows that miss their target (issue 10: public pages
<= 50 ms median and <= 100 ms at worst, admin lists <= 300 ms, a comment post and a
moderation decision <= 30 ms).

The content is made from a seed that the project's own factories and demo texts build
(sections, photos, authors, tags, a few thousand stories), multiplied in the database
with ``INSERT ... SELECT`` over ``generate_series``, the big tables' indexes built after
the load and a copy's search vector its seed story's: ``random()`` after ``setseed()``
makes it the same on every build. Spreads are long-tailed, as a newsroom's are: a few
authors write most stories, one tag is on a third of the archive, a few sections carry
most, and comments pile on a few stories (--big-threads of them with 50,000 and more)
while most have a handful; 5% are pending, some spam or removed, and the moderation log
holds a decision for each comment a person decided (add_moderation_log). Drafts, stories
in review and scheduled stories are there too, and two years of ad statistics.

    .venv/bin/python -m bench.scale [--articles 1000000] [--comments 10000000]
        [--database-url postgres://postgres@127.0.0.1:5432/newsroom_scale]
        [--requests 5] [--rebuild] [--only PATTERN]

The database is rebuilt when asked (--rebuild) or when it was built with other sizes;
migrations added since are applied each run, and build steps added since (the moderation
log) once (later_steps_apply). Photos live in .bench-scale/media.
"""

import argparse
import contextlib
import functools
import gc
import json
import logging
import math
import os
import queue
import re
import statistics
import sys
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import django
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from psycopg import sql

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRATCH = REPO_ROOT / ".bench-scale"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_scale"
YEARS = 10
SEED_ARTICLES = 2_000
AUTHOR_COUNT = 400
TAG_COUNT = 600
COMMENTERS = 300_000
BIG_THREAD_SIZES = (60_000, 55_000, 50_000, 45_000, 40_000)
CREATIVES = 24
TRACED_UP_TO_MS = 2_000
TIME_BUDGET_MS = 60_000
TARGETS_MS = {"public": (50, 100), "admin": (300, 300), "write": (30, 30)}
# The tables the build fills by the million: their indexes are built after the load,
# once each, rather than kept up to date row by row.
BULK_TABLES = (
    "articles_article",
    "django_comments",
    "django_comments_xtd_xtdcomment",
    "comments_readercomment",
    "comments_moderationevent",
)
MODERATORS = 15
# The bulk statements cut their rows into this many slices, whatever the cores: a slice's
# rows depend on its place, not on the connection that makes them.
SLICES = 16
# Session settings of the build's connections (never the server's: it is shared). A lost
# commit costs a rebuild at worst. Two scans of one big table at once would otherwise
# start each other midway (a synchronized scan): random() would fall on other rows, and a
# build would not repeat itself.
BUILD_SETTINGS = {
    "synchronous_commit": "off",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "synchronize_seqscans": "off",
}

# A thread shape repeated every nine comments on a story: four threads (a lone comment,
# a comment with a reply, two with a reply and a reply to it), 2.25 comments a thread.
# Per position: the thread's root, the parent, the depth, the place in the thread's
# order and how many comments follow in the same thread (django-comments-xtd's fields).
THREAD_ROOT = (0, 1, 1, 3, 3, 3, 6, 6, 6)
THREAD_PARENT = (0, 1, 1, 3, 3, 4, 6, 6, 7)
THREAD_LEVEL = (0, 0, 1, 0, 1, 2, 0, 1, 2)
THREAD_ORDER = (1, 1, 2, 1, 2, 3, 1, 2, 3)
THREAD_NESTED = (0, 1, 0, 2, 1, 0, 2, 1, 0)

# fmt: off
FIRST_NAMES = (
    "Ada", "Bram", "Cora", "Dev", "Elin", "Farid", "Greta", "Hal", "Ines", "Jonas", "Kaia",
    "Lior", "Mina", "Nils", "Orla", "Pavel", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Viggo",
    "Wren", "Xena", "Yusuf", "Zora",
)
LAST_NAMES = (
    "Alder", "Birch", "Cove", "Dune", "Ferris", "Gale", "Heron", "Inlet", "Kestrel", "Larch",
    "Marsh", "Norden", "Osprey", "Pike", "Quay", "Reed", "Shore", "Tern", "Vale", "Wick",
)
# fmt: on
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "post.example")
COMMENT_SENTENCES = (
    "The ferry timetable has not matched the tides for years.",
    "I was on the harbour front that morning and saw the queue myself.",
    "Good to see the council finally publish the figures.",
    "Who is going to pay for the new sea wall, though?",
    "My grandmother ran the bakery on that street for forty years.",
    "This is the third closure this winter; something has to change.",
    "The article leaves out what the residents' association proposed.",
    "Thanks for covering the school board meeting in such detail.",
    "Parking near the market is impossible on Saturdays already.",
    "The marathon route past the lighthouse is the best part of the race.",
    "I would like to know how the budget compares with last year.",
    "Well reported, and the photos of the bay are lovely.",
    "The bus to Kestrel Bay was forty minutes late again today.",
    "Are there plans for a cycle lane along the promenade?",
    "Local businesses were not consulted at all, as far as I know.",
    "The football club deserves the promotion after that season.",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=positive_int, default=1_000_000)
    parser.add_argument("--comments", type=positive_int, default=10_000_000)
    parser.add_argument("--big-threads", type=int, default=3, choices=range(0, 6))
    parser.add_argument("--database-url", default=os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=positive_int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--only", help="measure only the rows whose label matches (regex)")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def positive_int(text):
    value = int(text.replace("_", "").replace(",", ""))
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the database -----------------------------------------------------------------------


def wanted_build(args):
    return {
        "articles": args.articles,
        "comments": args.comments,
        "big_threads": args.big_threads,
        "seed": args.seed,
    }


def existing_build(url):
    """The parameters the database at `url` was built with, or None (missing, empty or
    half-built: a build records itself last)."""
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT value FROM bench_scale WHERE key = 'build'"
            ).fetchone()  # fmt: skip
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return None
    return row[0] if row else None


def recreate_database(url):
    parts = urlsplit(url)
    name = sql.Identifier(parts.path.strip("/"))
    maintenance_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def quiet_logs():
    """The 404 row and the editor's sign-in would log a line per request."""
    logging.getLogger("django.request").setLevel(logging.ERROR)
    logging.getLogger("axes").setLevel(logging.WARNING)


def configure_django(database_url):
    """Test settings (no page cache, local-memory cache) on the bench's own database."""
    (SCRATCH / "static").mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    os.environ["DATABASE_URL"] = database_url
    # The build's statements run for minutes; a slow page is measured, not cut short.
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"
    os.environ["MEDIA_ROOT"] = str(SCRATCH / "media")
    os.environ["STATIC_ROOT"] = str(SCRATCH / "static")
    sys.path.insert(0, str(REPO_ROOT))
    settings.PHOTO_RENDITION_WIDTHS = (480, 800)
    django.setup()
    gc.freeze()  # what a gunicorn worker does once loaded (gunicorn.conf.py)
    quiet_logs()


def execute(statement, params=None):
    with connection.cursor() as cursor:
        try:
            cursor.execute(statement, params or None)
        except Exception:
            log(f"this statement failed:\n{statement}")
            raise
        return cursor.rowcount


def fetch_value(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def in_parallel(statements, seed=0):
    """Run `statements` over a connection a core, each connection taking the next one as
    soon as it is free (so give the heaviest first): PostgreSQL works one core per
    connection, and the build is mostly its work (the comments' rows, the indexes).

    random() is seeded from `seed` and the statement's place in the list before each one,
    so a build is the same whichever connection runs a statement and however many cores
    there are, as long as each statement reads its rows in a fixed order (explicit ids,
    ORDER BY; BUILD_SETTINGS turns synchronized scans off). Foreign keys are not checked
    row by row (the rows are made consistent here)."""
    url = settings.DATABASES["default"]
    conninfo = {
        "dbname": url["NAME"],
        "user": url["USER"],
        "host": url["HOST"],
        "port": url["PORT"] or 5432,
        **({"password": url["PASSWORD"]} if url["PASSWORD"] else {}),
    }

    pending = queue.SimpleQueue()
    for place, statement in enumerate(statements):
        pending.put((place, statement))

    def work():
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            for name, value in BUILD_SETTINGS.items():
                conn.execute("SELECT set_config(%s, %s, false)", [name, value])
            conn.execute("SET session_replication_role = replica")
            while True:
                try:
                    place, statement = pending.get_nowait()
                except queue.Empty:
                    return
                conn.execute("SELECT setseed(%s)", [((seed * 31 + place) % 1000) / 1000])
                try:
                    conn.execute(statement)
                except psycopg.Error:
                    log(f"this statement failed:\n{statement}")
                    with contextlib.suppress(queue.Empty):
                        while True:  # the other connections stop after their statement
                            pending.get_nowait()
                    raise

    cores = max(os.cpu_count() or 1, 1)
    with ThreadPoolExecutor(max_workers=cores) as pool:
        for future in [pool.submit(work) for _ in range(cores)]:
            future.result()


def insert_statement(model, expressions, source, *, copy_from=None, unmodelled=None):
    """INSERT every column of `model`'s own table from `source` (a FROM clause):
    `expressions` by column, and for the columns it does not name (say, a field added by a
    later migration) the same column of the `copy_from` table in `source`, or else the
    field's default, so the bench keeps up with the models; then the `unmodelled` columns
    (no field's: the search vector), expressions by column.

    The statements hold no placeholders (defaults are written in as literals), so SQL's
    `%` operator needs no escaping."""
    columns, values = [], []
    for field in model._meta.local_concrete_fields:
        if getattr(field, "generated", False):
            continue
        column = field.column
        if column in expressions:
            value = expressions[column]
        elif copy_from and not field.primary_key:
            value = f"{copy_from}.{connection.ops.quote_name(column)}"
        elif field.primary_key:
            continue
        elif field.has_default() or field.null:
            default = field.get_default() if field.has_default() else None
            value = connection.ops.compose_sql("%s", [field.get_db_prep_save(default, connection)])
        else:
            sys.exit(f"error: bench/scale.py does not know how to fill {model.__name__}.{column}")
        columns.append(connection.ops.quote_name(column))
        values.append(value)
    for column, value in (unmodelled or {}).items():
        columns.append(connection.ops.quote_name(column))
        values.append(value)
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"


def sql_array(values):
    """An SQL array of integers (ids), written into the statement."""
    return "ARRAY[" + ", ".join(str(int(value)) for value in values) + "]"


def text_array(values):
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"ARRAY[{quoted}]::text[]"


def build(args):
    """Seed with the factories, then multiply in SQL; record the build last."""
    from bench.pages import build_newsroom

    timings = {}
    step = functools.partial(timed_step, timings)

    step("migrate", call_command, "migrate", verbosity=0)
    step("seed (factories)", build_newsroom, min(SEED_ARTICLES, args.articles))
    step("authors, tags, a moderator", add_people_and_tags)
    with build_session():
        indexes = step("drop the big tables' indexes", drop_secondary_indexes)
        step("articles", add_articles, args.articles, args.seed)
        step("bylines and tags", add_bylines_and_tags, args.seed)
        # Loaded with triggers off (in_parallel): the links' copies of their stories'
        # publication times, which tag and author pages read, are made afterwards.
        step("publication copies", publication_copies_repair)
        step("comments", add_comments, args.comments, args.big_threads, args.seed)
        step("comment counts", count_comments)
        step(MODERATION_LOG_STEP, add_moderation_log, args.seed)
        step("ad statistics", add_ad_statistics)
        step("indexes", create_indexes, indexes)
        step("vacuum analyze", vacuum_analyze)
    common_word = step("commonest search word", commonest_word)
    size = fetch_value("SELECT pg_size_pretty(pg_database_size(current_database()))")
    record = {
        **wanted_build(args),
        "seconds": round(sum(timings.values())),
        "steps": timings,
        "size": size,
        "common_word": common_word,
    }
    execute("CREATE TABLE bench_scale (key text PRIMARY KEY, value jsonb NOT NULL)")
    execute("INSERT INTO bench_scale VALUES ('build', %s)", [json.dumps(record)])
    return record


def timed_step(timings, name, function, *fargs, **fkwargs):
    """Run one build step, logged, its time kept in `timings`."""
    log(f"{name}…")
    started = time.perf_counter()
    result = function(*fargs, **fkwargs)
    timings[name] = round(time.perf_counter() - started, 1)
    log(f"{name}: {timings[name]} s")
    return result


def later_steps_apply(record):
    """Add to a database built before the moderation log was part of the build (its
    record names no such step) what a build now makes, rather than build it all again
    (the rest takes ten minutes); the record then names the step, with its time."""
    if MODERATION_LOG_STEP in record["steps"]:
        return record
    timings = dict(record["steps"])
    step = functools.partial(timed_step, timings)
    with build_session():
        indexes = step(
            "drop the moderation log's indexes",
            drop_secondary_indexes,
            ["comments_moderationevent"],
        )
        try:
            step(MODERATION_LOG_STEP, add_moderation_log, record["seed"])
        finally:  # a failed step leaves the table as it was, indexes included
            step("the moderation log's indexes", create_indexes, indexes)
        step(
            "vacuum analyze the moderation log", execute, "VACUUM ANALYZE comments_moderationevent"
        )
    record = {
        **record,
        "steps": timings,
        "seconds": round(sum(timings.values())),
        "size": fetch_value("SELECT pg_size_pretty(pg_database_size(current_database()))"),
    }
    execute("UPDATE bench_scale SET value = %s WHERE key = 'build'", [json.dumps(record)])
    return record


@contextlib.contextmanager
def build_session():
    """BUILD_SETTINGS on Django's connection for the build only: the connection is closed
    after, so the measurements run in a new session with the server's settings."""
    for name, value in BUILD_SETTINGS.items():
        fetch_value("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    finally:
        connection.close()


@dataclass
class DroppedIndex:
    table: str
    definition: str  # CREATE [UNIQUE] INDEX, as pg_get_indexdef writes it
    constraint: str  # ALTER TABLE ... ADD CONSTRAINT ... USING INDEX, or ""


def drop_secondary_indexes(tables=BULK_TABLES):
    """Drop the `tables`' indexes but their primary keys (foreign keys point at them;
    the ids come in order, so they cost little), unique constraints included, and return
    what rebuilds them as they were: their definitions are read from the catalog, so the
    migrations stay the one source of them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                c.conname, c.contype, c.condeferrable, c.condeferred
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
            WHERE t.relnamespace = current_schema()::regnamespace
              AND t.relname = ANY(%s) AND NOT i.indisprimary
            ORDER BY 1, 2
            """,
            [list(tables)],
        )
        found = cursor.fetchall()
    dropped = []
    for table, index, definition, constraint, kind, deferrable, deferred in found:
        if constraint and kind != "u":
            sys.exit(f"error: bench/scale.py does not know how to rebuild {constraint}")
        quoted_table = connection.ops.quote_name(table)
        if constraint:
            quoted = connection.ops.quote_name(constraint)
            execute(f"ALTER TABLE {quoted_table} DROP CONSTRAINT {quoted}")
            attach = (
                f"ALTER TABLE {quoted_table} ADD CONSTRAINT {quoted} UNIQUE USING INDEX {quoted}"
                + (" DEFERRABLE" if deferrable else "")
                + (" INITIALLY DEFERRED" if deferred else "")
            )
        else:
            execute(f"DROP INDEX {index}")
            attach = ""
        dropped.append(DroppedIndex(table, definition, attach))
    return dropped


def create_indexes(dropped):
    """Build the dropped indexes again, over both cores (each in one sort, with
    BUILD_SETTINGS' maintenance_work_mem), then attach the unique constraints to theirs
    (which takes a moment each, with no other build on the table holding it)."""
    sizes = {}
    for index in dropped:
        if index.table not in sizes:
            sizes[index.table] = fetch_value("SELECT pg_table_size(%s::regclass)", [index.table])
    biggest_first = sorted(dropped, key=lambda index: -sizes[index.table])
    in_parallel([index.definition for index in biggest_first])
    for index in dropped:
        if index.constraint:
            execute(index.constraint)


def add_people_and_tags():
    from django.contrib.auth import get_user_model

    from articles.models import Author, Tag

    Author.objects.bulk_create(
        Author(name=f"{FIRST_NAMES[i % 26]} {LAST_NAMES[i % 20]} {i}", slug=f"writer-{i}")
        for i in range(AUTHOR_COUNT - Author.objects.count())
    )
    Tag.objects.bulk_create(
        Tag(name=f"Local subject {i}", slug=f"local-subject-{i}")
        for i in range(TAG_COUNT - Tag.objects.count())
    )
    get_user_model().objects.create_superuser("scale-admin", "scale-admin@example.com", "-")


def add_articles(count, seed):
    """`count` stories in all, ten years of them, from the seed's published stories.

    A copy's search vector is its seed's (the same headline, standfirst and body): worked
    out once a seed story, not once a copy (the vectors were most of the build's time)."""
    from articles.models import Article, Photo, Section

    more = count - fetch_value("SELECT count(*) FROM articles_article")
    if more <= 0:
        return
    execute(
        "CREATE UNLOGGED TABLE bench_seed AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, * "
        "FROM articles_article WHERE status = 'published' AND published_at <= now()"
    )
    last_seed_id = fetch_value("SELECT max(id) FROM articles_article")
    seeds = fetch_value("SELECT count(*) FROM bench_seed")
    sections = list(Section.objects.order_by("position").values_list("pk", flat=True))
    photos = list(Photo.objects.order_by("pk").values_list("pk", flat=True))
    # The copies' clock is the seed's newest story, not each statement's now(): seed and
    # copies then interleave in the same order in every build.
    clock = fetch_value("SELECT max(published_at) FROM bench_seed")
    clock = f"'{clock.isoformat()}'::timestamptz"
    # g = 1 is the newest. Sections by a long tail (the first carries most), a photo on
    # three stories in four, a few drafts, stories in review and scheduled stories.
    published_at = (
        "CASE WHEN g % 400 IN (7, 9) THEN NULL"
        f" WHEN g <= 20 THEN {clock} + g * interval '3 hours'"
        f" ELSE {clock} - (g - 20) * (interval '{YEARS} years' / {more})"
        " - random() * interval '4 minutes' END"
    )
    expressions = {
        # Ids by g, the newest first, whichever connection inserts it: a build repeats
        # itself.
        "id": f"{last_seed_id} + g",
        "slug": "left(bench_seed.slug, 100) || '-' || g",
        "section_id": (
            f"({sql_array(sections)})[1 + floor(pow(random(), 1.7) * {len(sections)})::int]"
        ),
        "hero_photo_id": (
            f"CASE WHEN g % 4 = 3 THEN NULL ELSE ({sql_array(photos)})[1 + g % {len(photos)}] END"
        ),
        "body": "bench_seed.body || bench_seed.body",
        "status": (
            "CASE WHEN g % 400 = 7 THEN 'draft' WHEN g % 400 = 9 THEN 'review' ELSE 'published' END"
        ),
        "published_at": published_at,
        "created_at": f"coalesce({published_at}, now())",
        "updated_at": f"coalesce({published_at}, now())",
        "is_must_read": "false",
        "must_read_until": "NULL",
        "comment_count": "0",
        "comments_changed_at": "NULL",
        "social_image_id": "NULL",
        "created_by_id": "NULL",
    }
    vector = generated_expression("articles_article", "search_vector")
    execute("ALTER TABLE bench_seed ADD COLUMN copy_vector tsvector")
    execute(
        f"""
        UPDATE bench_seed SET copy_vector = copy.vector
        FROM (
            SELECT n, {vector} AS vector
            FROM (SELECT n, headline, standfirst, {expressions["body"]} AS body FROM bench_seed)
                AS copy_fields
        ) AS copy
        WHERE copy.n = bench_seed.n
        """
    )
    with generated_column_given("articles_article", "search_vector"):
        in_parallel(
            [
                insert_statement(
                    Article,
                    expressions,
                    f"generate_series({low}, {high}) AS g "
                    f"JOIN bench_seed ON bench_seed.n = g % {seeds}",
                    copy_from="bench_seed",
                    unmodelled={"search_vector": "bench_seed.copy_vector"},
                )
                for low, high in chunked(1, more, SLICES)
            ],
            seed,
        )
    execute("DROP TABLE bench_seed")
    differing = fetch_value(
        "SELECT count(*) FROM articles_article TABLESAMPLE SYSTEM (0.1) REPEATABLE (0) "
        f"WHERE search_vector IS DISTINCT FROM ({vector})"
    )
    if differing:
        sys.exit(f"error: {differing} copied search vectors differ from their expression")
    execute(
        "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), max(id)) "
        "FROM articles_article"
    )


def generated_expression(table, column):
    """The expression PostgreSQL computes the stored generated `column` of `table` with."""
    return fetch_value(
        """
        SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
        JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
        WHERE a.attrelid = %s::regclass AND a.attname = %s AND a.attgenerated = 's'
        """,
        [table, column],
    )


@contextlib.contextmanager
def generated_column_given(table, column):
    """Let INSERTs give the stored generated `column` of `table` its value.

    PostgreSQL computes such a column for every row written and takes no value for it;
    dropping the column and adding it back after the load would compute it again for
    every row, in one process. So the column is marked as plain in the catalog (this
    database's pg_attribute: a superuser's UPDATE) for the load and as generated again
    after it: its expression (pg_attrdef) is untouched throughout, and so is any row
    written later. The caller gives values the expression would compute, and checks a
    sample of them."""
    marked = (
        "UPDATE pg_attribute SET attgenerated = %s "
        "WHERE attrelid = %s::regclass AND attname = %s AND attgenerated = %s"
    )
    if execute(marked, ["", table, column, "s"]) != 1:
        sys.exit(f"error: {table}.{column} is not a stored generated column")
    try:
        yield
    finally:
        execute(marked, ["s", table, column, ""])


def chunked(first, last, parts):
    """[first, last] cut into `parts` ranges (low, high)."""
    size = math.ceil((last - first + 1) / parts)
    return [(low, min(low + size - 1, last)) for low in range(first, last + 1, size)]


def add_bylines_and_tags(seed):
    """One to three authors a story, a few writing most; up to four tags, long-tailed,
    with the commonest tag on a third of the stories. random() is drawn over the slots in
    their order (a sorted subquery), not in the order the table happens to be stored."""
    from articles.models import Author, Tag

    authors = list(Author.objects.order_by("pk").values_list("pk", flat=True))
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
    first, last = (
        fetch_value("SELECT min(id) FROM articles_article"),
        fetch_value("SELECT max(id) FROM articles_article"),
    )
    in_parallel(
        [
            statement
            for low, high in chunked(first, last, SLICES)
            for statement in [
                f"""
                INSERT INTO articles_byline (article_id, author_id, position)
                SELECT id,
                    ({sql_array(authors)})[1 + floor(pow(random(), 2.5) * {len(authors)})::int], p
                FROM (
                    SELECT a.id, p FROM articles_article a CROSS JOIN generate_series(0, 2) AS p
                    WHERE a.id BETWEEN {low} AND {high}
                      AND NOT EXISTS (SELECT 1 FROM articles_byline b WHERE b.article_id = a.id)
                      AND p < 1 + (a.id % 3 = 0)::int + (a.id % 7 = 0)::int
                    ORDER BY a.id, p
                ) AS slots
                ON CONFLICT DO NOTHING
                """,
                f"""
                INSERT INTO articles_article_tags (article_id, tag_id)
                SELECT id, CASE WHEN p = 0 THEN {tags[0]}
                    ELSE ({sql_array(tags)})[1 + floor(pow(random(), 3) * {len(tags)})::int] END
                FROM (
                    SELECT a.id, p FROM articles_article a CROSS JOIN generate_series(0, 3) AS p
                    WHERE a.id BETWEEN {low} AND {high}
                      AND NOT EXISTS (
                          SELECT 1 FROM articles_article_tags t WHERE t.article_id = a.id
                      )
                      AND ((p = 0 AND a.id % 3 = 0) OR (p > 0 AND p <= a.id % 4))
                    ORDER BY a.id, p
                ) AS slots
                ON CONFLICT DO NOTHING
                """,
            ]
        ],
        seed,
    )


def publication_copies_repair():
    from articles.services import publication_copies_repair

    return publication_copies_repair()


def add_comments(total, big_threads, seed):
    """About `total` comments: `big_threads` stories with tens of thousands, the rest
    spread over the published stories, most getting a handful."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django_comments.models import Comment
    from django_comments_xtd.models import XtdComment

    from articles.models import Article
    from comments.models import ReaderComment

    published = fetch_value(
        "SELECT count(*) FROM articles_article WHERE status = 'published' AND published_at <= now()"
    )
    big = BIG_THREAD_SIZES[:big_threads]
    existing = fetch_value("SELECT count(*) FROM django_comments")
    spread = max(total - sum(big) - existing, 0)
    # pow(random(), 4) averages 1/5: most stories get a few comments, some fifty. The
    # newest story has none yet; the next ones are the big threads.
    execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
    execute(
        f"""
        CREATE UNLOGGED TABLE bench_plan AS
        WITH stories AS (
            SELECT id, published_at, row_number() OVER (ORDER BY published_at DESC) AS rank
            FROM articles_article
            WHERE status = 'published' AND published_at <= now() AND NOT EXISTS (
                SELECT 1 FROM django_comments c WHERE c.object_pk = articles_article.id::text
            )
        ), counted AS (
            SELECT id, published_at,
                CASE WHEN rank BETWEEN 2 AND {len(big) + 1} THEN ({sql_array(big or [0])})[rank - 1]
                     WHEN rank = 1 THEN 0
                     ELSE floor(pow(random(), 4) * {5 * spread / published})::int END AS n
            FROM stories
        )
        SELECT id AS article_id, published_at, n,
            (SELECT coalesce(max(id), 0) FROM django_comments)
                + sum(n) OVER (ORDER BY id) - n + 1 AS first_id
        FROM counted WHERE n > 0
        """
    )
    last = fetch_value("SELECT max(first_id + n - 1) FROM bench_plan")
    root = f"p.first_id + j - j % 9 + ({sql_array(THREAD_ROOT)})[j % 9 + 1]"
    # One status a thread, decided by its root: 5% pending, 2% spam, 1% removed.
    status = (
        f"CASE WHEN ({root}) * 37 % 100 < 5 THEN 'pending'"
        f" WHEN ({root}) * 37 % 100 < 7 THEN 'spam'"
        f" WHEN ({root}) * 37 % 100 < 8 THEN 'removed' ELSE 'public' END"
    )

    def staged(low, high):
        return f"""(
            SELECT p.first_id + j AS id, p.article_id, p.published_at, p.n, j, j % 9 + 1 AS o,
                {root} AS root,
                p.first_id + j - j % 9 + ({sql_array(THREAD_PARENT)})[j % 9 + 1] AS parent,
                {status} AS status,
                floor(pow(random(), 3) * {COMMENTERS})::int AS commenter
            FROM bench_plan p CROSS JOIN LATERAL generate_series(0, p.n - 1) AS j
            WHERE p.first_id <= {high} AND p.first_id + p.n > {low}
              AND p.first_id + j BETWEEN {low} AND {high}
        ) AS staged"""

    article_type = ContentType.objects.get_for_model(Article).pk
    moderator = get_user_model().objects.get(username="scale-admin").pk
    sentences = text_array(COMMENT_SENTENCES)
    comment = {
        "id": "id",
        "object_pk": "article_id::text",
        "content_type_id": str(article_type),
        "site_id": str(settings.SITE_ID),
        "user_name": (
            f"({text_array(FIRST_NAMES)})[1 + commenter % 26] || ' ' || "
            f"({text_array(LAST_NAMES)})[1 + commenter / 26 % 20]"
        ),
        "user_email": (
            f"'reader' || commenter || '@' || ({text_array(MAIL_DOMAINS)})[1 + commenter % 5]"
        ),
        "user_url": "''",
        "comment": f"({sentences})[1 + id % 16] || ' ' || ({sentences})[1 + id / 16 % 16]",
        "submit_date": "published_at + j * interval '90 seconds' + interval '5 minutes'",
        "ip_address": (
            "('10.' || commenter / 65536 % 256 || '.' || commenter / 256 % 256"
            " || '.' || commenter % 256)::inet"
        ),
        "is_public": "status = 'public'",
        "is_removed": "status = 'removed'",
        "user_id": "NULL",
    }
    xtd = {
        "comment_ptr_id": "id",
        "thread_id": "root",
        "parent_id": "parent",
        "level": f"({sql_array(THREAD_LEVEL)})[o]",
        "order": f"({sql_array(THREAD_ORDER)})[o]",
        "followup": "false",
        "nested_count": f"least(({sql_array(THREAD_NESTED)})[o], n - 1 - j)",
    }
    reader = {
        "xtdcomment_ptr_id": "id",
        "status": "status",
        "fingerprint": "encode(sha256(id::text::bytea), 'hex')",
        "report_count": "CASE WHEN id % 997 = 0 THEN 2 ELSE 0 END",
        "moderated_at": (
            "CASE WHEN status = 'pending' THEN NULL"
            " ELSE published_at + j * interval '90 seconds' + interval '1 hour' END"
        ),
        "moderated_by_id": f"CASE WHEN status = 'pending' THEN NULL ELSE {moderator} END",
    }
    first = fetch_value("SELECT min(first_id) FROM bench_plan")
    in_parallel(
        [
            insert_statement(model, expressions, staged(low, high))
            for low, high in chunked(first, last, SLICES)
            for model, expressions in [
                (Comment, comment),
                (XtdComment, xtd),
                (ReaderComment, reader),
            ]
        ],
        seed,
    )
    execute("DROP TABLE bench_plan")
    execute(
        "SELECT setval(pg_get_serial_sequence('django_comments', 'id'), max(id)) "
        "FROM django_comments"
    )


def count_comments():
    execute(
        """
        UPDATE articles_article a
        SET comment_count = counts.public, comments_changed_at = counts.last
        FROM (
            SELECT c.object_pk::bigint AS article_id, count(*) AS public,
                max(c.submit_date) AS last
            FROM django_comments c
            JOIN comments_readercomment r ON r.xtdcomment_ptr_id = c.id
            WHERE r.status = 'public'
            GROUP BY 1
        ) AS counts
        WHERE a.id = counts.article_id
        """
    )


MODERATION_LOG_STEP = "moderation log"


def moderators():
    """MODERATORS staff users in the Moderator group, made once: the people deciding."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Moderator")
    users = []
    for n in range(1, MODERATORS + 1):
        user, created = get_user_model().objects.get_or_create(
            username=f"moderator-{n:02}",
            defaults={
                "is_staff": True,
                "first_name": FIRST_NAMES[n * 7 % 26],
                "last_name": LAST_NAMES[n * 3 % 20],
                "email": f"moderator-{n:02}@example.com",
            },
        )
        if created:
            user.groups.add(group)
        users.append(user.pk)
    return users


def add_moderation_log(seed):
    """The audit trail of ten years of pre-moderation, as comments.services writes it:
    an event for each decision a person took, at the comment's moderated_at, by one of
    MODERATORS people (a few take most decisions). Most public comments were approved
    (one in twenty went out by a rule: no event), every removed one rejected, four spam
    in ten marked by hand (the spam check caught the rest); one in fifty edited before
    approval, one in a hundred sent back to the queue and approved again, as is every
    comment readers reported (by no one: the reports held it). A ban on some thousand
    commenters, some lifted, and a few hundred rule changes.

    Made in one statement: the events' ids follow their times, as a live log's do. Each
    choice is a hash of the comment's id, not random(), so the order rows are read in
    does not matter."""
    from django.contrib.contenttypes.models import ContentType

    from comments.models import CommentBan, ModerationEvent, ModerationRules, ReaderComment

    people = sql_array(moderators())
    # A moderator by share: pow(u, 2.5) gives the first about a third of the decisions.
    moderator = f"({people})[1 + floor(pow(%s, 2.5) * {MODERATORS})::int]"
    # Numbers in [0, 1) from an id (Knuth's multiplicative hash, and two more).
    u1 = "((c.id::bigint * 2654435761) % 4294967296)::float8 / 4294967296"
    u2 = "((c.id::bigint * 40503 + 12345) % 1000)::float8 / 1000"
    u3 = "((c.id::bigint * 48271) % 1000)::float8 / 1000"
    ban_count, rule_changes = 1_200, 400
    ban = insert_statement(
        CommentBan,
        {
            "id": "g",
            "kind": "'email'",
            "first_key": "''",  # an address's only (CommentBan.clean)
            "last_key": "''",
            "value": (f"'reader' || k || '@' || ({text_array(MAIL_DOMAINS)})[1 + k % 5]"),
            "reason": "(ARRAY['Spam links', 'Abuse of other readers', 'Repeated "
            "off-topic posts'])[1 + g % 3]",
            "created_at": f"now() - g * (interval '{YEARS} years' / {ban_count})",
            # One ban in three for a month, one in ten lifted after a week.
            "ends_at": (
                f"CASE WHEN g % 3 = 0 THEN now() - g * (interval '{YEARS} years' / "
                f"{ban_count}) + interval '30 days' WHEN g % 10 = 1 THEN now() - g * "
                f"(interval '{YEARS} years' / {ban_count}) + interval '7 days' END"
            ),
            "created_by_id": moderator % "(g * 0.618034) % 1",
        },
        f"(SELECT g, (g * 7919) % {COMMENTERS} AS k FROM generate_series(1, {ban_count}) g)"
        " AS bans ORDER BY g ON CONFLICT (id) DO NOTHING",
    )
    in_parallel([ban], seed)
    comment_type = ContentType.objects.get_for_model(ReaderComment).pk
    ban_type = ContentType.objects.get_for_model(CommentBan).pk
    rules_type = ContentType.objects.get_for_model(ModerationRules).pk
    rules_id = fetch_value("SELECT min(id) FROM comments_moderationrules")
    # The times as DjangoJSONEncoder writes them (to the millisecond, "Z" for UTC).
    ends_at_json = (
        "to_jsonb(to_char(b.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"
    )
    status = "jsonb_build_object('status', %s)"
    # The seed's comments (the factories') carry no moderation time.
    decided = "coalesce(r.moderated_at, c.submit_date + interval '1 hour')"
    held = (
        f"(r.report_count > 0 OR {u2} BETWEEN 0.02 AND 0.0299)"
        f" AND {decided} + interval '1 day 3 hours' < now()"
    )
    decisions = f"""
        SELECT e.*, {comment_type} AS target_type_id, c.id AS target_id,
            chr(8296) || c.user_name || chr(8297) || ': ' || left(c.comment, 60) AS target_repr
        FROM comments_readercomment r
        JOIN django_comments c ON c.id = r.xtdcomment_ptr_id
        CROSS JOIN LATERAL (VALUES
            (1, CASE WHEN r.status = 'public' AND {u2} < 0.02 THEN 'edit' END,
                {moderator % u1}, {decided} - interval '2 minutes',
                jsonb_build_object('comment', c.comment || ' www.example.com'),
                jsonb_build_object('comment', c.comment)),
            (2, CASE r.status WHEN 'public' THEN CASE WHEN {u2} < 0.95 THEN 'approve' END
                    WHEN 'removed' THEN 'reject'
                    WHEN 'spam' THEN CASE WHEN {u2} < 0.4 THEN 'spam' END END,
                {moderator % u1}, {decided},
                {status % "'pending'"}, {status % "r.status"}),
            (3, CASE WHEN r.status = 'public' AND {held} THEN 'hold' END,
                CASE WHEN r.report_count = 0 THEN {moderator % u1} END,
                {decided} + interval '1 day',
                {status % "'public'"},
                {status % "'pending'"} || CASE WHEN r.report_count > 0
                    THEN jsonb_build_object('reports', r.report_count) ELSE '{{}}' END),
            (4, CASE WHEN r.status = 'public' AND {held} THEN 'approve' END,
                {moderator % u3}, {decided} + interval '1 day 3 hours',
                {status % "'pending'"}, {status % "'public'"})
        ) AS e (place, action, by_id, at, before, after)
        WHERE r.status <> 'pending' AND e.action IS NOT NULL
    """
    bans = f"""
        SELECT 1, 'ban', b.created_by_id, b.created_at, '{{}}'::jsonb,
            jsonb_build_object('kind', b.kind, 'value', b.value, 'reason', b.reason,
                'ends_at', CASE WHEN b.id % 10 = 1 THEN 'null'::jsonb ELSE {ends_at_json} END),
            {ban_type}, b.id, 'E-mail address: ' || b.value
        FROM comments_commentban b
        UNION ALL
        SELECT 2, 'unban', b.created_by_id, b.ends_at, '{{"ends_at": null}}'::jsonb,
            jsonb_build_object('ends_at', {ends_at_json}), {ban_type}, b.id,
            'E-mail address: ' || b.value
        FROM comments_commentban b WHERE b.id % 10 = 1 AND b.ends_at <= now()
    """
    rules = f"""
        SELECT 1, 'rule_change', {moderator % "(g * 0.618034) % 1 / 4"},
            now() - g * (interval '{YEARS} years' / {rule_changes}),
            jsonb_build_object('max_links', 2 + g % 2), jsonb_build_object('max_links', 3 - g % 2),
            {rules_type}, {rules_id}, 'Moderation rules'
        FROM generate_series(1, {rule_changes}) g
    """
    expressions = {
        column: column
        for column in ("action", "by_id", "at", "target_type_id", "target_id", "target_repr")
    }
    # After any event the bench's own decisions recorded.
    first_id = "(SELECT coalesce(max(id), 0) FROM comments_moderationevent)"
    events = insert_statement(
        ModerationEvent,
        {
            **expressions,
            "id": f"{first_id} + row_number() OVER (ORDER BY at, target_type_id, target_id, place)",
            "before": "before",
            "after": "after",
        },
        f"({decisions} UNION ALL {bans} UNION ALL {rules}) AS events",
    )
    # in_parallel for its session: foreign keys are not checked row by row.
    in_parallel([events], seed)
    for table in ("comments_commentban", "comments_moderationevent"):
        execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")


def add_ad_statistics():
    """Two years of daily figures for a few dozen creatives in their placements."""
    from ads.models import Creative, DailyStat
    from tests import factories

    for _ in range(CREATIVES - Creative.objects.count()):
        factories.CreativeFactory(placements=["sidebar-top", "in-article"])
    execute(
        insert_statement(
            DailyStat,
            {
                "date": "current_date - d",
                "creative_id": "creative_id",
                "placement_id": "placement_id",
                "impressions": "floor(random() * 5000)::int",
                "clicks": "floor(random() * 40)::int",
            },
            "ads_creative_placements CROSS JOIN generate_series(1, 730) AS d "
            "ON CONFLICT DO NOTHING",
        )
    )


def vacuum_analyze():
    """VACUUM (for the visibility map that index-only scans read, and the hint bits)
    and ANALYZE every table, over both cores, the biggest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.oid::regclass::text, pg_total_relation_size(c.oid) FROM pg_class c
            WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p'
              AND c.relnamespace IN (current_schema()::regnamespace, 'pg_catalog'::regnamespace)
            ORDER BY 2 DESC
            """
        )
        tables = cursor.fetchall()
    in_parallel([f"VACUUM ANALYZE {table}" for table, _ in tables])


def commonest_word():
    """The lexeme that the most published stories contain (what a reader searching the
    commonest word costs), from a sample."""
    return fetch_value(
        """
        SELECT word
        FROM ts_stat($$SELECT search_vector FROM articles_article TABLESAMPLE SYSTEM (1)$$)
        WHERE length(word) > 3 ORDER BY ndoc DESC LIMIT 1
        """
    )


def word_in_share(share, sample_rows=20_000):
    """A word in about `share` of the stories (what a reader searching a word of middling
    frequency costs), from a sample of about `sample_rows` stories, or None if no word
    of more than three letters comes within half of that share."""
    total = fetch_value("SELECT reltuples::bigint FROM pg_class WHERE relname = 'articles_article'")
    percent = min(100.0, 100.0 * sample_rows / max(total, 1))
    sample = f"articles_article TABLESAMPLE SYSTEM ({percent:.4f}) REPEATABLE (7)"
    sampled = fetch_value(f"SELECT count(*) FROM {sample}")  # nosec B608
    if not sampled:
        return None
    return fetch_value(
        f"""
        SELECT word FROM ts_stat($$SELECT search_vector FROM {sample}$$)
        WHERE length(word) > 3 AND ndoc BETWEEN %s AND %s
        ORDER BY abs(ndoc - %s), word LIMIT 1
        """,  # nosec B608
        [sampled * share / 2, sampled * share * 3 / 2, sampled * share],
    )


def nearest_in_share(model, links, share):
    """The `model` (Tag, Author) whose `links` (its stories' links) are nearest `share`
    of the published stories, among those with more than a page of them: a rare tag's
    or author's page, whatever the build's sizes."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import Abs
    from django.utils import timezone

    from articles.models import Article
    from articles.pages import LISTING_PAGE_SIZE

    target = round(Article.objects.published().count() * share)
    # A link carries its story's publication time while it is published (ArticleTag).
    on_published = Q(**{f"{links}__published_at__lte": timezone.now()})
    return (
        model.objects.annotate(n=Count(links, filter=on_published))
        .filter(n__gt=LISTING_PAGE_SIZE)
        .annotate(distance=Abs(F("n") - target))
        .order_by("distance", "pk")
        .first()
    )


# --- the measurements -------------------------------------------------------------------


@dataclass
class Row:
    label: str
    kind: str  # public, admin or write
    median_ms: float
    max_ms: float
    queries: int
    slowest_ms: float
    slowest_sql: str
    plan: str
    alloc_kb: float | None
    requests: int

    @property
    def passed(self):
        median_target, max_target = TARGETS_MS[self.kind]
        return self.median_ms <= median_target and self.max_ms <= max_target


def subjects(build_record, editor):
    """The pages to measure: (label, kind, path) for GETs, (label, kind, callable) for
    writes, picked from the data (the busiest section, the commonest tag, ...)."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article, Author, Section, Tag
    from articles.pages import LISTING_PAGE_SIZE, ListingCursor
    from comments.models import ReaderComment

    published = Article.objects.published()
    newest = published.order_by("-published_at").first()
    # The busiest section, the commonest tag (the first: on a third of the stories) and
    # the busiest author: their deepest pages are the most expensive.
    section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
    tag = Tag.objects.order_by("pk").first()
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    tagged_story = published.filter(tags=tag).order_by("-published_at").first()
    big_story = published.order_by("-comment_count").first()

    def deepest_page(listing, stories):
        """The last page of a listing: the one after its 21st oldest story."""
        last_before = stories.order_by("published_at", "pk")[LISTING_PAGE_SIZE]
        return f"{listing.get_absolute_url()}{ListingCursor.of(last_before).query()}"

    def month_sitemap(article):
        month = timezone.localtime(article.published_at)
        return reverse(
            "sitemap-articles-month", kwargs={"year": f"{month:%Y}", "month": f"{month:%m}"}
        )

    oldest = published.order_by("published_at").first()
    prolific = ReaderComment.objects.order_by("pk").values_list("user_email", flat=True).first()
    common_word = build_record.get("common_word") or "council"
    mid_word = word_in_share(0.04)
    rare_tag = nearest_in_share(Tag, "article_links", 1 / 1000)
    rare_author = nearest_in_share(Author, "bylines", 1 / 1000)
    rows = [
        ("home", "public", reverse("fronts:home")),
        ("latest", "public", reverse("articles:latest")),
        ("story (newest)", "public", newest.get_absolute_url()),
        ("story with the commonest tag", "public", tagged_story.get_absolute_url()),
        (
            f"story with {big_story.comment_count:,} comments",
            "public",
            big_story.get_absolute_url(),
        ),
        ("section page 1", "public", section.get_absolute_url()),
        (
            "section, deepest page",
            "public",
            deepest_page(section, published.filter(section=section)),
        ),
        ("tag page 1", "public", tag.get_absolute_url()),
        ("tag, deepest page", "public", deepest_page(tag, published.filter(tags=tag))),
        ("author page 1", "public", author.get_absolute_url()),
        ("author, deepest page", "public", deepest_page(author, published.filter(authors=author))),
        *(
            [(f"rare tag page 1 ({rare_tag.n:,} stories)", "public", rare_tag.get_absolute_url())]
            if rare_tag
            else []
        ),
        *(
            [
                (
                    f"rare author page 1 ({rare_author.n:,} stories)",
                    "public",
                    rare_author.get_absolute_url(),
                )
            ]
            if rare_author
            else []
        ),
        (f"search '{common_word}'", "public", f"{reverse('articles:search')}?q={common_word}"),
        *(
            [(f"search '{mid_word}' (~4%)", "public", f"{reverse('articles:search')}?q={mid_word}")]
            if mid_word
            else []
        ),
        ("search a rare word", "public", f"{reverse('articles:search')}?q=lighthousekeeper"),
        ("feed", "public", reverse("articles:feed")),
        ("section feed", "public", reverse("articles:section-feed", args=[section.slug])),
        ("sitemap index", "public", reverse("sitemap-index")),
        ("articles sitemap, newest month", "public", month_sitemap(newest)),
        ("articles sitemap, oldest month", "public", month_sitemap(oldest)),
        ("news sitemap", "public", reverse("sitemap-news")),
        ("robots.txt", "public", "/robots.txt"),
        ("404", "public", "/no-such-page/"),
        ("admin: articles", "admin", "/admin/articles/article/"),
        ("admin: articles, search", "admin", f"/admin/articles/article/?q={common_word}"),
        (
            "admin: articles, by author",
            "admin",
            f"/admin/articles/article/?bylines__author__id__exact={author.pk}",
        ),
        (
            "admin: articles, by section",
            "admin",
            f"/admin/articles/article/?section__id__exact={section.pk}",
        ),
        ("admin: a story's form", "admin", f"/admin/articles/article/{newest.pk}/change/"),
        (
            "admin: comments, pending",
            "admin",
            "/admin/comments/readercomment/?status__exact=pending",
        ),
        ("admin: comments, all", "admin", "/admin/comments/readercomment/"),
        ("admin: comments, by e-mail", "admin", f"/admin/comments/readercomment/?q={prolific}"),
    ]
    admin_rows = [
        *[row for row in rows if row[1] == "admin"],
        *admin_pages(big_story, prolific),
        *admin_changelists(editor),
    ]
    return [
        *[row for row in rows if row[1] != "admin"],
        *unique_by_target(admin_rows),
        ("post a comment on the big story", "write", post_comment(big_story)),
        ("approve a comment on the big story", "write", approve_comment(big_story)),
    ]


def unique_by_target(rows):
    """The rows without a page measured twice (a filter's choice the same as a row named
    by hand): the first label of each stays."""
    seen = set()
    return [row for row in rows if not (row[2] in seen or seen.add(row[2]))]


def admin_pages(big_story, email):
    """The admin pages a newsroom uses that are not lists: a comment's and a creative's
    forms, the ad report, the search of comments' text, an entry of the moderation log."""
    from django.utils import timezone

    from ads.models import Creative
    from comments.models import ModerationEvent, ReaderComment

    comment = ReaderComment.objects.for_article(big_story.pk).order_by("-pk").first()
    creative = Creative.objects.order_by("pk").first()
    event = ModerationEvent.objects.order_by("-pk").first()
    report = "/admin/ads/dailystat/"
    query = urlencode({"email": email})
    year_ago = (timezone.localdate() - timedelta(days=364)).isoformat()
    rows = [
        ("admin: comments, search a word", "admin", "/admin/comments/readercomment/?q=harbour"),
        ("admin: comments, commenter=e-mail", "admin", f"/admin/comments/readercomment/?{query}"),
        ("admin: a comment's form", "admin", f"/admin/comments/readercomment/{comment.pk}/change/"),
        ("admin: ad report (30 days)", "admin", report),
        ("admin: ad report, a year by day", "admin", f"{report}?start={year_ago}&group_by=day"),
        (
            "admin: ad report, a year by creative+day",
            "admin",
            f"{report}?start={year_ago}&group_by=creative-day",
        ),
    ]
    if creative:
        rows.append(
            ("admin: a creative's form", "admin", f"/admin/ads/creative/{creative.pk}/change/")
        )
    if event:
        rows.append(
            (
                "admin: a moderation log entry",
                "admin",
                f"/admin/comments/moderationevent/{event.pk}/change/",
            )
        )
    # Who decided what about a comment, a commenter (the busiest), a name; a rare action.
    log = "/admin/comments/moderationevent/"
    rows += [
        ("admin: moderation events, a comment's number", "admin", f"{log}?q={comment.pk}"),
        ("admin: moderation events, a commenter's e-mail", "admin", f"{log}?q={quote(email)}"),
        ("admin: moderation events, a common first name", "admin", f"{log}?q=ada"),
        ("admin: moderation events, a full name", "admin", f"{log}?q={quote('Ada Alder')}"),
        ("admin: moderation events, a rare action", "admin", f"{log}?action__exact=rule_change"),
    ]
    return rows


# The rows named by hand call the moderators' queue "comments".
SHORT_NAMES = {"comments.ReaderComment": "comments"}


def admin_changelists(client):
    """Every changelist registered on the admin site (a new admin is measured without
    being named here): the list; a search for a term taken from its rows when it has
    search fields; and each filter with a realistic choice: the busiest value of a
    related filter, "past 7 days" and "this year" of a date filter, the first choice of
    any other. A changelist that leads straight to its one row (ads.txt, the moderation
    rules) is measured as that row's form."""
    from django.contrib import admin
    from django.contrib.admin.filters import DateFieldListFilter, RelatedFieldListFilter

    rows = []
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        name = SHORT_NAMES.get(opts.label, str(opts.verbose_name_plural))
        response = client.get(url)
        if response.status_code in (301, 302):
            rows.append((f"admin: {name}", "admin", response["Location"]))
            continue
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code != 200 or changelist is None:
            continue  # not a list (the ad report: among admin_pages)
        rows.append((f"admin: {name}", "admin", url))
        term = search_term(model_admin, changelist)
        if term:
            rows.append((f"admin: {name}, search", "admin", f"{url}?q={quote(term)}"))
        for spec in changelist.filter_specs:
            title = str(spec.title)
            if isinstance(spec, DateFieldListFilter):
                for choice in spec.choices(changelist):
                    if str(choice["display"]).lower() in ("past 7 days", "this year"):
                        label = f"admin: {name}, {title}={str(choice['display']).lower()}"
                        rows.append((label, "admin", url + choice["query_string"]))
                continue
            if isinstance(spec, RelatedFieldListFilter):
                value, display = busiest_related(changelist, spec)
                if value is None:
                    continue
                query = changelist.get_query_string({spec.lookup_kwarg: value}, [])
                rows.append((f"admin: {name}, {title}={display}", "admin", url + query))
                continue
            choice = next(
                (
                    c
                    for c in spec.choices(changelist)
                    if not c["selected"] and c.get("query_string")
                ),
                None,
            )
            if choice is None:
                continue  # chosen elsewhere (a commenter's card), no choices listed
            display = re.sub(r" \(\d[\d,]*( pending)?\)$", "", str(choice["display"]))
            rows.append(
                (f"admin: {name}, {title}={display}", "admin", url + choice["query_string"])
            )
    return rows


def busiest_related(changelist, spec):
    """A related filter's value with the most rows, and its name."""
    from django.db.models import Count

    busiest = (
        changelist.root_queryset.order_by()
        .exclude(**{f"{spec.field_path}__isnull": True})
        .values(spec.field_path)
        .annotate(n=Count("pk"))
        .order_by("-n", spec.field_path)
        .first()
    )
    if busiest is None:
        return None, None
    value = busiest[spec.field_path]
    names = dict(spec.lookup_choices)
    return value, names.get(value, value)


def search_term(model_admin, changelist):
    """A term an editor would type into the changelist's search: a real address for an
    e-mail field, else the commonest word (of four letters or more) of the first search
    field in its newest rows."""
    from collections import Counter

    from django.core.exceptions import FieldDoesNotExist
    from django.db.models import EmailField

    if not model_admin.search_fields:
        return None
    field_path = model_admin.search_fields[0].lstrip("^=@")
    queryset = changelist.root_queryset.order_by("-pk")
    values = [v for v in queryset.values_list(field_path, flat=True)[:500] if v]
    if not values:
        return None
    try:
        field = model_admin.model._meta.get_field(field_path)
    except FieldDoesNotExist:  # a path across a relation
        field = None
    if isinstance(field, EmailField) or "@" in str(values[0]):
        return str(values[0])
    words = Counter(
        word.lower() for value in values for word in re.findall(r"[^\W\d_]{4,}", str(value))
    )
    return words.most_common(1)[0][0] if words else str(values[0]).split()[0]


def post_comment(article):
    from comments.services import comment_post

    counter = iter(range(10**9))
    # Each run's comments its own: a text posted again by the same address is refused
    # as a duplicate, which would time the refusal instead of the post.
    run = f"{time.time():.0f}"

    def post():
        n = next(counter)
        comment_post(
            article=article,
            name="Bench Reader",
            email=f"bench-{run}-{n}@example.com",
            text=f"A comment from the scale bench, run {run}, number {n}.",
            client=f"bench-{n}",
            ip_address=f"192.0.2.{n % 250 + 1}",
        )

    return post


def approve_comment(article):
    from django.contrib.auth import get_user_model

    from comments.models import ReaderComment
    from comments.services import comments_moderate

    pending = ReaderComment.objects.filter(object_pk=str(article.pk), status="pending").order_by(
        "pk"
    )
    user = get_user_model().objects.get(username="scale-admin")

    def approve():
        comment = pending.first()
        comments_moderate(comments=[comment], status=ReaderComment.Status.PUBLIC, by=user)

    return approve


def run_once(client, target):
    if callable(target):
        target()
        return
    response = client.get(target)
    expected = 404 if target == "/no-such-page/" else 200
    if response.status_code != expected:
        sys.exit(f"error: {target} answered {response.status_code}, not {expected}")


def plan_of(statement):
    if not statement.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + statement)
        lines = [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


def timed(client, target):
    started = time.perf_counter()
    run_once(client, target)
    return (time.perf_counter() - started) * 1000


def measure(label, kind, target, client, requests):
    """One warm-up, one request with its queries captured, one under tracemalloc (skipped
    when the page takes seconds: tracemalloc slows it tenfold), then up to `requests` timed
    ones, stopping early past TIME_BUDGET_MS."""
    warm_up_ms = timed(client, target)
    with CaptureQueriesContext(connection) as captured:
        run_once(client, target)
    queries = [
        q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    slowest = max(queries, key=lambda q: float(q["time"]), default={"sql": "", "time": "0"})
    alloc_kb = None
    if warm_up_ms < TRACED_UP_TO_MS:
        tracemalloc.start()
        try:
            run_once(client, target)
            alloc_kb = tracemalloc.get_traced_memory()[1] / 1024
        finally:
            tracemalloc.stop()
    times = []
    while len(times) < requests and sum(times) < TIME_BUDGET_MS:
        times.append(timed(client, target))
    return Row(
        label=label,
        kind=kind,
        median_ms=statistics.median(times),
        max_ms=max(times),
        requests=len(times),
        queries=len(queries),
        slowest_ms=float(slowest["time"]) * 1000,
        slowest_sql=slowest["sql"],
        plan=plan_of(slowest["sql"]),
        alloc_kb=alloc_kb,
    )


def top_of_plan(plan):
    """The plan's first node and any sequential scan or sort on disk, in a few words."""
    if not plan:
        return ""
    nodes = [line.strip().lstrip("-> ").split("  (")[0] for line in plan.splitlines()]
    notes = [node for node in nodes if re.match(r"(Parallel )?Seq Scan|Sort|SubPlan", node)]
    return "; ".join(dict.fromkeys([nodes[0], *notes[:2]]))[:70]


def report(rows, record):
    print(
        f"\nNewsroom at scale: {record['articles']:,} articles, "
        f"{fetch_value('SELECT count(*) FROM django_comments'):,} comments "
        f"(built in {record['seconds'] // 60} min {record['seconds'] % 60} s, {record['size']}); "
        f"PostgreSQL {connection.pg_version // 10000}, page cache off; median and max of n "
        "requests, queries of one, the slowest of them, what one request allocates\n"
    )
    header = (
        f"{'page':<48}{'median':>10}{'max':>10}{'n':>3}{'queries':>8}{'slowest':>10}"
        f"{'alloc':>9}  target  plan of the slowest query"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        alloc = f"{row.alloc_kb / 1024:>7.1f}MB" if row.alloc_kb is not None else f"{'-':>9}"
        print(
            f"{row.label[:47]:<48}{row.median_ms:>8.1f}ms{row.max_ms:>8.1f}ms{row.requests:>3}"
            f"{row.queries:>8}{row.slowest_ms:>8.1f}ms{alloc}  "
            f"{'ok' if row.passed else 'MISS':<6}  {top_of_plan(row.plan)}"
        )
    missed = [row for row in rows if not row.passed]
    print(
        f"\n{len(rows) - len(missed)} of {len(rows)} within target (public pages <= 50 ms "
        "median and <= 100 ms max, admin <= 300 ms, writes <= 30 ms)"
    )
    for row in missed:
        print(f"\n## {row.label}: slowest query {row.slowest_ms:.1f} ms")
        print(row.slowest_sql[:800])
        print(row.plan)


def main(argv=None):
    args = parse_args(argv)
    configure_django(args.database_url)
    record = existing_build(args.database_url)
    if (
        args.rebuild
        or record is None
        or {k: record.get(k) for k in wanted_build(args)} != wanted_build(args)
    ):
        log(f"building {args.database_url}: {args.articles:,} articles, {args.comments:,} comments")
        connections.close_all()
        recreate_database(args.database_url)
        record = build(args)
    else:
        log("using the database built before; applying any new migration")
        call_command("migrate", verbosity=0)
        record = later_steps_apply(record)
    from django.contrib.auth import get_user_model

    reader, editor = Client(), Client()
    editor.force_login(get_user_model().objects.get(username="scale-admin"))
    rows = []
    with override_settings(PAGE_CACHE_SECONDS=0, DEBUG=False):
        for label, kind, target in subjects(record, editor):
            if args.only and not re.search(args.only, label):
                continue
            log(f"measuring {label}")
            client = editor if kind == "admin" else reader
            rows.append(measure(label, kind, target, client, args.requests))
    report(rows, record)
    connections.close_all()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
