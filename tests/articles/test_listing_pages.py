"""Section, tag, author and Latest pages, a page at a time by cursor: every story once
however deep, no COUNT, old numbered links still served near the top, and any made-up
page a 404."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.pages import LAST_NUMBERED_PAGE, LISTING_PAGE_SIZE, ListingCursor
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

KINDS = ["section", "tag", "author", "latest"]


@pytest.fixture
def subject(db):
    """A section, tag and author with 47 stories (two at the same instant, to test
    the tie), and stories elsewhere that only Latest lists."""
    section, tag, author = SectionFactory(), TagFactory(), AuthorFactory()
    now = timezone.now()
    stories = [
        ArticleFactory(
            section=section, tags=[tag], authors=[author], headline=f"Story {number:02}",
            published_at=now - timedelta(hours=number // 2 * 2 + 1),
        )
        for number in range(47)
    ]  # fmt: skip
    # Newest first, and the later of two at one instant first.
    stories.sort(key=lambda story: (story.published_at, story.pk), reverse=True)
    ArticleFactory.create_batch(3, published_at=now - timedelta(minutes=5))
    urls = {
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "latest": "/latest/",
    }
    return urls, stories


def headlines(response):
    return [article.headline for article in response.context["articles"]]


def link(response, rel):
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', response.content.decode())
    return found and found.group(1).replace("&amp;", "&")


def walk(client, url, rel):
    """Every page from `url` on by the `rel` links, as a reader without JS would."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(headlines(response))
        url = link(response, rel)
    return pages


@pytest.mark.parametrize("kind", KINDS)
def test_older_links_walk_every_story_once_newest_first_and_newer_links_walk_back(
    client, subject, kind
):
    urls, stories = subject
    pages = walk(client, urls[kind], "next")
    listed = [headline for page in pages for headline in page]
    mine = [headline for headline in listed if headline.startswith("Story")]
    assert mine == [story.headline for story in stories]
    assert len(listed) == len(set(listed))
    assert [len(page) for page in pages[:-1]] == [LISTING_PAGE_SIZE] * (len(pages) - 1)

    last = client.get(urls[kind])
    while link(last, "next"):
        last = client.get(link(last, "next"))
    back = walk(client, link(last, "prev"), "prev")
    assert back == pages[-2::-1], "Newer stories leads back through the same pages"
    assert link(client.get(urls[kind]), "prev") is None


def test_a_cursor_page_names_itself_canonically_and_keeps_filters(client, subject):
    urls, stories = subject
    second = link(client.get(urls["section"]), "next")
    assert second == f"{urls['section']}?before={ListingCursor.of(stories[19])}"
    response = client.get(second)
    assert f'rel="canonical" href="http://testserver{second}"' in response.content.decode()
    assert link(response, "prev") == urls["section"]


@pytest.mark.parametrize("kind", KINDS)
def test_no_listing_page_counts_or_skips_rows_past_the_numbered_ones(client, subject, kind):
    urls, _stories = subject
    url = urls[kind]
    while url:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        sql = " ".join(query["sql"].upper() for query in captured)
        assert "COUNT(" not in sql and "OFFSET" not in sql
        url = link(response, "next")


@pytest.mark.parametrize("kind", KINDS)
def test_a_deep_page_costs_the_queries_of_a_shallow_one(
    client, subject, kind, django_assert_max_num_queries
):
    urls, stories = subject
    second = f"{urls[kind]}?before={ListingCursor.of(stories[5])}"
    deepest = f"{urls[kind]}?before={ListingCursor.of(stories[40])}"
    client.get(urls[kind])  # warm process-wide caches, such as the Sites framework's
    with CaptureQueriesContext(connection) as first_page:
        client.get(urls[kind])
    with CaptureQueriesContext(connection) as second_page:
        client.get(second)
    ArticleFactory.create_batch(30, published_at=timezone.now() - timedelta(days=9))
    with django_assert_max_num_queries(len(second_page)):
        assert client.get(deepest).status_code == 200
    assert len(second_page) == len(first_page) + 1  # the page before, for Newer stories


@pytest.mark.parametrize("kind", KINDS)
def test_old_numbered_links_are_served_near_the_top(client, subject, kind):
    urls, _stories = subject
    response = client.get(f"{urls[kind]}?page=2")
    assert response.status_code == 200
    first = client.get(urls[kind])
    second = client.get(link(first, "next"))
    assert headlines(response) == headlines(second)
    assert link(response, "prev") == urls[kind]
    assert link(response, "next") == link(second, "next")
    assert link(client.get(f"{urls[kind]}?page=3"), "prev") == f"{urls[kind]}?page=2"
    assert headlines(client.get(f"{urls[kind]}?page=1")) == headlines(first)


BAD_PAGES = [
    "page=abc", "page=0", "page=-1", "page=1.5", "page=%00", "page=" + "9" * 40, "page=",
    f"page={LAST_NUMBERED_PAGE + 1}",  # past the numbered pages, reached by cursor only
    "page=9",  # past the end
    "before=", "before=garbage", "before=20240305T102000Z", "before=20240305T102000Z--5",
    "before=20240305T102000Z-0", "before=20240305T102000Z-" + "9" * 19,
    "before=99999999T999999Z-5", "before=20241305T102000Z-5", "before=00000101T000000Z-5",
    "before=20240305T102000.1Z-5", "before=2024-03-05T10:20:00Z-5", "before=%00",
    "before=10000101T000000Z-5",  # before any story: an empty page
    "before=20240305T102000Z-5&page=2",
]  # fmt: skip


@pytest.mark.parametrize("query", BAD_PAGES)
def test_a_page_that_does_not_exist_is_a_404(client, article, query):
    for url in [
        article.section.get_absolute_url(),
        article.tags.get().get_absolute_url(),
        article.bylines.get().author.get_absolute_url(),
        "/latest/",
    ]:
        assert client.get(f"{url}?{query}").status_code == 404, url


def test_a_made_up_cursor_between_stories_is_answered(client, subject):
    urls, stories = subject
    between = stories[10].published_at + timedelta(minutes=1)
    response = client.get(f"{urls['author']}?before={ListingCursor(between, 1)}")
    assert response.status_code == 200
    assert headlines(response)[0] == stories[10].headline
    assert link(response, "prev") == urls["author"]


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_the_page_cache_keeps_real_cursor_pages_only(client, subject, page_cache_on):
    urls, stories = subject
    real = f"{urls['tag']}?before={ListingCursor.of(stories[19])}"
    assert client.get(real)["X-Page-Cache"] == "miss"
    assert client.get(real + "&utm_source=x")["X-Page-Cache"] == "hit"
    between = stories[10].published_at + timedelta(minutes=1)
    made_up = f"{urls['tag']}?before={ListingCursor(between, 1)}"
    assert client.get(made_up)["X-Page-Cache"] == "miss"
    assert client.get(made_up)["X-Page-Cache"] == "miss"


def test_the_section_front_stays_above_the_first_page_and_out_of_every_page(
    client, subject, editor
):
    from fronts import services
    from fronts.models import Front

    urls, stories = subject
    section = stories[0].section
    front = services.front_create(front=Front(section=section), by=editor)
    services.front_publish(front=front, by=editor)  # its blocks fill with the newest 13
    on_front = set(client.get(urls["section"]).context["above_list"].articles)
    assert len(on_front) == 13
    pages = walk(client, urls["section"], "next")
    listed = [headline for page in pages for headline in page]
    assert listed == [s.headline for s in stories if s not in on_front]
    first = client.get(urls["section"]).content.decode()
    second = client.get(link(client.get(urls["section"]), "next")).content.decode()
    lead = next(iter(on_front)).headline
    assert lead in first and lead not in second, "the front sits above the first page only"


def test_a_cursor_round_trips_to_the_microsecond():
    moment = timezone.now().replace(microsecond=120)
    cursor = ListingCursor(moment, 8121)
    assert ListingCursor.parse(str(cursor)) == cursor
    assert str(ListingCursor.parse("20240305T102000Z-8121")) == "20240305T102000Z-8121"
    # What the page cache keeps (newsroom.pagecache): ids up to ten digits.
    assert len(str(ListingCursor(moment.replace(year=9999), 10**10 - 1))) == 34
