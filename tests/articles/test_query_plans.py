"""More articles at scale: one read of two bounded subqueries (the section's newest through
its index, the tags' newest through the tags' table), never the archive re-read per row
(issue 10)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.pages import MORE_ARTICLES_COUNT, article_page_context
from tests import plans

pytestmark = [pytest.mark.django_db, plans.needs_postgres]


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), plans.seeded_archive() as archive:
        yield archive


def more_articles_plans(number):
    """The plans of the queries that read More articles under the archive's story
    `number`, as its page reads them, with the stories they found."""
    story = Article.objects.with_detail().get(pk=plans.story_id(number))
    more_articles = article_page_context(story)["more_articles"]
    with CaptureQueriesContext(connection) as queries:
        shown = more_articles.read()
    explained = [plans.explain(query["sql"]) for query in queries.captured_queries]
    reading_articles = [plan for plan in explained if plan.scans_of("articles_article")]
    for plan in reading_articles:
        print(f"More articles under story {number}: {plan}")
    return story, shown, reading_articles


def the_old_more_articles(story):
    """What More articles showed before, read the old way: one filter over the archive."""
    sharing_a_tag = Article.tags.through.objects.filter(tag__in=story.tags.all())
    return list(
        Article.objects.for_listing()
        .safe_for_promotion()
        .filter(Q(section_id=story.section_id) | Q(pk__in=sharing_a_tag.values("article_id")))
        .filter(published_at__lt=story.published_at)
        .exclude(pk=story.pk)[:MORE_ARTICLES_COUNT]
    )


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(30, id="newest, tags on a third and a tenth of the archive"),
        pytest.param(7, id="newest, a rare tag"),
        pytest.param(99_900, id="five years old, a small section, common tags"),
        pytest.param(40_007, id="two years old, a rare tag"),
    ],
)
def test_more_articles_read_only_the_top_of_indexes(archive, number):
    story, shown, reading_articles = more_articles_plans(number)
    assert shown == the_old_more_articles(story)
    # The cards, read with the section's newest and the tags' newest; their bylines are
    # another query.
    assert len(reading_articles) == 1
    (cards,) = reading_articles
    # Each subquery stops at the top of its index, and so does the read of the cards.
    assert plans.limits(cards) == 3
    # At most 300 rows for each subquery, then a row each for a card's story, section
    # and photo.
    plans.assert_reads_only_the_top_of_indexes(cards, at_most=2 * 300 + MORE_ARTICLES_COUNT * 3)
