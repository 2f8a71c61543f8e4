"""A reader comments, a moderator approves, the reader sees the comment: in Chromium,
with JavaScript and without."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import ReaderComment
from tests import factories

HEADLINE = "Harbour tunnel opens to traffic"
NAME, EMAIL = "Maya Okafor", "maya@example.org"
TEXT = "The tunnel saves me forty minutes a day. Worth every penny & every delay <3"
MODERATOR_PASSWORD = "tunnel-moderator-2025"

MESSAGES = {
    "Name": "Please enter your name here",
    "Email": "Please enter your email address here",
    "Comment": "Please enter your comment!",
}


@pytest.fixture
def article(live_server):
    section = factories.SectionFactory(name="City", slug="city")
    return factories.ArticleFactory(headline=HEADLINE, section=section)


def field(page, label):
    return page.get_by_label(label, exact=True)


def assert_errors_next_to_fields(page, messages):
    """Each message in its field's block and in the field's accessible description;
    no message on the other fields."""
    for label in MESSAGES:
        control = field(page, label)
        block = page.locator(".field", has=control)
        if label in messages:
            expect(control).to_have_attribute("aria-invalid", "true")
            expect(block.locator(".field-errors")).to_have_text(messages[label])
            expect(control).to_have_accessible_description(re.compile(re.escape(messages[label])))
        else:
            expect(block.locator(".field-errors")).to_have_count(0)


def post(page):
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()


def assert_held_for_moderation(page, article):
    expect(page).to_have_url(
        re.compile(re.escape(article.get_absolute_url()) + r"\?comment=pending")
    )
    expect(page.locator("#comment-status")).to_contain_text("awaiting moderation")
    expect(page.locator(".comment-list")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("forty minutes")
    comment = ReaderComment.objects.get()
    assert (comment.user_name, comment.user_email, comment.comment) == (NAME, EMAIL, TEXT)
    assert comment.status == ReaderComment.Status.PENDING
    assert not comment.is_public
    return comment


def test_a_reader_comments_a_moderator_approves_and_the_comment_appears(
    page, make_page, article, settings
):
    # With the server's page cache on, as in production: approving must end the cached page.
    settings.PAGE_CACHE_SECONDS = 600
    page.goto("/")
    page.get_by_role("link", name=HEADLINE).first.click()
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    # The script shows the "remember me" box only where it can work.
    expect(page.get_by_label("Save my name and email in this browser")).to_be_visible()

    post(page)
    assert_errors_next_to_fields(page, MESSAGES)
    assert not ReaderComment.objects.exists()

    field(page, "Name").fill(NAME)
    field(page, "Email").fill(EMAIL)
    field(page, "Comment").fill(TEXT)
    post(page)
    comment = assert_held_for_moderation(page, article)
    # Meanwhile the article page goes into the server's cache, without the comment.
    page.request.get(article.get_absolute_url())
    assert page.request.get(article.get_absolute_url()).headers["x-page-cache"] == "hit"

    moderator_user = factories.UserFactory(
        username="moderator", groups=["Moderator"], password=MODERATOR_PASSWORD
    )
    moderator = make_page()
    moderator.goto(reverse("admin:index"))
    moderator.get_by_label("Username").fill("moderator")
    moderator.get_by_label("Password").fill(MODERATOR_PASSWORD)
    moderator.get_by_role("button", name="Log in").click()
    # The app and its model share the name "Reader comments": the model's row.
    moderator.get_by_role("rowheader", name="Reader comments").get_by_role("link").click()
    row = moderator.locator("#result_list tbody tr", has_text="forty minutes")
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text(HEADLINE)
    row.get_by_role("checkbox").check()
    moderator.locator("select[name=action]").select_option(label="Approve selected comments")
    moderator.get_by_role("button", name="Go").click()
    expect(moderator.locator(".messagelist")).to_contain_text("1 comment approved.")

    comment.refresh_from_db()
    assert comment.status == ReaderComment.Status.PUBLIC
    assert comment.moderated_by == moderator_user

    # The reader goes back to the article and reloads it. (Just opening it again may show
    # the copy the browser keeps: public pages are cacheable for PUBLIC_CACHE_SECONDS.)
    page.goto(article.get_absolute_url())
    assert page.reload().headers["x-page-cache"] == "miss"
    shown = page.locator(f"#c{comment.pk}")
    expect(shown.locator(".comment__author")).to_have_text(NAME)
    expect(shown.locator(".comment__body")).to_have_text(TEXT)  # as typed: escaped, not markup
    expect(page.locator("#comments-heading")).to_have_text("1 comment")
    expect(page.locator("body")).not_to_contain_text(EMAIL)


def test_without_javascript_the_server_validates_and_keeps_what_was_typed(page_no_js, article):
    page = page_no_js
    page.goto(article.get_absolute_url())

    post(page)
    assert_errors_next_to_fields(page, MESSAGES)

    field(page, "Name").fill(NAME)
    field(page, "Email").fill("maya at example.org")
    post(page)
    assert_errors_next_to_fields(
        page,
        {"Email": "You have entered an incorrect email address!", "Comment": MESSAGES["Comment"]},
    )
    expect(field(page, "Name")).to_have_value(NAME)
    expect(field(page, "Email")).to_have_value("maya at example.org")
    assert not ReaderComment.objects.exists()

    field(page, "Email").fill(EMAIL)
    field(page, "Comment").fill(TEXT)
    post(page)
    assert_held_for_moderation(page, article)


def test_without_javascript_the_remember_me_box_is_not_offered(page_no_js, article):
    """Only the script can remember a name and email, so only with it is the box shown."""
    page_no_js.goto(article.get_absolute_url())
    expect(page_no_js.locator("[data-remember]")).to_be_hidden(timeout=1000)


def test_without_javascript_a_reader_pages_through_a_long_thread_and_opens_a_permalink(
    page_no_js, article, settings
):
    settings.COMMENTS_THREADS_PER_PAGE = 4
    roots = [
        factories.ReaderCommentFactory(article=article, comment=f"Thread {n} starts here.")
        for n in range(10)
    ]
    reply = factories.ReaderCommentFactory(parent=roots[6], comment="A reply deep in thread 6.")
    page = page_no_js
    thread = page.locator("#comments > .comment-list > li")

    page.goto(article.get_absolute_url())
    expect(page.locator("#comments-heading")).to_have_text("11 comments")
    expect(thread).to_have_count(4)
    expect(thread.first).to_have_attribute("id", f"c{roots[0].pk}")

    with page.expect_navigation():
        page.get_by_role("link", name="Later comments").click()
    expect(thread.first).to_have_attribute("id", f"c{roots[4].pk}")
    expect(page.locator(f"#c{reply.pk}")).to_contain_text("A reply deep in thread 6.")
    expect(page.get_by_role("link", name="Earlier comments")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Newest first").click()
    expect(thread).to_have_count(4)
    expect(thread.first).to_have_attribute("id", f"c{roots[9].pk}")
    expect(page.get_by_role("link", name="Newest first")).to_have_attribute("aria-current", "true")

    page.goto(reply.get_absolute_url())
    expect(page).to_have_url(re.compile(rf"\?comments=oldest-{roots[6].pk}#c{reply.pk}$"))
    expect(page.locator(f"#c{reply.pk}")).to_be_in_viewport()
