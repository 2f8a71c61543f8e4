"""On PostgreSQL, with an archive large enough for the planner to care (200,000 stories
over ten years), each listing's page, the first and a deep one, is read from an index
under a LIMIT: no Seq Scan, no Sort over the whole set; and the sitemap index never
reads the table whole. SQLite has no planner to pin: skipped there."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.pages import LISTING_PAGE_SIZE, ListingCursor
from articles.services import publication_copies_repair
from articles.sitemaps import ArticleMonthSitemap, month_sitemaps
from tests.factories import AuthorFactory, SectionFactory, TagFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

STORIES = 200_000


CHUNK = 20_000  # rows per statement, each well inside the statement timeout


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """200,000 stories, 26 minutes apart, in four sections; one in twenty a draft, one in
    a hundred updated since; a tag on a third of them, a rare tag on one in a thousand,
    an author on one in five, another on one in five and a rare one on one in a
    thousand. Built once for the module with bulk SQL (15-30 s on a shared machine),
    its triggers off as a bulk load's are and the copies of publication times then
    repaired, committed, and removed at the end."""
    with django_db_blocker.unblock():
        sections = SectionFactory.create_batch(4)
        common, rare = TagFactory(), TagFactory()
        author, other, rare_author = AuthorFactory(), AuthorFactory(), AuthorFactory()
        with connection.cursor() as cursor:
            # Rows made consistent by construction: no per-row foreign key triggers.
            cursor.execute("SET session_replication_role = replica")
            for first in range(1, STORIES + 1, CHUNK):
                cursor.execute(
                    """
                    INSERT INTO articles_article (
                        headline, slug, standfirst, body, agency, dateline, is_must_read,
                        status, published_at, updated_at, significant_update_at,
                        allow_comments, seo_description, created_at, section_id,
                        comment_count, coverage, hide_ads, hide_social_image,
                        keep_out_of_promotion)
                    SELECT 'Story ' || i, 'story-' || i, '', '', '', '', false,
                        CASE WHEN i %% 20 = 0 THEN 'draft' ELSE 'published' END,
                        now() - i * interval '26 minutes', now(),
                        CASE WHEN i %% 100 = 0
                            THEN now() - i * interval '26 minutes' + interval '1 day' END,
                        true, '', now(), (ARRAY[%s, %s, %s, %s])[i %% 4 + 1], 0, 'story',
                        false, false, false
                    FROM generate_series(%s, %s) AS i
                    """,
                    [*(section.pk for section in sections), first, first + CHUNK - 1],
                )  # fmt: skip
            cursor.execute(
                """
                INSERT INTO articles_article_tags (article_id, tag_id)
                SELECT id, %s FROM articles_article WHERE id %% 3 = 0
                UNION ALL SELECT id, %s FROM articles_article
                WHERE split_part(slug, '-', 2)::int %% 1000 = 3
                """,
                [common.pk, rare.pk],
            )
            cursor.execute(
                """
                INSERT INTO articles_byline (article_id, author_id, position)
                SELECT id, %s, 0 FROM articles_article WHERE id %% 5 = 0
                UNION ALL SELECT id, %s, 0 FROM articles_article WHERE id %% 5 = 1
                UNION ALL SELECT id, %s, 1 FROM articles_article
                WHERE split_part(slug, '-', 2)::int %% 1000 = 7
                """,
                [author.pk, other.pk, rare_author.pk],
            )
            cursor.execute("SET session_replication_role = DEFAULT")
            publication_copies_repair()
            cursor.execute("ANALYZE articles_article, articles_article_tags, articles_byline")
    yield {
        "section": sections[0].get_absolute_url(),
        "tag": common.get_absolute_url(),
        "rare tag": rare.get_absolute_url(),
        "author": author.get_absolute_url(),
        "rare author": rare_author.get_absolute_url(),
        "latest": "/latest/",
    }
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE articles_byline, articles_article_tags, articles_article, "
            "articles_section, articles_tag, articles_author CASCADE"
        )


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def article_queries(client, url):
    """The plans of the page's reads of stories (those under a LIMIT)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return [
        explain(query["sql"])
        for query in captured
        if query["sql"].split(" FROM ", 1)[-1].startswith('"articles_article"')
        and query["sql"].endswith("LIMIT 21")
    ]


def bounded(plan):
    """Read from an index under a LIMIT: no Seq Scan of the stories, and no Sort but an
    Incremental Sort of the index's order (which sorts the stories of one instant, not
    the set)."""
    return (
        plan.startswith("Limit")
        and ("Index Scan" in plan or "Index Only Scan" in plan)
        and "Seq Scan on articles_article" not in plan
        and not re.search(r"(^|->  )Sort ", plan, re.MULTILINE)
        and all("Presorted Key: " in part for part in plan.split("Incremental Sort")[1:])
    )


def deep_cursor(url):
    """A cursor nine tenths of the way down the list."""
    story = (
        Article.objects.published().order_by("-published_at", "-pk")[STORIES * 9 // 10 // 4]
        if url == "/latest/"
        else None
    )
    if story is None:
        story = Article.objects.published().order_by("published_at")[STORIES // 50]
    return f"{url}?before={ListingCursor.of(story)}"


@pytest.mark.parametrize("kind", ["section", "tag", "rare tag", "author", "rare author", "latest"])
@pytest.mark.parametrize("depth", ["first", "deep"])
def test_a_listing_page_is_an_index_scan_under_a_limit(client, db, archive, kind, depth):
    url = archive[kind] if depth == "first" else deep_cursor(archive[kind])
    plans = article_queries(client, url)
    assert len(plans) == (1 if depth == "first" else 2), plans  # + the page before
    for plan in plans:
        assert bounded(plan), plan


LINKS_INDEX = {"tag": "articles_tag_pub_idx", "author": "articles_byline_pub_idx"}


@pytest.mark.parametrize("kind", ["tag", "rare tag", "author", "rare author"])
@pytest.mark.parametrize("depth", ["first", "deep"])
def test_a_tag_or_author_page_is_one_range_of_its_links_index(client, db, archive, kind, depth):
    """Whatever the subject's share of the archive (a third, one story in a thousand):
    its links read from their index where the page starts, each story then by its key;
    never a walk of every story's index testing each for the subject."""
    url = archive[kind] if depth == "first" else deep_cursor(archive[kind])
    for plan in article_queries(client, url):
        index = LINKS_INDEX[kind.split()[-1]]
        assert re.search(rf"Index (Only )?Scan (Backward )?using {index} ", plan), plan
        if depth == "deep":  # the cursor bounds the range of the index itself
            assert "ROW(published_at, article_id)" in plan.split("Index Cond: ")[1], plan
        assert "articles_pub_idx" not in plan, plan
        assert "articles_status_pub_idx" not in plan, plan
        assert not re.search(r"Seq Scan on articles_(article|article_tags|byline) ", plan), plan


@pytest.mark.parametrize("kind", ["rare tag", "rare author"])
def test_a_rare_subjects_pages_show_its_stories_newest_first(client, db, archive, kind):
    """The same stories, in the same order, as the subject's stories read from the
    stories' own table (the pages' reads before the links carried the time)."""
    subject_filter = {"rare tag": "tags__slug", "rare author": "authors__slug"}[kind]
    slug = archive[kind].rstrip("/").rsplit("/", 1)[-1]
    expected = list(
        Article.objects.published()
        .filter(**{subject_filter: slug})
        .order_by("-published_at", "-pk")
        .values_list("headline", flat=True)
    )
    assert len(expected) > 2 * LISTING_PAGE_SIZE
    shown, url = [], archive[kind]
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        shown += [article.headline for article in response.context["articles"]]
        older = response.context["page_obj"].older
        url = archive[kind] + older if older else None
    assert shown == expected


def explained(call):
    """The plans of the queries `call` makes."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return [explain(query["sql"]) for query in captured]


def test_the_sitemap_index_never_reads_the_table_whole(archive, db):
    plans = explained(month_sitemaps)
    assert len(plans) == 3
    for plan in plans:
        assert "Seq Scan on articles_article" not in plan, plan
    assert "articles_pub_updated_idx" in plans[2], plans[2]


def test_a_months_sitemap_is_a_range_read_of_the_index(archive, db):
    site = ArticleMonthSitemap(2020, 3)
    plans = explained(lambda: site.get_urls(page=1, protocol="https"))
    assert plans
    for plan in plans:
        assert "Seq Scan on articles_article" not in plan, plan
