"""A story with two inline photos, a gallery, a pull quote, a table and a YouTube embed,
in Chromium: fixed sizes, a 16:9 placeholder, nothing asked of the provider before the
click (its host is routed to a stub here), no layout shift, and complete without JS."""

import re

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from articles.models import Photo
from tests import factories
from tests.e2e.test_desk import wait_for_draft
from tests.e2e.test_editor_journey import log_in, prose_editor

VIDEO = "https://www.youtube.com/watch?v=kestrelbay1"
FRAME = "https://www.youtube-nocookie.com/embed/kestrelbay1?autoplay=1"
PROVIDER_HOSTS = re.compile(r"https?://[^/]*(youtube|youtube-nocookie|ytimg|googlevideo)\.")
COUNT_LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture
def story(live_server):
    photos = [
        factories.PhotoFactory(dimensions=(1200, 800), caption=f"Kestrel Bay quay, view {n}")
        for n in range(5)
    ]
    factories.EmbedFactory(url=VIDEO)
    first, second, *gallery = photos
    story = factories.ArticleFactory(
        headline="Kestrel Bay quay reopens",
        body=(
            "<p>The quay at Kestrel Bay opened again on Saturday morning.</p>"
            f'<figure data-photo="{first.pk}" data-layout="full"></figure>'
            "<p>Fishing boats returned within the hour.</p>"
            f'<figure data-photo="{second.pk}" data-layout="inset"></figure>'
            '<aside class="pull-quote"><p>We waited two winters for this.</p></aside>'
            "<p>The harbour master counted forty boats by noon.</p>"
            f'<div data-gallery="{" ".join(str(photo.pk) for photo in gallery)}"></div>'
            '<figure class="table-figure"><table><tbody><tr><th>Year</th><th>Boats</th></tr>'
            "<tr><td>2024</td><td>31</td></tr><tr><td>2026</td><td>40</td></tr></tbody>"
            "</table><figcaption>Boats landing at the quay</figcaption></figure>"
            f'<div data-embed="{VIDEO}"></div>'
            "<p>The council will review the berths in spring.</p>"
        ),
    )
    plain = factories.ArticleFactory(headline="Port Alder library hours", section=story.section)
    return {"story": story, "plain": plain}


@pytest.fixture
def reader(browser, user_agent, live_server):
    """A page whose every request is logged, the provider's hosts answered by a stub."""
    contexts, problems = [], []

    def make(*, java_script_enabled=True):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            java_script_enabled=java_script_enabled,
            user_agent=user_agent,
            base_url=live_server.url,
        )
        contexts.append(context)
        context.route(
            PROVIDER_HOSTS,
            lambda route: route.fulfill(
                status=200, content_type="text/html", body="<p>The provider's player</p>"
            ),
        )
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.add_init_script(COUNT_LAYOUT_SHIFTS)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, problems


def provider_requests(page):
    return [url for url in page.requests if PROVIDER_HOSTS.match(url)]


def test_story_blocks_load_nothing_from_the_provider_until_the_click(reader, story):
    page = reader()
    page.goto(story["story"].get_absolute_url())
    photos = page.locator(".body-photo img")
    expect(photos).to_have_count(2)
    for image in photos.all():
        assert image.get_attribute("srcset") and " 800w" in image.get_attribute("srcset")
        assert int(image.get_attribute("width")) > 0 and int(image.get_attribute("height")) > 0
    expect(page.locator(".gallery figure")).to_have_count(3)
    expect(page.locator(".pull-quote")).to_have_text("We waited two winters for this.")
    expect(page.locator(".table-figure figcaption")).to_have_text("Boats landing at the quay")

    placeholder = page.locator(".embed__frame")
    box = placeholder.bounding_box()
    assert box["width"] / box["height"] == pytest.approx(16 / 9, abs=0.01)
    # Every image, lazy ones too, loads, and nothing on the way shifts the layout.
    for image in page.locator("article img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelectorAll('article img')]"
        ".every((image) => image.complete && image.naturalWidth > 0)"
    )
    assert page.evaluate("window.layoutShift") == 0
    assert provider_requests(page) == []

    page.get_by_role("button", name="Load content from YouTube").click()
    frame = page.locator(".embed__frame iframe")
    expect(frame).to_have_attribute("src", FRAME)
    expect(frame).to_have_attribute("title", "Ferry trials in Kestrel Bay")
    player = page.frame_locator(".embed__frame iframe").locator("p")
    expect(player).to_have_text("The provider's player")
    assert provider_requests(page) == [FRAME]
    assert frame.bounding_box()["height"] == pytest.approx(box["height"], abs=1)


def test_the_gallery_viewer_is_driven_by_the_keyboard(reader, story):
    page = reader()
    page.goto(story["story"].get_absolute_url())
    page.get_by_role("button", name="Open photo 1 of 3").click()
    viewer = page.locator("dialog.gallery-viewer")
    expect(viewer.locator("figcaption")).to_contain_text("view 2")
    page.keyboard.press("ArrowRight")
    expect(viewer.locator("figcaption")).to_contain_text("view 3")
    page.keyboard.press("End")
    expect(viewer.locator("figcaption")).to_contain_text("view 4")
    page.keyboard.press("Escape")
    expect(viewer).to_have_count(0)
    expect(page.get_by_role("button", name="Open photo 1 of 3")).to_be_focused()


def test_without_javascript_the_blocks_are_figures_and_the_embed_a_link(reader, story):
    page = reader(java_script_enabled=False)
    page.goto(story["story"].get_absolute_url())
    expect(page.locator(".body-photo img")).to_have_count(2)
    expect(page.locator(".gallery figure img")).to_have_count(3)
    link = page.get_by_role("link", name="Load content from YouTube")
    expect(link).to_have_attribute("href", VIDEO)
    expect(page.locator("iframe")).to_have_count(0)
    assert provider_requests(page) == []


def test_only_a_page_with_an_embed_admits_the_providers_frame(reader, story):
    page = reader()
    with_embed = page.goto(story["story"].get_absolute_url()).headers["content-security-policy"]
    plain = page.goto(story["plain"].get_absolute_url()).headers["content-security-policy"]
    home = page.goto("/").headers["content-security-policy"]
    assert "www.youtube-nocookie.com" in with_embed
    assert plain == home and "youtube" not in plain
    assert with_embed.replace(" www.youtube-nocookie.com", "") == plain


def test_an_editor_adds_the_blocks_with_the_toolbar_and_previews_them(
    make_page, story, between_requests
):
    """The toolbar's buttons write exactly what the sanitiser keeps and the page expands."""
    factories.UserFactory(username="editor", groups=["Editor"], password="quay-editor-2026")
    article = story["plain"]
    first, second = story["story"].body.split('data-photo="')[1:3]
    photo_ids = [first.split('"')[0], second.split('"')[0]]
    page = make_page()
    log_in(page, "editor", "quay-editor-2026")
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    editor = prose_editor(page)
    # The pull quote comes first, while the caret can only be in the first paragraph: a
    # click's new caret reaches ProseMirror a moment after the click, so a button pressed
    # at once could act on where the caret was before.
    editor.get_by_text("The first paragraph.").click()
    page.locator(".prose-menubar__button[title='Pull quote']").click()
    expect(editor.locator("aside.pull-quote p")).to_have_text("The first paragraph.")
    editor.get_by_text("The second paragraph.").click()
    page.keyboard.press("End")

    def insert(button, **fields):
        page.locator(f".prose-menubar__button[title='{button}']").click()
        dialog = page.locator("dialog.prose-editor-dialog[open]")
        for name, value in fields.items():
            field = dialog.locator(f"[name={name}]")
            if field.evaluate("element => element.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_have_count(0)

    insert("Photo", value=photo_ids[0], layout="inset")
    insert("Gallery", value=", ".join(photo_ids))
    insert("Embed", value=VIDEO)
    expect(editor.locator(".body-block-marker")).to_have_count(3)
    page.locator(".prose-menubar__button[title='Table with a caption']").click()
    expect(editor.locator("table")).to_have_count(1)
    expect(editor.locator("aside.pull-quote p")).to_have_count(1)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    with between_requests:
        article.refresh_from_db()
    assert f'<figure data-photo="{photo_ids[0]}" data-layout="inset"></figure>' in article.body
    assert f'<div data-gallery="{" ".join(photo_ids)}"></div>' in article.body
    assert f'<div data-embed="{VIDEO}"></div>' in article.body, article.body
    assert '<figure class="table-figure"><table>' in article.body
    assert "<figcaption>Caption</figcaption></figure>" in article.body
    assert article.body.startswith('<aside class="pull-quote"><p>')

    reader = make_page(java_script_enabled=False)
    reader.goto(article.get_absolute_url())
    expect(reader.locator(".body-photo--inset img")).to_have_count(1)
    expect(reader.locator(".gallery figure")).to_have_count(2)
    expect(reader.get_by_role("link", name="Load content from YouTube")).to_have_count(1)
    expect(reader.locator(".table-figure table")).to_have_count(1)
    expect(reader.locator(".pull-quote")).to_have_count(1)


def small_jpeg(path, size=(640, 400)):
    """A real JPEG, drawn by Pillow: a sky over a sea."""
    image = Image.new("RGB", size, (96, 150, 200))
    ImageDraw.Draw(image).rectangle((0, size[1] // 2, size[0], size[1]), fill=(20, 70, 110))
    image.save(path, "JPEG", quality=85)
    return path


def test_a_reporter_uploads_a_photo_in_place_from_the_body_editor(
    make_page, between_requests, tmp_path, settings
):
    """The upload dialog keeps what was typed through a refused upload, then the photo
    goes into the library (through photo_save: renditions) and into the body as a block;
    the desk goes on autosaving the story around it."""
    settings.EDITING_AUTOSAVE_SECONDS = 1
    reporter = factories.UserFactory(
        username="reporter", groups=["Reporter"], password="quay-reporter-2026"
    )
    article = factories.ArticleFactory(
        headline="Kestrel Bay nets drying on the quay",
        body="<p>The nets were laid out to dry along the quay.</p>",
        status="draft",
        published_at=None,
        created_by=reporter,
    )
    page = make_page()
    log_in(page, "reporter", "quay-reporter-2026")
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    editor = prose_editor(page)
    editor.locator("p").last.click()
    page.keyboard.press("End")

    page.locator(".prose-menubar__button[title='Upload a photo']").click()
    dialog = page.locator("dialog.body-photo-upload[open]")
    dialog.get_by_label("Photo (JPEG, PNG or WebP)").set_input_files(
        small_jpeg(tmp_path / "nets.jpg")
    )
    dialog.get_by_label("Caption").fill("Nets drying on the Kestrel Bay quay")
    dialog.get_by_label("Credit").fill("Newsroom staff")
    dialog.get_by_label("Layout").select_option("inset")
    dialog.get_by_role("button", name="Upload and insert").click()

    # No alt text: refused beside the field, everything typed (the file too) still there.
    expect(dialog.locator("[data-field=alt_text] .errorlist")).to_contain_text(
        "Describe the picture in the alt text"
    )
    expect(dialog.get_by_label("Caption")).to_have_value("Nets drying on the Kestrel Bay quay")
    expect(dialog.get_by_label("Layout")).to_have_value("inset")
    assert (
        dialog.get_by_label("Photo (JPEG, PNG or WebP)").evaluate("input => input.files[0].name")
        == "nets.jpg"
    )
    with between_requests:
        assert not Photo.objects.exists()

    dialog.get_by_label("Alt text").fill("Green fishing nets spread over the stones of a quay")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(page.locator("dialog.body-photo-upload")).to_have_count(0)
    marker = editor.locator(".body-block-marker")
    expect(marker).to_have_text(re.compile(r"Photo: \d+ \(inset\)"))
    wait_for_draft(
        page,
        between_requests,
        lambda data: 'data-layout="inset"' in data["body"],
        username="reporter",
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    with between_requests:
        photo = Photo.objects.get()
        article.refresh_from_db()
    assert (photo.caption, photo.credit, photo.created_by) == (
        "Nets drying on the Kestrel Bay quay",
        "Newsroom staff",
        reporter,
    )
    assert photo.alt_text == "Green fishing nets spread over the stones of a quay"
    assert photo.srcset("WEBP", "16:9")  # made by photo_save: renditions and crops
    assert f'<figure data-photo="{photo.pk}" data-layout="inset"></figure>' in article.body

    page.goto(reverse("articles:preview", kwargs={"pk": article.pk}))
    image = page.locator(".body-photo--inset img")
    expect(image).to_have_attribute("alt", "Green fishing nets spread over the stones of a quay")
    expect(page.locator(".body-photo--inset figcaption")).to_contain_text("Nets drying")
