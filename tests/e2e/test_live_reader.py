"""Two editors post at once from the live desk, each in a browser of their own, and a
reader's open live page takes in new, edited and deleted entries without a reload: in
Chromium, with JavaScript; without it, a reload shows the latest."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from liveblog.models import LiveEntry
from tests import factories

from .test_editor_journey import log_in

POLL_TIMEOUT = 15_000  # milliseconds: two polls at the interval the tests set


@pytest.fixture
def coverage(live_server, settings):
    settings.LIVEBLOG_POLL_SECONDS = 5
    article = factories.ArticleFactory(headline="Marathon live", coverage=Article.Coverage.LIVE)
    pinned = factories.LiveEntryFactory(article=article, title="Road closures", is_pinned=True)
    first = factories.LiveEntryFactory(article=article, title="Runners gather")
    editor = factories.UserFactory(groups=["Editor"])
    return {"article": article, "pinned": pinned, "first": first, "editor": editor}


def titles(page):
    return page.locator(".live-entry__title")


@pytest.fixture
def desk(make_page, coverage):
    """The live desk of the coverage, open in a browser of its own for each editor."""
    url = reverse("admin:liveblog_desk", args=[coverage["article"].pk])

    def open_desk(user):
        page = make_page()
        log_in(page, user.username, "password")
        page.goto(url)
        return page

    return open_desk


def write_entry(desk_page, title, *, key_event=False):
    form = desk_page.locator(".live-desk__form")
    form.get_by_label("Title").fill(title)
    body = form.locator(".ProseMirror[contenteditable=true]")
    body.click()
    desk_page.keyboard.type(f"{title}, as our reporter saw it.")
    if key_event:
        form.get_by_label("Key event").check()


def test_two_editors_post_at_once_and_an_open_page_takes_in_every_change(
    make_page, coverage, desk, between_requests
):
    reader = make_page()
    reader.goto(coverage["article"].get_absolute_url())
    expect(titles(reader)).to_have_text(["Road closures", "Runners gather"])
    no_script = make_page(java_script_enabled=False)
    no_script.goto(coverage["article"].get_absolute_url())
    expect(no_script.locator(".live__status")).to_contain_text("Last updated")

    # Two editors, two browsers, one moment: both entries are kept.
    editor = desk(coverage["editor"])
    live_editor = desk(factories.UserFactory(username="live-editor", groups=["Live editor"]))
    write_entry(editor, "And they're off", key_event=True)
    write_entry(live_editor, "Leaders at 10K")
    editor.get_by_role("button", name="Publish", exact=True).click(no_wait_after=True)
    live_editor.get_by_role("button", name="Publish", exact=True).click(no_wait_after=True)
    for page in (editor, live_editor):
        expect(page.locator(".messagelist")).to_contain_text("Entry saved")
    with between_requests:
        posted = list(
            LiveEntry.objects.filter(title__in=["And they're off", "Leaders at 10K"])
            .order_by("-published_at", "-pk")
            .values_list("title", flat=True)
        )
    assert len(posted) == 2

    # The reader is offered both, and nothing moves under their eyes until they ask.
    button = reader.get_by_role("button", name="2 new updates")
    expect(button).to_be_visible(timeout=POLL_TIMEOUT)
    expect(titles(reader)).to_have_text(["Road closures", "Runners gather"])
    expect(reader.locator("[data-live-key-events]")).to_contain_text("And they're off")
    button.click()
    expect(titles(reader)).to_have_text(["Road closures", *posted, "Runners gather"])
    expect(button).to_be_hidden()
    no_script.reload()
    expect(titles(no_script)).to_have_text(["Road closures", *posted, "Runners gather"])

    # One edits an entry and the other deletes one: the open page follows, unasked.
    editor.get_by_role("row", name="And they're off").get_by_role("link", name="Edit").click()
    editor.locator(".live-desk__form").get_by_label("Title").fill("And they're off, in the rain")
    editor.get_by_role("button", name="Publish", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("Entry saved")
    live_editor.get_by_role("row", name="Leaders at 10K").get_by_role(
        "button", name="Delete"
    ).click()
    expect(live_editor.locator(".messagelist")).to_contain_text("Done")
    expected = ["Road closures", "And they're off, in the rain", "Runners gather"]
    expect(titles(reader)).to_have_text(expected, timeout=POLL_TIMEOUT)
    expect(reader.locator("[data-live-key-events]")).to_contain_text("in the rain")
    no_script.reload()
    expect(titles(no_script)).to_have_text(expected)
    expect(no_script.locator("[data-live-key-events]")).to_contain_text("in the rain")
