"""Comment counts on lists (comments.counts): a card carries its story's count as of its
render and where to bring it up to date; a small document per block of story numbers
answers, kept until a comment of the block is approved or taken down."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from comments import services
from comments.counts import BLOCK_SIZE, counts_url
from comments.models import ReaderComment
from tests.comments.pages import parse
from tests.factories import ArticleFactory, ReaderCommentFactory

Status = ReaderComment.Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture
def block(section):
    """Three stories of block 7000 (two with comments, one held back), one of the next."""
    first = 7000 * BLOCK_SIZE  # far above the ids the other tests take
    stories = {
        "quiet": ArticleFactory(pk=first, section=section),
        "busy": ArticleFactory(pk=first + 5, section=section),
        "last": ArticleFactory(pk=first + BLOCK_SIZE - 1, section=section),
        "next": ArticleFactory(pk=first + BLOCK_SIZE, section=section),
    }
    ReaderCommentFactory.create_batch(3, article=stories["busy"])
    ReaderCommentFactory(article=stories["last"])
    ReaderCommentFactory(article=stories["last"], status=Status.PENDING)
    ReaderCommentFactory(article=stories["next"])
    return stories


def test_a_block_counts_the_public_comments_of_its_stories_that_have_any(client, block):
    url = counts_url(block["busy"].pk)
    assert url == reverse("comment-counts", args=[7000]) == "/comment-counts/7000/"

    response = client.get(url)

    assert response.status_code == 200
    assert response.json() == {"counts": {str(block["busy"].pk): 3, str(block["last"].pk): 1}}
    assert response["X-Robots-Tag"] == "noindex"
    assert "public" in response["Cache-Control"]
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "url",
    [
        "/comment-counts/7002/",  # no story in it
        "/comment-counts/x/",
        "/comment-counts/07000/",  # block 7000, spelt otherwise: not a copy of its own
        "/comment-counts/9223372036854775/",  # past the last id
        "/comment-counts/99999999999999999999/",
    ],
)
def test_a_block_without_stories_is_not_found(client, block, url):
    assert client.get(url).status_code == 404


def test_a_block_is_read_in_one_query_whatever_it_holds(client, block, django_assert_num_queries):
    ReaderCommentFactory.create_batch(20, article=block["quiet"])
    client.get("/comment-counts/7001/")  # works out the pages' next scheduled change
    with django_assert_num_queries(1):
        assert len(client.get("/comment-counts/7000/").json()["counts"]) == 3


@pytest.mark.parametrize("status", [Status.PUBLIC, Status.REMOVED])
def test_a_decision_purges_its_blocks_counts_only(
    client, block, moderator, status, django_capture_on_commit_callbacks
):
    ours, theirs = "/comment-counts/7000/", "/comment-counts/7001/"
    for url in (ours, theirs):
        client.get(url)
    thread = ReaderComment.objects.for_article(block["last"].pk)
    # Approve the one held back, or take down the one shown.
    comment = thread.get(status=Status.PENDING if status == Status.PUBLIC else Status.PUBLIC)

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(comments=[comment], status=status, by=moderator)

    expected = 2 if status == Status.PUBLIC else 0
    response = client.get(ours)
    assert response["X-Page-Cache"] == "miss"
    assert response.json()["counts"].get(str(block["last"].pk), 0) == expected
    assert client.get(theirs)["X-Page-Cache"] == "hit"


def test_a_repaired_count_reaches_the_counts(client, block, django_capture_on_commit_callbacks):
    type(block["busy"]).objects.filter(pk=block["busy"].pk).update(comment_count=9)
    client.get("/comment-counts/7000/")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recount_comments", "--article", str(block["busy"].pk), stdout=StringIO())

    assert client.get("/comment-counts/7000/").json()["counts"][str(block["busy"].pk)] == 3


def test_a_card_carries_its_count_and_where_to_bring_it_up_to_date(client, block, section):
    document = parse(client.get(section.get_absolute_url()))
    links = {
        link.attrs["data-story"]: link for link in document.find_all("a", cls="card__comments")
    }

    busy, quiet = links[str(block["busy"].pk)], links[str(block["quiet"].pk)]
    assert busy.text() == "3 comments"
    assert busy.attrs["href"] == block["busy"].get_absolute_url() + "#comments"
    assert busy.attrs["data-comment-counts"] == "/comment-counts/7000/"
    assert "hidden" not in busy.attrs
    assert quiet.text() == "" and "hidden" in quiet.attrs
    assert links[str(block["next"].pk)].attrs["data-comment-counts"] == "/comment-counts/7001/"


def test_a_list_rendered_again_shows_the_count_of_the_time(
    client, block, section, moderator, django_capture_on_commit_callbacks
):
    url = section.get_absolute_url()
    client.get(url)
    waiting = ReaderComment.objects.for_article(block["last"].pk).get(status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(comments=[waiting], status=Status.PUBLIC, by=moderator)
    assert client.get(url)["X-Page-Cache"] == "hit"  # an approval leaves the lists

    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(section=section)  # a story published in the section: rendered again

    links = parse(client.get(url)).find_all("a", cls="card__comments")
    assert {link.attrs["data-story"]: link.text() for link in links}[str(block["last"].pk)] == (
        "2 comments"
    )
