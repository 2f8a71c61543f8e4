"""django-comments-xtd 2.10's known traps, each shown to be closed in Newsroom.

The others (replies published with their parent, cross-article and too-deep replies,
duplicates, counts including unapproved comments, scheduled articles with auto-close)
are covered where their behaviour lives: test_services, test_posting, test_thread and
test_moderation.
"""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import NoReverseMatch, reverse

from articles.models import Article
from comments import services
from tests.factories import ArticleFactory, ReaderCommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/comments/api/comment/",  # xtd's REST API: lists who flagged a comment
        "/comments/api/feedback/",
        "/comments/confirm/abc/",  # never-expiring, pickled confirmation links
        "/comments/mute/abc/",
        "/comments/sent/?c=1",
        "/comments/flag/1/",
        "/comments/like/1/",
        "/comments/reply/1/",
    ],
)
def test_none_of_xtds_views_is_reachable(client, path):
    assert client.get(path).status_code == 404


def test_the_content_redirect_cannot_reveal_a_draft(client, section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT)
    content_type = ContentType.objects.get_for_model(Article)
    with pytest.raises(NoReverseMatch):
        reverse("comments-url-redirect", args=[content_type.pk, draft.pk])
    response = client.get(f"/comments/cr/{content_type.pk}/{draft.pk}/")
    assert response.status_code == 404
    assert draft.slug not in response.get("Location", "")


def test_a_comments_address_leads_to_its_place_on_the_article(client, article):
    comment = ReaderCommentFactory(article=article)
    assert comment.get_absolute_url() == f"/comments/{comment.pk}/"
    response = client.get(comment.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"


def test_moderator_email_is_sent_in_the_request_with_the_sites_own_scheme(
    settings, article, django_capture_on_commit_callbacks, monkeypatch
):
    settings.SITE_URL = "https://news.example.com"
    UserFactory(username="mod", email="mod@example.com", groups=["Moderator"])
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            article=article, name="Ada", email="ada@example.com", text="A first thought."
        )
    assert not started, "no thread is started to send e-mail"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://news.example.com/admin/comments/readercomment/" in body
    assert "http://" not in body
