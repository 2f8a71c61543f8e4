"""An editor posts an entry with a photo uploaded in place and a YouTube embed from the
live desk; a reader's open live page takes it in by polling, the photo shown and the
embed a placeholder that loads the player (its host routed to a stub) only when asked,
which the page's Content-Security-Policy admits."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Photo
from liveblog.models import LiveEntry
from tests import factories
from tests.e2e.test_editor_journey import log_in
from tests.e2e.test_live_reader import POLL_TIMEOUT
from tests.e2e.test_story_blocks import FRAME, VIDEO, provider_requests, reader, small_jpeg

__all__ = ["reader"]  # the fixture: pages logging their requests, the provider stubbed


@pytest.fixture
def coverage(live_server, settings):
    settings.LIVEBLOG_POLL_SECONDS = 5
    article = factories.ArticleFactory(
        headline="Harbour storm live", coverage=Article.Coverage.LIVE
    )
    factories.LiveEntryFactory(article=article, title="Gales arrive")
    # Asked about already: the save service does not go out to YouTube from the test.
    factories.EmbedFactory(url=VIDEO)
    editor = factories.UserFactory(username="desk-editor", groups=["Editor"])
    return {"article": article, "editor": editor}


def test_an_entry_with_a_photo_and_an_embed_reaches_an_open_page_by_polling(
    reader, coverage, between_requests, tmp_path
):
    article = coverage["article"]
    page = reader()
    page.goto(article.get_absolute_url())
    expect(page.locator(".live-entry__title")).to_have_text(["Gales arrive"])

    desk = reader()
    log_in(desk, "desk-editor", "password")
    desk.goto(reverse("admin:liveblog_desk", args=[article.pk]))
    form = desk.locator(".live-desk__form")
    form.get_by_label("Title").fill("The quay floods")
    editor = form.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    desk.keyboard.type("Water over the quay wall at high tide.")

    desk.locator(".prose-menubar__button[title='Upload a photo']").click()
    dialog = desk.locator("dialog.body-photo-upload[open]")
    dialog.get_by_label("Photo (JPEG, PNG or WebP)").set_input_files(
        small_jpeg(tmp_path / "quay.jpg")
    )
    dialog.get_by_label("Alt text").fill("Sea water pouring over a stone quay wall")
    dialog.get_by_label("Caption").fill("The quay wall at high tide")
    dialog.get_by_label("Layout").select_option("inset")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(desk.locator("dialog.body-photo-upload")).to_have_count(0)

    desk.locator(".prose-menubar__button[title='Embed']").click()
    embed_dialog = desk.locator("dialog.prose-editor-dialog[open]")
    embed_dialog.locator("[name=value]").fill(VIDEO)
    embed_dialog.locator("button[type=submit]").click()
    expect(embed_dialog).to_have_count(0)
    expect(editor.locator(".body-block-marker")).to_have_count(2)
    desk.get_by_role("button", name="Publish", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("Entry saved")

    with between_requests:
        photo = Photo.objects.get(caption="The quay wall at high tide")
        entry = LiveEntry.objects.get(title="The quay floods")
    assert f'<figure data-photo="{photo.pk}" data-layout="inset"></figure>' in entry.body
    assert f'<div data-embed="{VIDEO}"></div>' in entry.body
    assert entry.status == LiveEntry.Status.PUBLISHED

    button = page.get_by_role("button", name="1 new update")
    expect(button).to_be_visible(timeout=POLL_TIMEOUT)
    button.click()
    shown = page.locator(f"#entry-{entry.pk}")
    image = shown.locator(".body-photo--inset img")
    expect(image).to_have_attribute("alt", "Sea water pouring over a stone quay wall")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "(image) => image.complete && image.naturalWidth > 0", arg=image.element_handle()
    )
    expect(shown.locator(".body-photo--inset figcaption")).to_contain_text("high tide")
    assert provider_requests(page) == []  # a placeholder: nothing asked of YouTube yet

    shown.get_by_role("button", name="Load content from YouTube").click()
    frame = shown.locator(".embed__frame iframe")
    expect(frame).to_have_attribute("src", FRAME)
    expect(page.frame_locator(f"#entry-{entry.pk} .embed__frame iframe").locator("p")).to_have_text(
        "The provider's player"
    )
    assert provider_requests(page) == [FRAME]
