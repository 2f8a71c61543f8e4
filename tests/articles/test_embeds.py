"""oEmbed at save time, against a fake provider on a local port (http.server in a thread)."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.embeds import EmbedError, oembed_fetch, provider_for
from articles.models import Article, Embed, Photo
from demo.drawing import draw_illustration
from tests import factories

VIDEO = "https://www.youtube.com/watch?v=abcdefghijk"
THUMBNAIL = draw_illustration(seed=3, size=(640, 360))


def answer(base, **fields):
    return {
        "type": "video",
        "version": "1.0",
        "title": "Ferry trials in Kestrel Bay",
        "author_name": "Port Alder Council",
        "width": 480,
        "height": 270,
        "html": '<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>',
        "thumbnail_url": f"{base}/thumbnail.jpg",
        **fields,
    }


class FakeProvider(BaseHTTPRequestHandler):
    """Answers by path: each one a way a provider can behave."""

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        self.server.requests.append(self.path)
        path = self.path.split("?")[0]
        if path == "/oembed":
            self.reply(json.dumps(answer(base)).encode())
        elif path == "/slow":
            time.sleep(1)
            self.reply(json.dumps(answer(base)).encode())
        elif path == "/big":
            self.reply(json.dumps(answer(base, title="x" * 600_000)).encode())
        elif path == "/markup":
            self.reply(
                json.dumps(
                    answer(
                        base,
                        title='<img src=x onerror="alert(1)">Ferry <b>trials</b>',
                        author_name="<script>alert(2)</script>Council",
                        html='<script src="https://evil.example/x.js"></script>'
                        '<iframe src="https://evil.example/frame"></iframe>',
                    )
                ).encode()
            )
        elif path == "/away":
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_port}/oembed")
            self.end_headers()
        elif path == "/here":
            self.send_response(302)
            self.send_header("Location", f"{base}/oembed")
            self.end_headers()
        elif path == "/thumbnail.jpg":
            self.reply(THUMBNAIL, content_type="image/jpeg")
        else:
            self.send_error(404)

    def reply(self, data, content_type="application/json"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class FakeServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for the slow answer's thread

    def handle_error(self, request, client_address):
        pass  # the slow answer's client has gone: nothing to report


@pytest.fixture
def provider(settings):
    server = FakeServer(("127.0.0.1", 0), FakeProvider)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings.EMBED_FETCH_TIMEOUT = 0.5
    settings.EMBED_MAX_BYTES = 64 * 1024

    def answering_at(path):
        settings.EMBED_PROVIDERS = {
            **settings.EMBED_PROVIDERS,
            "youtube": {**settings.EMBED_PROVIDERS["youtube"], "endpoint": f"{base}{path}"},
        }
        return provider_for(VIDEO)

    server.answering_at = answering_at
    yield server
    server.shutdown()
    server.server_close()


def story_with(url, **kwargs):
    return factories.ArticleFactory(
        body=f'<p>Before.</p><div data-embed="{url}"></div><p>After.</p>', **kwargs
    )


def test_fetch_keeps_title_author_size_frame_and_a_re_encoded_thumbnail(provider, db):
    provider.answering_at("/oembed")
    warnings = services.article_embeds_fetch(article=story_with(VIDEO))
    assert warnings == []
    embed = Embed.objects.get(url=VIDEO)
    assert (embed.title, embed.author_name) == ("Ferry trials in Kestrel Bay", "Port Alder Council")
    assert (embed.width, embed.height, embed.error) == (480, 270, "")
    assert embed.frame_url == "https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1"
    thumbnail = embed.thumbnail
    assert thumbnail.width == 640 and thumbnail.is_decorative
    assert {r["format"] for r in thumbnail.renditions} == {"WEBP", "JPEG"}
    assert thumbnail.image.read() != THUMBNAIL  # re-encoded, not the provider's bytes
    asked = provider.requests[0]
    assert asked.startswith("/oembed?") and "format=json" in asked and "youtube.com" in asked


def test_a_known_embed_is_not_asked_again(provider, db):
    provider.answering_at("/oembed")
    article = story_with(VIDEO)
    services.article_embeds_fetch(article=article)
    asked = len(provider.requests)
    assert services.article_embeds_fetch(article=article) == []
    assert len(provider.requests) == asked


def test_timeout_saves_the_embed_as_a_link_with_a_warning(provider, db):
    provider.answering_at("/slow")
    started = time.monotonic()
    warnings = services.article_embeds_fetch(article=story_with(VIDEO))
    assert time.monotonic() - started < 1.5
    assert len(warnings) == 1 and "could not be asked" in warnings[0]
    embed = Embed.objects.get(url=VIDEO)
    assert embed.frame_url == "" and "in time" in embed.error


def test_an_oversize_answer_is_refused(provider, db):
    with pytest.raises(EmbedError, match="too large"):
        oembed_fetch(VIDEO, provider.answering_at("/big"))


def test_a_provider_not_on_the_list_is_never_asked(provider, db):
    provider.answering_at("/oembed")
    url = "https://video.example.com/watch/123"
    warnings = services.article_embeds_fetch(article=story_with(url))
    assert warnings == [
        f"{url} is not from a provider embeds are allowed from, so readers see a link."
    ]
    assert provider.requests == [] and not Embed.objects.exists()


def test_markup_in_the_answer_is_kept_as_text_and_a_foreign_frame_is_dropped(provider, db, client):
    settings_provider = provider.answering_at("/markup")
    answer_ = oembed_fetch(VIDEO, settings_provider)
    assert answer_.title == '<img src=x onerror="alert(1)">Ferry <b>trials</b>'
    article = story_with(VIDEO)
    services.article_embeds_fetch(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Ferry &lt;b&gt;trials&lt;/b&gt;" in html
    assert "evil.example" not in html


def test_a_foreign_frame_in_the_answer_is_not_kept_for_a_provider_without_a_frame_pattern(
    provider, settings, db
):
    provider.answering_at("/markup")
    settings.EMBED_PROVIDERS["youtube"] = {**settings.EMBED_PROVIDERS["youtube"], "frame": ""}
    assert oembed_fetch(VIDEO, provider_for(VIDEO)).frame_url == ""
    provider.answering_at("/oembed")
    settings.EMBED_PROVIDERS["youtube"] = {
        **settings.EMBED_PROVIDERS["youtube"],
        "frame": "",
        "frame_hosts": ["www.youtube.com"],
    }
    assert (
        oembed_fetch(VIDEO, provider_for(VIDEO)).frame_url
        == "https://www.youtube.com/embed/abcdefghijk"
    )


def test_a_redirect_to_another_host_is_refused(provider, db):
    with pytest.raises(EmbedError, match="another site"):
        oembed_fetch(VIDEO, provider.answering_at("/away"))
    assert not any(path.startswith("/oembed") for path in provider.requests)


def test_a_redirect_on_the_same_host_is_followed(provider, db):
    answered = oembed_fetch(VIDEO, provider.answering_at("/here"))
    assert answered.title == "Ferry trials in Kestrel Bay"


def test_the_admin_saves_the_story_and_warns_when_the_provider_is_unreachable(
    provider, editor_client, section
):
    provider.answering_at("/slow")
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "Ferry trials",
            "slug": "ferry-trials",
            "section": section.pk,
            "body": f'<p>Watch.</p><div data-embed="{VIDEO}"></div>',
            "status": "draft",
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert Article.objects.filter(slug="ferry-trials").exists()
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("YouTube could not be asked" in message for message in messages), messages


# --- Wherever a body is saved, and refresh_embeds -------------------------------------


def test_the_save_service_fetches_the_bodys_embeds_whoever_calls_it(provider, editor):
    provider.answering_at("/oembed")
    article = factories.ArticleFactory(body="<p>No embed yet.</p>")
    article.body = f'<p>Watch.</p><div data-embed="{VIDEO}"></div>'

    services.article_save(article=article, by=editor)

    embed = Embed.objects.get(url=VIDEO)
    assert embed.title == "Ferry trials in Kestrel Bay" and embed.frame_url
    assert services.article_embed_warnings(article=article) == []


def test_the_save_service_saves_the_story_when_the_provider_is_unreachable(provider, editor):
    provider.answering_at("/slow")
    article = factories.ArticleFactory(body="<p>No embed yet.</p>")
    article.body = f'<div data-embed="{VIDEO}"></div>'

    services.article_save(article=article, by=editor)

    article.refresh_from_db()
    assert VIDEO in article.body
    (warning,) = services.article_embed_warnings(article=article)
    assert "YouTube could not be asked" in warning and "in time" in warning


def refresh_embeds(*args):
    out = StringIO()
    call_command("refresh_embeds", *args, stdout=out)
    return out.getvalue()


def test_refresh_embeds_fetches_what_a_story_stored_without_the_service_lacks(provider, db):
    provider.answering_at("/oembed")
    story_with(VIDEO)  # stored directly, as an import would
    other = "https://video.example.com/watch/123"
    story_with(other)

    report = refresh_embeds()

    assert Embed.objects.get(url=VIDEO).title == "Ferry trials in Kestrel Bay"
    assert f"fetched      {VIDEO}  Ferry trials in Kestrel Bay" in report
    assert f"not allowed  {other}" in report
    assert "2 embeds in use: 1 fetched, 0 failed, 0 kept, 1 not allowed, 0 fresh." in report
    # Nothing is left to do: a second run asks nothing.
    asked = len(provider.requests)
    assert "1 fresh" in refresh_embeds() and len(provider.requests) == asked


def test_refresh_embeds_asks_again_about_stale_and_failed_ones(provider, db, settings):
    provider.answering_at("/oembed")
    settings.EMBED_REFRESH_DAYS = 30
    story_with(VIDEO)
    refresh_embeds()
    stale = Embed.objects.get(url=VIDEO)
    old_thumbnail = stale.thumbnail
    Embed.objects.filter(pk=stale.pk).update(
        title="An old title", fetched_at=timezone.now() - timedelta(days=31)
    )
    failed_url = "https://www.youtube.com/watch?v=failedonce1"
    story_with(failed_url)
    factories.EmbedFactory(url=failed_url, error="The provider answered 500.", frame_url="")

    report = refresh_embeds()

    stale.refresh_from_db()
    assert stale.title == "Ferry trials in Kestrel Bay"
    assert stale.thumbnail != old_thumbnail
    assert not Photo.objects.filter(pk=old_thumbnail.pk).exists()  # replaced, not piled up
    assert Embed.objects.get(url=failed_url).error == ""
    assert "2 fetched" in report


def test_a_refresh_that_fails_keeps_a_working_embed_and_says_so(provider, db):
    provider.answering_at("/oembed")
    story_with(VIDEO)
    refresh_embeds()
    provider.answering_at("/slow")

    report = refresh_embeds("--all")

    embed = Embed.objects.get(url=VIDEO)
    assert embed.frame_url and embed.error == "" and embed.title == "Ferry trials in Kestrel Bay"
    assert f"kept         {VIDEO}  (The provider could not be reached in time." in report
    assert "0 fetched, 0 failed, 1 kept" in report
