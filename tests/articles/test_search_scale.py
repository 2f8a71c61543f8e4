"""Search that stays bounded however big the archive (issue 10): the newest
SEARCH_CANDIDATES matches are ranked, "1,000+" shown past them, highlights made for the
page's rows alone; and on PostgreSQL, plans that never read the whole table."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article
from tests.factories import ArticleFactory
from tests.plans import explain, no_deadline
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


def test_a_page_costs_a_bounded_number_of_queries_however_many_match(client, section):
    """On PostgreSQL the newest matches take one to MOST_PROBES queries (windows widened
    as the word's frequency asks); on SQLite one. Either way a fixed bound, and every
    page of a search costs the same."""
    ArticleFactory(section=section, headline="Council budget")
    client.get("/search/?q=council")  # warm process-wide caches, such as the Sites framework's
    one_match = count_queries(client, "/search/?q=council")
    for n in range(30):
        ArticleFactory(section=section, headline=f"Council vote {n}")
    first_page = count_queries(client, "/search/?q=council")
    second_page = count_queries(client, "/search/?q=council&page=2")

    no_search = count_queries(client, "/search/")
    bound = no_search + search.MOST_PROBES + 1  # the page's articles
    assert one_match <= bound
    assert first_page == second_page <= bound


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
COMMON, MIDDLING, RARE = "council", "lighthouse", "lighthousekeeper"


def seed_articles(section, rows=ROWS):
    """`rows` published stories, one an hour, newest first by id, copied from one real
    row in SQL: COMMON in seven of ten, MIDDLING in one of 25, RARE in one of 5,000;
    then ANALYZE for the planner."""
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
            f" || CASE WHEN g %% 25 = 3 THEN 'The {MIDDLING} shone. ' ELSE '' END"
            " || repeat('Ferries, quays and markets along the harbour front. ', 12) || '</p>'"
        ),
    }
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    values = ", ".join(
        overrides.get(column, f"a.{connection.ops.quote_name(column)}") for column in columns
    )
    with connection.cursor() as cursor, no_deadline():
        cursor.execute(
            f"INSERT INTO articles_article ({names}) SELECT {values} "  # noqa: S608  # nosec B608
            "FROM generate_series(1, %s) AS g "
            "CROSS JOIN articles_article a WHERE a.id = %s",
            [rows, model.pk],
        )
        cursor.execute("ANALYZE articles_article")


def searched(query):
    """The results of `query`, ranked, and the SQL of each query the ranking sent."""
    results = Article.objects.search(query)
    with CaptureQueriesContext(connection) as captured:
        len(results)
    return results, [q["sql"] for q in captured.captured_queries]


def newest_matches_in_one_query(query):
    """What the windows must find: the newest matches, straight from the plain query."""
    matches = search.matching(Article.objects.published(), query)
    return list(
        matches.order_by("-published_at", "-pk").values_list("pk", flat=True)[
            : search.SEARCH_CANDIDATES + 1
        ]
    )


def table_rows_read(plan):
    """Rows of articles_article the plan read (kept or filtered out), index entries
    aside: what costs a heap read, and for a rejected row often its vector's TOAST."""
    return sum(
        node["Actual Rows"]
        + node.get("Rows Removed by Filter", 0)
        + node.get("Rows Removed by Index Recheck", 0)
        for node in plan.nodes()
        if node.get("Relation Name") == "articles_article"
    )


def probes(queries):
    """The queries that looked for the newest matches in a window of periods (the first
    of them ranks what it finds in the same query)."""
    return [sql for sql in queries if "'week " in sql or "'month " in sql]


@only_postgresql
def test_a_common_word_is_found_in_a_recent_window_not_by_testing_every_story(section):
    seed_articles(section)
    results, queries = searched(COMMON)

    windows = probes(queries)
    # Two weeks hold about 235 of the 14,000 matches: one widening, sized from them
    # (the first window told that the archive reaches further back); no look at the
    # whole archive, nor a query of its own for when it begins.
    assert queries == windows
    assert len(windows) == 2
    for sql in windows:
        plan = explain(sql)
        # The period index's matches in the window, or (the planner's choice for a word
        # this common) the window's stories newest first, stopped at its start; then
        # the newest of them ranked, read by id.
        assert set(plan.scans_of("articles_article")) <= {
            "Bitmap Heap Scan",
            "Index Scan articles_article_published_at_b692f2ff",
            "Index Scan articles_article_pkey",
        }, str(plan)
        assert "Seq Scan" not in plan.node_types, plan
        assert table_rows_read(plan) <= 4 * search.SEARCH_CANDIDATES, plan
    ranked = explain(windows[-1]).root
    assert ranked["Actual Rows"] == search.SEARCH_CANDIDATES + 1, ranked
    assert results.capped
    assert len(results) == search.SEARCH_CANDIDATES
    assert results.newest_matches() == newest_matches_in_one_query(COMMON)


@only_postgresql
def test_a_middling_word_reads_its_window_s_matches_alone(section, monkeypatch):
    """A word in 4% of stories (with a cap of 100: as a word in 0.4% of a million is to
    the cap of 1,000): the first two weeks hold 13 matches, so the window is widened to
    the months that should hold the rest, and its matches alone are read from the heap,
    not the 2,500 newest stories' vectors."""
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 100)
    seed_articles(section)
    results, queries = searched(MIDDLING)

    windows = probes(queries)
    assert queries == windows
    assert len(windows) == 2
    widened = explain(windows[-1])
    assert "articles_search_period_idx" in str(widened.root)
    assert "Seq Scan" not in widened.node_types, widened
    (heap,) = [n for n in widened.nodes() if n["Node Type"] == "Bitmap Heap Scan"]
    assert search.SEARCH_CANDIDATES < heap["Actual Rows"] <= 3 * search.SEARCH_CANDIDATES
    assert heap.get("Rows Removed by Index Recheck", 0) == 0  # no vector read to recheck
    assert widened.root["Actual Rows"] == search.SEARCH_CANDIDATES + 1  # ranked: the newest
    assert results.newest_matches() == newest_matches_in_one_query(MIDDLING)
    assert results.capped
    assert len(results) == search.SEARCH_CANDIDATES


@only_postgresql
def test_a_rare_word_is_found_through_the_gin_index(section):
    seed_articles(section)
    results, queries = searched(RARE)

    # None in the last two weeks: the whole archive's few matches, from the plain index.
    assert len(probes(queries)) == 1
    assert len(queries) == 2
    archive = explain(queries[1])  # and its matches ranked by id in the same query
    assert "Bitmap Heap Scan" in archive.scans_of("articles_article"), str(archive)
    assert "Seq Scan" not in archive.node_types, archive
    assert "articles_article_search_idx" in str(archive.root)
    assert not results.capped
    assert len(results) == ROWS // 5000
    assert results.newest_matches() == newest_matches_in_one_query(RARE)


@only_postgresql
def test_the_windows_find_the_newest_matches_whatever_the_word(section, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 50)
    seed_articles(section, rows=5_000)
    for query in (COMMON, "tide", MIDDLING, RARE, "council -tide", "nothingatall"):
        results = Article.objects.search(query)
        assert results.newest_matches() == newest_matches_in_one_query(query), query


def test_windows_are_covered_by_a_few_periods():
    today = date(2026, 12, 6)  # a Sunday
    recent = search.window_start(today - timedelta(weeks=1), today)
    assert recent == date(2026, 11, 23)  # a Monday
    assert search.window_periods(recent, today) == [
        f"week {search._week(today) - 1}",
        f"week {search._week(today)}",
    ]
    older = search.window_start(date(2024, 5, 17), today)
    assert older == date(2024, 5, 1)
    periods = search.window_periods(older, today)
    assert periods[0] == f"month {2024 * 12 + 4}"
    assert periods[-2:] == ["year 2025", "year 2026"]
    assert len(periods) == 8 + 2  # May to December 2024, then whole years


@only_postgresql
def test_highlights_are_made_in_the_database_without_sending_the_body(
    client, section, django_assert_max_num_queries
):
    seed_articles(section, rows=2_000)
    client.get("/search/", {"q": "tide"})  # warm process-wide caches (the Sites framework's)
    # The ranked newest matches (up to MOST_PROBES queries), the page's articles.
    with django_assert_max_num_queries(search.MOST_PROBES + 1) as captured:
        response = client.get("/search/", {"q": COMMON})
    assert response.status_code == 200
    assert "1,000+ results for" in response.content.decode()
    assert response.content.decode().count("<mark>council</mark>") == 20  # a page's rows
    page_query = next(q["sql"] for q in captured.captured_queries if "ts_headline" in q["sql"])
    # The body is read for the headline of the page's rows, not selected as a column.
    selected = page_query.split(" FROM ", 1)[0]
    assert selected.count("body") == 1
    assert "ts_headline('english'::regconfig, regexp_replace(\"articles_article\".body" in selected


@only_postgresql
def test_a_window_that_would_hold_the_whole_archive_is_not_searched_before_it(section, monkeypatch):
    """A small archive (a new site, the demo): two weeks hold too few matches, and the
    window sized to hold the rest would reach back past the oldest story. The archive
    is searched as one, not once as a window and then again whole."""
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 100)
    for day in range(60):
        ArticleFactory(
            section=section, headline=f"Harbour works, day {day}", published_at=days_ago(day)
        )
    results, queries = searched("harbour")

    assert len(probes(queries)) == 1  # the first two weeks, and when the archive begins
    assert len(queries) == 2  # then the archive whole
    assert not results.capped
    assert results.newest_matches() == newest_matches_in_one_query("harbour")
