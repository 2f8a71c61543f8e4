"""A story's publication time, copied onto its tags' and bylines' rows by the database
(migration 0016's triggers) for the tag and author pages' index: the copy follows every
way a story or its links are written, and `manage.py repair_publication_copies` puts
right rows written with the triggers off."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, ArticleTag, Byline
from articles.services import article_publish, article_save, article_unpublish
from tests.factories import ArticleFactory, AuthorFactory, TagFactory

pytestmark = pytest.mark.django_db


def copies(article):
    """The publication times on the story's tag rows and byline rows."""
    return (
        set(ArticleTag.objects.filter(article=article).values_list("published_at", flat=True)),
        set(Byline.objects.filter(article=article).values_list("published_at", flat=True)),
    )


def listed(tag=None, author=None):
    articles = Article.objects.for_listing()
    return list(articles.tagged(tag) if tag else articles.by_author(author))


def test_links_made_for_a_published_story_copy_its_time(section):
    tag, author = TagFactory(), AuthorFactory()
    story = ArticleFactory(section=section, tags=[tag], authors=[author])
    assert copies(story) == ({story.published_at}, {story.published_at})
    assert listed(tag=tag) == listed(author=author) == [story]


def test_a_drafts_links_have_no_time_until_it_is_published(section, editor):
    tag, author = TagFactory(), AuthorFactory()
    draft = ArticleFactory(
        section=section, status=Article.Status.DRAFT, published_at=None, tags=[tag],
        authors=[author],
    )  # fmt: skip
    assert copies(draft) == ({None}, {None})
    assert listed(tag=tag) == listed(author=author) == []

    article_publish(article=draft, by=editor)

    assert copies(draft) == ({draft.published_at}, {draft.published_at})
    assert listed(tag=tag) == listed(author=author) == [draft]


def test_unpublishing_and_moving_the_time_move_the_copies(section, editor):
    tag, author = TagFactory(), AuthorFactory()
    story = ArticleFactory(section=section, tags=[tag], authors=[author])

    story.published_at -= timedelta(days=3)
    article_save(article=story, by=editor)
    assert copies(story) == ({story.published_at}, {story.published_at})

    article_unpublish(article=story, by=editor)
    assert copies(story) == ({None}, {None})
    assert listed(tag=tag) == listed(author=author) == []


def test_a_scheduled_story_is_listed_once_its_time_comes(section, time_machine):
    tag = TagFactory()
    later = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(section=section, published_at=later, tags=[tag])
    assert copies(story)[0] == {later}
    assert listed(tag=tag) == []

    time_machine.move_to(later + timedelta(minutes=1))

    assert listed(tag=tag) == [story]


def test_bulk_writes_and_reverse_adds_keep_the_copies(section):
    """Paths no save() sees: QuerySet.update, bulk_create, a tag adding stories."""
    tag, other_tag, author = TagFactory(), TagFactory(), AuthorFactory()
    story = ArticleFactory(section=section)
    other_tag.articles.add(story)
    Byline.objects.bulk_create([Byline(article=story, author=author)])
    Article.tags.through.objects.bulk_create([Article.tags.through(article=story, tag=tag)])
    assert copies(story) == ({story.published_at}, {story.published_at})

    Article.objects.filter(pk=story.pk).update(status=Article.Status.REVIEW)
    assert copies(story) == ({None}, {None})

    back = timezone.now() - timedelta(days=9)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED, published_at=back)
    assert copies(story) == ({back}, {back})
    assert listed(tag=tag) == listed(tag=other_tag) == listed(author=author) == [story]


def test_a_copy_written_directly_is_the_storys_all_the_same(section):
    tag = TagFactory()
    story = ArticleFactory(section=section, tags=[tag])
    ArticleTag.objects.filter(article=story).update(published_at=timezone.now())
    assert copies(story)[0] == {story.published_at}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's triggers can be switched off (a bulk load); SQLite's cannot",
)
def test_the_repair_puts_right_rows_written_with_the_triggers_off(section):
    tag, author = TagFactory(), AuthorFactory()
    story = ArticleFactory(section=section, tags=[tag], authors=[author])
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, tags=[tag])
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE articles_article_tags SET published_at = NULL")
        cursor.execute("UPDATE articles_byline SET published_at = NULL")
        cursor.execute(
            "UPDATE articles_article_tags SET published_at = now() WHERE article_id = %s",
            [draft.pk],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
    assert listed(tag=tag) == listed(author=author) == []

    out = io.StringIO()
    call_command("repair_publication_copies", stdout=out)

    assert "Repaired 3 rows." in out.getvalue()  # the story's tag and byline, the draft's tag

    assert copies(story) == ({story.published_at}, {story.published_at})
    assert copies(draft)[0] == {None}
    assert listed(tag=tag) == listed(author=author) == [story]
