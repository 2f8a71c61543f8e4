"""Search that stays bounded however big the archive (issue 10): the newest
SEARCH_CANDIDATES matches are ranked, "1,000+" shown past them, highlights made for the
page's rows alone; and on PostgreSQL, plans that never read the whole table."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import search
from articles.models import Article
from tests.factories import ArticleFactory
from tests.queries import count_queries

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's plans: SQLite has no stored vector, GIN index or planner statistics",
)


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 5)
    monkeypatch.setattr(search.SearchResults, "cap_label", "5")


def test_past_the_cap_the_count_is_a_floor_and_exact_below_it(client, section, small_cap):
    for n in range(6):
        ArticleFactory(section=section, headline=f"Ferry timetable change {n}")
    for n in range(3):
        ArticleFactory(section=section, headline=f"Lighthouse keeper {n}")

    capped = client.get("/search/", {"q": "ferry"})
    exact = client.get("/search/", {"q": "lighthouse"})

    assert capped.context["results"].capped
    assert len(capped.context["page_obj"]) == 5
    assert "5+ results for" in capped.content.decode()
    assert "the best matches among the newest 5" in capped.content.decode()
    assert not exact.context["results"].capped
    assert "3 results for" in exact.content.decode()


def test_the_newest_matches_are_ranked_and_older_ones_left_out(section, small_cap):
    """The trade: a headline match older than the newest SEARCH_CANDIDATES matches is
    not found; among those, relevance orders them (headline before body)."""
    old_headline_match = ArticleFactory(
        section=section, headline="Lighthouse restored", published_at=days_ago(400)
    )
    body_matches = [
        ArticleFactory(
            section=section,
            headline=f"Council meets {n}",
            body="<p>The lighthouse was discussed.</p>",
            published_at=days_ago(n + 1),
        )
        for n in range(4)
    ]
    recent_headline_match = ArticleFactory(
        section=section, headline="Lighthouse keeper retires", published_at=days_ago(2.5)
    )

    results = list(Article.objects.search("lighthouse"))

    # The newest five matches: the headline match first, then the rest newest first.
    assert results == [recent_headline_match, *body_matches]
    assert old_headline_match not in results


def test_a_page_costs_the_same_queries_however_many_match(client, section):
    ArticleFactory(section=section, headline="Council budget")
    client.get("/search/?q=council")  # warm process-wide caches, such as the Sites framework's
    few = count_queries(client, "/search/?q=council")
    for n in range(30):
        ArticleFactory(section=section, headline=f"Council vote {n}")
    assert count_queries(client, "/search/?q=council&page=2") == few


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "9" * 40, "%00"])
def test_bad_page_numbers_never_fail(client, section, small_cap, page):
    for n in range(7):
        ArticleFactory(section=section, headline=f"Tide tables {n}")
    response = client.get(f"/search/?q=tide&page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1  # five candidates: one page


def test_highlights_are_made_for_the_page_shown(client, section):
    for n in range(25):
        ArticleFactory(section=section, headline=f"Works {n}", body="<p>The quay reopens.</p>")
    html = client.get("/search/", {"q": "quay", "page": 2}).content.decode()
    assert html.count("<mark>quay</mark>") == 5  # each of the page's five rows has its excerpt
    assert "25 results for" in html


# --- PostgreSQL: the plans, on a table big enough for the planner to care --------------

ROWS = 20_000
COMMON, RARE = "council", "lighthousekeeper"


def seed_articles(section, rows=ROWS):
    """`rows` published stories, newest first by id, copied from one real row in SQL:
    COMMON in seven of ten, RARE in one of 5,000; then ANALYZE for the planner."""
    model = ArticleFactory(section=section, headline="The first story")
    columns = [
        f.column
        for f in Article._meta.local_concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]
    overrides = {
        "slug": "'seeded-' || g",
        "headline": "'Story ' || g",
        "standfirst": "'What happened on day ' || g",
        "published_at": "now() - g * interval '1 hour'",
        "body": (
            "'<p>' || CASE WHEN g %% 10 < 7 THEN 'The council met. ' ELSE 'The tide turned. ' END"
            f" || CASE WHEN g %% 5000 = 0 THEN '{RARE} ' ELSE '' END"
            " || repeat('Ferries, quays and markets along the harbour front. ', 12) || '</p>'"
        ),
    }
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    values = ", ".join(
        overrides.get(column, f"a.{connection.ops.quote_name(column)}") for column in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_article ({names}) SELECT {values} "  # noqa: S608  # nosec B608
            "FROM generate_series(1, %s) AS g "
            "CROSS JOIN articles_article a WHERE a.id = %s",
            [rows, model.pk],
        )
        cursor.execute("ANALYZE articles_article")


def plan_nodes(queryset):
    """Every node of the plan PostgreSQL ran for `queryset` (EXPLAIN ANALYZE, as JSON)."""
    plan = json.loads(queryset.explain(format="json", analyze=True, verbose=True))[0]["Plan"]
    nodes, todo = [], [plan]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return nodes


def seq_scans(nodes):
    return [
        n
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "articles_article"
    ]


def rows_matched_against(nodes):
    """Rows of articles_article that the full-text match was tried on: those the
    matching scan returned plus those it filtered out."""
    return sum(
        node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        for node in nodes
        if "@@" in node.get("Filter", "") + node.get("Recheck Cond", "")
    )


@only_postgresql
def test_a_common_word_reads_the_newest_stories_until_the_cap_not_every_match(section):
    seed_articles(section)
    results = Article.objects.search(COMMON)

    nodes = plan_nodes(results.candidates())

    assert not seq_scans(nodes)
    # About (cap + 1) / 0.7 stories read from the newest down, of 14,000 that match.
    assert rows_matched_against(nodes) < 2 * search.SEARCH_CANDIDATES
    # Ranked: the candidates alone.
    assert sum(n["Actual Rows"] for n in nodes if "ts_rank" in str(n.get("Output", ""))) <= (
        search.SEARCH_CANDIDATES + 1
    )
    assert results.capped
    assert len(results) == search.SEARCH_CANDIDATES


@only_postgresql
def test_a_rare_word_is_found_through_the_gin_index(section):
    seed_articles(section)
    results = Article.objects.search(RARE)

    nodes = plan_nodes(results.candidates())

    assert not seq_scans(nodes)
    assert any(node.get("Index Name") == "articles_article_search_idx" for node in nodes), nodes
    assert not results.capped
    assert len(results) == ROWS // 5000


@only_postgresql
def test_highlights_are_made_in_the_database_without_sending_the_body(
    client, section, django_assert_max_num_queries
):
    seed_articles(section, rows=2_000)
    client.get("/search/", {"q": "tide"})  # warm process-wide caches (the Sites framework's)
    with django_assert_max_num_queries(4) as captured:
        response = client.get("/search/", {"q": COMMON})
    assert response.status_code == 200
    assert "1,000+ results for" in response.content.decode()
    assert response.content.decode().count("<mark>council</mark>") == 20  # a page's rows
    page_query = next(q["sql"] for q in captured.captured_queries if "ts_headline" in q["sql"])
    # The body is read for the headline of the page's rows, not selected as a column.
    assert '"articles_article"."body" AS' not in page_query
    assert 'regexp_replace("articles_article"."body"' in page_query
