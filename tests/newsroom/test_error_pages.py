"""A POST that fails on our side (the database gone, a bug) gives the sender back what
they sent, in a form that sends it again: nothing a reader or an editor typed is lost."""

from unittest import mock
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.test import RequestFactory
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from comments.forms import CommentForm
from comments.models import ReaderComment
from newsroom.views import RAW_BODY_BYTES, same_site_path
from tests.admin_pages import form_data
from tests.articles.test_admin import ADD_URL, article_fields
from tests.comments.pages import field_values, form_values, parse

pytestmark = pytest.mark.django_db

READER = {
    "name": "Rosa Díaz",
    "email": "rosa@example.org",
    "comment": "The tunnel saves me an hour a day.\nThank you for the <b>report</b> & the map.",
}


def unsent_form(response):
    form = parse(response).find("form", cls="unsent-post")
    assert form is not None, "the error page does not give the POST back"
    return form


def test_a_comment_sent_while_the_database_is_down_can_be_sent_again(client, article):
    client.raise_request_exception = False
    sent = {**field_values(parse(client.get(article.get_absolute_url()))), **READER}
    with mock.patch(
        "comments.views.services.comment_already_posted",
        side_effect=OperationalError("the database system is shutting down"),
    ):
        response = client.post(reverse("comments:post"), sent)
    assert response.status_code == 503
    assert not ReaderComment.objects.exists()
    form = unsent_form(response)
    assert form.attrs["action"] == reverse("comments:post")
    assert form_values(form) == sent
    # The comment and the name are shown, to be copied or corrected; the machinery is not.
    assert form.find("textarea").text().removeprefix("\n") == READER["comment"]
    assert form.find("input", name="name").attrs["type"] == "text"
    assert form.find("input", name="security_hash").attrs["type"] == "hidden"

    # The database is back: "Send again" posts exactly what the form holds.
    response = client.post(form.attrs["action"], form_values(form))
    assert response.status_code == 302
    assert response["Location"].endswith("?comment=pending#comment-status")
    assert ReaderComment.objects.get().comment == READER["comment"]


def test_an_article_that_failed_to_save_comes_back_whole(editor_client, section):
    client = editor_client
    client.raise_request_exception = False
    body = "<p>The operator announced the change on Monday.</p>\n<p>Crossings end at ten.</p>"
    data = form_data(client.get(ADD_URL), **article_fields(section, body=body))
    data["csrfmiddlewaretoken"] = "the-token-the-admin-page-gave-the-editor"
    with mock.patch("articles.admin.services.article_save", side_effect=RuntimeError("bug")):
        response = client.post(ADD_URL, data)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    form = unsent_form(response)
    assert form.attrs["action"] == ADD_URL
    assert form_values(form)["body"] == body
    assert form_values(form)["headline"] == "Ferry timetable changes"
    assert form_values(form)["csrfmiddlewaretoken"] == data["csrfmiddlewaretoken"]


def test_passwords_are_never_written_back_into_a_page(client):
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.auth.forms.authenticate",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = client.post(
            reverse("admin:login"),
            {"username": "desk editor", "password": "correct horse battery staple"},
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "correct horse battery staple" not in html
    assert form_values(unsent_form(response))["username"] == "desk editor"


def test_a_failed_get_has_nothing_to_send_again(client, article):
    client.raise_request_exception = False
    with mock.patch("articles.pages.STORY_AT", side_effect=OperationalError("down")):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert parse(response).find("form") is None


@pytest.mark.parametrize(
    "path", ["//evil.example/steal", "/\\evil.example/steal", "///evil.example/steal"]
)
def test_the_form_only_ever_sends_back_to_this_site(path):
    request = RequestFactory().post("/comments/post/")
    request.path = path
    action = same_site_path(request)
    assert action.startswith("/")
    assert action[1] not in "/\\"


# Bodies Django refuses before any view reads them (issue 11, item 9): the 400 page gives
# back what was typed, to be copied.

TYPED = "The tunnel saves me an hour a day.\nThank you for the <b>report</b> & the map. Ça va."


def urlencoded(fields, charset="utf-8"):
    return urlencode(fields, encoding=charset).encode("ascii")


def too_big(article):
    """A form Django refuses for its size (over DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    padding = "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return urlencoded({**comment_fields(article), "more": padding}), URLENCODED


def too_many_fields(article):
    extra = {f"f{i}": "x" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    return urlencoded({**comment_fields(article), **extra}), URLENCODED


def latin1(article):
    """An old client encoding the form in Latin-1 and saying so: refused, as RFC 1866 has
    urlencoded forms in UTF-8; given back in the charset it named."""
    return urlencoded(comment_fields(article), "latin-1"), f"{URLENCODED}; charset=latin-1"


def multipart_without_boundary(article):
    return encode_multipart(BOUNDARY, comment_fields(article)), "multipart/form-data"


URLENCODED = "application/x-www-form-urlencoded"
REFUSED_BODIES = [too_big, too_many_fields, latin1, multipart_without_boundary]


def comment_fields(article):
    return {
        **CommentForm(article).generate_security_data(),
        "name": "Rosa Díaz",
        "email": "rosa@example.org",
        "comment": TYPED,
    }


def typed_back(response):
    """What the 400 page gives back: each readonly textarea's label and text."""
    page = parse(response)
    return {
        page.find("label", for_=area.attrs["id"]).text(): area.text().removeprefix("\n")
        for area in page.find_all("textarea")
        if "readonly" in area.attrs
    }


@pytest.mark.parametrize("body", REFUSED_BODIES)
def test_a_comment_refused_for_its_body_is_given_back_to_copy(client, article, body):
    data, content_type = body(article)

    response = client.generic("POST", reverse("comments:post"), data, content_type=content_type)

    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not read what was sent" in html
    assert 'href="/static/css/site.css"' in html
    assert typed_back(response) == {"Name": "Rosa Díaz", "Comment": TYPED}
    assert "<b>report</b>" not in html
    assert "no-store" in response["Cache-Control"]
    assert not ReaderComment.objects.exists()


def test_only_the_start_of_a_huge_body_is_read_and_shown(client, article):
    text = "Word " * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 4)
    data = urlencoded({**comment_fields(article), "comment": text})

    response = client.generic("POST", reverse("comments:post"), data, content_type=URLENCODED)

    assert response.status_code == 400
    shown = typed_back(response)["Comment"]
    assert text.startswith(shown)
    assert len(shown) < RAW_BODY_BYTES


def test_a_bad_request_without_a_body_says_so_plainly(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "We could not read what was sent" in response.content.decode()
    assert typed_back(response) == {}
