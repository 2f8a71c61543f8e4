"""Readers' views in the front editor: on every card, picked or backfilled, and in the
story search, counted over Most read's period in one query; readers never see them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import HourlyViews, view_hour
from fronts import services
from fronts.models import Card
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def editor_url(front):
    return reverse("admin:fronts_front_editor", args=[front.pk])


def read(article, views, *, hours_ago=0):
    HourlyViews.objects.create(
        article=article,
        hour=view_hour(timezone.now()) - timedelta(hours=hours_ago),
        views=views,
    )


def pick(container, *stories):
    for position, story in enumerate(stories):
        Card.objects.create(
            container=container, front=container.front, article=story, position=position
        )


def test_picked_and_backfilled_cards_show_their_last_24_hours_of_views(
    editor_client, home_front, block
):
    top = block(max_cards=3)
    old = ArticleFactory(headline="Backfilled: the regatta")
    picked_a = ArticleFactory(headline="Picked: the harbour tunnel")
    picked_b = ArticleFactory(headline="Picked: the ferry timetable")
    pick(top, picked_a, picked_b)
    read(picked_a, 7)
    read(picked_a, 5, hours_ago=23)
    read(picked_a, 100, hours_ago=24)  # before the period: not counted
    read(old, 1)

    response = editor_client.get(editor_url(home_front))

    [(container, _form, cards, backfilled)] = response.context["containers"]
    assert container == top
    assert [(card.article, views) for card, _form, views in cards] == [
        (picked_a, 12),
        (picked_b, 0),
    ]
    assert backfilled == [(old, 1)]
    html = response.content.decode()
    assert "12 views in the last 24 h" in html
    assert "0 views in the last 24 h" in html
    assert "1 view in the last 24 h" in html


def test_search_results_show_their_views(editor_client, home_front, block):
    block()
    story = ArticleFactory(headline="Kestrel Bay lighthouse relit")
    read(story, 42)
    response = editor_client.get(editor_url(home_front), {"q": "lighthouse"})
    assert [(s.headline, s.recent_views) for s in response.context["results"]] == [
        ("Kestrel Bay lighthouse relit", 42)
    ]
    assert "42 views in the last 24 h" in response.content.decode()


def views_queries(queries):
    return [query for query in queries if "hourlyviews" in query["sql"].lower()]


@pytest.mark.parametrize("picked", [3, 15])
def test_the_views_of_all_cards_are_one_query(
    editor_client, home_front, block, picked, django_assert_max_num_queries
):
    # 3 picks in one block, or 15 in three; every block then backfills 2 stories.
    blocks = [block(f"Block {number}", max_cards=7) for number in range((picked + 4) // 5)]
    ArticleFactory.create_batch(2 * len(blocks))  # the backfill's
    stories = ArticleFactory.create_batch(picked)
    for number, container in enumerate(blocks):
        pick(container, *stories[5 * number : 5 * number + 5])
    for story in stories:
        read(story, 3)
    editor_client.get(editor_url(home_front))  # warm the fragments and the session

    # The same for 3 cards and 15: cards, their stories and the backfills, all in bulk;
    # the blocks' forms read the sections and tags once for all (+2).
    with django_assert_max_num_queries(23) as captured:
        response = editor_client.get(editor_url(home_front))

    containers = response.context["containers"]
    assert [views for _c, _form, cards, _b in containers for _card, _f, views in cards] == [
        3
    ] * picked
    assert sum(len(backfilled) for _c, _form, _cards, backfilled in containers) == 2 * len(blocks)
    # One for every card's views, one for the search results' (a subquery of theirs).
    assert len(views_queries(captured.captured_queries)) == 2


def test_readers_never_see_views(client, home_front, block, editor):
    top = block()
    story = ArticleFactory(headline="Port Alder council votes")
    pick(top, story)
    read(story, 9)
    services.front_publish(front=home_front, by=editor, at=None)

    html = client.get("/").content.decode()

    assert "Port Alder council votes" in html
    assert "views in the last" not in html
    assert "front-editor__views" not in html
