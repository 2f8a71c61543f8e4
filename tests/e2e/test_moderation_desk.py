"""The moderation desk in Chromium: a moderator changes the rules in the admin, with no
deploy, previews what the change would do, and the next reader's comment meets it; bans
set in the admin stop a commenter, lapse when they end, and "ban and remove" takes their
comments off the public pages."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments import services
from comments.counts import counts_url
from comments.models import (
    CommentBan,
    CommentPolicy,
    ModerationRules,
    Premoderation,
    ReaderComment,
)
from tests import factories
from tests.comments.pages import parse

PASSWORD = "desk-moderator-2026"
QUEUE_URL = reverse("admin:comments_readercomment_changelist") + "?status__exact=pending"


@pytest.fixture
def article(live_server):
    section = factories.SectionFactory(name="Business", slug="business")
    return factories.ArticleFactory(headline="Exchange opens a new floor", section=section)


def logged_in_moderator(make_page):
    factories.UserFactory(username="moderator", groups=["Moderator"], password=PASSWORD)
    moderator = make_page()
    moderator.goto(reverse("admin:index"))
    moderator.get_by_label("Username").fill("moderator")
    moderator.get_by_label("Password").fill(PASSWORD)
    moderator.get_by_role("button", name="Log in").click()
    return moderator


def test_a_moderator_adds_a_hold_word_and_the_next_such_comment_is_held_with_that_reason(
    page, make_page, article, between_requests
):
    ModerationRules.objects.filter(pk=1).update(premoderation=Premoderation.NONE)
    earlier = factories.ReaderCommentFactory(
        article=article, comment="Crypto will pay for the new floor", user_email="bo@example.org"
    )
    moderator = logged_in_moderator(make_page)

    moderator.get_by_role("link", name="Moderation rules").first.click()
    moderator.get_by_label("Hold words").fill("crypto")
    moderator.get_by_role("button", name="Preview the effect").click()
    held = moderator.locator("table.dry-run[data-effect=held]")
    expect(held).to_contain_text("Crypto will pay for the new floor")
    expect(held).to_contain_text("listed word: crypto")
    with between_requests:
        assert ModerationRules.objects.get().hold_words == ""  # a preview saves nothing
    moderator.get_by_role("button", name="Save these rules").click()
    expect(moderator.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(article.get_absolute_url())
    page.get_by_label("Name", exact=True).fill("Rosa")
    page.get_by_label("Email", exact=True).fill("rosa@example.org")
    page.get_by_label("Comment", exact=True).fill("Is this floor paid for in CRYPTO?")
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"\?comment=pending"))
    expect(page.locator("#comment-status")).to_contain_text("awaiting moderation")

    moderator.goto(reverse("admin:comments_readercomment_changelist"))
    row = moderator.locator("#result_list tbody tr", has_text="paid for in CRYPTO")
    expect(row.locator(".field-why")).to_have_text("listed word: crypto")
    with between_requests:
        comment = ReaderComment.objects.exclude(pk=earlier.pk).get()
    assert comment.status == ReaderComment.Status.PENDING


def post_comment(page, article, *, email, text):
    page.goto(article.get_absolute_url())
    page.get_by_label("Name", exact=True).fill("Reader")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Comment", exact=True).fill(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(r"\?comment=pending"))
    expect(page.locator("#comment-status")).to_contain_text("awaiting moderation")


def test_a_moderator_previews_closing_a_section_then_its_stories_take_no_comment(
    page, make_page, article, between_requests
):
    ModerationRules.objects.filter(pk=1).update(premoderation=Premoderation.NONE)
    factories.ReaderCommentFactory(
        article=article, comment="The old floor was better", user_email="bo@example.org"
    )
    moderator = logged_in_moderator(make_page)

    moderator.goto(reverse("admin:comments_commentpolicy_add"))
    moderator.locator("#id_section").select_option(label="Business")
    moderator.locator("#id_comments").select_option("closed")
    moderator.get_by_role("button", name="Preview the effect").click()
    refused = moderator.locator("table.dry-run[data-effect=refused]")
    expect(refused).to_contain_text("The old floor was better")
    expect(refused).to_contain_text("comments closed")
    with between_requests:
        assert not CommentPolicy.objects.exists()  # a preview saves nothing
    moderator.get_by_role("button", name="Save these rules").click()
    expect(moderator.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(article.get_absolute_url())
    expect(page.locator("#comments")).to_contain_text("Comments are closed.")
    expect(page.get_by_label("Comment", exact=True)).to_have_count(0)


def test_a_seven_day_email_ban_stops_that_address_and_lapses_on_day_eight(
    page, make_page, article, between_requests
):
    ModerationRules.objects.filter(pk=1).update(premoderation=Premoderation.ALL)
    start = timezone.now()
    ends = timezone.localtime(start + timedelta(days=7))
    moderator = logged_in_moderator(make_page)

    moderator.goto(reverse("admin:comments_commentban_add"))
    moderator.get_by_label("Kind").select_option(CommentBan.Kind.EMAIL)
    moderator.get_by_label("Value").fill("Troll@Example.org")
    moderator.get_by_label("Reason").fill("Threats in three threads")
    moderator.locator("#id_ends_at_0").fill(ends.strftime("%Y-%m-%d"))
    moderator.locator("#id_ends_at_1").fill(ends.strftime("%H:%M:%S"))
    moderator.get_by_role("button", name="Save", exact=True).click()
    expect(moderator.locator(".messagelist")).to_contain_text("was added successfully")
    with between_requests:
        ban = CommentBan.objects.select_related("created_by").get()
    assert (ban.value, ban.created_by.username) == ("troll@example.org", "moderator")
    assert timedelta(days=6, hours=23) < ban.ends_at - start <= timedelta(days=7)

    # Answered as if held, so that a banned commenter learns nothing; nothing stored.
    post_comment(page, article, email="troll@example.org", text="You will all regret this")
    with between_requests:
        assert not ReaderComment.objects.exists()

    # The live server runs in a thread of this process: it sees the same clock.
    with time_machine.travel(start + timedelta(days=8)):
        post_comment(page, article, email="troll@example.org", text="Sorry, I was angry")
        moderator.goto(QUEUE_URL)
        expect(moderator.locator("#result_list tbody tr")).to_contain_text("Sorry, I was angry")
        with between_requests:
            comment = ReaderComment.objects.get()
    assert (comment.user_email, comment.status) == (
        "troll@example.org",
        ReaderComment.Status.PENDING,
    )


def test_ban_and_remove_clears_the_commenters_public_comments_and_recounts(
    client, make_page, article, between_requests, settings
):
    # Pages and comment lists cached as in production: only the purge can refresh them.
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 600
    other = factories.ArticleFactory(
        headline="Kestrel Bay brewery takes over the old mill", section=article.section
    )
    trolls = [
        factories.ReaderCommentFactory(article=story, user_email=email, comment=text)
        for story, email, text in [
            (article, "troll@example.org", "This floor is a scam for fools"),
            (other, "TROLL@example.org", "Nobody drinks this swill"),
        ]
    ]
    kept = factories.ReaderCommentFactory(
        article=article, user_email="rosa@example.org", comment="Good luck to the traders"
    )
    for story in (article, other):
        services.article_comment_count_refresh(article_id=story.pk)
    # Each page is in the page cache before the moderator acts.
    assert public_pages(client, article, other, between_requests) == {
        "cards": ["1 comment", "2 comments"],
        article.pk: ("2 comments", sorted([trolls[0].comment, kept.comment])),
        other.pk: ("1 comment", [trolls[1].comment]),
    }
    moderator = logged_in_moderator(make_page)

    moderator.goto(reverse("admin:comments_readercomment_changelist"))
    row = moderator.locator("#result_list tbody tr", has_text=trolls[0].comment)
    row.locator("input.action-select").check()
    moderator.locator("select[name=action]").select_option("ban_and_remove")
    moderator.get_by_role("button", name="Go").click()
    expect(moderator.locator("#commenters")).to_have_text("troll@example.org: 2 comments removed")
    moderator.get_by_label("Reason").fill("Abuse on two stories")
    moderator.get_by_label("Ban for (days)").fill("30")
    moderator.get_by_role("button", name="Yes, ban and remove").click()
    expect(moderator.locator(".messagelist")).to_contain_text(
        "Banned troll@example.org; 2 comment(s) removed."
    )

    assert public_pages(client, article, other, between_requests) == {
        "cards": ["1 comment"],
        article.pk: ("1 comment", [kept.comment]),
        other.pk: ("Comments", []),
    }
    with between_requests:
        assert set(ReaderComment.objects.values_list("pk", "status")) == {
            (trolls[0].pk, ReaderComment.Status.REMOVED),
            (trolls[1].pk, ReaderComment.Status.REMOVED),
            (kept.pk, ReaderComment.Status.PUBLIC),
        }
        assert CommentBan.objects.get().value == "troll@example.org"


def public_pages(client, article, other, between_requests):
    """What readers see, through the page cache: the comment counts on the stories' cards
    (from their block's counts, which the cards are brought up to date with), and each
    story's comments heading and comment texts."""
    blocks = {counts_url(article.pk), counts_url(other.pk)}
    with between_requests:
        pages = {
            **{url: client.get(url) for url in blocks},
            **{story.pk: client.get(story.get_absolute_url()) for story in (article, other)},
        }
    assert {response.status_code for response in pages.values()} == {200}
    counts = {}
    for url in blocks:
        counts |= pages.pop(url).json()["counts"]
    shown = [counts[str(story.pk)] for story in (article, other) if str(story.pk) in counts]
    seen = {"cards": sorted(f"{n} comment{pluralize(n)}" for n in shown)}
    for pk, response in pages.items():
        document = parse(response)
        seen[pk] = (
            document.find("h2", id="comments-heading").text(),
            sorted(body.text().strip() for body in document.find_all("div", cls="comment__body")),
        )
    return seen
