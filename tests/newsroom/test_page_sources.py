"""Every table a public page reads is declared by its app as a source of public pages,
so that a change to it can never leave a stale page in a cache (newsroom.pagecache)."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ads.selection import forget_candidates
from articles import services
from comments.models import ReaderComment
from newsroom.cachekeys import public_page_sources
from tests import factories

# Read by public pages, and rightly not sources of them: each with the reason.
NOT_SOURCES = {
    # Rows written once, when the apps are installed; never edited.
    "django_content_type": "content types name the models; fixed at migration",
    "django_site": "one row, the site itself, set when it is deployed",
    # django-comments-xtd's manager outer-joins each comment's user; readers' comments
    # never have one (comments/services.py), so no user's row is ever shown.
    "auth_user": "joined by django-comments-xtd's manager, always NULL for readers",
}

# Routes that are not pages readers read: every other named route must be visited below.
NOT_PAGES = {
    "healthz": "a load balancer's probe",
    "articles:preview": "staff only, never cached",
    "articles:preview-share": "a signed link, sent with no-cache",
    "comments:post": "a form's POST",
    "comments:report": "a form's POST",
    "ads:click": "a signed redirect to an advertiser, never cached",
    "ads:impression": "a beacon, never cached",
}


@pytest.fixture
def pages(newsroom):
    """Every kind of public page, on content that uses every feature pages show."""
    article = newsroom["articles"][0]
    tag, author = article.tags.first(), article.bylines.first().author
    parent = factories.ReaderCommentFactory(article=article)
    factories.ReaderCommentFactory(article=article, parent=parent)
    factories.CreativeFactory()
    factories.CreativeFactory(placements=["sidebar-top"], sections=[article.section])
    old_url = article.get_absolute_url()
    article.slug = "a-new-address"
    services.article_save(article=article, by=factories.UserFactory(is_staff=True))
    return {
        "articles:home": "/",
        "articles:detail": article.get_absolute_url(),
        "articles:latest": "/latest/",
        "articles:section": article.section.get_absolute_url(),
        "articles:tag": tag.get_absolute_url(),
        "articles:author": author.get_absolute_url(),
        "articles:search": "/search/?q=" + article.headline.split()[0],
        "articles:feed": reverse("articles:feed"),
        "articles:section-feed": reverse("articles:section-feed", args=[article.section.slug]),
        "articles:tag-feed": reverse("articles:tag-feed", args=[tag.slug]),
        "articles:author-feed": reverse("articles:author-feed", args=[author.slug]),
        "sitemap-index": reverse("sitemap-index"),
        "sitemap-section": reverse("sitemap-section", args=["articles"]),
        "sitemap-news": reverse("sitemap-news"),
        "robots-txt": reverse("robots-txt"),
        "ads-txt": reverse("ads-txt"),
        "articles:latest-fragment": reverse("articles:latest-fragment"),
        "old address": old_url,
    }


def route_names(resolvers=None, namespace=""):
    names = set()
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def tables_read(client, url):
    forget_candidates()  # the ads' per-process memo would hide their tables
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code in (200, 301), url
    tables = set()
    for query in captured:
        tables |= set(re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"]))
    return tables


def test_every_public_route_is_checked(pages):
    unchecked = route_names() - set(pages) - set(NOT_PAGES)
    assert not unchecked, f"add an example URL for these routes to pages(): {unchecked}"


def test_every_table_a_public_page_reads_is_declared(client, pages):
    # A model stored over several tables (ReaderComment extends django-comments-xtd's
    # comment) changes all of them in one save, which sends the declared model's signals.
    declared = {
        parent._meta.db_table
        for model in public_page_sources()
        for parent in (model, *model._meta.get_parent_list())
    }
    undeclared = {}
    for name, url in pages.items():
        for table in tables_read(client, url) - declared - set(NOT_SOURCES):
            undeclared.setdefault(table, []).append(name)
    models = {model._meta.db_table: model._meta.label for model in apps.get_models(True)}
    assert not undeclared, (
        "Public pages read these tables, but no app declares them in its AppConfig's "
        "public_models, so a change to them would leave cached pages stale: "
        + ", ".join(f"{models.get(t, t)} (on {', '.join(n)})" for t, n in undeclared.items())
    )


def test_the_declarations_name_what_pages_really_read(client, pages):
    """A declared model that no page reads is a stale declaration: every change to it
    would empty the page cache for nothing."""
    read = set().union(*(tables_read(client, url) for url in pages.values()))
    unread = {m._meta.label for m in public_page_sources() if m._meta.db_table not in read}
    assert not unread


@pytest.mark.parametrize("model", public_page_sources(), ids=lambda m: m._meta.label)
def test_every_source_ends_cached_pages_when_it_changes(model):
    if model._meta.auto_created:
        assert m2m_changed.has_listeners(model)
    else:
        assert post_save.has_listeners(model)
        assert post_delete.has_listeners(model)
        assert callable(model.changed_keys)


def test_a_comment_held_for_moderation_changes_no_page():
    held = ReaderComment(status=ReaderComment.Status.PENDING, is_public=False, object_pk="7")
    approved = ReaderComment(status=ReaderComment.Status.PUBLIC, is_public=True, object_pk="7")
    assert held.changed_keys() is None
    assert held.changed_keys(update_fields=["status", "is_public"]).hard == {"comments-7"}
    assert approved.changed_keys().soft == {"comments-7"}
    assert approved.changed_keys(update_fields=["report_count"]) is None
