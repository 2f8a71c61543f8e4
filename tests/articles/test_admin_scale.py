"""The editors' article list at a million stories (issue 10): no DISTINCT over whole rows,
no body read, no year scan, full-text search, counts that never read the table whole,
and filters that read an index of their few stories."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin import ArticlePaginator
from tests import plans
from tests.admin_pages import logged_in
from tests.factories import ArticleFactory, AuthorFactory

CHANGELIST_URL = reverse("admin:articles_article_changelist")

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's row estimate and full-text search: SQLite has neither",
)


def changelist_queries(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST_URL + query)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


def article_rows_queries(queries):
    return [sql for sql in queries if 'FROM "articles_article"' in sql]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Harbour dredging", "Rates held"}),
        ("?q=harbour", {"Harbour dredging"}),
        ("?bylines__author__id__exact={author}", {"Harbour dredging"}),
    ],
)
def test_the_list_neither_distincts_whole_rows_nor_reads_bodies(editor, query, expected):
    author = AuthorFactory(name="Ada Birch")
    ArticleFactory(headline="Harbour dredging", authors=[author])
    ArticleFactory(headline="Rates held", authors=[AuthorFactory(name="Bo Lind")])

    response, queries = changelist_queries(logged_in(editor), query.format(author=author.pk))

    assert {a.headline for a in response.context["cl"].result_list} == expected
    for sql in article_rows_queries(queries):
        assert "DISTINCT" not in sql, sql
        assert '"articles_article"."body"' not in sql.split(" FROM ")[0], sql


def test_a_reporter_sees_each_of_their_articles_once_without_distinct(reporter, section):
    author = AuthorFactory(name="Cora Dune", user=reporter)
    created_and_credited = ArticleFactory(section=section, created_by=reporter, authors=[author])
    credited = ArticleFactory(section=section, authors=[author, AuthorFactory(name="Dev Gale")])
    ArticleFactory(section=section)  # someone else's

    response, queries = changelist_queries(logged_in(reporter))

    assert sorted(a.pk for a in response.context["cl"].result_list) == sorted(
        [created_and_credited.pk, credited.pk]
    )
    assert not any("DISTINCT" in sql for sql in article_rows_queries(queries))


def test_the_list_has_no_date_hierarchy_scan(editor):
    ArticleFactory()
    _response, queries = changelist_queries(logged_in(editor))
    # The date hierarchy asked for MIN/MAX and the distinct years of every article.
    assert not any("MIN(" in sql or "MAX(" in sql for sql in queries)
    assert not any("DATE_TRUNC" in sql.upper() or "django_datetime_trunc" in sql for sql in queries)


@only_postgresql
def test_the_unfiltered_list_is_counted_by_estimate_and_a_filtered_one_exactly(editor):
    for n in range(3):
        ArticleFactory(headline=f"Harbour story {n}")
    with connection.cursor() as cursor:  # what ANALYZE records for a big archive
        cursor.execute(
            "UPDATE pg_class SET reltuples = 1234567 WHERE oid = 'articles_article'::regclass"
        )
    client = logged_in(editor)

    plain, plain_queries = changelist_queries(client)
    searched, _queries = changelist_queries(client, "?q=harbour")

    assert re.search(r'class="paginator__count">about 1,234,567</span>\s+articles', plain.text)
    assert not any("COUNT(" in sql for sql in plain_queries)
    assert re.search(r'class="paginator__count">3</span>\s+articles', searched.text)
    assert searched.context["cl"].paginator.count_label == "3"


def test_a_filtered_count_stops_at_its_cap_and_pages_with_it(editor, monkeypatch):
    for n in range(4):
        ArticleFactory(headline=f"Ferry story {n}")
    monkeypatch.setattr(ArticlePaginator, "COUNT_UP_TO", 2)
    monkeypatch.setattr("articles.admin.ArticleAdmin.list_per_page", 1)

    response, queries = changelist_queries(logged_in(editor), "?q=ferry")

    assert re.search(r'class="paginator__count">2\+</span>\s+articles', response.text)
    assert any("LIMIT 3" in sql and "COUNT(" in sql for sql in queries)
    assert response.context["cl"].paginator.num_pages == 2


@only_postgresql
def test_the_admin_search_is_full_text_with_exact_slug_and_number(editor):
    story = ArticleFactory(headline="Ferry timetable changes", slug="winter-sailings")
    client = logged_in(editor)

    for term in ["ferries", "winter-sailings", str(story.pk)]:
        response, queries = changelist_queries(client, f"?q={term}")
        assert list(response.context["cl"].result_list) == [story], term
        rows = article_rows_queries(queries)
        assert any("@@" in sql for sql in rows), rows
        assert not any("LIKE" in sql for sql in rows), rows


# --- PostgreSQL: the plans of the filters' queries on a seeded archive ------------------


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        yield None
        return
    with django_db_blocker.unblock(), plans.seeded_archive() as archive:
        yield archive


def list_plans(client, query):
    """The plans of the page's queries that read the stories."""
    _response, queries = changelist_queries(client, query)
    return [plans.explain(sql) for sql in article_rows_queries(queries) if sql.startswith("SELECT")]


@plans.needs_postgres
@pytest.mark.parametrize(
    "flag", ["any", "no-ads", "no-promotion", "no-social-image", "no-comments"]
)
def test_the_sensitive_story_filter_reads_its_index_not_every_story(editor, archive, flag):
    # One story in 97 of the archive is kept out of promotion; the other flags are on none.
    read = list_plans(logged_in(editor), f"?sensitive={flag}")

    assert read
    for plan in read:
        scans = plan.scans_of("articles_article")
        assert any("articles_sensitive_idx" in scan for scan in scans), (scans, str(plan))
        assert not [scan for scan in scans if scan.startswith("Seq Scan")], (scans, str(plan))
