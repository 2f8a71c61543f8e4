"""Every table a public page reads is declared by its app as a source of public pages,
so that a change to it can never leave a stale page in a cache (newsroom.pagecache)."""

import re
import time

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ads.selection import forget_candidates
from articles import services
from articles.models import Article
from comments.counts import counts_url
from comments.models import ReaderComment
from liveblog import services as live_services
from liveblog.views import poll_cursor
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
    # Most read's counts change with every reader's view: the list is kept for a few
    # minutes at most (settings.MOST_READ_CACHE_SECONDS), never purged per view.
    "articles_hourlyviews": "Most read's counts: kept briefly, not purged per view",
}

# Routes that are not pages readers read: every other named route must be visited below.
NOT_PAGES = {
    "healthz": "a load balancer's probe",
    **dict.fromkeys(
        [
            "admin_password_reset",
            "password_reset_done",
            "password_reset_confirm",
            "password_reset_complete",
        ],
        "staff's password reset, under the admin's address, never cached",
    ),
    "articles:preview": "staff only, never cached",
    "articles:preview-share": "a signed link, sent with no-cache",
    "fronts:preview": "staff only, never cached",
    "fronts:preview-share": "a signed link, sent with no-cache",
    "comments:post": "a form's POST",
    "comments:report": "a form's POST",
    "comments:permalink": "a redirect to the page holding a comment, never cached",
    "comments:notices-confirm": "a commenter's signed e-mail link, never cached",
    "comments:notices-unsubscribe": "a commenter's signed e-mail link, never cached",
    "comments:data-request": "a commenter's form for their data link, never cached",
    "comments:data": "a commenter's signed e-mail link, never cached",
    "comments:data-export": "a commenter's data download, never cached",
    "ads:click": "a signed redirect to an advertiser, never cached",
    "ads:impression": "a beacon, never cached",
    "liveblog:entry": "a redirect to the page showing the entry now, never cached",
    "articles:viewed": "a beacon, never cached",
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
    live = factories.ArticleFactory(coverage=Article.Coverage.LIVE)
    embed = factories.EmbedFactory()
    blocks = (  # on every page of the coverage: the first, the older one, the updates
        f'<p>Blocks.</p><figure data-photo="{factories.PhotoFactory().pk}"></figure>'
        f'<div data-embed="{embed.url}"></div>'
    )
    entries = [
        factories.LiveEntryFactory(
            article=live,
            authors=[author],
            is_key_event=i == 3,
            **({"body": blocks} if i in (0, 23) else {}),
        )
        for i in range(25)
    ]
    factories.LiveEntryFactory(article=live, is_pinned=True)
    live_services.live_entry_delete(
        entry=entries.pop(), by=factories.UserFactory(groups=["Editor"])
    )
    published = timezone.localtime(article.published_at)
    return {
        "fronts:home": "/",
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
        "sitemap-articles-month": reverse(
            "sitemap-articles-month",
            kwargs={"year": f"{published:%Y}", "month": f"{published:%m}"},
        ),
        "sitemap-news": reverse("sitemap-news"),
        "robots-txt": reverse("robots-txt"),
        "ads-txt": reverse("ads-txt"),
        "articles:latest-fragment": reverse("articles:latest-fragment"),
        "comment-counts": counts_url(article.pk),
        "old address": old_url,
        "live article": live.get_absolute_url(),
        "liveblog:older": reverse("liveblog:older", args=[live.pk, entries[5].pk]),
        "liveblog:updates": reverse(
            "liveblog:updates", args=[live.pk, poll_cursor(time.time() - 120)]
        ),
        "liveblog:feed": reverse("liveblog:feed", args=[live.pk]),
    }


def route_names(resolvers=None, namespace=""):
    names = set()
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name in ("admin", "accounts", "otp_webauthn", "editing"):
                continue  # the admin, staff's sign-in and the editing desk: signed in, never cached
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
        # A table, not a function: EXTRACT(year FROM timezone('UTC', ...)) in search.
        tables |= set(re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)\b"?(?!\s*\()', query["sql"]))
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
    thread_and_count = {"comments-7", "comment-counts-0"}
    assert held.changed_keys(update_fields=["status", "is_public"]).hard == thread_and_count
    assert approved.changed_keys().soft == thread_and_count
    assert approved.changed_keys(update_fields=["comment"]).hard == {"comments-7"}
    erased = approved.changed_keys(update_fields=["user_name", "comment", "erased_at"])
    assert erased.hard == thread_and_count
    assert approved.changed_keys(update_fields=["report_count"]) is None
