"""The story body's blocks: what the sanitiser keeps, and how the story page shows them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Embed
from tests import factories

VIDEO = "https://www.youtube.com/watch?v=abcdefghijk"
PROVIDER_HOSTS = ("youtube.com", "youtube-nocookie.com", "ytimg.com")


def stored_body(html):
    return Article._meta.get_field("body").sanitize(html)


def test_the_sanitiser_keeps_each_block_and_only_well_formed_markers():
    html = (
        '<figure data-photo="12" data-layout="inset" onclick="x()"></figure>'
        '<figure data-photo="12 or 1=1" data-layout="left"></figure>'
        '<div data-gallery="3 1 2"></div><div data-gallery="3,javascript"></div>'
        f'<div data-embed="{VIDEO}"></div><div data-embed="javascript:alert(1)"></div>'
        '<aside class="pull-quote other"><p>Quoted.</p></aside>'
        '<aside class="fact-box"><h3>Facts</h3><ul><li>One</li></ul></aside>'
        '<figure class="table-figure"><table><tbody><tr><th>A</th></tr><tr><td>1</td></tr>'
        "</tbody></table><figcaption>Results</figcaption></figure>"
        "<h2>Heading</h2><script>alert(1)</script><iframe src='https://evil.example'></iframe>"
    )
    assert stored_body(html) == (
        '<figure data-photo="12" data-layout="inset"></figure><figure></figure>'
        '<div data-gallery="3 1 2"></div><div></div>'
        f'<div data-embed="{VIDEO}"></div><div></div>'
        '<aside class="pull-quote"><p>Quoted.</p></aside>'
        '<aside class="fact-box"><h3>Facts</h3><ul><li>One</li></ul></aside>'
        '<figure class="table-figure"><table><tbody><tr><th>A</th></tr><tr><td>1</td></tr>'
        "</tbody></table><figcaption>Results</figcaption></figure>"
        "<h2>Heading</h2>"
    )


@pytest.fixture
def photos(db):
    return [
        factories.PhotoFactory(dimensions=(960, 540), caption=f"Quay {n}", credit="K. Moss")
        for n in range(3)
    ]


@pytest.fixture
def embed(db):
    return factories.EmbedFactory(url=VIDEO)


def blocks_story(photos, *, section=None, slug="quay-reopens"):
    one, two, three = photos
    return factories.ArticleFactory(
        slug=slug,
        headline=f"Story {slug}",
        **({"section": section} if section else {}),
        body=(
            f'<p>First.</p><figure data-photo="{one.pk}" data-layout="full"></figure>'
            f'<p>Second.</p><figure data-photo="{two.pk}" data-layout="inset"></figure>'
            f'<div data-gallery="{three.pk} {one.pk} 999999"></div>'
            '<aside class="pull-quote"><p>The quay is ours again.</p></aside>'
            f'<div data-embed="{VIDEO}"></div><p>Last.</p>'
        ),
    )


def test_inline_photos_have_the_heros_renditions_and_fixed_size(client, photos, embed):
    html = client.get(blocks_story(photos).get_absolute_url()).content.decode()
    full, inset = re.findall(
        r'<figure class="body-photo body-photo--(\w+)">(.*?)</figure>', html, re.S
    )
    assert full[0] == "full" and inset[0] == "inset"
    for _layout, figure in (full, inset):
        assert 'type="image/webp" srcset="' in figure and " 480w" in figure
        assert re.search(r'<img [^>]*width="\d+" height="\d+"', figure)
    assert "Quay 0" in full[1] and "Photo: K. Moss" in full[1]
    assert 'sizes="(min-width: 40em) 20em, 100vw"' in inset[1]


def test_a_gallery_is_a_list_of_figures_in_order_without_missing_photos(client, photos, embed):
    html = client.get(blocks_story(photos).get_absolute_url()).content.decode()
    gallery = re.search(r'<section class="gallery".*?</section>', html, re.S)[0]
    captions = re.findall(
        r"<span class=\"gallery__count\">(\d) of (\d)\.</span> (Quay \d)", gallery
    )
    assert captions == [("1", "2", "Quay 2"), ("2", "2", "Quay 0")]
    assert gallery.count("<figure>") == 2


def test_an_embed_is_a_placeholder_that_asks_nothing_of_the_provider(client, photos, embed):
    response = client.get(blocks_story(photos).get_absolute_url())
    html = response.content.decode()
    placeholder = re.search(r'<div class="embed__frame".*?</div>', html, re.S)[0]
    assert 'style="aspect-ratio: 480 / 270"' in placeholder
    assert f'<a class="embed__load" href="{VIDEO}">Load content from YouTube</a>' in placeholder
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1"' in (
        placeholder
    )
    fetched = re.findall(r' (?:src|srcset)="([^"]*)"', html)
    assert fetched and not [url for url in fetched if any(h in url for h in PROVIDER_HOSTS)]
    assert "<iframe" not in html
    assert "js/story-blocks.js" in html


def test_the_csp_admits_the_providers_frame_only_on_pages_that_embed_it(
    client, photos, embed, settings
):
    settings.PAGE_CACHE_SECONDS = 60
    plain = factories.ArticleFactory(slug="plain", headline="Plain story")
    plain_policy = client.get(plain.get_absolute_url())["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]*)", plain_policy)[1]
    assert "youtube" not in plain_policy
    url = blocks_story(photos).get_absolute_url()
    for cache in ("miss", "hit"):
        response = client.get(url)
        assert response["X-Page-Cache"] == cache
        policy = response["Content-Security-Policy"]
        # The directives' order varies between processes: read frame-src on its own.
        sources = re.search(r"frame-src ([^;]*)", policy)[1].split()
        assert sources == [*frame_src.split(), "www.youtube-nocookie.com"]
        assert policy.replace(" www.youtube-nocookie.com", "") == plain_policy
    assert client.get(plain.get_absolute_url())["Content-Security-Policy"] == plain_policy


def test_an_embed_not_fetched_or_unreachable_is_a_plain_link(client, photos, db):
    Embed.objects.create(url=VIDEO, provider="youtube", error="timeout", fetched_at=timezone.now())
    response = client.get(blocks_story(photos).get_absolute_url())
    html = response.content.decode()
    assert f'<p class="embed-link"><a href="{VIDEO}">{VIDEO}</a> (YouTube)</p>' in html
    assert "youtube" not in response["Content-Security-Policy"]


def test_a_story_without_blocks_loads_no_block_script(client, article):
    assert "story-blocks.js" not in client.get(article.get_absolute_url()).content.decode()


def block_queries(client, url):
    """The queries reading the body's photos and embeds on a page not kept in a cache."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        # The body's photos by id and its embeds; not the photo licences' schedule, which
        # every page reads once (articles.apps next_public_change).
        if re.search(
            r'FROM "articles_embed"|FROM "articles_photo" WHERE "articles_photo"\."id" IN',
            query["sql"],
        )
    ]


def test_the_blocks_cost_two_queries_however_many_there_are(client, photos, embed, settings):
    settings.PAGE_CACHE_SECONDS = 0
    few = blocks_story(photos, slug="few")
    more_photos = [factories.PhotoFactory(dimensions=(960, 540)) for _ in range(6)]
    ids = " ".join(str(photo.pk) for photo in more_photos)
    many = factories.ArticleFactory(
        slug="many",
        body=few.body
        + "".join(f'<figure data-photo="{photo.pk}"></figure>' for photo in more_photos)
        + f'<div data-gallery="{ids}"></div>'
        + '<div data-embed="https://vimeo.com/123456"></div>',
    )
    assert len(block_queries(client, few.get_absolute_url())) == 2
    many_queries = block_queries(client, many.get_absolute_url())
    assert len(many_queries) == 2
    html = client.get(many.get_absolute_url()).content.decode()
    assert html.count('class="body-photo') == 8 and html.count('class="gallery__item"') == 8
    plain = factories.ArticleFactory(slug="plain")
    assert block_queries(client, plain.get_absolute_url()) == []


def test_the_admin_refuses_a_photo_block_naming_no_photo_and_keeps_the_text(
    editor_client, section, photos
):
    body = (
        f'<p>Kept words.</p><figure data-photo="{photos[0].pk}" data-layout="full"></figure>'
        f'<div data-gallery="{photos[1].pk} 999998 999999"></div>'
    )
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "Quay photos",
            "slug": "quay-photos",
            "section": section.pk,
            "body": body,
            "status": "draft",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Article.objects.filter(slug="quay-photos").exists()
    html = response.content.decode()
    assert "The photo library has no photo numbered 999998, 999999." in html
    assert "Kept words." in html


def test_a_story_names_the_photos_and_embeds_its_blocks_show(client, photos, embed, settings):
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]
    keys = set(client.get(blocks_story(photos).get_absolute_url())["xkey"].split())
    shown = [*photos, embed, embed.thumbnail]
    assert {f"{thing._meta.model_name}-{thing.pk}" for thing in shown} <= keys
