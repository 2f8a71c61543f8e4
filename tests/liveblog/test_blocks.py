"""Live entries take the story body's blocks: shown on every page of the coverage, in
its polling answers and its feed, with their photos' keys and their embeds' frames."""

import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Embed
from liveblog import services
from liveblog.models import LiveEntry
from liveblog.views import poll_cursor
from tests import factories
from tests.articles.test_embeds import provider  # noqa: F401  # the fake oEmbed provider

VIDEO = "https://www.youtube.com/watch?v=abcdefghijk"
PLAYER = "www.youtube-nocookie.com"

pytestmark = pytest.mark.django_db


def frame_src(response):
    return re.search(r"frame-src ([^;]*)", response["Content-Security-Policy"])[1].split()


@pytest.fixture(autouse=True)
def surrogate_keys(settings):
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]


@pytest.fixture
def coverage(db):
    article = factories.ArticleFactory(coverage=Article.Coverage.LIVE, body="<p>Intro.</p>")
    photo = factories.PhotoFactory(dimensions=(960, 540), caption="The quay", credit="K. Moss")
    embed = factories.EmbedFactory(url=VIDEO)
    start = timezone.now() - timedelta(hours=1)
    entries = [
        factories.LiveEntryFactory(article=article, published_at=start + timedelta(minutes=i))
        for i in range(25)
    ]
    blocks = factories.LiveEntryFactory(
        article=article,
        published_at=start - timedelta(minutes=1),  # the oldest: on the older page too
        body=(
            f'<p>Photo.</p><figure data-photo="{photo.pk}" data-layout="inset"></figure>'
            '<aside class="fact-box"><h3>Facts</h3><p>One.</p></aside>'
            f'<div data-embed="{VIDEO}"></div>'
        ),
    )
    keys = {f"photo-{photo.pk}", f"embed-{embed.pk}", f"photo-{embed.thumbnail_id}"}
    return {
        "article": article,
        "photo": photo,
        "entries": entries,
        "blocks": blocks,
        "keys": keys,
    }


def assert_blocks_shown(html, photo):
    assert '<figure class="body-photo body-photo--inset">' in html
    assert "The quay" in html and "Photo: K. Moss" in html
    assert '<aside class="fact-box"><h3>Facts</h3>' in html
    assert f'<a class="embed__load" href="{VIDEO}">Load content from YouTube</a>' in html
    assert f'data-embed-src="https://{PLAYER}/embed/' in html
    assert "data-photo=" not in html and "data-embed=" not in html and "<iframe" not in html


def test_the_desk_sanitiser_keeps_the_story_bodys_blocks(coverage):
    entry = coverage["blocks"]
    entry.body += "<table><tbody><tr><td>1</td></tr></tbody></table><script>x()</script>"
    entry.save()
    entry.refresh_from_db()
    assert f'<div data-embed="{VIDEO}"></div>' in entry.body
    assert "<table>" in entry.body and "<script>" not in entry.body


def test_an_older_page_shows_an_entrys_blocks_and_admits_only_its_embeds_frame(client, coverage):
    article = coverage["article"]
    response = client.get(reverse("liveblog:older", args=[article.pk, coverage["entries"][5].pk]))
    html = response.content.decode()
    assert_blocks_shown(html, coverage["photo"])
    assert "js/story-blocks.js" in html
    assert PLAYER in frame_src(response)
    assert "player.vimeo.com" not in frame_src(response)  # no polling there: only what is shown
    assert coverage["keys"] <= set(response["xkey"].split())


def test_a_polling_page_admits_every_providers_frame_for_the_entries_still_to_come(
    client, coverage
):
    coverage["blocks"].delete()  # no embed shown on the first page yet
    response = client.get(coverage["article"].get_absolute_url())
    assert {PLAYER, "player.vimeo.com", "platform.twitter.com"} <= set(frame_src(response))
    assert "js/story-blocks.js" in response.content.decode()


def test_a_closed_coverages_first_page_admits_no_frame_it_does_not_show(client, coverage):
    coverage["blocks"].delete()
    Article.objects.filter(pk=coverage["article"].pk).update(coverage=Article.Coverage.CLOSED)
    response = client.get(coverage["article"].get_absolute_url())
    assert not {PLAYER, "player.vimeo.com"} & set(frame_src(response))


def test_the_polling_answer_brings_an_entrys_blocks_and_their_photos_key(client, coverage):
    article = coverage["article"]
    url = reverse("liveblog:updates", args=[article.pk, poll_cursor(time.time() - 7200)])
    response = client.get(url)
    (entry,) = [e for e in response.json()["entries"] if e["id"] == coverage["blocks"].pk]
    assert_blocks_shown(entry["html"], coverage["photo"])
    assert coverage["keys"] <= set(response["xkey"].split())


def test_the_feed_carries_the_blocks_with_whole_addresses(client, coverage, settings):
    response = client.get(reverse("liveblog:feed", args=[coverage["article"].pk]))
    xml = response.content.decode()
    assert "body-photo--inset" in xml and "Load content from YouTube" in xml
    assert "data-photo=" not in xml
    sources = [
        candidate.split()[0]
        for value in re.findall(r' (?:src|srcset)="([^"]*)"', xml)
        for candidate in value.split(", ")
    ]
    assert len(sources) > 3 and all(s.startswith(settings.SITE_URL) for s in sources)
    assert coverage["keys"] <= set(response["xkey"].split())


def test_the_save_service_asks_the_provider_about_an_entrys_new_embed(
    provider,  # noqa: F811
    coverage,
):
    provider.answering_at("/oembed")
    Embed.objects.all().delete()
    editor = factories.UserFactory(username="ed", groups=["Editor"])
    entry = LiveEntry(article=coverage["article"], body=f'<div data-embed="{VIDEO}"></div>')
    services.live_entry_save(entry=entry, by=editor)
    embed = Embed.objects.get(url=VIDEO)
    assert embed.title == "Ferry trials in Kestrel Bay" and embed.error == ""
    assert provider.requests[0].startswith("/oembed")


def desk_post(client, article, **data):
    url = reverse("admin:liveblog_desk", args=[article.pk])
    return client.post(url, {"title": "", "body": "", **data}, follow=True)


def test_the_desk_offers_the_blocks_and_the_in_place_photo_upload(editor_client, coverage):
    url = reverse("admin:liveblog_desk", args=[coverage["article"].pk])
    html = editor_client.get(url).content.decode()
    assert "js/body-blocks.js" in html
    assert f'data-photo-upload-url="{reverse("admin:articles_photo_upload")}"' in html


def test_the_desk_refuses_a_missing_photo_and_keeps_what_was_typed(editor_client, coverage):
    body = '<p>Kept words.</p><figure data-photo="999999" data-layout="full"></figure>'
    response = desk_post(editor_client, coverage["article"], body=body, publish="Publish")
    html = response.content.decode()
    assert "The photo library has no photo numbered 999999." in html
    assert "Kept words." in html
    assert not LiveEntry.objects.filter(body__contains="Kept words").exists()


def test_the_desk_warns_of_an_embed_readers_see_as_a_link(editor_client, coverage):
    url = "https://example.com/video/1"
    body = f'<p>See this.</p><div data-embed="{url}"></div>'
    response = desk_post(editor_client, coverage["article"], body=body, publish="Publish")
    messages = [str(message) for message in response.context["messages"]]
    assert f"{url} is not from a provider embeds are allowed from, so readers see a link." in (
        messages
    )
    assert LiveEntry.objects.filter(body__contains=url).exists()


def test_an_embed_asked_again_purges_the_pages_showing_it(coverage):
    embed = Embed.objects.get(url=VIDEO)
    assert embed.changed_keys().hard == {f"embed-{embed.pk}"}


def test_refresh_embeds_asks_about_an_entrys_embed_stored_without_the_service(
    provider,  # noqa: F811
    coverage,
):
    provider.answering_at("/oembed")
    Embed.objects.all().delete()  # the coverage's entry was stored directly, as an import
    out = StringIO()
    call_command("refresh_embeds", stdout=out)
    assert f"fetched      {VIDEO}  Ferry trials in Kestrel Bay" in out.getvalue()
    assert Embed.objects.get(url=VIDEO).error == ""
