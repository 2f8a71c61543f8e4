"""A published version says what changed, in editors' words: stories added, removed and
moved, what cards show instead, and blocks added, removed, renamed, moved or set up
otherwise."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from fronts import services
from fronts.changes import moved_items
from fronts.models import Backfill, Kicker, Layout
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def publish(front, editor):
    return services.front_publish(front=front, by=editor).summary_lines


@pytest.fixture
def stories(db):
    return {name: ArticleFactory(headline=name) for name in ("Tram strike", "Bridge", "Ferry")}


@pytest.fixture
def curated(home_front, block, editor, stories):
    """Published: "Top stories" with Tram strike, Bridge, Ferry; "Business" below."""
    top = block("Top stories", max_cards=4)
    for story in stories.values():
        services.card_add(container=top, article=story, by=editor)
    block("Business", layout=Layout.GRID_4, max_cards=4)
    publish(home_front, editor)
    return top


def card(container, headline):
    return container.cards.get(article__headline=headline)


def test_the_first_version_says_what_it_holds(home_front, block, editor, stories):
    top = block("Top stories")
    services.card_add(container=top, article=stories["Bridge"], by=editor)
    assert publish(home_front, editor) == [
        "first version: 1 block, 1 picked",
        "picked “Bridge” for Top stories",
    ]


def test_a_story_moved_is_the_one_move_not_every_story_it_passed(curated, home_front, editor):
    services.card_move(card=card(curated, "Ferry"), to=0, by=editor)
    assert publish(home_front, editor) == ["“Ferry” moved up to 1st in Top stories"]


def test_stories_added_removed_and_moved_between_blocks(curated, home_front, editor):
    business = home_front.containers.get(title="Business")
    services.card_remove(card=card(curated, "Bridge"), by=editor)
    ferry = card(curated, "Ferry")
    ferry.container = business
    ferry.save()
    services.card_add(container=curated, article=ArticleFactory(headline="Flood"), by=editor)
    assert publish(home_front, editor) == [
        "added “Flood” to Top stories",
        "removed “Bridge” from Top stories",
        "“Ferry” moved from Top stories to Business",
    ]


def test_overrides_are_named_with_the_story_they_are_on(curated, home_front, editor):
    bridge = card(curated, "Bridge")
    bridge.kicker = Kicker.BREAKING
    bridge.headline = "Bridge shut after crack found"
    bridge.photo = PhotoFactory()
    services.card_update(card=bridge, by=editor)
    tram = card(curated, "Tram strike")
    tram.standfirst = "Talks resume"
    services.card_update(card=tram, by=editor)
    assert publish(home_front, editor) == [
        "standfirst changed on “Tram strike”",
        "kicker 'Breaking' on “Bridge”",
        "headline “Bridge shut after crack found” on “Bridge”",
        "photo changed on “Bridge”",
    ]
    bridge.kicker, bridge.headline = Kicker.NONE, ""
    services.card_update(card=bridge, by=editor)
    assert publish(home_front, editor) == [
        "kicker 'Breaking' taken off “Bridge”",
        "“Bridge” shows its own headline again",
    ]


def test_blocks_added_removed_renamed_and_moved(curated, home_front, block, editor):
    business = home_front.containers.get(title="Business")
    business.title = "Money"
    services.container_update(container=business, by=editor)
    services.container_move(container=business, to=0, by=editor)
    block("Opinion")
    assert publish(home_front, editor) == [
        "block “Opinion” added",
        "block “Business” renamed “Money”",
        "block “Money” moved up to 1st",
    ]
    services.container_remove(container=home_front.containers.get(title="Opinion"), by=editor)
    assert publish(home_front, editor) == ["block “Opinion” removed"]


def test_a_blocks_layout_size_and_backfill_changes(curated, home_front, editor):
    business = home_front.containers.get(title="Business")
    business.layout, business.max_cards = Layout.GRID_3, 6
    business.backfill, business.backfill_section = Backfill.SECTION, SectionFactory(name="Money")
    services.container_update(container=business, by=editor)
    assert publish(home_front, editor) == [
        "“Business”: grid of 3 (was grid of 4), up to 6 stories (was 4), "
        "backfill latest in Money (was latest stories)"
    ]
    business.backfill, business.backfill_section = Backfill.TAG, None
    business.backfill_tag = TagFactory(name="Housing")
    services.container_update(container=business, by=editor)
    assert publish(home_front, editor) == [
        "“Business”: backfill latest tagged Housing (was latest in Money)"
    ]


def test_publishing_again_unchanged_says_so(curated, home_front, editor):
    assert publish(home_front, editor) == ["no change from the version before"]


def test_a_restored_version_is_matched_block_by_block(curated, home_front, editor):
    first = home_front.versions.get()
    services.card_remove(card=card(curated, "Ferry"), by=editor)
    publish(home_front, editor)
    services.front_version_restore(version=first, by=editor)  # its blocks are new rows
    assert publish(home_front, editor) == ["added “Ferry” to Top stories"]


def test_a_long_summary_ends_with_how_many_more_changes(curated, home_front, block, editor):
    for number in range(15):
        block(f"Block {number}")
    lines = publish(home_front, editor)
    assert len(lines) == 12
    assert lines[:2] == ["block “Block 0” added", "block “Block 1” added"]
    assert lines[-1] == "and 4 more changes"


def test_the_version_history_lists_each_change(editor_client, curated, home_front, editor):
    services.card_move(card=card(curated, "Ferry"), to=0, by=editor)
    publish(home_front, editor)
    html = editor_client.get(reverse("admin:fronts_front_editor", args=[home_front.pk]))
    html = html.content.decode()
    assert "by editor" in html
    assert "<li>“Ferry” moved up to 1st in Top stories</li>" in html


@given(st.permutations(range(8)))
def test_a_reorder_names_the_fewest_moves_that_make_it(order):
    moved = moved_items(list(range(8)), list(order))
    # Taking the moved items out leaves the rest in their old order, and no fewer would.
    kept = [item for item in order if item not in moved]
    assert kept == sorted(kept)
    assert len(kept) == longest_increasing(list(order))


def longest_increasing(sequence):
    """The length of the longest increasing subsequence, the slow and obvious way."""
    best = [1] * len(sequence)
    for i in range(len(sequence)):
        for j in range(i):
            if sequence[j] < sequence[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)
