"""A story's thread a page at a time: pages by cursor, both orders, permalinks that find
a comment's page, and what the caches keep of them."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Premoderation, ReaderComment
from comments.threads import Cursor, thread_page
from tests.comments.pages import field_values, parse
from tests.comments.test_thread import comments_section, replies, top_level
from tests.factories import ArticleFactory, ReaderCommentFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status


def build_thread(article, threads):
    """`threads` top-level comments in posting order; every other one has a reply, and
    every third reply a reply of its own. Returns the top-level comments and all replies."""
    roots, answers = [], []
    for n in range(threads):
        root = ReaderCommentFactory(article=article, comment=f"Thread {n} starts here.")
        roots.append(root)
        if n % 2:
            reply = ReaderCommentFactory(parent=root, comment=f"A reply in thread {n}.")
            answers.append(reply)
            if n % 3 == 0:
                answers.append(ReaderCommentFactory(parent=reply, comment=f"Deeper in {n}."))
    return roots, answers


def ids(items):
    return [item.attrs["id"] for item in items]


def pager(section, rel):
    nav = section.find("nav", cls="comments__pages")
    if nav is None:
        return None
    link = nav.find("a", rel=rel)
    return link.attrs["href"] if link is not None else None


def order_links(section):
    nav = section.find("nav", cls="comments__order")
    return {a.text(): (a.attrs["href"], a.attrs.get("aria-current")) for a in nav.find_all("a")}


def test_a_thread_of_hundreds_pages_by_cursor_in_both_orders_and_permalinks_find_their_page(
    client, article, settings
):
    settings.COMMENTS_THREADS_PER_PAGE = 50  # the pages' arithmetic below
    roots, answers = build_thread(article, 130)
    total = len(roots) + len(answers)
    assert total > 200
    url = article.get_absolute_url()

    first = comments_section(client.get(url))
    assert first.find("h2", id="comments-heading").text() == f"{total} comments"
    assert ids(top_level(first)) == [f"c{root.pk}" for root in roots[:50]]
    assert pager(first, "prev") is None
    second_url = pager(first, "next")
    assert second_url == f"{url}?comments=oldest-{roots[50].pk}#comments"

    second = comments_section(client.get(second_url))
    assert ids(top_level(second)) == [f"c{root.pk}" for root in roots[50:100]]
    # Each thread comes whole, its replies under it.
    thread_51 = top_level(second)[1]
    assert ids(replies(thread_51)) == [f"c{c.pk}" for c in answers if c.parent_id == roots[51].pk]
    assert len(replies(thread_51)) == 1
    assert pager(second, "prev") == f"{url}#comments"
    third = comments_section(client.get(pager(second, "next")))
    assert ids(top_level(third)) == [f"c{root.pk}" for root in roots[100:]]
    assert pager(third, "next") is None
    assert pager(third, "prev") == second_url

    # Newest first, from the order switch (a plain link: no JavaScript needed).
    assert order_links(first) == {
        "Oldest first": (f"{url}#comments", "true"),
        "Newest first": (f"{url}?comments=newest#comments", None),
    }
    newest = comments_section(client.get(f"{url}?comments=newest"))
    assert order_links(newest)["Newest first"][1] == "true"
    assert ids(top_level(newest)) == [f"c{root.pk}" for root in reversed(roots[80:])]
    older = comments_section(client.get(pager(newest, "next")))
    assert ids(top_level(older)) == [f"c{root.pk}" for root in reversed(roots[30:80])]
    assert pager(older, "prev") == f"{url}?comments=newest#comments"
    # Replies still read top to bottom under their thread.
    deep_thread = next(item for item in top_level(older) if item.attrs["id"] == f"c{roots[75].pk}")
    reply_ids = [f"c{c.pk}" for c in answers if c.thread_id == roots[75].pk]
    assert ids(replies(deep_thread)) == reply_ids[:1]
    assert ids(replies(replies(deep_thread)[0])) == reply_ids[1:]

    # A permalink deep in the thread opens the page that holds it.
    deep = [c for c in answers if c.thread_id == roots[117].pk][-1]
    assert deep.level == 2
    response = client.get(deep.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{url}?comments=oldest-{roots[117].pk}#c{deep.pk}"
    landing = comments_section(client.get(response["Location"]))
    assert landing.find("li", id=f"c{deep.pk}") is not None
    assert ids(top_level(landing))[0] == f"c{roots[117].pk}"
    assert pager(landing, "prev") == f"{url}?comments=oldest-{roots[67].pk}#comments"


@pytest.fixture
def small_pages(settings):
    settings.COMMENTS_THREADS_PER_PAGE = 3


def test_a_permalink_on_the_first_page_names_no_cursor(client, article, small_pages):
    roots, _answers = build_thread(article, 5)

    response = client.get(roots[2].get_absolute_url())

    assert response["Location"] == f"{article.get_absolute_url()}#c{roots[2].pk}"
    response = client.get(roots[3].get_absolute_url())
    assert (
        response["Location"]
        == f"{article.get_absolute_url()}?comments=oldest-{roots[3].pk}#c{roots[3].pk}"
    )


def test_a_published_reply_and_a_report_return_to_the_page_that_holds_the_comment(
    client, article, small_pages, set_rules
):
    set_rules(premoderation=Premoderation.NONE)
    roots, _answers = build_thread(article, 7)
    url = article.get_absolute_url()
    fields = field_values(parse(client.get(f"{url}?reply_to={roots[5].pk}")))

    response = client.post(
        reverse("comments:post"),
        {**fields, "name": "Rosa Vidal", "email": "rosa@example.org", "comment": "Agreed."},
    )

    reply = ReaderComment.objects.get(user_name="Rosa Vidal")
    assert (reply.status, reply.thread_id) == (Status.PUBLIC, roots[5].pk)
    page = f"{url}?comments=oldest-{roots[5].pk}"
    assert response["Location"] == f"{page}&comment=published#c{reply.pk}"
    assert comments_section(client.get(response["Location"])).find("li", id=f"c{reply.pk}")

    response = client.post(reverse("comments:report", args=[roots[6].pk]))
    assert response["Location"] == (
        f"{url}?comments=oldest-{roots[6].pk}&reported={roots[6].pk}#c{roots[6].pk}"
    )


def test_a_permalink_to_a_comment_that_is_not_there_or_on_a_draft_is_404(client, section):
    draft = ArticleFactory(section=section, status="draft")
    comment = ReaderCommentFactory(article=draft)

    assert client.get(comment.get_absolute_url()).status_code == 404
    assert client.get("/comments/987654/").status_code == 404
    assert client.get("/comments/99999999999/").status_code == 404


def test_a_page_that_starts_at_a_removed_thread_still_shows_what_follows(
    client, article, small_pages, moderator
):
    roots, _answers = build_thread(article, 8)
    assert ReaderComment.objects.filter(thread_id=roots[2].pk).count() == 1
    services.comments_moderate(comments=[roots[2]], status=Status.REMOVED, by=moderator)
    url = article.get_absolute_url()

    section = comments_section(client.get(f"{url}?comments=oldest-{roots[2].pk}"))

    assert ids(top_level(section)) == [f"c{root.pk}" for root in roots[3:6]]
    assert pager(section, "prev") == f"{url}#comments"


@pytest.mark.parametrize(
    "cursor", ["", "sideways", "oldest-", "oldest-12x", "newest-99999999999", "²"]
)
def test_a_cursor_that_names_no_page_shows_the_first_page(client, article, small_pages, cursor):
    roots, _answers = build_thread(article, 5)

    section = comments_section(client.get(article.get_absolute_url(), {"comments": cursor}))

    assert ids(top_level(section)) == [f"c{root.pk}" for root in roots[:3]]


def test_reply_links_keep_the_page_and_the_form_says_whom_it_answers(client, article, small_pages):
    roots, _answers = build_thread(article, 5)
    url = article.get_absolute_url()
    page_2 = f"{url}?comments=oldest-{roots[3].pk}"

    reply = (
        comments_section(client.get(page_2))
        .find("li", id=f"c{roots[4].pk}")
        .find("a", cls="comment__reply")
    )
    assert (
        reply.attrs["href"] == f"?comments=oldest-{roots[3].pk}&reply_to={roots[4].pk}#comment-form"
    )

    page = parse(client.get(f"{page_2}&reply_to={roots[4].pk}"))
    assert page.find(cls="comment-form__replying").find("a").attrs["href"] == f"#c{roots[4].pk}"
    # Asked for on a page that does not show it, the target's link leads to its page.
    page = parse(client.get(url, {"reply_to": roots[4].pk}))
    assert page.find(cls="comment-form__replying").find("a").attrs["href"] == (
        f"/comments/{roots[4].pk}/"
    )
    assert page.find("input", name="reply_to").attrs["value"] == str(roots[4].pk)


def test_a_cursor_page_costs_the_same_queries_whatever_the_threads_size(
    client, article, small_pages, django_assert_max_num_queries
):
    roots, _answers = build_thread(article, 8)
    page_2 = f"{article.get_absolute_url()}?comments=oldest-{roots[3].pk}"
    client.get(page_2)  # warm process-wide caches (sites, content types)
    with CaptureQueriesContext(connection) as small:
        client.get(page_2)

    build_thread(article, 40)
    for root in roots[3:6]:
        for n in range(15):
            ReaderCommentFactory(parent=root, comment=f"Another reply, {n}.")

    with django_assert_max_num_queries(len(small)):
        section = comments_section(client.get(page_2))
    assert len(top_level(section)) == 3
    assert len(section.find_all("li", cls="comment")) == 3 + 45 + 3  # threads 3 and 5 had 3


@pytest.mark.parametrize("inclusive", [True, False], ids=["the page", "the page before"])
@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest first", "newest first"])
def test_a_read_past_a_cursor_starts_at_it_and_keeps_to_its_story(section, newest_first, inclusive):
    """The bound thread_ids puts on each table's own key reads the story's threads past
    the cursor, from it or from the one after, and none of the stories commented on in
    between."""
    before, story, after = ArticleFactory.create_batch(3, section=section)
    threads, held = [], None
    for n in range(6):
        for other in (before, after):
            ReaderCommentFactory(parent=ReaderCommentFactory(article=other))
        if n == 2:
            held = ReaderCommentFactory(article=story, status=Status.PENDING)
            continue
        root = ReaderCommentFactory(article=story)
        ReaderCommentFactory(parent=root)
        threads.append(root.pk)
    ordered = sorted(threads, reverse=newest_first)

    # A held thread's id, as a stale cursor would name it, bounds the read all the same.
    for start in [*ordered, held.pk]:
        past = [
            thread
            for thread in ordered
            if (thread < start if newest_first else thread > start)
            or (inclusive and thread == start)
        ]
        read = ReaderComment.objects.for_article(story.pk).thread_ids(
            newest_first=newest_first, start=start, limit=3, inclusive=inclusive
        )
        assert read == past[:3], start


# The caches


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]


def test_a_real_cursor_page_is_cached_and_a_new_approved_comment_shows_on_it(
    client, article, small_pages, page_cache, moderator, django_capture_on_commit_callbacks
):
    build_thread(article, 7)
    url = f"{article.get_absolute_url()}?comments=newest"
    assert client.get(url)["X-Page-Cache"] == "miss"
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "s-maxage=0" not in cached["Cache-Control"]
    assert f"comments-{article.pk}" in cached["xkey"].split()

    comment, _verdict = services.comment_create(
        article=article, name="Nell Ortiz", email="nell@example.org", text="Open at last."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=moderator)

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    section = comments_section(response)
    assert ids(top_level(section))[0] == f"c{comment.pk}"
    assert (
        section.find("h2", id="comments-heading").text()
        == f"{ReaderComment.objects.count()} comments"
    )


@pytest.mark.parametrize("cursor", ["oldest-0", "sideways"])
def test_a_made_up_cursor_is_answered_but_never_kept(
    client, article, small_pages, page_cache, cursor
):
    roots, _answers = build_thread(article, 5)
    url = f"{article.get_absolute_url()}?comments={cursor}"

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
        assert "s-maxage=0" in response["Cache-Control"]
    # A real page's cursor is kept, alone: beside another value it is not.
    real = f"{article.get_absolute_url()}?comments=oldest-{roots[3].pk}"
    doubled = client.get(f"{real}&comments={cursor}")
    assert "s-maxage=0" in doubled["Cache-Control"]
    client.get(real)
    assert client.get(real)["X-Page-Cache"] == "hit"


def test_a_cursor_on_a_page_that_reads_none_is_not_kept(client, article, page_cache):
    url = f"{article.section.get_absolute_url()}?comments=oldest-5"
    for _ in range(2):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "s-maxage=0" in response["Cache-Control"]


def page_read(page):
    return page.cursor, [c.pk for c in page.comments], page.previous, page.next, page.is_real


def test_a_thread_whose_count_fits_a_page_is_read_whole_in_one_query(
    article, settings, django_assert_num_queries
):
    settings.COMMENTS_THREADS_PER_PAGE = 4
    roots, answers = build_thread(article, 3)
    count = len(roots) + len(answers)
    assert count == 4  # no more comments than a page holds threads: they all fit
    for cursor in (Cursor(), Cursor(newest_first=True)):
        with django_assert_num_queries(1):
            whole = thread_page(article_id=article.pk, cursor=cursor, count=count)
        by_thread_ids = thread_page(article_id=article.pk, cursor=cursor)
        assert page_read(whole) == page_read(by_thread_ids)
        assert len(whole.comments) == count


def test_a_thread_read_whole_keeps_the_places_of_erased_comments_and_pages_past_them(
    article, small_pages, django_assert_num_queries
):
    for _ in range(3):
        ReaderCommentFactory(article=article)
    # Erased at its author's request, kept for a reply still awaiting moderation: no
    # count counts it, yet it is a fourth thread, on the next page.
    erased = ReaderCommentFactory(article=article, comment="", erased_at=timezone.now())
    ReaderCommentFactory(parent=erased, status=Status.PENDING)
    article.refresh_from_db()
    assert article.comment_count == 3
    with django_assert_num_queries(1):
        whole = thread_page(article_id=article.pk, cursor=Cursor(), count=article.comment_count)
    assert len(whole.comments) == 3
    assert whole.next == Cursor(start=erased.pk)
    assert page_read(whole) == page_read(thread_page(article_id=article.pk, cursor=Cursor()))
    with django_assert_num_queries(1):
        newest = thread_page(article_id=article.pk, cursor=Cursor(newest_first=True), count=3)
    assert newest.comments[0].pk == erased.pk
    assert page_read(newest) == page_read(
        thread_page(article_id=article.pk, cursor=Cursor(newest_first=True))
    )


def test_a_thread_longer_than_its_count_leaves_room_for_is_read_a_page_at_a_time(
    article, small_pages
):
    roots, _answers = build_thread(article, 6)
    # A count read before five approvals (or stale): the thread does not fit its room.
    stale = thread_page(article_id=article.pk, cursor=Cursor(), count=0)
    assert [c.pk for c in stale.comments][:1] == [roots[0].pk]
    assert stale.next == Cursor(start=roots[3].pk)
    assert page_read(stale) == page_read(thread_page(article_id=article.pk, cursor=Cursor()))


def test_a_thread_read_after_the_database_is_made_again_finds_its_comments():
    """The first page's read is prepared (comments.threads.THREAD_START): its SQL must
    not keep the articles' content type id, which a database made again (the flush
    between browser tests) gives anew."""
    article = ArticleFactory()
    ReaderCommentFactory(article=article, comment="Before the flush.")
    assert len(thread_page(article_id=article.pk, cursor=Cursor(), count=1).comments) == 1
    article_type = ContentType.objects.get_by_natural_key("articles", "article")
    new_id = ContentType.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    # The type given a new id, and every row that names it (foreign keys are checked at
    # the end of the test).
    ContentType.objects.filter(pk=article_type.pk).update(id=new_id)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is ContentType:
                rows = model._base_manager.filter(**{field.attname: article_type.pk})
                rows.update(**{field.attname: new_id})
    ContentType.objects.clear_cache()
    try:
        page = thread_page(article_id=article.pk, cursor=Cursor(), count=1)
    finally:
        ContentType.objects.clear_cache()  # the new id is rolled back with the test
    assert [comment.comment for comment in page.comments] == ["Before the flush."]
