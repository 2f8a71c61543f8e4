"""Significant updates: only an editor's tick moves the times readers and machines are
told (the Updated label, dateModified, the feed's and sitemap's times); a typo fix moves
none of them, yet is kept as a version and reaches caches (Last-Modified)."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article
from tests.admin_pages import logged_in
from tests.articles.test_admin import change_article, change_url
from tests.articles.test_feeds import SITEMAP_NS, json_ld, rss_channel
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(section):
    """Published at 09:00; the tests edit it at 10:00."""
    with time_machine.travel(datetime(2026, 3, 12, 9, 0, tzinfo=UTC), tick=False):
        return ArticleFactory(
            headline="Harbour tunnel opens to trafic",
            section=section,
            published_at=timezone.now(),
        )


@pytest.fixture
def ten_oclock():
    with time_machine.travel(datetime(2026, 3, 12, 10, 0, tzinfo=UTC), tick=False):
        yield timezone.now()


def told_times(client, story):
    """Every time the site tells of the story's last change, by where it is told."""
    html = client.get(story.get_absolute_url()).content.decode()
    sitemap = ET.fromstring(client.get("/sitemap-articles.xml").content)
    return {
        "updated label": "Updated <time" in html,
        "dateModified": datetime.fromisoformat(json_ld(html)["dateModified"]),
        "feed lastBuildDate": parsedate_to_datetime(
            rss_channel(client, "/feeds/").findtext("lastBuildDate")
        ),
        "sitemap lastmod": datetime.fromisoformat(
            sitemap.find(f"{SITEMAP_NS}url").findtext(f"{SITEMAP_NS}lastmod")
        ),
    }


def versions(article):
    return Version.objects.get_for_object(article).count()


def test_a_typo_fix_an_hour_later_moves_nothing_readers_are_told_but_is_kept(
    client, editor, story, ten_oclock
):
    before = versions(story)

    response = change_article(logged_in(editor), story, headline="Harbour tunnel opens to traffic")

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.significant_update_at is None
    assert told_times(client, story) == {
        "updated label": False,
        "dateModified": story.published_at,
        "feed lastBuildDate": story.published_at,
        "sitemap lastmod": story.published_at,
    }
    assert versions(story) == before + 1
    # Caches asking again still get the fixed page.
    page = client.get(story.get_absolute_url())
    assert "opens to traffic" in page.content.decode()
    assert parsedate_to_datetime(page["Last-Modified"]) == ten_oclock


def test_a_significant_update_moves_every_time_readers_are_told(client, editor, story, ten_oclock):
    response = change_article(
        logged_in(editor), story, standfirst="Tolls will be waived for the first week.",
        significant_update="on",
    )  # fmt: skip

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.significant_update_at == ten_oclock
    assert told_times(client, story) == {
        "updated label": True,
        "dateModified": ten_oclock,
        "feed lastBuildDate": ten_oclock,
        "sitemap lastmod": ten_oclock,
    }
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'Updated <time datetime="{ten_oclock.isoformat()}">' in html


def test_the_box_is_unticked_again_and_a_later_typo_fix_keeps_the_update_time(
    client, editor, story, ten_oclock
):
    editor_client = logged_in(editor)
    change_article(editor_client, story, significant_update="on")

    form = editor_client.get(change_url(story)).context["adminform"].form
    assert not form["significant_update"].value()
    with time_machine.travel(ten_oclock + timedelta(hours=1), tick=False):
        change_article(editor_client, story, headline="Harbour tunnel opens to all traffic")

    story.refresh_from_db()
    assert story.significant_update_at == ten_oclock


def test_ticking_it_for_a_story_not_yet_out_moves_nothing(editor, section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None)

    services.article_save(article=draft, by=editor, significant_update=True)

    assert draft.significant_update_at is None
    assert not draft.was_updated


def test_the_form_explains_the_box(editor, story):
    html = logged_in(editor).get(change_url(story)).content.decode()

    assert 'name="significant_update"' in html
    assert "Leave it unticked for a typo" in html


@pytest.mark.django_db(transaction=True)
def test_migrating_keeps_the_updated_time_stories_already_showed():
    """Before, an edit ten minutes or more after publication showed as "Updated"."""
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0008_article_live_coverage")])
    old_apps = executor.loader.project_state(("articles", "0008_article_live_coverage")).apps
    OldArticle = old_apps.get_model("articles", "Article")
    section = old_apps.get_model("articles", "Section").objects.create(name="City", slug="city")
    published = timezone.now() - timedelta(hours=3)
    for slug, edited_after in (("edited", timedelta(hours=1)), ("typo", timedelta(minutes=2))):
        OldArticle.objects.create(
            headline=slug, slug=slug, section=section, status="published", published_at=published
        )
        OldArticle.objects.filter(slug=slug).update(updated_at=published + edited_after)

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("articles", "0009_sensitive_and_significant")])
        times = dict(Article.objects.values_list("slug", "significant_update_at"))
        assert times == {"edited": published + timedelta(hours=1), "typo": None}
    finally:
        # Every later migration again, or the next tests on this database would meet
        # the tables as 0009 left them.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
