from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleSlugRedirect
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_editor_publishes_now(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    services.article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_editor_schedules_for_later(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    at = timezone.now() + timedelta(days=1)
    services.article_publish(article=article, by=editor, at=at)
    article.refresh_from_db()
    assert article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_reporter_cannot_publish(reporter):
    article = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=reporter)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_reporter_cannot_publish_through_save(reporter):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    article.status = Article.Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        services.article_save(article=article, by=reporter)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_reporter_cannot_unpublish(reporter):
    article = ArticleFactory()
    with pytest.raises(PermissionDenied):
        services.article_unpublish(article=article, by=reporter)


def test_reporter_saves_and_submits_a_draft(reporter, section):
    article = Article(headline="Ferry timetable changes", slug="ferry-timetable", section=section)
    services.article_save(article=article, by=reporter)
    article.status = Article.Status.REVIEW
    services.article_save(article=article, by=reporter)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert article.created_by == reporter


def test_unpublish_takes_the_article_off_the_site(editor):
    article = ArticleFactory()
    services.article_unpublish(article=article, by=editor)
    assert not Article.objects.published().exists()


def test_slug_change_of_published_article_keeps_old_slug_as_redirect(editor):
    article = ArticleFactory(slug="old-slug")
    article.slug = "new-slug"
    services.article_save(article=article, by=editor)
    assert ArticleSlugRedirect.objects.get(old_slug="old-slug").article == article


def test_slug_change_of_draft_records_nothing(editor):
    article = ArticleFactory(slug="draft-slug", status=Article.Status.DRAFT)
    article.slug = "better-slug"
    services.article_save(article=article, by=editor)
    assert not ArticleSlugRedirect.objects.exists()


def test_returning_to_an_old_slug_drops_its_redirect(editor):
    article = ArticleFactory(slug="first")
    article.slug = "second"
    services.article_save(article=article, by=editor)
    article.slug = "first"
    services.article_save(article=article, by=editor)
    assert list(ArticleSlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<script"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<p><a href="javascript:alert(1)">x</a></p>', "javascript:"),
        ('<p><img src="x" onerror="alert(1)"></p>', "onerror"),
        ('<p><iframe src="https://example.com"></iframe></p>', "iframe"),
        ('<p style="position:fixed">Hi</p>', "style="),
    ],
)
def test_body_is_sanitised_on_save(dirty, forbidden):
    article = ArticleFactory(body=dirty)
    article.refresh_from_db()
    assert forbidden not in article.body


def test_body_keeps_allowed_markup():
    html = '<h2>Why</h2><p><strong>Bold</strong> and <a href="https://example.com">a link</a></p>'
    article = ArticleFactory(body=html)
    article.refresh_from_db()
    assert "<h2>Why</h2>" in article.body
    assert "<strong>Bold</strong>" in article.body
    assert 'href="https://example.com"' in article.body


def test_every_service_save_is_kept_as_a_version(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    article.headline = "A sharper headline"
    services.article_save(article=article, by=editor)
    services.article_publish(article=article, by=editor)
    services.article_unpublish(article=article, by=editor)
    versions = Version.objects.get_for_object(article).select_related("revision")
    assert [v.revision.get_comment() for v in versions] == ["Unpublished.", "Published.", ""]
    assert {v.revision.user for v in versions} == {editor}
    assert versions.last().field_dict["headline"] == "A sharper headline"
