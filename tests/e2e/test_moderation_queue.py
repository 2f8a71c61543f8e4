"""The moderators' queue in Chromium: cards that fit the screen with their buttons, and a
moderator who decides on three comments with the keyboard alone, each step then in the
moderation log with who and when."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments import services
from comments.models import ModerationEvent, ReaderComment
from tests import factories

PASSWORD = "queue-moderator-2026"
QUEUE_URL = reverse("admin:comments_readercomment_changelist") + "?status__exact=pending"
SHORT_COMMENTS = [
    "The ferry timetable still says the old times.",
    "Good news for the harbour cafes.",
    "Who pays for the new pontoon?",
    "My street floods every spring; nothing in here about it.",
    "Finally a crossing that runs after ten.",
    "Is the night bus staying too?",
    "Thanks for the map, it helps.",
    "The council said the same in 2019.",
    "Any word on the lighthouse repairs?",
    "Bring back the Sunday market.",
]


@pytest.fixture
def stories(live_server):
    section = factories.SectionFactory(name="Port Alder", slug="port-alder")
    return [
        factories.ArticleFactory(
            headline="Kestrel Bay ferry gets a night service", section=section
        ),
        factories.ArticleFactory(headline="Harbour wall repairs start in March", section=section),
    ]


def held(article, text, *, email, minutes_ago, parent=None):
    """A reader's comment as a post leaves it: held by the rules, with why."""
    comment, _verdict = services.comment_create(
        article=article, name=email.split("@")[0].title(), email=email, text=text,
        parent=parent, ip_address="203.0.113.9",
    )  # fmt: skip
    ReaderComment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return comment


def logged_in_moderator(make_page, viewport):
    factories.UserFactory(username="moderator", groups=["Moderator"], password=PASSWORD)
    moderator = make_page(viewport=viewport)
    moderator.goto(reverse("admin:index"))
    moderator.get_by_label("Username").fill("moderator")
    moderator.get_by_label("Password").fill(PASSWORD)
    moderator.get_by_role("button", name="Log in").click()
    return moderator


def fully_visible_cards(page):
    """How many cards lie wholly in the viewport, and the rightmost edge of any decision
    button, as the browser lays them out."""
    return page.evaluate(
        """() => {
            const rows = [...document.querySelectorAll("#result_list tbody tr")];
            const inView = rows.filter((row) => {
                const box = row.getBoundingClientRect();
                return box.top >= 0 && box.bottom <= window.innerHeight;
            });
            const buttons = [...document.querySelectorAll("td.field-decide button")];
            return {
                cards: inView.length,
                rightmost: Math.max(...buttons.map((b) => b.getBoundingClientRect().right)),
                buttons: buttons.length,
                scrollWidth: document.documentElement.scrollWidth,
            };
        }"""
    )


def test_at_1280_px_eight_short_comments_fit_a_screen_with_every_button_in_view(make_page, stories):
    parent = factories.ReaderCommentFactory(
        article=stories[0], user_name="Ines Marlow", comment="Will it stop at Gull Point?"
    )
    # Stored in the order they arrived, as comments are: the first has waited longest
    # (the queue reads the oldest by key, ReaderCommentQuerySet.oldest_pending).
    for index, text in enumerate(SHORT_COMMENTS):
        held(
            stories[index % 2], text, email=f"reader{index}@example.org",
            minutes_ago=len(SHORT_COMMENTS) - 1 - index, parent=parent if index == 2 else None,
        )  # fmt: skip
    moderator = logged_in_moderator(make_page, {"width": 1280, "height": 800})

    moderator.goto(QUEUE_URL)

    expect(moderator.locator("#result_list tbody tr")).to_have_count(10)
    layout = fully_visible_cards(moderator)
    assert layout["cards"] >= 8, layout
    assert layout["buttons"] == 30  # approve, reject, spam on each pending card
    assert layout["rightmost"] <= 1280, layout
    assert layout["scrollWidth"] <= 1280, layout  # no sideways scrolling
    reply = moderator.locator("#result_list tbody tr", has_text=SHORT_COMMENTS[2])
    expect(reply.locator(".field-in_reply_to")).to_contain_text("Will it stop at Gull Point?")
    expect(reply.locator(".field-article_link")).to_have_text(stories[0].headline)
    expect(moderator.locator(".queue-summary__oldest")).to_contain_text("the oldest has waited 9")


def test_a_moderator_decides_three_comments_with_the_keyboard_alone_and_the_log_shows_each(
    make_page, stories, between_requests
):
    oldest = held(stories[0], "First to decide: approve me.", email="a@example.org", minutes_ago=3)
    middle = held(stories[1], "Second: reject me.", email="b@example.org", minutes_ago=2)
    newest = held(stories[0], "Third: this is spam.", email="c@example.org", minutes_ago=1)
    moderator = logged_in_moderator(make_page, {"width": 1280, "height": 800})
    moderator.goto(QUEUE_URL + "&o=1")  # oldest first

    moderator.keyboard.press("?")
    expect(moderator.locator("#queue-help")).to_be_visible()
    moderator.keyboard.press("Escape")
    expect(moderator.locator("#queue-help")).to_be_hidden()

    moderator.keyboard.press("j")
    focused = moderator.locator(".queue-card:focus")
    expect(focused).to_contain_text("First to decide")
    ring = focused.evaluate("card => getComputedStyle(card).outlineWidth")
    assert float(ring.removesuffix("px")) >= 2  # the focus is visible
    moderator.keyboard.press("x")  # selected for a bulk action, and counted as such
    expect(moderator.locator(".action-counter")).to_contain_text("1 of 3 selected")
    moderator.keyboard.press("x")
    moderator.keyboard.press("a")
    expect(moderator.locator(".messagelist")).to_contain_text("1 comment approved.")
    # Back at the same place in the queue: now the next comment.
    expect(moderator.locator(".queue-card:focus")).to_contain_text("Second: reject me.")
    moderator.keyboard.press("r")
    expect(moderator.locator(".messagelist")).to_contain_text("1 comment removed.")
    expect(moderator.locator(".queue-card:focus")).to_contain_text("Third: this is spam.")
    moderator.keyboard.press("s")
    expect(moderator.locator(".messagelist")).to_contain_text("1 comment marked as spam.")
    expect(moderator.locator("#result_list tbody tr")).to_have_count(0)

    with between_requests:
        statuses = {c.pk: c.status for c in ReaderComment.objects.all()}
    assert statuses == {
        oldest.pk: ReaderComment.Status.PUBLIC,
        middle.pk: ReaderComment.Status.REMOVED,
        newest.pk: ReaderComment.Status.SPAM,
    }

    moderator.goto(reverse("admin:comments_moderationevent_changelist"))
    rows = moderator.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    for row_index, (action, text) in enumerate(
        [("Mark as spam", "Third"), ("Reject", "Second"), ("Approve", "First")]
    ):
        row = rows.nth(row_index)
        expect(row.locator("td.field-action")).to_have_text(action)
        expect(row.locator("td.field-by")).to_have_text("moderator")
        expect(row.locator("td.field-target_repr")).to_contain_text(text)
        expect(row.locator(".field-at")).not_to_be_empty()
    with between_requests:
        events = list(ModerationEvent.objects.order_by("at"))
    assert [(e.action, e.by.username) for e in events] == [
        ("approve", "moderator"),
        ("reject", "moderator"),
        ("spam", "moderator"),
    ]
