"""Query plans on PostgreSQL, for the tests that pin a page's query shapes: an archive
large enough for the planner to choose as it would at scale, and what a plan reads.

At a few hundred rows every plan is cheap and a sequential scan is often the planner's
best choice, so the archive is seeded in bulk (INSERT … SELECT generate_series) and
analysed, inside a transaction the tests' own roll back to and the module's fixture
rolls back at the end.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction

ARCHIVE_SIZE = 100_000  # stories, one every 30 minutes: about 5.7 years
SMALL_SECTION_SHARE = 100  # one story in 100 is in the small section

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are PostgreSQL's; SQLite runs the same queries in the other tests",
)

SEED_SQL = """
INSERT INTO articles_section (name, slug, description, position)
SELECT 'Plan ' || s, 'plan-' || s, '', s FROM generate_series(0, 6) s;

INSERT INTO articles_tag (name, slug)
VALUES ('Plan common', 'plan-common'), ('Plan other', 'plan-other'), ('Plan rare', 'plan-rare');

INSERT INTO articles_photo (image, width, height, alt_text, is_decorative, caption, credit,
                            renditions, created_at, focal_x, focal_y)
VALUES ('plan.jpg', 1200, 800, 'Plan', false, '', '', '{}', now(), 0.5, 0.5);

-- Story g is published g half-hours ago. Section 'plan-0' is small (1 story in 100), the
-- others share the rest; 1 in 50 is a draft, 1 in 97 kept out of promotion, 2 in 3 have
-- a photo, 1 in 400 is Must read. Tags: 'plan-common' on a third of the archive,
-- 'plan-other' on a tenth, 'plan-rare' on 1 story in 10,000.
WITH sections AS (SELECT array_agg(id ORDER BY position) AS ids FROM articles_section
                  WHERE slug LIKE 'plan-%%'),
     stories AS (
       INSERT INTO articles_article (
         headline, slug, standfirst, body, agency, dateline, is_must_read, status,
         published_at, updated_at, allow_comments, seo_description, created_at,
         hero_photo_id, section_id, comment_count, coverage, hide_ads, hide_social_image,
         keep_out_of_promotion)
       SELECT 'Plan story ' || g, 'plan-' || g, '', '', '', '', g %% 400 = 3,
              CASE WHEN g %% 50 = 1 THEN 'draft' ELSE 'published' END,
              now() - g * interval '30 minutes', now(), true, '', now(),
              CASE WHEN g %% 3 = 2 THEN NULL
                   ELSE (SELECT max(id) FROM articles_photo WHERE image = 'plan.jpg') END,
              sections.ids[CASE WHEN g %% %(small)s = 0 THEN 1 ELSE 2 + g %% 6 END],
              0, '', false, false, g %% 97 = 0
       FROM generate_series(1, %(size)s) g, sections
       RETURNING id, substr(slug, 6)::int AS g
     )
INSERT INTO articles_article_tags (article_id, tag_id)
SELECT stories.id, articles_tag.id FROM stories JOIN articles_tag
  ON (articles_tag.slug = 'plan-common' AND stories.g %% 3 = 0)
  OR (articles_tag.slug = 'plan-other' AND stories.g %% 10 = 0)
  OR (articles_tag.slug = 'plan-rare' AND stories.g %% 10000 = 7);

ANALYZE articles_section;
ANALYZE articles_tag;
ANALYZE articles_article;
ANALYZE articles_article_tags;
"""


@dataclass(frozen=True)
class Archive:
    section_ids: list[int]  # the small section first
    common_tag_id: int
    other_tag_id: int
    rare_tag_id: int


@contextmanager
def seeded_archive() -> Iterator[Archive]:
    """The archive, seeded and analysed, rolled back when the block ends."""
    with transaction.atomic(), connection.cursor() as cursor:
        with no_deadline():
            cursor.execute(SEED_SQL % {"size": ARCHIVE_SIZE, "small": SMALL_SECTION_SHARE})
            # The foreign keys are checked now, once, rather than at every test's end.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SELECT id FROM articles_section WHERE slug LIKE 'plan-%' ORDER BY position")
        section_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT slug, id FROM articles_tag WHERE slug LIKE 'plan-%'")
        tags = dict(cursor.fetchall())
        yield Archive(section_ids, tags["plan-common"], tags["plan-other"], tags["plan-rare"])
        transaction.set_rollback(True)


@contextmanager
def no_deadline() -> Iterator[None]:
    """Seeding is one statement longer than a page's may take: the server's
    statement_timeout and the client's answer deadline (newsroom/postgres) are lifted
    for it, and restored for the tests."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (timeout,) = cursor.fetchone()
        answer_timeout = connection.connection.answer_timeout
        cursor.execute("SET LOCAL statement_timeout = 0")
        connection.connection.answer_timeout = None
        try:
            yield
        finally:
            connection.connection.answer_timeout = answer_timeout
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [timeout])


def story_id(number: int) -> int:
    """The id of the archive's story `number` (published `number` half-hours ago)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM articles_article WHERE slug = %s", [f"plan-{number}"])
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Plan:
    sql: str
    root: dict[str, Any]
    execution_ms: float

    def nodes(self, node: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        node = self.root if node is None else node
        yield node
        for child in node.get("Plans", []):
            yield from self.nodes(child)

    @property
    def node_types(self) -> set[str]:
        return {node["Node Type"] for node in self.nodes()}

    @property
    def subplans(self) -> list[str]:
        return [node["Subplan Name"] for node in self.nodes() if "Subplan Name" in node]

    def scans_of(self, table: str) -> list[str]:
        """How the plan reads `table`: the node type and index of each scan of it."""
        return [
            f"{node['Node Type']} {node.get('Index Name', '')}".strip()
            for node in self.nodes()
            if node.get("Relation Name") == table
        ]

    @property
    def rows_read(self) -> int:
        """Rows the scans produced or read and threw away, over all their loops."""
        return sum(
            (
                node.get("Actual Rows", 0)
                + node.get("Rows Removed by Filter", 0)
                + node.get("Rows Removed by Index Recheck", 0)
            )
            * node.get("Actual Loops", 1)
            for node in self.nodes()
            if "Scan" in node["Node Type"]
        )

    def __str__(self) -> str:
        return f"{self.execution_ms:.2f} ms, {self.rows_read} rows read: {self.sql[:200]}"


def explain(sql: str) -> Plan:
    """The plan PostgreSQL ran `sql` (a query as Django sent it) with, and its timing."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (result,) = cursor.fetchone()
    explained = result if isinstance(result, list) else json.loads(result)
    return Plan(sql, explained[0]["Plan"], explained[0]["Execution Time"])


def assert_reads_only_the_top_of_indexes(plan: Plan, *, at_most: int) -> None:
    """The shape a public page's query must keep at scale: stories and their tags read
    through indexes, no ranking window over them, no subquery run per row, and few rows
    read in all (so no sort of the whole set either)."""
    scans = plan.scans_of("articles_article") + plan.scans_of("articles_article_tags")
    assert scans, plan
    assert not [scan for scan in scans if scan.startswith("Seq Scan")], (scans, str(plan))
    assert "WindowAgg" not in plan.node_types, plan
    assert not plan.subplans, plan
    assert plan.rows_read <= at_most, plan


def limits(plan: Plan) -> int:
    """How many reads of the plan stop at a Limit."""
    return sum(node["Node Type"] == "Limit" for node in plan.nodes())
