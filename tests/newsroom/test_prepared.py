import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models import F, Min
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from articles.models import Article, Author
from articles.pages import STORY_AT
from newsroom.prepared import PreparedRead, PreparedReadError, earliest, soonest
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def listed(ids, now):
    return Article.objects.for_listing(now=now).filter(pk__in=ids)


def compiles():
    """Counts the SQL Django compiles (SQLCompiler.as_sql calls)."""
    return mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql)


@pytest.fixture
def stories():
    now = timezone.now()
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    return [
        ArticleFactory(section=city, published_at=now - timedelta(hours=3)),
        ArticleFactory(section=sport, published_at=now - timedelta(hours=2)),
        ArticleFactory(section=city, published_at=now - timedelta(hours=1)),
        ArticleFactory(section=sport, published_at=now + timedelta(hours=1)),  # scheduled
    ]


def test_a_prepared_read_answers_as_its_queryset_for_each_call_s_values(stories):
    read = PreparedRead(listed)
    now = timezone.now()
    for ids, at in [
        ([story.pk for story in stories], now),
        ([story.pk for story in stories], now + timedelta(hours=2)),  # the scheduled one too
        ([stories[0].pk, stories[3].pk], now),
        ([stories[1].pk, stories[2].pk], now - timedelta(minutes=90)),
    ]:
        rows = read(ids, at)
        assert rows == list(listed(ids, at))
        # As the ORM reads them: its select_related rows, its deferred body.
        expected = list(listed(ids, at))
        assert [row.section.name for row in rows] == [row.section.name for row in expected]
        assert all("body" in row.get_deferred_fields() for row in rows)


def test_a_prepared_read_compiles_its_sql_once_per_shape(stories, django_assert_num_queries):
    read = PreparedRead(listed)
    now = timezone.now()
    read([stories[0].pk, stories[1].pk], now)  # compiled (twice: the check)
    with compiles() as as_sql, django_assert_num_queries(1):
        assert read([stories[2].pk, stories[1].pk], now) == [stories[2], stories[1]]
    assert as_sql.call_count == 0
    with compiles() as as_sql:
        assert read([stories[2].pk], now) == [stories[2]]  # a list of another length
    assert as_sql.call_count == 2


def test_a_prepared_read_takes_strings_annotations_and_values_lists(stories):
    ada, ben = AuthorFactory(name="Ada Reyes"), AuthorFactory(name="Ben Okafor")
    stories[0].bylines.create(author=ada, position=0)
    stories[2].bylines.create(author=ben, position=0)
    stories[2].bylines.create(author=ada, position=1)
    bylines = PreparedRead(
        lambda ids: (
            Author.objects.filter(bylines__article__in=ids)
            .annotate(story_id=F("bylines__article_id"))
            .order_by("bylines__article_id", "bylines__position")
        )
    )
    found = bylines([stories[0].pk, stories[2].pk])
    assert [(a.name, a.story_id) for a in found] == [
        ("Ada Reyes", stories[0].pk),
        ("Ben Okafor", stories[2].pk),
        ("Ada Reyes", stories[2].pk),
    ]
    times = PreparedRead(
        lambda slug: Article.objects.filter(slug=slug).values_list("published_at", "pk")
    )
    assert times(stories[1].slug) == [(stories[1].published_at, stories[1].pk)]
    assert times(stories[2].slug) == [(stories[2].published_at, stories[2].pk)]
    assert STORY_AT(stories[3].slug, timezone.now()) == []  # scheduled, not published yet
    assert STORY_AT(stories[3].slug, stories[3].published_at) == [stories[3]]


def test_an_empty_list_reads_nothing(stories, django_assert_num_queries):
    read = PreparedRead(listed)
    with django_assert_num_queries(0):
        assert read([], timezone.now()) == []
    assert read([stories[0].pk], timezone.now()) == [stories[0]]


def test_literals_shape_the_sql(stories):
    newest = PreparedRead(lambda now, *, count: Article.objects.for_listing(now=now)[:count])
    now = timezone.now()
    assert newest(now, count=1) == [stories[2]]
    assert newest(now, count=2) == [stories[2], stories[1]]


def test_an_earliest_read_answers_as_aggregate_does(stories, django_assert_num_queries):
    def due(now):
        return Article.objects.filter(published_at__gt=now)

    read = PreparedRead(lambda now: earliest(due(now), at=Min("published_at"), pk=Min("pk")))
    for now in (timezone.now() - timedelta(hours=4), timezone.now(), stories[3].published_at):
        expected = due(now).aggregate(at=Min("published_at"), pk=Min("pk"))
        with django_assert_num_queries(1):
            assert read(now) == [(expected["at"], expected["pk"])]
    next_due = PreparedRead(lambda now: earliest(due(now), at=Min("published_at")))
    assert soonest(next_due(timezone.now())) == stories[3].published_at
    assert soonest(next_due(stories[3].published_at)) is None  # nothing due: a row of None
    assert soonest([]) is None  # no row at all (a read Django answers without a query)


def test_articles_read_together_read_their_bylines_together(stories, django_assert_num_queries):
    for story in stories:
        story.bylines.create(author=AuthorFactory(), position=0)
    rows = PreparedRead(listed)([story.pk for story in stories], timezone.now())
    with django_assert_num_queries(1):
        assert all(len(row.byline_authors) == 1 for row in rows)


def test_a_build_that_reads_a_changing_value_itself_is_refused(stories):
    read = PreparedRead(lambda ids: Article.objects.published().filter(pk__in=ids))
    with pytest.raises(PreparedReadError, match="changing value"):
        read([stories[0].pk])


def test_a_value_the_sql_does_not_take_is_refused(stories):
    read = PreparedRead(lambda slug, unused: Article.objects.filter(slug=slug))
    with pytest.raises(PreparedReadError, match="not a parameter"):
        read(stories[0].slug, 12)


@pytest.mark.django_db(transaction=True)
def test_a_read_prepared_in_another_thread_runs_on_this_thread_s_connection():
    tag = TagFactory(name="Transport")
    story = ArticleFactory(tags=[tag])
    read = PreparedRead(lambda tag_id: Article.objects.filter(tags=tag_id))

    def first_reader():
        try:
            assert read(tag.pk) == [story]
        finally:
            connection.close()  # that thread's connection, gone once it ends

    reader = threading.Thread(target=first_reader)
    reader.start()
    reader.join()
    assert read(tag.pk) == [story]
    assert connections["default"].connection is not None
