"""Readers post comments through the form on the article page, as a browser would."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from articles.models import Article
from comments import services
from comments.forms import CommentForm
from comments.models import ReaderComment
from newsroom.clients import client_ip, client_network
from tests.comments.pages import field_error, field_help, field_values, parse
from tests.factories import ArticleFactory, ReaderCommentFactory, UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
READER = {
    "name": "Rosa Díaz",
    "email": "rosa@example.org",
    "comment": "The tunnel saves me an hour a day.\nThank you for the report.",
}


def post_url():
    return reverse("comments:post")


def page_fields(client, article, **query):
    """The comment form's fields as the article page serves them."""
    response = client.get(article.get_absolute_url(), query)
    assert response.status_code == 200
    return field_values(parse(response))


def filled_form(client, article, **changes):
    return {**page_fields(client, article), **READER, **changes}


def post(client, data, **extra):
    return client.post(post_url(), data, **extra)


def assert_nothing_stored(before=0):
    assert ReaderComment.objects.count() == before
    assert XtdComment.objects.count() == before
    assert Comment.objects.count() == before


def error_page_text(response):
    """The reader's comment as the error page gives it back."""
    textarea = parse(response).find("textarea", id="your-comment")
    assert textarea is not None, "the error page does not give the comment back"
    return textarea.text().removeprefix("\n")


def assert_pending_redirect(response, article):
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?comment=pending#comment-status"


@pytest.fixture
def other_article(section):
    return ArticleFactory(headline="Ferry timetable changes", section=section)


# Posting through the real form


def test_valid_comment_redirects_to_the_awaiting_moderation_confirmation(client, article):
    response = post(client, filled_form(client, article))

    assert_pending_redirect(response, article)


def test_valid_comment_is_stored_once_held_for_moderation(client, article):
    post(client, filled_form(client, article), REMOTE_ADDR="198.51.100.7")

    comment = ReaderComment.objects.get()
    assert comment.status == ReaderComment.Status.PENDING
    assert not comment.is_public and not comment.is_removed
    assert comment.content_object == article
    assert (comment.user_name, comment.user_email) == (READER["name"], READER["email"])
    assert comment.comment == READER["comment"]
    assert comment.ip_address == "198.51.100.7"
    assert comment.user is None
    assert (comment.parent_id, comment.thread_id, comment.level) == (comment.pk, comment.pk, 0)
    assert not ReaderComment.objects.public().exists()
    article.refresh_from_db()
    assert article.comment_count == 0


def test_pending_comment_is_not_shown_on_the_article_page(client, article):
    post(client, filled_form(client, article))

    html = client.get(article.get_absolute_url()).content.decode()
    assert "The tunnel saves me an hour a day." not in html
    assert "Rosa Díaz" not in html


def test_confirmation_appears_in_the_comments_section_after_posting(client, article):
    response = post(client, filled_form(client, article))

    page = parse(client.get(response["Location"]))
    section = page.find("section", id="comments")
    status = section.find(id="comment-status")
    assert status is not None
    assert status.attrs["role"] == "status"
    assert "awaiting moderation" in status.text()
    assert "The tunnel saves me an hour a day." not in section.text()


# Validation, on the server, next to each field


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("comment", "Please enter your comment!"),
        ("name", "Please enter your name here"),
        ("email", "Please enter your email address here"),
    ],
)
def test_missing_field_is_explained_next_to_it_and_the_rest_is_kept(
    client, article, field, message
):
    data = filled_form(client, article, **{field: ""})

    response = post(client, data)

    assert response.status_code == 400
    page = parse(response)
    assert page.find("h1", id="article-headline").text() == article.headline
    assert field_error(page, field) == message
    kept = field_values(page)
    for other in {"name", "email", "comment"} - {field}:
        assert kept[other] == READER[other]
        assert field_error(page, other) is None
    assert_nothing_stored()


def test_incorrect_email_is_explained_and_everything_typed_is_kept(client, article):
    data = filled_form(client, article, email="rosa.example.org")

    response = post(client, data)

    assert response.status_code == 400
    page = parse(response)
    assert field_error(page, "email") == "You have entered an incorrect email address!"
    kept = field_values(page)
    assert kept["name"] == READER["name"]
    assert kept["email"] == "rosa.example.org"
    assert kept["comment"] == READER["comment"]
    assert_nothing_stored()


def test_every_empty_field_gets_its_own_message_at_once(client, article):
    data = filled_form(client, article, name="", email="", comment="")

    page = parse(post(client, data))

    assert field_error(page, "name") == "Please enter your name here"
    assert field_error(page, "email") == "Please enter your email address here"
    assert field_error(page, "comment") == "Please enter your comment!"


def test_a_form_back_with_errors_shows_its_own_fields_where_blank_ones_are_kept(
    client, article, settings
):
    settings.FRAGMENT_CACHE_SECONDS = 600  # the blank form's fields are kept (fragments)
    data = filled_form(client, article, name="", email="rosa.example.org")

    response = post(client, data)

    assert response.status_code == 400
    page = parse(response)
    assert field_error(page, "name") == "Please enter your name here"
    assert field_error(page, "email") == "You have entered an incorrect email address!"
    kept = field_values(page)
    assert (kept["email"], kept["comment"]) == ("rosa.example.org", READER["comment"])
    assert field_values(parse(client.get(article.get_absolute_url())))["email"] == ""


def test_errors_need_no_javascript_or_browser_validation(client, article):
    page = parse(client.get(article.get_absolute_url()))

    form = page.find("form", cls="comment-form")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == post_url()
    # The server's messages are shown, not the browser's; `required` still tells
    # assistive technology which fields are needed.
    assert "novalidate" in form.attrs
    for name in ("name", "email", "comment"):
        assert "required" in form.find(name=name).attrs


def long_email(length):
    domain = "b" * 63 + "." + "c" * 63 + "."
    domain += "d" * (length - 64 - 1 - len(domain) - 4) + ".org"
    email = "a" * 64 + "@" + domain
    assert len(email) == length
    return email


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 51, "Please shorten your name to 50 characters."),
        ("email", long_email(255), "Please use an email address of at most 254 characters."),
        (
            "comment",
            "x" * (settings.COMMENT_MAX_LENGTH + 1),
            f"Please shorten your comment to {settings.COMMENT_MAX_LENGTH} characters "
            f"(it has {settings.COMMENT_MAX_LENGTH + 1}).",
        ),
    ],
)
def test_over_long_fields_are_refused_with_the_limit(client, article, field, value, message):
    data = filled_form(client, article, **{field: value})

    response = post(client, data)

    assert response.status_code == 400
    page = parse(response)
    assert field_error(page, field) == message
    assert field_values(page)[field] == value
    assert_nothing_stored()


def test_fields_at_their_limits_are_accepted(client, article):
    data = filled_form(
        client,
        article,
        name="N" * 50,
        email=long_email(254),
        comment="x" * settings.COMMENT_MAX_LENGTH,
    )

    assert_pending_redirect(post(client, data), article)
    comment = ReaderComment.objects.get()
    assert len(comment.user_name) == 50
    assert len(comment.user_email) == 254
    assert len(comment.comment) == settings.COMMENT_MAX_LENGTH


def test_length_limits_are_stated_on_the_page(client, article):
    page = parse(client.get(article.get_absolute_url()))

    assert "50 characters" in field_help(page, "name")
    assert f"{settings.COMMENT_MAX_LENGTH} characters" in field_help(page, "comment")
    form = page.find("form", cls="comment-form")
    assert form.find(name="name").attrs["maxlength"] == "50"
    assert form.find(name="email").attrs["maxlength"] == "254"
    assert form.find(name="comment").attrs["maxlength"] == str(settings.COMMENT_MAX_LENGTH)


# Markup in what readers type is text, everywhere


def assert_no_live_markup(html):
    assert SCRIPT not in html
    assert "<img src=x" not in html
    page = parse(html)
    assert not any("alert" in script.text() for script in page.find_all("script"))
    assert not any("onerror" in element.attrs for element in page.iter())


@pytest.mark.parametrize("payload", [SCRIPT, BREAKOUT])
def test_markup_is_stored_verbatim_and_shown_as_text_once_approved(client, article, payload):
    text = f"First {payload} then {SCRIPT}{BREAKOUT} end"
    response = post(client, filled_form(client, article, name=payload, comment=text))
    assert_pending_redirect(response, article)

    comment = ReaderComment.objects.get()
    assert comment.user_name == payload
    assert comment.comment == text
    services.comments_moderate(comments=[comment], status=ReaderComment.Status.PUBLIC, by=None)

    html = client.get(article.get_absolute_url()).content.decode()
    assert_no_live_markup(html)
    shown = parse(html).find("li", id=f"c{comment.pk}")
    assert shown.find(cls="comment__author").text() == payload
    assert shown.find(cls="comment__body").text().strip() == text


@pytest.mark.parametrize("payload", [SCRIPT, BREAKOUT])
def test_markup_is_shown_as_text_when_the_form_comes_back_with_errors(client, article, payload):
    data = filled_form(
        client,
        article,
        name=payload,
        email=f"{payload}@example.org",
        comment=f"{SCRIPT} {BREAKOUT}",
    )

    response = post(client, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert_no_live_markup(html)
    kept = field_values(parse(html))
    assert kept["name"] == data["name"]
    assert kept["email"] == data["email"]
    assert kept["comment"] == data["comment"]
    assert_nothing_stored()


def test_markup_is_shown_as_text_on_the_error_page_that_gives_the_comment_back(client, article):
    text = f"{SCRIPT} {BREAKOUT} </textarea>{SCRIPT}"
    data = filled_form(client, article, comment=text)

    response = post(client, data, headers={"Origin": "https://evil.example"})

    assert response.status_code == 403
    assert_no_live_markup(response.content.decode())
    assert error_page_text(response) == text


def test_markup_in_a_reply_target_name_is_shown_as_text(client, article):
    parent = ReaderCommentFactory(article=article, user_name=SCRIPT)

    response = client.get(article.get_absolute_url(), {"reply_to": parent.pk})

    assert_no_live_markup(response.content.decode())
    assert parse(response).find("form", cls="comment-form").find("h3").text() == (
        f"Reply to {SCRIPT}"
    )


# Cross-site posts; the page stays cacheable without a CSRF token


def test_post_from_another_website_is_refused_with_a_readable_page(client, article):
    data = filled_form(client, article)

    response = post(client, data, headers={"Origin": "https://evil.example"})

    assert response.status_code == 403
    assert "This form was sent from another website." in response.content.decode()
    assert error_page_text(response) == READER["comment"]
    assert_nothing_stored()


@pytest.mark.parametrize("origin", ["http://testserver", None])
def test_post_from_this_site_or_without_origin_is_accepted(client, article, origin):
    headers = {"Origin": origin} if origin else {}

    response = post(client, filled_form(client, article), headers=headers)

    assert_pending_redirect(response, article)
    assert ReaderComment.objects.count() == 1


def test_article_page_with_the_form_is_cacheable_and_sets_no_cookie(client, article):
    response = client.get(article.get_absolute_url())

    assert "public" in response["Cache-Control"]
    assert "private" not in response["Cache-Control"]
    assert not response.cookies
    assert not response.has_header("Set-Cookie")
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_logged_in_staff_post_is_not_attributed_to_them_and_is_held(client, article):
    staff = UserFactory(username="night-editor", is_superuser=True)
    client.force_login(staff)

    response = post(client, filled_form(client, article, name="Night editor"))

    assert_pending_redirect(response, article)
    comment = ReaderComment.objects.get()
    assert comment.user is None
    assert comment.status == ReaderComment.Status.PENDING
    assert comment.user_email == READER["email"]


# Signed fields and targets


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda data, other: {"object_pk": str(other.pk)}, id="object_pk"),
        pytest.param(lambda data, other: {"content_type": "articles.section"}, id="content_type"),
        pytest.param(lambda data, other: {"content_type": "auth.user"}, id="content_type-user"),
        pytest.param(
            lambda data, other: {"timestamp": str(int(data["timestamp"]) + 60)}, id="timestamp"
        ),
        pytest.param(
            lambda data, other: {"timestamp": str(int(data["timestamp"]) - 4 * 24 * 3600)},
            id="timestamp-backdated",
        ),
        pytest.param(lambda data, other: {"timestamp": "soon"}, id="timestamp-garbage"),
        pytest.param(lambda data, other: {"security_hash": "0" * 40}, id="security_hash"),
        pytest.param(lambda data, other: {"security_hash": ""}, id="security_hash-empty"),
    ],
)
def test_changed_signed_field_is_refused_with_a_readable_page(
    client, article, other_article, tamper
):
    data = filled_form(client, article)
    data.update(tamper(data, other_article))

    response = post(client, data)

    assert response.status_code == 400
    assert "changed or damaged" in response.content.decode()
    assert error_page_text(response) == READER["comment"]
    assert_nothing_stored()


def signed_for(target):
    return CommentForm(target).generate_security_data()


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(lambda s: ArticleFactory(section=s, status=Article.Status.DRAFT), id="draft"),
        pytest.param(
            lambda s: ArticleFactory(section=s, status=Article.Status.REVIEW), id="in-review"
        ),
        pytest.param(
            lambda s: ArticleFactory(section=s, published_at=timezone.now() + timedelta(hours=2)),
            id="scheduled",
        ),
        pytest.param(lambda s: get_user_model().objects.create(username="ada"), id="auth.user"),
        pytest.param(lambda s: s, id="section"),
    ],
)
def test_post_to_anything_but_a_published_article_is_refused(client, article, section, target):
    # Even correctly signed: a page opened before the article was unpublished, say.
    data = {**filled_form(client, article), **signed_for(target(section))}

    response = post(client, data)

    assert response.status_code == 400
    assert error_page_text(response) == READER["comment"]
    assert_nothing_stored()


def test_post_to_an_article_that_does_not_exist_is_refused(client, article):
    missing = Article(pk=article.pk + 1000)
    data = {**filled_form(client, article), **signed_for(missing)}

    response = post(client, data)

    assert response.status_code == 400
    assert "could not tell which article" in response.content.decode()
    assert_nothing_stored()


@pytest.mark.parametrize("object_pk", ["", "abc", "1" * 40, "-1", "1.0"])
def test_malformed_object_pk_is_refused_without_an_error(client, article, object_pk):
    data = filled_form(client, article, object_pk=object_pk)

    response = post(client, data)

    assert response.status_code == 400
    assert_nothing_stored()


def test_get_on_the_post_address_is_not_allowed(client):
    assert client.get(post_url()).status_code == 405


# Timestamps: old cached pages work, very old forms come back fresh


def test_form_from_a_page_cached_25_hours_ago_is_accepted(client, article):
    data = filled_form(client, article)

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = post(client, data)

    assert_pending_redirect(response, article)
    assert ReaderComment.objects.count() == 1


def test_form_older_than_the_timeout_comes_back_fresh_with_the_text_kept(client, article):
    data = filled_form(client, article)
    later = timezone.now() + timedelta(seconds=settings.COMMENTS_TIMEOUT + 60)

    with time_machine.travel(later, tick=False):
        response = post(client, data)

        assert response.status_code == 400
        page = parse(response)
        errors = page.find("form", cls="comment-form").find(cls="form-errors")
        assert "This page was open for a long time" in errors.text()
        fresh = field_values(page)
        assert (fresh["name"], fresh["email"], fresh["comment"]) == (
            READER["name"],
            READER["email"],
            READER["comment"],
        )
        assert int(fresh["timestamp"]) > int(data["timestamp"])
        assert fresh["security_hash"] != data["security_hash"]
        assert_nothing_stored()

        again = post(client, fresh)

    assert_pending_redirect(again, article)
    assert ReaderComment.objects.get().comment == READER["comment"]


# Closed comments


@pytest.fixture(
    params=[
        pytest.param({"allow_comments": False}, id="switched-off"),
        pytest.param(
            {"published_at_days_ago": settings.COMMENTS_CLOSE_AFTER_DAYS + 1}, id="too-old"
        ),
    ]
)
def closed_article(request, section):
    options = dict(request.param)
    days = options.pop("published_at_days_ago", None)
    if days is not None:
        options["published_at"] = timezone.now() - timedelta(days=days)
    return ArticleFactory(headline="An old story", section=section, **options)


def test_closed_article_shows_its_thread_and_says_comments_are_closed(client, closed_article):
    comment = ReaderCommentFactory(article=closed_article, comment="Written while open.")

    page = parse(client.get(closed_article.get_absolute_url()))

    section = page.find("section", id="comments")
    assert section.find("li", id=f"c{comment.pk}") is not None
    assert "Written while open." in section.text()
    assert section.find(cls="comments__closed").text() == "Comments are closed."
    assert section.find("form", cls="comment-form") is None
    assert section.find(cls="comment__reply") is None


def test_post_to_a_closed_article_gets_a_readable_403(client, article, closed_article):
    data = {**filled_form(client, article), **signed_for(closed_article)}

    response = post(client, data)

    assert response.status_code == 403
    assert "Comments are closed." in response.content.decode()
    assert error_page_text(response) == READER["comment"]
    assert_nothing_stored()


def test_comments_close_by_themselves_after_the_limit(client, article):
    data = filled_form(client, article)
    later = article.published_at + timedelta(days=settings.COMMENTS_CLOSE_AFTER_DAYS, hours=1)

    with time_machine.travel(later):
        response = post(client, data)

    assert response.status_code == 403
    assert_nothing_stored()


# Flood control


def second_reader(**changes):
    return {
        "name": "Sam Okafor",
        "email": "sam@example.org",
        "comment": "Will there be a cycle lane?",
        **changes,
    }


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_second_comment_from_the_same_client_within_15_seconds_gets_a_readable_429(
    client, article, frozen
):
    assert_pending_redirect(post(client, filled_form(client, article)), article)
    frozen.shift(10)

    response = post(client, {**filled_form(client, article), **second_reader()})

    assert response.status_code == 429
    assert response["Retry-After"] == "5"  # the first comment's slot frees at 15 s
    assert "Please wait a moment" in response.content.decode()
    assert error_page_text(response) == "Will there be a cycle lane?"
    assert ReaderComment.objects.count() == 1


def test_one_comment_per_15_seconds_holds_wherever_the_first_falls_in_the_clock(
    client, article, frozen
):
    # Fixed windows (counters that reset on the clock) would let a second comment through
    # whenever a window boundary falls between the two; trying each second finds one.
    data = page_fields(client, article)
    start = timezone.now()
    for offset in range(15):
        cache.clear()
        frozen.move_to(start + timedelta(seconds=offset))
        first = post(client, {**data, **READER, "email": f"first{offset}@example.org"})
        frozen.shift(14)
        second = post(client, {**data, **second_reader(email=f"second{offset}@example.org")})
        assert (first.status_code, second.status_code) == (302, 429), offset


def test_second_comment_with_the_same_email_from_elsewhere_gets_429(client, article, frozen):
    first = post(client, filled_form(client, article), REMOTE_ADDR="198.51.100.1")
    assert_pending_redirect(first, article)
    frozen.shift(5)

    data = {**filled_form(client, article), **second_reader(email="ROSA@example.org")}
    response = post(client, data, REMOTE_ADDR="203.0.113.99")

    assert response.status_code == 429
    assert response["Retry-After"] == "10"
    assert error_page_text(response) == "Will there be a cycle lane?"
    assert ReaderComment.objects.count() == 1


def test_client_may_comment_again_after_16_seconds(client, article, frozen):
    assert_pending_redirect(post(client, filled_form(client, article)), article)
    frozen.shift(16)

    response = post(client, {**filled_form(client, article), **second_reader()})

    assert_pending_redirect(response, article)
    assert ReaderComment.objects.count() == 2


def test_different_readers_are_not_limited_together(client, article, frozen):
    first = post(client, filled_form(client, article), REMOTE_ADDR="198.51.100.1")
    second = post(
        client,
        {**filled_form(client, article), **second_reader()},
        REMOTE_ADDR="198.51.100.2",
    )

    assert_pending_redirect(first, article)
    assert_pending_redirect(second, article)
    assert ReaderComment.objects.count() == 2


def test_refused_forms_do_not_use_up_the_limit(client, article, frozen):
    assert post(client, filled_form(client, article, comment="")).status_code == 400

    assert_pending_redirect(post(client, filled_form(client, article)), article)


def test_address_behind_a_trusted_proxy_is_the_forwarded_one(client, article, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]

    response = post(
        client,
        filled_form(client, article),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1",
    )

    assert_pending_redirect(response, article)
    assert ReaderComment.objects.get().ip_address == "203.0.113.5"


def test_forwarded_for_sent_by_the_client_itself_is_ignored(client, article, settings):
    settings.TRUSTED_PROXIES = []

    post(
        client,
        filled_form(client, article),
        REMOTE_ADDR="198.51.100.23",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )

    assert ReaderComment.objects.get().ip_address == "198.51.100.23"


def test_spoofed_forwarded_for_does_not_escape_the_limit(client, article, settings, frozen):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    first = post(
        client,
        filled_form(client, article),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1",
    )
    assert_pending_redirect(first, article)

    # Same reader, claiming another address in front of what the proxy appended.
    response = post(
        client,
        {**filled_form(client, article), **second_reader()},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.5, 10.0.0.1",
    )

    assert response.status_code == 429


def test_readers_behind_the_same_trusted_proxy_are_limited_apart(client, article, settings, frozen):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    first = post(
        client,
        filled_form(client, article),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    second = post(
        client,
        {**filled_form(client, article), **second_reader()},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )

    assert_pending_redirect(first, article)
    assert_pending_redirect(second, article)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        pytest.param([], "198.51.100.23", None, "198.51.100.23", id="direct"),
        pytest.param([], "198.51.100.23", "203.0.113.5", "198.51.100.23", id="untrusted-header"),
        pytest.param(
            ["10.0.0.1"], "198.51.100.23", "203.0.113.5", "198.51.100.23", id="not-from-proxy"
        ),
        pytest.param(["10.0.0.1"], "10.0.0.1", "203.0.113.5", "203.0.113.5", id="one-proxy"),
        pytest.param(
            ["10.0.0.1"],
            "10.0.0.1",
            "203.0.113.5, 10.0.0.1",
            "203.0.113.5",
            id="proxy-listed-itself",
        ),
        pytest.param(
            ["10.0.0.1"],
            "10.0.0.1",
            "192.0.2.77, 203.0.113.5",
            "203.0.113.5",
            id="spoofed-first-hop",
        ),
        pytest.param(
            ["10.0.0.0/8"],
            "10.0.0.2",
            "203.0.113.5, 10.1.2.3",
            "203.0.113.5",
            id="chain-of-proxies",
        ),
        pytest.param(["10.0.0.1"], "10.0.0.1", None, "10.0.0.1", id="proxy-without-header"),
        pytest.param(["10.0.0.1"], "10.0.0.1", "10.0.0.1", "10.0.0.1", id="only-proxies"),
        pytest.param(["10.0.0.1"], "10.0.0.1", " 2001:db8::5 ,10.0.0.1", "2001:db8::5", id="ipv6"),
        pytest.param(["10.0.0.1"], "10.0.0.1", "not-an-address", "10.0.0.1", id="garbage"),
        pytest.param([], "", None, "0.0.0.0", id="no-remote-addr"),  # noqa: S104
    ],
)
def test_client_ip(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded

    assert client_ip(RequestFactory().post("/comments/post/", **meta)) == expected


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("198.51.100.23", "198.51.100.23"),
        ("2001:db8:1:2::5", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.23", "198.51.100.23"),
    ],
)
def test_client_network_groups_an_ipv6_subscriber(settings, remote, expected):
    settings.TRUSTED_PROXIES = []

    assert client_network(RequestFactory().post("/", REMOTE_ADDR=remote)) == expected


def test_addresses_of_one_ipv6_network_share_the_limit(client, article, frozen):
    first = post(client, filled_form(client, article), REMOTE_ADDR="2001:db8:1:2::5")
    second = post(
        client,
        {**filled_form(client, article), **second_reader()},
        REMOTE_ADDR="2001:db8:1:2::6",
    )

    assert_pending_redirect(first, article)
    assert second.status_code == 429


# Bots and double clicks


def test_filled_honeypot_looks_accepted_but_stores_nothing(client, article):
    data = filled_form(client, article, honeypot="https://spam.example")

    response = post(client, data)

    assert_pending_redirect(response, article)
    assert_nothing_stored()


def test_same_post_twice_stores_one_comment_and_confirms_both(client, article, frozen):
    data = filled_form(client, article)

    first = post(client, data)
    second = post(client, data)

    assert_pending_redirect(first, article)
    assert_pending_redirect(second, article)
    assert ReaderComment.objects.count() == 1


def test_resubmitted_page_after_a_while_is_still_stored_once(client, article, frozen):
    data = filled_form(client, article)
    assert_pending_redirect(post(client, data), article)
    frozen.shift(60)

    assert_pending_redirect(post(client, filled_form(client, article)), article)
    assert ReaderComment.objects.count() == 1


# Replies


def test_reply_link_target_shows_reply_to_the_name_with_the_hidden_reply_to(client, article):
    parent = ReaderCommentFactory(article=article, user_name="Lena Park")

    page = parse(client.get(article.get_absolute_url(), {"reply_to": parent.pk}))

    form = page.find("form", cls="comment-form")
    assert form.find("h3").text() == "Reply to Lena Park"
    reply_to = form.find("input", name="reply_to")
    assert reply_to.attrs["type"] == "hidden"
    assert reply_to.attrs["value"] == str(parent.pk)
    assert form.find("a", href=f"#c{parent.pk}") is not None


def test_reply_to_a_public_comment_is_stored_under_it(client, article):
    parent = ReaderCommentFactory(article=article, user_name="Lena Park")
    data = {**page_fields(client, article, reply_to=parent.pk), **READER}

    response = post(client, data)

    assert_pending_redirect(response, article)
    reply = ReaderComment.objects.exclude(pk=parent.pk).get()
    assert reply.parent_id == parent.pk
    assert reply.thread_id == parent.thread_id
    assert reply.level == 1
    assert reply.status == ReaderComment.Status.PENDING


def test_reply_to_a_reply_is_stored_at_the_second_level(client, article):
    parent = ReaderCommentFactory(article=article)
    reply = ReaderCommentFactory(parent=parent)
    data = {**page_fields(client, article, reply_to=reply.pk), **READER}

    assert_pending_redirect(post(client, data), article)

    stored = ReaderComment.objects.get(comment=READER["comment"])
    assert (stored.parent_id, stored.level) == (reply.pk, 2)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param(
            lambda article, other: ReaderCommentFactory(article=article).pk + 1000,
            "The comment you are replying to is not available. Post it as a new comment.",
            id="missing",
        ),
        pytest.param(
            lambda article, other: (
                ReaderCommentFactory(article=article, status=ReaderComment.Status.PENDING).pk
            ),
            "The comment you are replying to is not available. Post it as a new comment.",
            id="pending",
        ),
        pytest.param(
            lambda article, other: (
                ReaderCommentFactory(article=article, status=ReaderComment.Status.REMOVED).pk
            ),
            "The comment you are replying to is not available. Post it as a new comment.",
            id="removed",
        ),
        pytest.param(
            lambda article, other: ReaderCommentFactory(article=other).pk,
            "The comment you are replying to is not available. Post it as a new comment.",
            id="other-article",
        ),
        pytest.param(
            lambda article, other: (
                ReaderCommentFactory(
                    parent=ReaderCommentFactory(parent=ReaderCommentFactory(article=article))
                ).pk
            ),
            "This conversation is as deep as it goes: reply to an earlier comment.",
            id="max-depth",
        ),
    ],
)
def test_reply_to_an_unavailable_comment_is_refused_next_to_the_form(
    client, article, other_article, target, message
):
    reply_to = target(article, other_article)
    before = ReaderComment.objects.count()
    data = filled_form(client, article, reply_to=str(reply_to))

    response = post(client, data)

    assert response.status_code == 400
    page = parse(response)
    form = page.find("form", cls="comment-form")
    assert message in form.find(cls="form-errors").text()
    kept = field_values(page)
    assert (kept["name"], kept["email"], kept["comment"]) == (
        READER["name"],
        READER["email"],
        READER["comment"],
    )
    assert_nothing_stored(before)


def test_refused_reply_can_be_posted_again_as_a_new_comment(client, article):
    pending = ReaderCommentFactory(article=article, status=ReaderComment.Status.PENDING)
    data = filled_form(client, article, reply_to=str(pending.pk))
    page = parse(post(client, data))
    again = field_values(page)

    assert again.get("reply_to", "") == ""
    assert page.find("form", cls="comment-form").find("h3").text() == "Leave a comment"
    assert_pending_redirect(post(client, again), article)
    stored = ReaderComment.objects.get(comment=READER["comment"])
    assert (stored.parent_id, stored.level) == (stored.pk, 0)


@pytest.mark.parametrize("reply_to", ["abc", "-3", "1" * 30])
def test_malformed_reply_to_is_refused_without_an_error(client, article, reply_to):
    ReaderCommentFactory(article=article)

    response = post(client, filled_form(client, article, reply_to=reply_to))

    assert response.status_code == 400
    assert_nothing_stored(1)


def test_reply_to_link_for_a_comment_at_the_max_depth_offers_a_new_comment(client, article):
    deepest = ReaderCommentFactory(
        parent=ReaderCommentFactory(parent=ReaderCommentFactory(article=article))
    )
    assert deepest.level == settings.COMMENTS_XTD_MAX_THREAD_LEVEL

    page = parse(client.get(article.get_absolute_url(), {"reply_to": deepest.pk}))

    form = page.find("form", cls="comment-form")
    assert form.find("h3").text() == "Leave a comment"
    assert form.find("input", name="reply_to") is None


# Names that cannot change direction (issue 11, item 10)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\u202eRosa Díaz", "Rosa Díaz"),  # right-to-left override
        ("Rosa\u200b Díaz", "Rosa Díaz"),  # zero-width space
        ("\u2067Rosa\u2069 Díaz\ufeff", "Rosa Díaz"),  # isolate, byte-order mark
        ("Rosa\u2060\u200dDíaz", "RosaDíaz"),  # word joiner, zero-width joiner
        ("Rosa\tDíaz\x1b", "Rosa Díaz"),  # controls
    ],
)
def test_invisible_and_direction_characters_are_taken_out_of_names(client, article, typed, stored):
    response = post(client, filled_form(client, article, name=typed))

    assert_pending_redirect(response, article)
    assert ReaderComment.objects.get().user_name == stored


@pytest.mark.parametrize(
    "name",
    [
        "ليلى عبد الله",  # Arabic
        "مُحَمَّد",  # Arabic with its vowel marks (combining)
        "דנה כהן",  # Hebrew
        "अनुष्का शर्मा",  # Devanagari: vowel signs and a virama
        "Zoë O'Brien-Núñez",
    ],
)
def test_names_in_any_script_are_stored_as_typed(client, article, name):
    response = post(client, filled_form(client, article, name=name))

    assert_pending_redirect(response, article)
    assert ReaderComment.objects.get().user_name == name


def test_a_name_of_only_invisible_characters_is_refused(client, article):
    response = post(client, filled_form(client, article, name="\u200b\u202e\ufeff"))

    assert response.status_code == 400
    assert field_error(parse(response), "name") == "Please enter your name here"
    assert_nothing_stored()


def test_readers_names_are_isolated_on_the_article_page(client, article):
    """A name stored before names were cleaned still cannot turn the line around."""
    name = "\u202eAda"
    comment = ReaderCommentFactory(article=article, user_name=name)

    page = parse(client.get(article.get_absolute_url(), {"reply_to": comment.pk}))

    shown = page.find("li", id=f"c{comment.pk}")
    assert shown.find(cls="comment__author").find("bdi").text() == name
    assert [bdi.text() for bdi in shown.find(cls="comment__actions").find_all("bdi")] == [name] * 2
    form = page.find("form", cls="comment-form")
    assert [bdi.text() for bdi in form.find_all("bdi")] == [name] * 2
