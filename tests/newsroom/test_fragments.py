"""Fragments (newsroom.fragments): parts of pages kept rendered, so a page rendered anew
reuses what it shares with other pages; readers get the same page, naming the same keys,
and a change to what a fragment shows re-renders it."""

import difflib
import re
from datetime import timedelta
from email.utils import parsedate_to_datetime
from html import unescape as html_unescape
from pathlib import Path
from unittest import mock

import pytest
import redis
import time_machine
from django import template
from django.core.cache import cache
from django.db import connection
from django.template import Engine, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services as article_services
from articles.models import Article
from articles.pages import LISTING_PAGE_SIZE, MORE_ARTICLES_COUNT
from comments import services as comment_services
from comments.counts import counts_url
from comments.forms import CommentForm
from comments.models import ReaderComment
from newsroom import cachekeys, fragments
from newsroom.cachekeys import Purge, purge_now
from newsroom.fragments import HOLE_RENDERERS, hole
from tests import factories
from tests.newsroom.conftest import redis_commands, sent
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]

# {% counter "label" %}: a hole, for the tests below (an Engine loads this module).
register = template.Library()


@register.simple_tag(takes_context=True)
def counter(context, label):
    return hole(context.request, "test-counter", label)


@pytest.fixture
def keys_in_headers(settings):
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]


@pytest.fixture
def fragments_on(settings, keys_in_headers):
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture
def story(newsroom):
    """The newest story, with a thread, more articles, the Latest list and an ad."""
    article = newsroom["articles"][-1]
    parent = factories.ReaderCommentFactory(article=article, comment="First!")
    factories.ReaderCommentFactory(parent=parent, comment="A reply.")
    factories.CreativeFactory(placements=["header-leaderboard", "sidebar-top"])
    return article


def page_urls(newsroom, story):
    return [
        "/",
        story.get_absolute_url(),
        "/latest/",
        newsroom["sections"][0].get_absolute_url(),
        newsroom["tags"][0].get_absolute_url(),
        newsroom["authors"][0].get_absolute_url(),
        "/latest/sidebar/",
        "/search/?q=council",
    ]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), set(response["xkey"].split())


def approve_a_new_comment(story, moderator, capture_on_commit_callbacks):
    """A comment held for moderation on `story`, then approved, its purges sent."""
    held = factories.ReaderCommentFactory(article=story, status=ReaderComment.Status.PENDING)
    with capture_on_commit_callbacks(execute=True):
        comment_services.comments_moderate(
            comments=ReaderComment.objects.filter(pk=held.pk),
            status=ReaderComment.Status.PUBLIC,
            by=moderator,
        )


def retitle(story, editor, capture_on_commit_callbacks):
    """An editor's new headline for `story`, its purges sent: its card on lists changes."""
    story.headline = f"{story.headline}, retitled"
    with capture_on_commit_callbacks(execute=True):
        article_services.article_save(article=story, by=editor)


def test_pages_are_the_same_rendered_afresh_and_from_fragments(
    client, settings, newsroom, story, keys_in_headers
):
    urls = page_urls(newsroom, story)
    # Ten minutes into the next hour: the hour the comment form and the ads' tokens
    # name does not turn between the renders compared.
    next_hour = timezone.now().replace(minute=0, second=0) + timedelta(hours=1, minutes=10)
    with time_machine.travel(next_hour):
        settings.FRAGMENT_CACHE_SECONDS = 0
        rendered = {url: page(client, url) for url in urls}
        settings.FRAGMENT_CACHE_SECONDS = 600
        for when in ("being kept", "from the cache"):
            for url in urls:
                html, keys = page(client, url)
                assert keys == rendered[url][1], f"{url}, fragments {when}"
                assert html == rendered[url][0], f"{url}, fragments {when}:\n" + "\n".join(
                    difflib.unified_diff(rendered[url][0].splitlines(), html.splitlines(), n=0)
                )


def test_a_fragment_is_kept_until_a_key_it_shows_is_purged(client, story, fragments_on):
    client.get("/latest/")
    Article.objects.filter(pk=story.pk).update(headline="Changed behind the cache's back")
    assert story.headline in page(client, "/latest/")[0]  # the card, from the cache

    purge_now(Purge(hard={f"article-{story.pk}"}))

    html = page(client, "/latest/")[0]
    assert "Changed behind the cache&#x27;s back" in html
    assert story.headline not in html


def test_renaming_a_section_renders_the_cards_that_name_it_again(
    client, story, fragments_on, django_capture_on_commit_callbacks
):
    section = story.section
    old_name = f">{section.name}</a></p>"  # as a card names it
    assert old_name in page(client, "/latest/")[0]
    section.name = "Harbour and City"
    with django_capture_on_commit_callbacks(execute=True):
        section.save()
    html = page(client, "/latest/")[0]
    assert old_name not in html
    assert ">Harbour and City</a></p>" in html


def test_approving_a_comment_renders_the_thread_again(
    client, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    client.get(url)
    held = factories.ReaderCommentFactory(
        article=story, comment="Held, then approved.", status=ReaderComment.Status.PENDING
    )
    assert "Held, then approved." not in page(client, url)[0]
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comments_moderate(
            comments=ReaderComment.objects.filter(pk=held.pk),
            status=ReaderComment.Status.PUBLIC,
            by=editor,
        )
    assert "Held, then approved." in page(client, url)[0]


def test_an_approval_reads_the_thread_and_its_count_again_not_the_story(
    client, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    client.get(url)
    assert "2 comments</h2>" in page(client, url)[0]  # the story's two, from kept parts
    approve_a_new_comment(story, editor, django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as queries:
        html = page(client, url)[0]
    assert "3 comments</h2>" in html
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"comments_changed_at"' in read  # the count over the thread
    assert ReaderComment._meta.db_table in read  # the thread's page
    assert '"articles_article"."body"' not in read  # the story itself, kept


def test_a_fragment_varies_on_the_values_it_names(fragments_on):
    template = Template(
        '{% load fragments %}{% fragment "greeting" name %}Hello {{ name }}{% endfragment %}'
    )
    request = RequestFactory().get("/")
    assert template.render(RequestContext(request, {"name": "Ada"})) == "Hello Ada"
    assert template.render(RequestContext(request, {"name": "Grace"})) == "Hello Grace"
    assert template.render(RequestContext(request, {"name": "Ada"})) == "Hello Ada"


def test_a_fragment_needs_a_quoted_name():
    with pytest.raises(TemplateSyntaxError, match="quoted name"):
        Template("{% load fragments %}{% fragment card %}{% endfragment %}")


def test_a_story_from_kept_parts_asks_the_database_nothing(
    client, settings, story, keys_in_headers
):
    url = story.get_absolute_url()
    client.get(url)  # the ads and the next scheduled change, worked out once
    settings.FRAGMENT_CACHE_SECONDS = 0
    rendered = count_queries(client, url)
    settings.FRAGMENT_CACHE_SECONDS = 600
    assert count_queries(client, url) == rendered  # rendered, and kept
    # Its row with its section and photos (articles.pages.story_for_page), its bylines,
    # tags and corrections, More articles and their bylines, the thread (its count is
    # the story row's) and the navigation's sections all come from kept parts.
    assert rendered >= 8
    assert count_queries(client, url) == 0


def test_a_kept_story_moved_then_taken_down_is_read_again(
    client, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    old_url = story.get_absolute_url()
    page(client, old_url)
    page(client, old_url)  # from kept parts
    story.slug = "moved-to-a-new-address"
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_save(article=story, by=editor)

    moved = client.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, story.get_absolute_url())
    assert story.headline in page(client, story.get_absolute_url())[0]

    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_unpublish(article=story, by=editor)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.get(old_url).status_code == 404


def test_a_kept_story_shows_its_hero_photo_as_changed(
    client, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    page(client, url)
    assert story.hero_photo.caption in page(client, url)[0]  # from kept parts
    photo = story.hero_photo
    photo.caption = "The harbour wall at low tide, seen from the new footbridge."
    with django_capture_on_commit_callbacks(execute=True):
        article_services.photo_save(photo=photo, by=editor)

    assert photo.caption in page(client, url)[0]


def test_a_kept_story_is_last_modified_by_a_comment_approved_since(
    client, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    client.get(url)
    before = parsedate_to_datetime(client.get(url)["Last-Modified"])  # from kept parts
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        approve_a_new_comment(story, editor, django_capture_on_commit_callbacks)
        approved_at = Article.objects.get(pk=story.pk).comments_changed_at
        after = parsedate_to_datetime(client.get(url)["Last-Modified"])
    assert after > before
    assert after == approved_at.replace(microsecond=0)


def test_a_story_from_kept_fragments_is_last_modified_no_earlier_than_when_rendered(
    client, story, fragments_on
):
    url = story.get_absolute_url()
    related = Article.objects.related_to(
        story, published_before=story.published_at, count=MORE_ARTICLES_COUNT
    )[0]
    edited = timezone.now() + timedelta(seconds=30)  # well after the story's own changes
    Article.objects.filter(pk=related.pk).update(updated_at=edited)
    with time_machine.travel(edited + timedelta(seconds=30)):
        rendered = parsedate_to_datetime(client.get(url)["Last-Modified"])
        assert rendered == edited.replace(microsecond=0)
        kept = parsedate_to_datetime(client.get(url)["Last-Modified"])
    assert kept >= rendered


def test_an_ad_inside_a_kept_story_is_chosen_for_each_request(client, story, fragments_on):
    """The story's text is kept rendered with its ad slots as holes: each reader still
    gets a weighted choice of the live ads, as when the page is rendered whole."""
    for name in ("Ferry timetables", "Harbour bakery"):
        factories.CreativeFactory(
            kind="html", html=f"<p>{name}</p>", image="", target_url="", placements=["article-top"]
        )
    url = story.get_absolute_url()
    client.get(url)  # the story's parts, kept
    seen = set()
    for _ in range(40):
        assert count_queries(client, url) == 0  # the story from its kept parts
        html = page(client, url)[0]
        top = html.split("ad-slot--article-top", 1)[1].split("</aside>", 1)[0]
        seen |= {name for name in ("Ferry timetables", "Harbour bakery") if name in top}
        assert "\x1e" not in html and "\x1f" not in html  # no marker left unfilled
    assert seen == {"Ferry timetables", "Harbour bakery"}


def test_a_hole_in_a_fragment_inside_another_stays_a_hole(fragments_on):
    drawn = iter(range(100))
    HOLE_RENDERERS["test-counter"] = lambda request, label: f"{label}{next(drawn)}"
    engine = Engine(
        libraries={
            "fragments": "newsroom.templatetags.fragments",
            "counters": "tests.newsroom.test_fragments",
        }
    )
    try:
        template = engine.from_string(
            '{% load fragments counters %}{% fragment "outer" %}[{% fragment "inner" %}'
            '{% counter "n" %}{% endfragment %}|{% counter "m" %}]{% endfragment %}'
        )
        request = RequestFactory().get("/")
        renders = [template.render(RequestContext(request, {})) for _ in range(3)]
    finally:
        del HOLE_RENDERERS["test-counter"]
    # Rendered anew each time from both kept fragments, in the page's order.
    assert renders == ["[n0|m1]", "[n2|m3]", "[n4|m5]"]


def test_text_that_looks_like_a_hole_is_shown_as_it_is(fragments_on):
    template = Template('{% load fragments %}{% fragment "quoted" %}{{ text }}{% endfragment %}')
    request = RequestFactory().get("/")
    text = "\x1ehole-0000000000000000-0\x1f and more"
    first = template.render(RequestContext(request, {"text": text}))
    kept = template.render(RequestContext(request, {"text": text}))
    assert first == kept == text


def test_a_preview_renders_every_part_anew(client, editor, section, fragments_on):
    """A draft's edits purge nothing (readers see none of it), so its preview keeps no
    part rendered: the editor sees each edit at once."""
    draft = factories.ArticleFactory(
        section=section, status=Article.Status.DRAFT, headline="First headline"
    )
    client.force_login(editor)
    url = f"/preview/{draft.pk}/"
    assert "First headline" in client.get(url).content.decode()
    Article.objects.filter(pk=draft.pk).update(headline="Second headline", body="<p>New text.</p>")
    html = client.get(url).content.decode()
    assert "Second headline" in html and "New text." in html
    assert "First headline" not in html


def test_the_blank_comment_form_is_kept_for_the_hour_its_signed_time_names(
    client, story, fragments_on
):
    url = story.get_absolute_url()
    this_hour = timezone.now().replace(minute=5, second=0, microsecond=0)

    def timestamp():
        html = client.get(url).content.decode()
        return html.split('name="timestamp" value="', 1)[1].split('"', 1)[0]

    with time_machine.travel(this_hour):
        assert timestamp() == str(int(this_hour.timestamp()) // 3600 * 3600)
    with time_machine.travel(this_hour + timedelta(minutes=50)):
        assert timestamp() == str(int(this_hour.timestamp()) // 3600 * 3600)  # kept
    with time_machine.travel(this_hour + timedelta(hours=1)):
        assert timestamp() == str(int(this_hour.timestamp()) // 3600 * 3600 + 3600)


def test_the_blank_comment_form_fields_are_rendered_once_for_every_story(
    client, newsroom, story, fragments_on
):
    other = newsroom["articles"][-2]
    first = client.get(story.get_absolute_url())
    second = client.get(other.get_absolute_url())

    def fields(response):
        form = response.content.decode().split('<form class="comment-form"', 1)[1]
        form = form.split("</form>", 1)[0]
        return form.split('<input type="hidden" name="security_hash"', 1)[1].split(">", 1)[1]

    fields_template = "comments/_form_fields.html"
    assert fields_template in [t.name for t in first.templates]
    assert fields_template not in [t.name for t in second.templates]  # kept
    assert 'id="id_name"' in fields(second) and 'id="id_honeypot"' in fields(second)
    assert fields(second) == fields(first)
    # Each story's form still names its own story.
    assert f'name="object_pk" value="{other.pk}"' in second.content.decode()


def test_a_story_whose_blank_comment_form_is_kept_signs_no_form(
    client, story, fragments_on, monkeypatch
):
    signed = []
    sign = CommentForm.generate_security_data
    monkeypatch.setattr(
        CommentForm, "generate_security_data", lambda form: signed.append(form) or sign(form)
    )
    url = story.get_absolute_url()
    first = client.get(url).content.decode()
    assert len(signed) == 1  # the form rendered, and kept for the hour it is signed for

    kept = client.get(url).content.decode()
    assert signed == [signed[0]]  # none made again
    security_hash = signed[0].initial["security_hash"]
    assert f'name="security_hash" value="{security_hash}"' in kept
    assert (
        kept.count('<form class="comment-form"') == first.count('<form class="comment-form"') == 1
    )

    # A reply's form is made for the page that asks for it.
    comment = factories.ReaderCommentFactory(article=story)
    client.get(f"{url}?reply_to={comment.pk}")
    assert len(signed) == 2


def listing_url(newsroom, listing):
    """The first page of the Latest list, or of the newsroom's first section, tag or author."""
    return {
        "latest": "/latest/",
        "section": newsroom["sections"][0].get_absolute_url(),
        "tag": newsroom["tags"][0].get_absolute_url(),
        "author": newsroom["authors"][0].get_absolute_url(),
    }[listing]


@pytest.mark.parametrize("listing", ["latest", "section", "tag", "author"])
def test_a_listing_from_its_kept_list_reads_no_story(
    client, newsroom, story, fragments_on, listing
):
    url = listing_url(newsroom, listing)
    client.get(url)  # the list, kept
    queries = CaptureQueriesContext(connection)
    with queries:
        html = page(client, url)[0]
    # The subject's row is kept like a part (articles.pages.page_subject), and so is
    # what the section's front shows, none here (fronts.pages.section_front).
    assert queries.captured_queries == []
    assert "Older stories" in html or listing != "latest"


@pytest.mark.parametrize("listing", ["latest", "section", "tag", "author"])
def test_a_page_after_a_cursor_from_its_kept_list_reads_where_it_starts_only(
    client, newsroom, story, fragments_on, listing
):
    """Whether its cursor names a story of the list, and the page before: one query of
    keys from the index; the stories shown are not read again, nor the page's subject
    and the section's front, kept for its path (fragments.kept_row_seconds)."""
    factories.ArticleFactory.create_batch(  # a second page of each list
        LISTING_PAGE_SIZE,
        section=newsroom["sections"][0],
        authors=newsroom["authors"][:1],
        tags=newsroom["tags"][:1],
        published_at=timezone.now() - timedelta(days=2),
    )
    first_page = listing_url(newsroom, listing)
    older = re.search(r'href="[^"?]*(\?before=[^"]+)"', page(client, first_page)[0])[1]
    url = first_page + html_unescape(older)
    cache.clear()  # a reader deep in the archive, when nobody has read the first page
    first = page(client, url)[0]  # the list after the cursor, kept
    queries = CaptureQueriesContext(connection)
    with queries:
        again = page(client, url)[0]
    assert again == first
    assert len(queries.captured_queries) == 1
    assert "published_at" in queries.captured_queries[0]["sql"]
    assert "Newer stories" in again


def test_a_story_whose_parts_are_kept_shows_its_author_and_tag_renamed(
    client, fragments_on, django_capture_on_commit_callbacks
):
    """A rename purges what shows the author or the tag, not the story's kept row: the
    row must not have been kept with the bylines and tags its page read."""
    author = factories.AuthorFactory(name="Ada Quay")
    tag = factories.TagFactory(name="Harbour")
    story = factories.ArticleFactory(authors=[author], tags=[tag])
    url = story.get_absolute_url()
    page(client, url)
    page(client, url)  # from its kept parts and row
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Ada Pier"
        author.save()
        tag.name = "Docks"
        tag.save()
    html = page(client, url)[0]
    assert "Ada Pier" in html and "Ada Quay" not in html
    assert ">Docks<" in html and ">Harbour<" not in html


def test_a_kept_page_shows_its_subject_as_changed(
    client, newsroom, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    tag, author = newsroom["tags"][0], newsroom["authors"][0]
    for url in (tag.get_absolute_url(), author.get_absolute_url()):
        page(client, url)
        page(client, url)  # from kept parts
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "Harbour works"
        tag.save()
        author.name = "Maren Okafor-Lind"
        author.save()

    assert "Harbour works" in page(client, tag.get_absolute_url())[0]
    assert "Maren Okafor-Lind" in page(client, author.get_absolute_url())[0]


def test_a_subject_not_found_is_not_kept(client, newsroom, story, fragments_on):
    assert client.get("/tags/tide-tables/").status_code == 404
    assert client.get("/tags/" + "t" * 200 + "/").status_code == 404
    tag = factories.TagFactory(name="Tide tables", slug="tide-tables")
    story.tags.add(tag)

    assert client.get("/tags/tide-tables/").status_code == 200


def test_publishing_a_story_renders_its_kept_lists_again(
    client, newsroom, editor, fragments_on, django_capture_on_commit_callbacks
):
    section, tag, author = newsroom["sections"][0], newsroom["tags"][0], newsroom["authors"][0]
    urls = ["/latest/", section.get_absolute_url(), tag.get_absolute_url()]
    urls.append(author.get_absolute_url())
    other = newsroom["sections"][1].get_absolute_url()
    for url in [*urls, other]:
        client.get(url)
    draft = factories.ArticleFactory(
        section=section,
        status=Article.Status.DRAFT,
        headline="Tide gauge reads a record",
        tags=[tag],
        authors=[author],
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_publish(article=draft, by=editor)
    for url in urls:
        assert "Tide gauge reads a record" in page(client, url)[0], url
    assert count_queries(client, other) <= 2  # another section's list is still kept


def test_a_tag_whose_last_story_is_taken_down_has_no_page_even_when_kept(
    client, section, editor, fragments_on, django_capture_on_commit_callbacks
):
    tag = factories.TagFactory(name="Lighthouses")
    story = factories.ArticleFactory(section=section, tags=[tag])
    assert client.get(tag.get_absolute_url()).status_code == 200  # kept
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_unpublish(article=story, by=editor)
    assert client.get(tag.get_absolute_url()).status_code == 404
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_the_home_page_from_its_kept_front_reads_no_story(client, newsroom, story, fragments_on):
    client.get("/")  # the front and the Latest list beside it, kept
    queries = CaptureQueriesContext(connection)
    with queries:
        html = page(client, "/")[0]
    # Its layout is kept too (fronts.pages.home_front): no version published, so the
    # sections' default layout.
    assert queries.captured_queries == []
    assert story.headline in html


def test_a_comment_approved_leaves_the_kept_home_front_and_changes_its_count(
    client, newsroom, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    """The count on a card is brought up to date in the browser (comments.counts)."""

    def count_on_card():
        html = page(client, "/")[0]
        card = html.split(f'href="{story.get_absolute_url()}#comments"', 1)[1]
        return card.split(">", 1)[1].split("<", 1)[0]

    assert count_on_card() == "2 comments"
    approve_a_new_comment(story, editor, django_capture_on_commit_callbacks)
    assert count_on_card() == "2 comments"
    assert client.get(counts_url(story.pk)).json()["counts"][str(story.pk)] == 3


def kept_reads():
    """The reads of kept entries meanwhile, each one round trip on Redis: the names read
    by each, and each page's plan read."""
    return mock.patch.object(cachekeys, "_read_kept_entries", wraps=cachekeys._read_kept_entries)


def test_a_list_rendered_anew_for_one_card_reads_its_other_cards_at_once(
    client, newsroom, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    """A story retitled changes one card: the list is rendered again, its other cards
    read from the cache in one go, not one read each."""
    url = "/latest/"
    page(client, url)  # the list and its cards, kept
    page(client, url)  # the list alone, read as planned
    retitle(story, editor, django_capture_on_commit_callbacks)

    with kept_reads() as reads:
        html = page(client, url)[0]

    asked = [call.args[0] for call in reads.call_args_list]
    cards = html.count('class="card ')
    assert cards > 5
    # The page's parts as the last request read them, then every card in one read (and
    # the comment rules, for the next scheduled change a retitled story may move).
    card_reads = [names for names in asked if any(":card:" in name for name in names)]
    assert [len(names) for names in card_reads] == [cards]
    assert len(asked) <= 3
    assert f'href="{story.get_absolute_url()}">{story.headline}</a>' in html


def results(url):
    """The stories a search page shows, in order."""
    query = url.split("?q=", 1)[1]
    return Article.objects.search(query)[:20]


def test_a_search_reads_its_kept_results_at_once(client, newsroom, fragments_on):
    """A search has no plan (its address is not kept): what searches share comes with
    their kind's plan, then its results' kept parts in one round trip, the excerpts
    made for the query around them."""
    url = "/search/?q=council"
    first = page(client, url)  # its results' stories, and what searches share, kept
    assert page(client, url) == first  # what searches share, found: their plan

    with kept_reads() as reads:
        assert page(client, url) == first

    listed = first[0].split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]
    assert listed.count("<li>") == 20
    shared, found = (call.args[0] for call in reads.call_args_list)
    assert any(":footer-navigation:" in name for name in shared)
    assert not any(":search-result:" in name for name in shared)
    assert found == [
        fragments.fragment_cache_key("search-result", [article]) for article in results(url)
    ]


def test_a_search_for_other_words_leaves_the_plan_of_searches_alone(
    client, newsroom, fragments_on, backend
):
    """What searches share is their kind's plan; their results, read ahead for each,
    are not in it, so a search for other words writes no plan (nor its own: a search
    has none)."""
    page(client, "/search/?q=council")  # works out the next scheduled change too
    page(client, "/search/?q=council")  # reads it, as every search does until it passes
    with mock.patch.object(cachekeys, "_keep_plan", wraps=cachekeys._keep_plan) as kept:
        page(client, "/search/?q=plan")
    assert not kept.called


def test_a_kept_search_result_shows_its_story_and_section_as_changed(
    client, newsroom, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    url = f"/search/?q={story.headline.split()[0]}"
    page(client, url)
    Article.objects.filter(pk=story.pk).update(headline="Council changed behind the cache")
    assert story.headline in page(client, url)[0]  # its result, from the cache

    story.refresh_from_db()
    story.headline = "Council retitled by an editor"
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_save(article=story, by=editor)
    section = story.section
    section.name = "Harbour and City"
    with django_capture_on_commit_callbacks(execute=True):
        section.save()

    html, keys = page(client, url)
    assert "Council retitled by an editor" in html
    assert '<p class="card__section">Harbour and City · <time' in html
    assert {f"article-{story.pk}", f"section-{section.pk}"} <= keys


@pytest.mark.parametrize("path", ["story", "/", "/latest/"])
def test_a_page_of_kept_parts_asks_redis_for_them_once(client, story, fragments_on, on_redis, path):
    """Its parts, what was worked out about the next scheduled change and the Latest
    list: one script, with what the last request for the address read; then one read of
    the purges of what the page shows (newsroom.middleware.PublicCacheMiddleware)."""
    url = story.get_absolute_url() if path == "story" else path
    first = page(client, url)  # rendered and kept
    page(client, url)  # its plan: what it reads when its parts are kept

    with redis_commands() as spy:
        assert page(client, url) == first
    print([c.args[1:3] for c in spy.call_args_list])
    assert sent(spy) == ["EVALSHA", "MGET"]


def test_a_page_reads_what_its_plan_names_as_fresh_or_stale(
    client, story, editor, fragments_on, backend, django_capture_on_commit_callbacks
):
    """What is read ahead is judged as when read alone: an approval since makes the
    thread stale, and the page shows the new comment."""
    url = story.get_absolute_url()
    page(client, url)
    held = factories.ReaderCommentFactory(
        article=story, comment="Approved since.", status=ReaderComment.Status.PENDING
    )
    assert held.comment not in page(client, url)[0]  # read as planned

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comments_moderate(
            comments=ReaderComment.objects.filter(pk=held.pk),
            status=ReaderComment.Status.PUBLIC,
            by=editor,
        )

    assert held.comment in page(client, url)[0]


def test_a_part_read_ahead_as_fresh_then_changed_is_not_kept_inside_a_new_one(
    client, newsroom, story, editor, fragments_on, django_capture_on_commit_callbacks
):
    """The Latest list is rendered anew (one story retitled) from its other cards as
    read at the start of the request; one of them changes meanwhile: the list is
    served, and the next request does not get it with that card's old headline (kept
    as begun before the purge, it is read as stale)."""
    url = "/latest/"
    page(client, url)
    page(client, url)  # its plan
    retitle(story, editor, django_capture_on_commit_callbacks)
    other = next(article for article in reversed(newsroom["articles"]) if article != story)
    read_ahead = fragments.read_ahead

    def read_ahead_then_retitle(names):
        read_ahead(names)  # the cards, the other's as fresh
        other.headline = "Retitled while the list was being rendered"
        with django_capture_on_commit_callbacks(execute=True):
            article_services.article_save(article=other, by=editor)

    with mock.patch.object(
        fragments, "read_ahead", side_effect=read_ahead_then_retitle
    ) as read_ahead_mock:
        page(client, url)

    assert read_ahead_mock.called

    assert other.headline in page(client, url)[0]


@pytest.mark.parametrize(
    "changed", ["comments/forms.py", "articles/templatetags/article_tags.py", "newsroom/markup.py"]
)
def test_a_deploy_that_changes_what_fragments_show_starts_new_fragments(monkeypatch, changed):
    fragments.templates_version.cache_clear()
    before = fragments.templates_version()
    read_bytes = Path.read_bytes

    def edited(path):
        text = read_bytes(path)
        return text + b"# changed" if path.resolve() == (REPO_ROOT / changed) else text

    monkeypatch.setattr(Path, "read_bytes", edited)
    fragments.templates_version.cache_clear()
    try:
        assert fragments.templates_version() != before
    finally:
        monkeypatch.undo()
        fragments.templates_version.cache_clear()
    assert fragments.templates_version() == before


def part_names(reads):
    """The names of the fragments each read of kept entries asked for, by read."""
    prefix = fragments.FRAGMENT_PREFIX
    return [
        [name.split(":")[2] if name.startswith(prefix) else name for name in call.args[0]]
        for call in reads.call_args_list
    ]


def test_a_story_nobody_has_read_asks_for_what_it_shares_with_the_last_one_at_once(
    client, newsroom, story, fragments_on, on_redis
):
    """A story whose address has no plan reads ahead what the last such story asked
    for: what they share (the navigation of their section, the footer, the comment
    rules and form fields, the next scheduled change) comes in that one round trip.
    Its own parts come in one more, and its More articles' cards in another."""
    others = [
        article
        for article in reversed(newsroom["articles"])
        if article != story and article.section_id == story.section_id
    ][:2]
    for other in others:  # the first keeps what they share, the second finds it: the plan
        page(client, other.get_absolute_url())

    with kept_reads() as reads:
        html = page(client, story.get_absolute_url())[0]

    assert part_names(reads) == [
        [f"story:{story.slug}"],  # the story's row, kept on its own
        ["story-meta", "story", "story-end", "more-articles"],
        ["comments"],  # varies on the thread
        ["comment-form"],  # varies on the hour signed
        ["card"] * MORE_ARTICLES_COUNT,
    ]
    assert html.count('<article class="card') == MORE_ARTICLES_COUNT


def test_only_a_page_without_a_plan_of_its_own_keeps_the_plan_of_its_kind(
    client, newsroom, story, fragments_on, backend
):
    """The stories' plan is what a story read anew found kept but for its own parts:
    what stories share. A story read again, as its own plan says, changes neither plan;
    another read anew, in the same section, finds what the last one did and leaves the
    stories' plan alone."""
    other, third = [
        article
        for article in reversed(newsroom["articles"])
        if article != story and article.section_id == story.section_id
    ][:2]
    page(client, story.get_absolute_url())  # rendered: its plan
    page(client, story.get_absolute_url())  # its plan: what it asks with its parts kept
    with mock.patch.object(cachekeys, "_keep_plan", wraps=cachekeys._keep_plan) as kept:
        page(client, story.get_absolute_url())  # as planned: no plan changes
        assert not kept.called
        page(client, other.get_absolute_url())  # its own plan, and the stories'

    (own, asked), (kind, shared) = (call.args for call in kept.call_args_list)
    assert kind.startswith("kind:") and not own.startswith("kind:")
    assert set(shared) < set(asked)
    assert any(":footer-navigation:" in name for name in shared)
    # Its row, parts, thread, form and cards are its own, not the stories' to share.
    assert not [name for name in shared if other.slug in name or ":card:" in name]
    own_parts = ":(story|story-meta|story-end|more-articles|comments|comment-form):"
    assert not [name for name in shared if re.search(own_parts, name)]
    assert any(":comment-form-fields:" in name for name in shared)  # every story's

    with mock.patch.object(cachekeys, "_keep_plan", wraps=cachekeys._keep_plan) as kept:
        page(client, third.get_absolute_url())
    [(plan, _asked)] = (call.args for call in kept.call_args_list)
    assert plan != kind


def test_a_list_nobody_has_read_asks_for_its_kept_cards_at_once(
    client, newsroom, fragments_on, backend
):
    """A tag's page lists stories whose cards a section's page kept: read in one round
    trip, not one each."""
    section, tag = newsroom["sections"][0], newsroom["tags"][0]
    page(client, section.get_absolute_url())
    listed = set(Article.objects.filter(section=section)) & set(Article.objects.filter(tags=tag))
    assert listed

    with kept_reads() as reads:
        html = page(client, tag.get_absolute_url())[0]

    card_reads = [names for names in part_names(reads) if "card" in names]
    assert len(card_reads) == 1
    assert card_reads[0].count("card") == html.count('<article class="card')


def test_a_story_nobody_has_read_keeps_what_it_rendered_in_one_round_trip(
    client, newsroom, story, fragments_on, on_redis
):
    """Its parts, written together once it is answered: not a write for each (and a
    read of its keys' purges before each)."""
    other = next(article for article in reversed(newsroom["articles"]) if article != story)
    page(client, other.get_absolute_url())
    written = []
    execute = redis.client.Pipeline.execute

    def counted(pipeline, *args, **kwargs):
        written.append([command[0][0] for command in pipeline.command_stack])
        return execute(pipeline, *args, **kwargs)

    with (
        redis_commands() as spy,
        mock.patch.object(redis.client.Pipeline, "execute", autospec=True, side_effect=counted),
    ):
        html = page(client, story.get_absolute_url())[0]

    # Its kept parts: the story's row, story-meta, story, story-end, comments,
    # comment-form, more-articles, the navigation of its section when the other story's
    # is another, and those of its cards the other story did not show.
    [kept] = written
    assert set(kept) == {"SET"}
    assert 7 < len(kept) <= 8 + html.count('<article class="card')
    # Its plan and its kind's; then the purges of what it shows (PublicCacheMiddleware).
    assert [name for name in sent(spy) if name != "EVALSHA"] == ["SET", "SET", "MGET"]


def test_a_response_that_shows_no_part_reads_no_plan_of_its_kind(
    client, story, fragments_on, on_redis
):
    """The no-script view pixel asks for no kept part: it reads its address's plan, not
    its kind's."""
    client.get(reverse("articles:viewed", args=[story.pk]))
    with redis_commands() as spy:
        response = client.get(reverse("articles:viewed", args=[story.pk]))
    assert response.status_code == 200
    assert sent(spy).count("EVALSHA") == 1
