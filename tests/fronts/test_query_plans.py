"""The home page's blocks at scale: each reads the top of an index (a UNION ALL of
limited reads), never ranks or sorts the archive (issue 10).

The first tests hold on both databases: the bounded reads pick what the old ranking did.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section
from fronts.models import Backfill, Layout
from fronts.pages import assemble, default_home_layout
from tests import plans
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def container(title, backfill, max_cards, *, section_id=None, tag_id=None):
    return {
        "title": title, "layout": Layout.GRID_4, "max_cards": max_cards, "backfill": backfill,
        "section_id": section_id, "tag_id": tag_id, "cards": [],
    }  # fmt: skip


def headlines(front):
    return [[card.article.headline for card in shown.cards] for shown in front.containers]


def test_top_stories_are_the_newest_with_a_photo_then_the_newest_without():
    photo = PhotoFactory()
    for hours, headline, hero_photo in [
        (1, "Newest, no photo", None),
        (2, "Photo", photo),
        (3, "No photo", None),
        (4, "Older photo", photo),
        (5, "Oldest, no photo", None),
    ]:
        ArticleFactory(headline=headline, hero_photo=hero_photo, published_at=hours_ago(hours))
    ArticleFactory(headline="Kept out", hero_photo=photo, keep_out_of_promotion=True)
    front = assemble([container("Top", Backfill.TOP, 4)])
    assert headlines(front) == [["Photo", "Older photo", "Newest, no photo", "No photo"]]


def test_each_section_and_tag_block_shows_its_own_newest_stories_once():
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    harbour = TagFactory(name="Harbour")
    for hours in range(1, 6):
        ArticleFactory(headline=f"City {hours}", section=city, published_at=hours_ago(hours))
        ArticleFactory(headline=f"Sport {hours}", section=sport, published_at=hours_ago(hours))
    ArticleFactory(
        headline="City harbour", section=city, tags=[harbour], published_at=hours_ago(0.5)
    )
    ArticleFactory(
        headline="Sport harbour", section=sport, tags=[harbour], published_at=hours_ago(6)
    )
    ArticleFactory(headline="City draft", section=city, status=Article.Status.DRAFT)
    front = assemble(
        [
            container("Harbour", Backfill.TAG, 3, tag_id=harbour.pk),
            container("City", Backfill.SECTION, 3, section_id=city.pk),
            container("Sport", Backfill.SECTION, 2, section_id=sport.pk),
        ]
    )
    assert headlines(front) == [
        ["City harbour", "Sport harbour"],
        ["City 1", "City 2", "City 3"],
        ["Sport 1", "Sport 2"],
    ]


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), plans.seeded_archive() as archive:
        yield archive


def front_plans(layout):
    """The plans of the queries a front runs that read stories."""
    with CaptureQueriesContext(connection) as queries:
        front = assemble(layout)
    assert front.containers
    explained = [plans.explain(query["sql"]) for query in queries.captured_queries]
    reading_articles = [plan for plan in explained if plan.scans_of("articles_article")]
    for plan in reading_articles:
        print(plan)
    return reading_articles


@plans.needs_postgres
def test_the_home_fronts_top_and_section_blocks_read_only_the_top_of_indexes(archive):
    sections = list(Section.objects.filter(pk__in=archive.section_ids))
    layout = [
        block
        for block in default_home_layout(sections)
        if block["backfill"] != Backfill.MUST_READ  # see the last test
    ]
    depth = sum(block["max_cards"] for block in layout)  # as assemble reads each rule
    top, section_blocks, cards = front_plans(layout)
    # One read per part, each stopping at its Limit: with a photo and without; each section.
    assert plans.limits(top) == 2
    assert plans.limits(section_blocks) == len(sections)
    assert "Index Scan articles_section_pub_idx" in section_blocks.scans_of("articles_article")
    for plan in (top, section_blocks, cards):
        # A big section holds 1 story in 6: the planner may walk the newest stories of all
        # (about 6 read per card) or the section's own index (as for the small one, 1 in
        # 100, above); then the stories found are read again by id. Ranking read all 100k.
        plans.assert_reads_only_the_top_of_indexes(plan, at_most=10 * depth * len(sections))


@plans.needs_postgres
def test_tag_blocks_read_only_the_top_of_indexes(archive):
    layout = [
        container("Common", Backfill.TAG, 4, tag_id=archive.common_tag_id),
        container("Rare", Backfill.TAG, 4, tag_id=archive.rare_tag_id),
    ]
    tag_blocks, cards = front_plans(layout)
    assert plans.limits(tag_blocks) == 2
    for plan in (tag_blocks, cards):
        plans.assert_reads_only_the_top_of_indexes(plan, at_most=300)


@plans.needs_postgres
def test_the_must_read_block_reads_only_the_top_of_an_index(archive):
    must_read, _cards = front_plans([container("Must read", Backfill.MUST_READ, 4)])
    plans.assert_reads_only_the_top_of_indexes(must_read, at_most=300)
