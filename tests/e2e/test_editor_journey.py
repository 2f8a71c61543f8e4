"""An editor uploads a photo, writes, schedules and publishes an article in the admin, in
Chromium; a reporter's attempt to publish is refused."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Photo
from tests import factories

HEADLINE = "Night ferry returns after a winter in dry dock"
SLUG = "night-ferry-returns-after-a-winter-in-dry-dock"
STANDFIRST = "The 23:40 crossing runs again from Friday, with a new hull and a quieter engine."
PARAGRAPHS = [
    "The night ferry left the harbour on time for the first time since November.",
    "Crews replaced the hull plating and the engine, which the operator says is quieter.",
]
BOLD = "quieter"
ALT_TEXT = "The night ferry moored at the harbour wall at dusk"
CAPTION = "The ferry back at its berth after the refit"
CREDIT = "Harbour Authority"
EDITOR_PASSWORD = "ferry-editor-2025"
REPORTER_PASSWORD = "ferry-reporter-2025"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"  # Django's RSS names authors in dc:creator
# Whether an image has loaded and has pixels, once it has finished loading: visible, it
# may still be on its way (its box comes from its width and height).
LOADED = """img => img.complete ? img.naturalWidth > 0 : new Promise((done) => {
  img.addEventListener("load", () => done(img.naturalWidth > 0));
  img.addEventListener("error", () => done(false));
})"""


@pytest.fixture
def newsroom(live_server):
    """A section to file in and an author to credit; no article yet."""
    return {
        "section": factories.SectionFactory(name="City", slug="city"),
        "author": factories.AuthorFactory(name="Ada Reyes", slug="ada-reyes"),
    }


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "night-ferry.jpg"
    path.write_bytes(factories.draw_illustration(size=(1600, 900)))
    return path


@pytest.fixture
def admin_page(make_page):
    """A page for a staff member, failing the test on any console error in the admin.

    (make_page fails it on script errors and on anything the Content-Security-Policy
    refused; here every other console error counts too, e.g. a failed request.)
    """
    errors = []

    def make(username, password):
        page = make_page()
        page.on(
            "console",
            lambda message: (
                errors.append(f"{message.location.get('url')}: {message.text}")
                if message.type == "error"
                # make_page reports these already.
                and "Content Security Policy" not in message.text
                # The admin names no icon, so Chromium asks for /favicon.ico, which the
                # site does not serve; that 404 is not the admin failing.
                and not message.location.get("url", "").endswith("/favicon.ico")
                else None
            ),
        )
        log_in(page, username, password)
        return page

    yield make
    assert not errors, "\n".join(errors)


def log_in(page, username, password):
    page.goto(reverse("admin:index"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools strong")).to_have_text(username)


def prose_editor(page):
    """The body's editor: django-prose-editor's contenteditable (ProseMirror) element."""
    editor = page.locator(".form-row.field-body .ProseMirror[contenteditable=true]")
    expect(
        editor,
        "the prose editor did not start on the body field (see the CSP errors reported "
        "with this failure)",
    ).to_be_visible()
    return editor


def type_body(page):
    """Type the paragraphs as an editor would: Enter between them, Ctrl+B around a word."""
    editor = prose_editor(page)
    editor.click()
    first, second = PARAGRAPHS
    page.keyboard.type(first)
    page.keyboard.press("Enter")
    before, after = second.split(BOLD)
    page.keyboard.type(before)
    page.keyboard.press("Control+b")
    page.keyboard.type(BOLD)
    page.keyboard.press("Control+b")
    page.keyboard.type(after)
    expect(editor.locator("p")).to_have_text(PARAGRAPHS)
    expect(editor.locator("strong")).to_have_text(BOLD)


def choose_autocomplete(page, row, term, option):
    """Pick `option` in the admin's select2 autocomplete inside `row`: click, type, choose."""
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=option).click()
    expect(row.locator(".select2-selection__rendered")).to_contain_text(option)


def headlines_in_feed(reader):
    response = reader.request.get(reverse("articles:feed"))
    assert response.ok and response.headers["content-type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.body()).find("channel")
    return {item.findtext("title"): item for item in channel.iter("item")}


def assert_not_public(make_page, section):
    """A reader (a fresh browser, no session) finds the article nowhere yet."""
    reader = make_page()
    for path in ("/", section.get_absolute_url()):
        reader.goto(path)
        expect(reader.locator("main")).to_be_visible()
        expect(reader.get_by_text(HEADLINE)).to_have_count(0)
    assert HEADLINE not in headlines_in_feed(reader)


def test_an_editor_uploads_a_photo_writes_schedules_and_publishes_an_article(
    admin_page, make_page, newsroom, photo_file, between_requests
):
    section, author = newsroom["section"], newsroom["author"]
    editor_user = factories.UserFactory(
        username="editor", groups=["Editor"], password=EDITOR_PASSWORD
    )
    page = admin_page("editor", EDITOR_PASSWORD)

    # The photo: uploaded through the admin's form, re-encoded, with its renditions.
    page.goto(reverse("admin:articles_photo_add"))
    page.get_by_label("Image").set_input_files(photo_file)
    page.get_by_label("Alt text").fill(ALT_TEXT)
    page.get_by_label("Caption").fill(CAPTION)
    page.get_by_label("Credit").fill(CREDIT)
    # Re-encoding makes 26 renditions and crops: seconds on a busy test machine.
    page.set_default_navigation_timeout(60_000)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    thumbnail = page.locator(".field-thumbnail img")
    expect(thumbnail).to_have_attribute("alt", ALT_TEXT)
    assert thumbnail.evaluate(LOADED)
    expect(page.locator(".field-rendition_list")).to_contain_text("JPEG 1600×900")
    expect(page.locator(".field-rendition_list")).to_contain_text("WEBP 480×270")
    photo = Photo.objects.get()
    assert (photo.width, photo.height, photo.created_by) == (1600, 900, editor_user)

    # The article, scheduled for tomorrow morning.
    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Headline").press_sequentially(HEADLINE)
    expect(page.get_by_label("Slug")).to_have_value(SLUG)  # the admin's prepopulate script
    page.get_by_label("Standfirst").fill(STANDFIRST)
    type_body(page)
    choose_autocomplete(page, page.locator(".form-row.field-hero_photo"), "refit", CAPTION)
    page.get_by_label("Section").select_option(label=section.name)
    choose_autocomplete(page, page.locator("#bylines-group tr.form-row").first, "Ada", author.name)
    page.get_by_label("Status").select_option(label="Published")
    at = timezone.localtime() + timedelta(days=1)
    publish_row = page.locator(".form-row.field-published_at")
    publish_row.locator("input[name=published_at_0]").fill(at.strftime("%Y-%m-%d"))
    publish_row.locator("input[name=published_at_1]").fill("09:30:00")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    row = page.locator("#result_list tbody tr", has_text=HEADLINE)
    expect(row.locator(".field-status_label")).to_have_text("Scheduled")
    article = Article.objects.get()
    assert article.slug == SLUG
    assert article.standfirst == STANDFIRST
    assert article.body == (
        f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1].replace(BOLD, f'<strong>{BOLD}</strong>')}</p>"
    )
    assert article.section == section and article.byline_authors == [author]
    assert article.hero_photo == photo and article.created_by == editor_user
    assert article.is_scheduled
    assert (
        f"{timezone.localtime(article.published_at):%Y-%m-%d %H:%M:%S}" == f"{at:%Y-%m-%d} 09:30:00"
    )
    assert_not_public(make_page, section)
    # Nor is the article's own page.
    assert make_page().goto(article.get_absolute_url()).status == 404

    # Published now, from the list.
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Publish selected articles now")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 article published.")
    expect(row.locator(".field-status_label")).to_have_text("Published")
    with between_requests:  # the readers' pages are still open
        article.refresh_from_db()
    assert article.is_public
    assert article.published_at > timezone.now() - timedelta(minutes=1)

    reader = make_page()
    reader.goto("/")
    reader.get_by_role("link", name=HEADLINE).first.click()
    expect(reader).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(reader.locator("h1")).to_have_text(HEADLINE)
    expect(reader.locator("article strong")).to_have_text(BOLD)
    hero = reader.get_by_role("img", name=ALT_TEXT).first
    expect(hero).to_be_visible()
    assert hero.evaluate(LOADED)
    reader.goto(section.get_absolute_url())
    expect(reader.get_by_role("link", name=HEADLINE)).to_have_count(1)

    item = headlines_in_feed(reader)[HEADLINE]
    assert item.findtext("link").endswith(article.get_absolute_url())
    assert item.findtext("description") == STANDFIRST
    assert item.findtext("category") == section.name
    assert item.findtext(f"{{{DUBLIN_CORE}}}creator") == author.name


def test_a_reporter_who_chooses_published_gets_the_form_back_with_their_text(admin_page, newsroom):
    factories.UserFactory(username="reporter", groups=["Reporter"], password=REPORTER_PASSWORD)
    page = admin_page("reporter", REPORTER_PASSWORD)

    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Headline").press_sequentially(HEADLINE)
    page.get_by_label("Standfirst").fill(STANDFIRST)
    type_body(page)
    page.get_by_label("Section").select_option(label=newsroom["section"].name)
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()

    status_row = page.locator(".form-row.field-status")
    expect(status_row.locator(".errorlist")).to_contain_text("Only editors can publish")
    expect(page.get_by_label("Headline")).to_have_value(HEADLINE)
    expect(page.get_by_label("Slug")).to_have_value(SLUG)
    expect(page.get_by_label("Standfirst")).to_have_value(STANDFIRST)
    editor = prose_editor(page)
    expect(editor.locator("p")).to_have_text(PARAGRAPHS)
    expect(editor.locator("strong")).to_have_text(BOLD)
    expect(page.get_by_label("Section")).to_have_value(str(newsroom["section"].pk))
    assert not Article.objects.exists()

    # As the message suggests: in review instead, for an editor to publish.
    page.get_by_label("Status").select_option(label="In review")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW and not article.is_public
    assert article.body.startswith(f"<p>{PARAGRAPHS[0]}</p>")
    # And the list offers the reporter no way to publish either.
    actions = page.locator("select[name=action] option").all_text_contents()
    assert "Publish selected articles now" not in actions, actions
