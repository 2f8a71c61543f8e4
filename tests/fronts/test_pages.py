"""What a front shows: picks in order, then backfill; each story once; overrides."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from fronts import services
from fronts.models import Backfill, Kicker
from fronts.pages import assemble, draft_layout
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def shown(front):
    return [
        [card.article.headline for card in container.cards]
        for container in assemble(draft_layout(front)).containers
    ]


def test_picks_come_first_in_the_editors_order_then_the_backfill(home_front, block, editor):
    a = ArticleFactory(headline="A", published_at=hours_ago(3))
    b = ArticleFactory(headline="B", published_at=hours_ago(2))
    ArticleFactory(headline="C", published_at=hours_ago(1))
    top = block(max_cards=3)
    services.card_add(container=top, article=a, by=editor)
    services.card_add(container=top, article=b, by=editor)
    assert shown(home_front) == [["A", "B", "C"]]
    card_b = top.cards.get(article=b)
    services.card_move(card=card_b, to=0, by=editor)
    assert shown(home_front) == [["B", "A", "C"]]


def test_a_newer_story_flows_into_the_backfill_below_a_pin(home_front, block, editor):
    pinned = ArticleFactory(headline="Pinned", published_at=hours_ago(5))
    top = block(max_cards=2)
    services.card_add(container=top, article=pinned, by=editor)
    ArticleFactory(headline="Newer", published_at=hours_ago(1))
    ArticleFactory(headline="Newest", published_at=hours_ago(0.5))
    assert shown(home_front) == [["Pinned", "Newest"]]


def test_no_story_appears_twice_on_a_front(home_front, block, editor):
    city = SectionFactory(name="City")
    stories = [ArticleFactory(section=city, headline=f"S{i}", published_at=hours_ago(10 - i))
               for i in range(8)]  # fmt: skip
    block("Top", max_cards=3)
    block("City", backfill=Backfill.SECTION, backfill_section=city, max_cards=4)
    latest = block("Latest", max_cards=4)
    services.card_add(container=latest, article=stories[7], by=editor)  # the newest, lower down
    blocks = shown(home_front)
    every = [headline for block_ in blocks for headline in block_]
    assert len(every) == len(set(every)) == 8
    assert blocks[0] == ["S6", "S5", "S4"]  # the pick below is left out of the backfill above
    assert blocks[2][0] == "S7"


def test_overrides_change_the_card_not_the_story(home_front, block, editor):
    story = ArticleFactory(headline="Council meets", standfirst="Own standfirst")
    photo = PhotoFactory()
    card = services.card_add(container=block(), article=story, by=editor)
    card.headline, card.standfirst, card.photo, card.kicker = (
        "Vote tonight",
        "New",
        photo,
        Kicker.LIVE,
    )
    services.card_update(card=card, by=editor)
    shown_card = assemble(draft_layout(home_front)).containers[0].cards[0]
    assert (shown_card.headline, shown_card.standfirst, shown_card.photo, shown_card.kicker) == (
        "Vote tonight", "New", photo, "Live",
    )  # fmt: skip
    story.refresh_from_db()
    assert story.headline == "Council meets"


def test_an_unpublished_pick_leaves_its_place_to_the_backfill(home_front, block, editor):
    pick = ArticleFactory(headline="Pick")
    ArticleFactory(headline="Other", published_at=hours_ago(3))
    services.card_add(container=block(max_cards=1), article=pick, by=editor)
    assert shown(home_front) == [["Pick"]]
    Article.objects.filter(pk=pick.pk).update(status=Article.Status.DRAFT)
    assert shown(home_front) == [["Other"]]


def test_a_scheduled_pick_appears_when_it_goes_live(home_front, block, editor, time_machine):
    pick = ArticleFactory(headline="Later", published_at=timezone.now() + timedelta(hours=1))
    services.card_add(container=block(backfill=Backfill.NONE), article=pick, by=editor)
    assert shown(home_front) == []
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert shown(home_front) == [["Later"]]


def test_each_backfill_rule_picks_its_stories(home_front, block):
    tag = TagFactory()
    photo = PhotoFactory()
    tagged = ArticleFactory(headline="Tagged", tags=[tag], published_at=hours_ago(4))
    ArticleFactory(headline="With photo", hero_photo=photo, published_at=hours_ago(3))
    ArticleFactory(headline="Must", is_must_read=True, published_at=hours_ago(2))
    ArticleFactory(headline="Newest", published_at=hours_ago(1))
    block("Top", backfill=Backfill.TOP, max_cards=1)
    block("Tag", backfill=Backfill.TAG, backfill_tag=tag, max_cards=2)
    block("Must read", backfill=Backfill.MUST_READ, max_cards=2)
    block("Latest", backfill=Backfill.LATEST, max_cards=5)
    assert shown(home_front) == [["With photo"], ["Tagged"], ["Must"], ["Newest"]]
    assert tagged.pk  # picked by its tag, not by its age


def test_a_story_is_picked_once_per_front(home_front, block, editor):
    story = ArticleFactory()
    services.card_add(container=block(), article=story, by=editor)
    with pytest.raises(Exception, match="already in “Top stories”"):
        services.card_add(container=block("Second"), article=story, by=editor)


def test_the_default_home_front_is_the_old_computed_home(newsroom):
    from fronts.pages import default_home_layout

    front = assemble(default_home_layout(newsroom["sections"]))
    lead = front.containers[0]
    assert lead.layout == "single" and lead.cards[0].article.hero_photo_id
    assert lead.cards[0].article == newsroom["articles"][-1]
    assert front.containers[1].title == "Must read"
    assert [c.section for c in front.containers[2:]] == newsroom["sections"]
    every = [article.pk for article in front.articles]
    assert len(every) == len(set(every))
