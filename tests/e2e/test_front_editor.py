"""A front editor curates the home page in Chromium: moves B above A (drag and drop),
overrides B's headline, saves a draft readers do not see, publishes it, and readers see
it through the page cache; newer stories flow below the pins; no story twice; the
Up/Down buttons reorder with the keyboard and without JavaScript."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Section
from fronts import services
from fronts.models import Backfill, Card, Container, Front, Layout
from tests import factories
from tests.e2e.test_editor_journey import log_in

NEW_HEADLINE = "Quay Street bridge to reopen on Monday, a week early"


@pytest.fixture
def front(live_server, settings):
    """A published home front: A then B picked in "Top stories", then the latest."""
    settings.PAGE_CACHE_SECONDS = 600
    section = factories.SectionFactory(name="City", slug="city")
    now = timezone.now()
    b = factories.ArticleFactory(headline="Story B: bridge repairs", section=section,
                                 published_at=now - timedelta(hours=3))  # fmt: skip
    a = factories.ArticleFactory(headline="Story A: tram strike", section=section,
                                 published_at=now - timedelta(hours=2))  # fmt: skip
    factories.ArticleFactory(headline="Story O: older", section=section,
                             published_at=now - timedelta(hours=9))  # fmt: skip
    home = Front.objects.create(section=None)
    top = Container.objects.create(front=home, title="Top stories", layout=Layout.LEAD,
                                   max_cards=3, backfill=Backfill.LATEST)  # fmt: skip
    for position, story in enumerate([a, b]):
        Card.objects.create(container=top, front=home, article=story, position=position)
    services.front_publish(front=home, by=None)
    factories.UserFactory(username="frontdesk", groups=["Front editor"])
    return home


def public_headlines(make_page):
    page = make_page(java_script_enabled=False)
    response = page.goto("/")
    headlines = page.locator("main .card__headline a").all_inner_texts()
    return headlines, response.headers.get("x-page-cache")


def editor_headlines(page):
    return page.locator(".front-editor__card .card__headline a").all_inner_texts()


def test_an_editor_curates_and_publishes_the_home_front(make_page, front, between_requests):
    before, _ = public_headlines(make_page)
    assert before[:3] == ["Story A: tram strike", "Story B: bridge repairs", "Story O: older"]
    assert public_headlines(make_page)[1] == "hit"

    page = make_page()
    log_in(page, "frontdesk", "password")
    page.goto(reverse("admin:fronts_front_editor", args=[front.pk]))
    cards = page.locator(".front-editor__card")
    cards.nth(1).drag_to(cards.nth(0))
    expect(page.locator(".messagelist")).to_contain_text("Moved")
    assert editor_headlines(page) == ["Story B: bridge repairs", "Story A: tram strike"]

    card_b = page.locator(".front-editor__card").first
    card_b.get_by_text("Change what the card shows").click()
    card_b.get_by_label("Headline").fill(NEW_HEADLINE)
    card_b.get_by_label("Kicker").select_option("Exclusive")
    card_b.get_by_role("button", name="Save to the draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved")
    assert editor_headlines(page)[0] == NEW_HEADLINE

    draft, cache = public_headlines(make_page)
    assert draft == before and cache == "hit", "a draft changes nothing readers see"

    page.get_by_role("button", name="Publish the draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")
    expect(page.locator(".front-editor__versions li").first).to_contain_text("frontdesk")

    published, cache = public_headlines(make_page)
    assert cache == "miss"
    assert published[:3] == [NEW_HEADLINE, "Story A: tram strike", "Story O: older"]
    assert public_headlines(make_page)[1] == "hit"

    # A newer story flows into the backfill, below the pins; no story appears twice.
    with between_requests:
        factories.ArticleFactory(headline="Story N: newest", section=Section.objects.get())
    newest, _ = public_headlines(make_page)
    assert newest[:3] == [NEW_HEADLINE, "Story A: tram strike", "Story N: newest"]
    assert len(newest) == len(set(newest))


def test_the_up_and_down_buttons_work_with_the_keyboard_and_no_javascript(make_page, front):
    page = make_page(java_script_enabled=False)
    log_in(page, "frontdesk", "password")
    page.goto(reverse("admin:fronts_front_editor", args=[front.pk]))
    assert editor_headlines(page) == ["Story A: tram strike", "Story B: bridge repairs"]
    page.get_by_role("button", name="Move “Story A: tram strike” down").focus()
    # Each press posts a form and comes back to the editor with a message: waited for as
    # a navigation, as the message of the move before is still on the page until then.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Moved")
    assert editor_headlines(page) == ["Story B: bridge repairs", "Story A: tram strike"]
    page.get_by_role("button", name="Move “Story A: tram strike” up").focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator(".messagelist")).to_contain_text("Moved")
    assert editor_headlines(page) == ["Story A: tram strike", "Story B: bridge repairs"]


def editor_blocks(page):
    return page.locator(".front-editor__block-title").all_inner_texts()


def public_blocks(make_page):
    page = make_page(java_script_enabled=False)
    page.goto("/")
    return page.locator("main section.front-block h2").all_text_contents()


@pytest.fixture
def two_blocks(front):
    """Below "Top stories", a "City" block backfilled from the City section, with two
    older stories for it."""
    for hours in (10, 11):
        factories.ArticleFactory(headline=f"Story {hours}", section=Section.objects.get(),
                                 published_at=timezone.now() - timedelta(hours=hours))  # fmt: skip
    Container.objects.create(front=front, title="City", layout=Layout.GRID_4, max_cards=4,
                             backfill=Backfill.SECTION, backfill_section=Section.objects.get(),
                             position=1)  # fmt: skip
    services.front_publish(front=front, by=None)
    return front


def test_an_editor_drags_a_block_above_another_and_publishes_it(make_page, two_blocks):
    page = make_page()
    log_in(page, "frontdesk", "password")
    page.goto(reverse("admin:fronts_front_editor", args=[two_blocks.pk]))
    assert editor_blocks(page) == ["Top stories", "City"]
    heads = page.locator(".front-editor__block-head")
    heads.nth(1).drag_to(heads.nth(0))
    expect(page.locator(".messagelist")).to_contain_text("Block moved: City")
    assert editor_blocks(page) == ["City", "Top stories"]
    # The cards still move within their block, not into another.
    expect(page.locator(".front-editor__card")).to_have_count(2)

    before = public_blocks(make_page)
    page.get_by_role("button", name="Publish the draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")
    expect(page.locator(".front-editor__versions li").first).to_contain_text(
        "block “City” moved up to 1st"
    )
    after = public_blocks(make_page)
    assert before.index("Top stories") < before.index("City")
    assert after.index("City") < after.index("Top stories")


def test_blocks_are_added_and_reordered_with_the_keyboard_and_no_javascript(make_page, two_blocks):
    page = make_page(java_script_enabled=False)
    log_in(page, "frontdesk", "password")
    page.goto(reverse("admin:fronts_front_editor", args=[two_blocks.pk]))
    page.get_by_role("button", name="Move block “Top stories” down").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Block moved: Top stories")
    assert editor_blocks(page) == ["City", "Top stories"]

    page.locator("#add-block summary").click()
    page.get_by_label("Title").last.fill("Opinion")
    page.get_by_label("Layout").last.select_option("List")
    page.get_by_label("Up to").last.fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the block to the draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Block added: Opinion")
    assert editor_blocks(page) == ["City", "Top stories", "Opinion"]

    page.get_by_role("button", name="Move block “Opinion” up").focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator(".messagelist")).to_contain_text("Block moved: Opinion")
    assert editor_blocks(page) == ["City", "Opinion", "Top stories"]

    with page.expect_navigation():
        page.get_by_role("button", name="Remove block “City”").click()
    expect(page.locator(".messagelist")).to_contain_text("Block removed: City")
    assert editor_blocks(page) == ["Opinion", "Top stories"]
