"""On PostgreSQL, a story's thread of 50,000 comments (among 200,000) is read a page at a
time: the threads of a page come from the index on an article's comments
(comments_article_id_idx, migration 0013) under a Limit, newest or oldest first, with no
Seq Scan and no Sort of the whole thread, from the first page's first thread or from the
cursor's."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import ReaderComment
from tests.plans import explain, limits, needs_postgres

pytestmark = [pytest.mark.django_db, needs_postgres]

BIG_TABLES = ("django_comments", "django_comments_xtd_xtdcomment", "comments_readercomment")
SEEDED = 200_000  # comments: one in EVERY on THE_STORY, the others on 500 stories
EVERY = 4
THE_STORY = 1
SPAN = 10 * EVERY  # a thread of THE_STORY's starts every tenth of its comments
INDEX = "comments_article_id_idx"


@pytest.fixture(scope="module")
def thread(django_db_setup, django_db_blocker):
    """SEEDED comments in one statement a slice and table, as tests/comments/
    test_admin_scale.py seeds them, committed once for the module's tests and removed
    after them. Comment i is on THE_STORY when i is a multiple of EVERY; there it starts
    a thread when i is a multiple of SPAN and otherwise replies to the thread started
    last, and one thread in 25 (those starting at a multiple of 1,000) is held for
    moderation whole. The others' comments, in between, each start a thread. Then
    VACUUM ANALYZE, so that the planner sees tables big enough to care, and with their
    visibility map set as autovacuum keeps a live table's: an index-only scan of the
    article's index is then costed as one, rather than as a heap fetch a row, which
    would have the planner walk django_comments' key past a cursor instead, filtering
    the story's comments (a quarter of the table here) from everyone else's."""
    inserts = [
        """
        INSERT INTO django_comments (id, content_type_id, object_pk, site_id, user_name,
            user_email, user_url, comment, submit_date, ip_address, is_public, is_removed)
        SELECT i, %(type)s,
            (CASE WHEN i %% %(every)s = 0 THEN %(story)s ELSE %(story)s + 1 + i %% 500 END)::text,
            1, 'Reader ' || i %% 2000, 'reader' || i %% 2000 || '@example.com', '',
            'Comment number ' || i, now() - (%(total)s - i) * interval '1 minute',
            '10.0.0.1'::inet, i %% 1000 >= %(span)s, false
        FROM generate_series(%(low)s, %(high)s) AS i
        """,
        """
        INSERT INTO django_comments_xtd_xtdcomment
            (comment_ptr_id, thread_id, parent_id, level, "order", followup, nested_count)
        SELECT i, starts, starts, (i <> starts)::int, 1 + (i - starts) / %(every)s, false, 0
        FROM (
            SELECT i, CASE WHEN i %% %(every)s = 0 THEN i - i %% %(span)s ELSE i END AS starts
            FROM generate_series(%(low)s, %(high)s) AS i
        ) AS comments
        """,
        """
        INSERT INTO comments_readercomment (xtdcomment_ptr_id, status, fingerprint,
            report_count)
        SELECT id, CASE WHEN is_public THEN 'public' ELSE 'pending' END, md5(id::text), 0
        FROM django_comments WHERE id BETWEEN %(low)s AND %(high)s
        """,
    ]
    if connection.vendor != "postgresql":
        yield
        return
    # In slices: each statement keeps within the settings' statement timeout. Ids from
    # SPAN on, so that the first thread on THE_STORY starts at a comment of its own.
    step = 20_000
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        article_type = ContentType.objects.get_by_natural_key("articles", "article")
        shape = {"type": article_type.pk, "story": THE_STORY, "every": EVERY, "span": SPAN}
        for low in range(SPAN, SEEDED + SPAN, step):
            bounds = {"low": low, "high": min(low + step - 1, SEEDED + SPAN - 1)}
            for insert in inserts:
                cursor.execute(insert, {**shape, "total": SEEDED, **bounds})
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('django_comments', 'id'), %s)",
            [SEEDED + SPAN - 1],
        )
        for table in BIG_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(BIG_TABLES)} CASCADE")


def threads_read(**page):
    """The thread ids of one page of THE_STORY's thread, and the plan that read them."""
    ReaderComment.objects.for_article(THE_STORY)  # the content type, cached
    with CaptureQueriesContext(connection) as captured:
        ids = ReaderComment.objects.for_article(THE_STORY).thread_ids(
            limit=settings.COMMENTS_THREADS_PER_PAGE + 1, **page
        )
    [query] = captured.captured_queries
    return ids, explain(query["sql"])


# Threads starting at a multiple of 1,000 are held whole: the newest shown starts at
# SEEDED - SPAN, and the one before MIDDLE (halfway through the story's comments) at
# MIDDLE - 2 * SPAN.
MIDDLE = SEEDED // 2 + SPAN


@pytest.mark.parametrize(
    ("page", "direction", "first_thread"),
    [
        pytest.param({"newest_first": True, "start": None}, "Backward", SEEDED - SPAN,
                     id="newest first"),
        pytest.param({"newest_first": False, "start": None}, "Forward", SPAN,
                     id="oldest first"),
        # Past a cursor, the scan of the article's index starts at the cursor: PostgreSQL
        # carries no < or > across a join, so thread_ids bounds each table's own key.
        pytest.param({"newest_first": True, "start": MIDDLE}, "Backward", MIDDLE,
                     id="newest first, past a cursor"),
        pytest.param({"newest_first": False, "start": MIDDLE}, "Forward", MIDDLE,
                     id="oldest first, past a cursor"),
        pytest.param({"newest_first": True, "start": MIDDLE, "inclusive": False}, "Backward",
                     MIDDLE - 2 * SPAN, id="the page before a cursor"),
        pytest.param({"newest_first": False, "start": MIDDLE, "inclusive": False}, "Forward",
                     MIDDLE + SPAN, id="the page before a newest-first cursor"),
    ],
)  # fmt: skip
def test_a_page_of_threads_is_read_from_the_articles_index_under_a_limit(
    thread, page, direction, first_thread
):
    ids, plan = threads_read(**page)

    size = settings.COMMENTS_THREADS_PER_PAGE + 1
    assert ids[0] == first_thread
    assert len(ids) == size and all(thread_id % SPAN == 0 for thread_id in ids)
    assert plan.root["Node Type"] == "Limit" and limits(plan) == 1, plan
    [scan] = [node for node in plan.nodes() if node.get("Relation Name") == "django_comments"]
    assert scan["Node Type"] in ("Index Scan", "Index Only Scan"), plan.scans_of("django_comments")
    assert (scan["Index Name"], scan["Scan Direction"]) == (INDEX, direction)
    if page["start"] is not None:
        # The id bounded beside the story's equalities: the scan starts at the cursor.
        bound = ("<" if page["newest_first"] else ">") + (
            "=" if page.get("inclusive", True) else ""
        )
        assert f"(id {bound} {page['start']})" in scan["Index Cond"], scan
    for table in BIG_TABLES:
        assert not [s for s in plan.scans_of(table) if s.startswith("Seq Scan")], (table, plan)
    assert "Sort" not in plan.node_types, plan
    # The page's threads and their replies from the index (ten comments a thread), the
    # rows they join, and a probe for a public comment in each: a few thousand rows,
    # not the story's 50,000 (at a quarter of the table here, the planner merge-joins
    # the other tables' keys, reading four rows for each of the story's).
    assert plan.rows_read < 10_000, plan
