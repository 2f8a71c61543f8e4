"""The home and section pages with curated fronts: what readers see through the page
cache, what ends it, previews, and the queries a page costs."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles import services as article_services
from articles.models import Article
from fronts import services
from fronts.models import Backfill, Front, Kicker, Layout
from fronts.previews import front_preview_token
from tests import factories
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture
def parts_kept(settings):
    """The page cache off: each page is rendered, from its parts kept (newsroom.fragments)."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 600


def cache_state(client, url):
    return client.get(url)["X-Page-Cache"]


def headlines(response):
    return [card.headline for c in response.context["front"].containers for card in c.cards]


def mark_exclusive(container, article, editor):
    """Pick `article` into `container` of the draft, with the Exclusive kicker."""
    services.card_add(container=container, article=article, by=editor)
    card = container.cards.get()
    card.kicker = Kicker.EXCLUSIVE
    services.card_update(card=card, by=editor)


@pytest.fixture
def stories(db):
    a = factories.ArticleFactory(
        headline="Story A", published_at=timezone.now() - timedelta(hours=1)
    )
    b = factories.ArticleFactory(
        headline="Story B", published_at=timezone.now() - timedelta(hours=2)
    )
    return a, b


def test_publishing_a_front_changes_the_home_page_through_the_page_cache(
    client, page_cache_on, stories, home_front, block, editor, django_capture_on_commit_callbacks
):
    _a, b = stories
    top = block(layout=Layout.LEAD, max_cards=2)
    assert headlines(client.get("/"))[:2] == ["Story A", "Story B"]
    assert cache_state(client, "/") == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.card_add(container=top, article=b, by=editor)
        card = top.cards.get()
        card.headline = "B, told better"
        services.card_update(card=card, by=editor)
    assert cache_state(client, "/") == "hit", "a draft changes nothing readers see"
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=home_front, by=editor)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    html = response.content.decode()
    assert html.index("B, told better") < html.index("Story A")
    assert headlines(response)[:2] == ["B, told better", "Story A"]


def test_unpublishing_or_deleting_a_picked_story_takes_it_off_the_front_at_once(
    client, page_cache_on, stories, home_front, block, editor, django_capture_on_commit_callbacks
):
    a, b = stories
    top = block(backfill=Backfill.NONE)
    services.card_add(container=top, article=a, by=editor)
    services.card_add(container=top, article=b, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=home_front, by=editor)
    assert "Story A" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_unpublish(article=Article.objects.get(pk=a.pk), by=editor)
    assert "Story A" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=b.pk).delete()
    assert "Story B" not in client.get("/").content.decode()


def test_a_version_published_for_later_goes_live_by_itself(
    client, page_cache_on, stories, home_front, block, editor, time_machine,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    time_machine.move_to(timezone.now(), tick=False)
    mark_exclusive(block(backfill=Backfill.NONE), stories[1], editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=home_front, by=editor, at=timezone.now() + timedelta(hours=1))
    assert "Exclusive" not in client.get("/").content.decode()
    assert cache_state(client, "/") == "hit"
    time_machine.shift(timedelta(hours=1, seconds=1))
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and "Exclusive" in response.content.decode()


def test_restoring_a_version_makes_it_the_draft(home_front, block, editor, stories):
    top = block()
    services.card_add(container=top, article=stories[0], by=editor)
    first = services.front_publish(front=home_front, by=editor)
    services.card_remove(card=top.cards.get(), by=editor)
    second = services.front_publish(front=home_front, by=editor)
    assert first.summary_lines == [
        "first version: 1 block, 1 picked",
        "picked “Story A” for Top stories",
    ]
    assert second.summary_lines == ["removed “Story A” from Top stories"]
    assert first.created_by == editor
    services.front_version_restore(version=first, by=editor)
    assert [card.article for card in home_front.containers.get().cards.all()] == [stories[0]]


def test_a_section_page_shows_its_front_once_published(client, editor, stories):
    section = stories[0].section
    front = services.front_create(front=Front(section=section), by=editor)
    assert b"Top in" not in client.get(section.get_absolute_url()).content
    services.front_publish(front=front, by=editor)
    html = client.get(section.get_absolute_url()).content.decode()
    assert f"Top in {section.name}" in html and "Story A" in html


def test_the_draft_preview_is_for_front_editors_and_signed_links(
    client, stories, home_front, block, editor, reporter
):
    top = block(max_cards=1)
    card = services.card_add(container=top, article=stories[1], by=editor)
    card.headline = "Draft headline"
    services.card_update(card=card, by=editor)
    url = reverse("fronts:preview", args=[home_front.pk])
    client.force_login(reporter)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert b"Draft headline" in response.content and "no-cache" in response["Cache-Control"]
    client.logout()
    assert b"Draft headline" not in client.get("/").content
    share = reverse("fronts:preview-share", args=[front_preview_token(home_front)])
    response = client.get(share)
    assert b"Draft headline" in response.content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(share[:-3] + "xyz/").status_code == 404


def curate(newsroom, editor, cards_per_block):
    """A home front of five blocks, each with `cards_per_block` picks with overrides."""
    front = Front.objects.get_or_create(section=None)[0]
    front.containers.all().delete()
    stories = iter(Article.objects.order_by("pk"))
    photo = newsroom["photos"][0] if "photos" in newsroom else factories.PhotoFactory()
    for i, rule in enumerate(
        [Backfill.TOP, Backfill.MUST_READ, Backfill.SECTION, Backfill.LATEST, Backfill.MOST_READ]
    ):
        container = front.containers.create(
            title=f"Block {i}", layout=Layout.GRID_4, max_cards=12, backfill=rule, position=i,
            backfill_section=newsroom["sections"][0] if rule == Backfill.SECTION else None,
        )  # fmt: skip
        for _ in range(cards_per_block):
            card = services.card_add(container=container, article=next(stories), by=editor)
            card.headline, card.photo, card.kicker = "Overridden", photo, Kicker.LIVE
            services.card_update(card=card, by=editor)
    services.front_publish(front=front, by=editor)


@pytest.mark.parametrize("url", ["/", "section", "section?page=2"])
def test_a_curated_front_costs_no_query_per_card(
    client, newsroom, editor, url, django_assert_max_num_queries
):
    if url.startswith("section"):
        section = newsroom["sections"][0]
        factories.ArticleFactory.create_batch(30, section=section)  # two pages of its list
        url = section.get_absolute_url() + url.removeprefix("section")
        front = services.front_create(front=Front(section=section), by=editor)
        services.front_publish(front=front, by=editor)
    curate(newsroom, editor, cards_per_block=1)
    client.get(url)
    few = count_queries(client, url)
    factories.ArticleFactory.create_batch(20)
    curate(newsroom, editor, cards_per_block=4)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    if url == "/":
        assert len(headlines(response)) >= 20
        assert headlines(response).count("Overridden") == 20


def section_page(client, section, page=1):
    response = client.get(section.get_absolute_url(), {"page": page})
    assert response.status_code == 200
    front = response.context["above_list"]
    on_front = [card.article.headline for c in front.containers for card in c.cards]
    listed = [article.headline for article in response.context["articles"]]
    return on_front if page == 1 else [], listed, response


def test_a_story_on_a_section_front_is_not_repeated_in_the_list_below(client, editor):
    section = factories.SectionFactory(name="City")
    now = timezone.now()
    for number in range(40):
        factories.ArticleFactory(
            section=section, headline=f"City {number:02}",
            published_at=now - timedelta(hours=number),
        )  # fmt: skip
    front = services.front_create(front=Front(section=section), by=editor)
    # An older story picked to lead: out of its place in the list too.
    old = Article.objects.get(headline="City 25")  # on page 2 of the list before
    services.card_add(container=front.containers.first(), article=old, by=editor)
    services.front_publish(front=front, by=editor)

    on_front, first_page, response = section_page(client, section)
    _none, second_page, _response = section_page(client, section, page=2)

    assert on_front[0] == "City 25" and len(on_front) == 13  # a lead + 4, then a grid of 8
    assert first_page[0] == "City 12" and "City 25" not in first_page + second_page
    every = on_front + first_page + second_page
    assert len(second_page) == 7
    assert len(every) == len(set(every)) == 40, "each story once, none lost between pages"
    html = response.content.decode()
    assert html.count(">City 25<") == 1 and html.count(">City 00<") == 1


def test_a_section_page_lists_every_story_before_its_front_is_published(client, editor):
    section = factories.SectionFactory(name="City")
    factories.ArticleFactory.create_batch(3, section=section)
    services.front_create(front=Front(section=section), by=editor)
    response = client.get(section.get_absolute_url())
    assert response.context["above_list"] is None
    assert len(response.context["articles"]) == 3


def test_a_section_whose_stories_are_all_on_its_front_says_so(client, editor):
    section = factories.SectionFactory(name="City")
    factories.ArticleFactory.create_batch(2, section=section)
    services.front_publish(
        front=services.front_create(front=Front(section=section), by=editor), by=editor
    )
    html = client.get(section.get_absolute_url()).content.decode()
    assert "every one is on the front above" in html
    assert "Nothing has been published here yet" not in html


def test_publishing_a_section_front_purges_every_page_of_its_list(
    client, page_cache_on, editor, django_capture_on_commit_callbacks
):
    section = factories.SectionFactory(name="City")
    now = timezone.now()
    stories = [
        factories.ArticleFactory(
            section=section, headline=f"City {number:02}",
            published_at=now - timedelta(hours=number),
        )
        for number in range(45)
    ]  # fmt: skip
    front = services.front_create(front=Front(section=section), by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=front, by=editor)
    page_2 = section.get_absolute_url() + "?page=2"
    assert b">City 44<" in client.get(page_2).content
    assert cache_state(client, page_2) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.card_add(container=front.containers.first(), article=stories[44], by=editor)
    assert cache_state(client, page_2) == "hit", "a draft changes nothing readers see"
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=front, by=editor)
    response = client.get(page_2)
    assert response["X-Page-Cache"] == "miss"
    assert b">City 44<" not in response.content
    assert b">City 44<" in client.get(section.get_absolute_url()).content


def test_the_preview_of_a_section_front_leaves_its_stories_out_of_the_list(client, editor):
    section = factories.SectionFactory(name="City")
    factories.ArticleFactory.create_batch(16, section=section)
    front = services.front_create(front=Front(section=section), by=editor)
    client.force_login(editor)
    response = client.get(reverse("fronts:preview", args=[front.pk]))
    on_front = {card.article.pk for c in response.context["front"].containers for card in c.cards}
    listed = {article.pk for article in response.context["articles"]}
    assert len(on_front) == 13 and len(listed) == 3 and not on_front & listed


def test_a_section_pages_last_modified_moves_when_its_front_is_published(
    client, editor, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    section = factories.SectionFactory(name="City")
    factories.ArticleFactory.create_batch(  # 13 on the front, two pages below it
        40, section=section, published_at=timezone.now() - timedelta(hours=2)
    )
    front = services.front_create(front=Front(section=section), by=editor)
    time_machine.shift(timedelta(hours=1))
    services.front_publish(front=front, by=editor)
    for page in (1, 2):
        response = client.get(section.get_absolute_url(), {"page": page})
        assert response["Last-Modified"] == http_date(timezone.now().timestamp())


def test_a_published_front_is_kept_with_the_pages_parts_until_the_next_is_published(
    client, parts_kept, stories, home_front, block, editor, django_capture_on_commit_callbacks
):
    """The home page whose parts are kept asks the database nothing, not even for its
    front's version (fronts.pages.home_front); publishing the front ends that at once."""
    top = block(backfill=Backfill.NONE)
    services.card_add(container=top, article=stories[1], by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=home_front, by=editor)
    client.get("/")  # its parts, kept
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert queries.captured_queries == []
    assert "Story B" in html and "Must read" not in html  # the version, not the default

    mark_exclusive(block(backfill=Backfill.NONE), stories[0], editor)
    assert "Exclusive" not in client.get("/").content.decode()  # a draft
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=home_front, by=editor)
    assert "Exclusive" in client.get("/").content.decode()


def test_a_section_page_whose_parts_are_kept_reads_no_front_version(
    client, parts_kept, editor, django_capture_on_commit_callbacks
):
    section = factories.SectionFactory(name="City")
    factories.ArticleFactory(section=section, headline="City pier reopens")
    url = section.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert b"City pier reopens" in client.get(url).content
    assert queries.captured_queries == []
    front = services.front_create(front=Front(section=section), by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=front, by=editor)
    assert "every one is on the front above" in client.get(url).content.decode()


@pytest.mark.parametrize("kept", ["parts_kept", "page_cache_on"])
def test_a_section_front_is_kept_until_what_it_shows_changes(
    request, client, kept, editor, block, django_capture_on_commit_callbacks
):
    """Assembled for every page of the section's list, which leaves its stories out: kept
    (fronts.pages.section_front), a page whose parts are kept asks the database nothing;
    a story published in the section, a pick published or taken down show at once, on a
    page rendered from its parts or kept whole."""
    request.getfixturevalue(kept)
    section = factories.SectionFactory(name="City")
    hours_ago = timezone.now() - timedelta(hours=3)
    factories.ArticleFactory(section=section, headline="City pier reopens", published_at=hours_ago)
    # A pick from elsewhere, in a block of picks alone: only its own key says it is out.
    pick = factories.ArticleFactory(headline="Ferry timetable", status="draft", published_at=None)
    front = services.front_create(front=Front(section=section), by=editor)
    picks = block(title="Picks", layout=Layout.GRID_4, backfill=Backfill.NONE, front=front)
    services.card_add(container=picks, article=pick, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(front=front, by=editor)
    url = section.get_absolute_url()

    def on_front():
        """The front's headlines, as the page shows them (from its kept fragment)."""
        html = client.get(url).content.decode()
        front = html.split('<div class="section-front">', 1)[1].split('<div class="card-list">')[0]
        return re.findall(
            r'class="card__headline">(?:<span[^>]*>[^<]*</span>)?<a [^>]*>([^<]*)<', front
        )

    on_front()
    with CaptureQueriesContext(connection) as queries:
        assert on_front() == ["City pier reopens"]  # the pick is a draft
    assert queries.captured_queries == []

    def publish(article):
        with django_capture_on_commit_callbacks(execute=True):
            article_services.article_publish(article=article, by=editor)

    publish(factories.ArticleFactory(section=section, headline="Tram works", status="draft"))
    assert on_front() == ["Tram works", "City pier reopens"]
    publish(pick)
    assert on_front() == ["Tram works", "City pier reopens", "Ferry timetable"]
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_unpublish(article=pick, by=editor)
    assert on_front() == ["Tram works", "City pier reopens"]


def test_a_version_published_for_later_goes_live_on_time_with_the_parts_kept(
    client, parts_kept, stories, home_front, block, editor, time_machine,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The kept version lasts no longer than the next scheduled change, well within the
    ten minutes the parts are kept for."""
    time_machine.move_to(timezone.now(), tick=False)
    mark_exclusive(block(backfill=Backfill.NONE), stories[1], editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.front_publish(
            front=home_front, by=editor, at=timezone.now() + timedelta(minutes=5)
        )
    assert "Exclusive" not in client.get("/").content.decode()
    time_machine.shift(timedelta(minutes=5, seconds=1))
    assert "Exclusive" in client.get("/").content.decode()
