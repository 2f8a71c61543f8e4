"""The desk's endpoints: the autosave heartbeat and discarding a draft."""

import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from articles.models import Article
from editing.desk import edit_key, session_token
from editing.models import EditSession
from tests.admin_pages import logged_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AUTOSAVE_URL = reverse("editing:autosave")
DISCARD_URL = reverse("editing:discard")
KEY = "articles.article:7"
DRAFT = {"headline": "Ferry timetable changes", "tags": ["1", "2"], "body": "<p>Fewer.</p>"}


def beat(client, payload, **headers):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(AUTOSAVE_URL, body, content_type="application/json", **headers)


def test_a_heartbeat_with_data_keeps_it_as_the_users_draft(ada):
    response = beat(logged_in(ada), {"token": session_token(user=ada, key=KEY), "data": DRAFT})

    assert response.status_code == 200
    session = EditSession.objects.get(user=ada, key=KEY)
    assert session.data == DRAFT
    assert response.json() == {"saved_at": session.saved_at.isoformat(), "editors": []}


def test_a_heartbeat_without_data_keeps_the_draft_and_says_who_else_is_there(ada, ben):
    with time_machine.travel("2026-12-06 10:42:00+00:00", tick=False):
        beat(logged_in(ada), {"token": session_token(user=ada, key=KEY), "data": DRAFT})
    with time_machine.travel("2026-12-06 10:42:20+00:00", tick=False):
        answer = beat(logged_in(ben), {"token": session_token(user=ben, key=KEY)}).json()

    assert answer["saved_at"] is None
    assert answer["editors"] == [
        {"name": "Ada Reyes", "since": "2026-12-06T10:42:00+00:00", "since_time": "10:42"}
    ]
    assert EditSession.objects.get(user=ada).data == DRAFT


def test_someone_not_heard_from_for_a_while_has_left(ada, ben, settings):
    with time_machine.travel("2026-12-06 10:00:00+00:00", tick=False):
        beat(logged_in(ada), {"token": session_token(user=ada, key=KEY)})
    with time_machine.travel("2026-12-06 10:00:31+00:00", tick=False):
        answer = beat(logged_in(ben), {"token": session_token(user=ben, key=KEY)}).json()
    assert answer["editors"] == []


def test_a_new_story_is_nobody_elses(ada, ben):
    key = edit_key(Article)
    beat(logged_in(ada), {"token": session_token(user=ada, key=key), "data": DRAFT})
    answer = beat(logged_in(ben), {"token": session_token(user=ben, key=key)}).json()
    assert answer["editors"] == []
    assert EditSession.objects.get(user=ben, key=key).data is None


def test_each_users_draft_is_their_own(ada, ben):
    beat(logged_in(ada), {"token": session_token(user=ada, key=KEY), "data": DRAFT})

    # Ben cannot write into Ada's draft with her token...
    stolen = beat(logged_in(ben), {"token": session_token(user=ada, key=KEY), "data": {}})
    assert stolen.status_code == 403
    assert "not yours" in stolen.json()["error"]
    # ...and his own draft of the same story is another row.
    beat(logged_in(ben), {"token": session_token(user=ben, key=KEY), "data": {"headline": "B"}})
    assert EditSession.objects.get(user=ada).data == DRAFT
    assert EditSession.objects.get(user=ben).data == {"headline": "B"}


@pytest.mark.parametrize(
    "make_client",
    [
        pytest.param(lambda: Client(), id="anonymous"),
        pytest.param(lambda: logged_in(UserFactory(is_staff=False)), id="not staff"),
        pytest.param(lambda: logged_in(UserFactory(is_active=False)), id="inactive"),
    ],
)
def test_only_staff_may_autosave(make_client, ada):
    response = beat(make_client(), {"token": session_token(user=ada, key=KEY), "data": DRAFT})
    assert response.status_code == 403
    assert not EditSession.objects.exists()


def test_a_forged_token_is_refused(ada):
    token = session_token(user=ada, key=KEY)
    response = beat(logged_in(ada), {"token": token[:-2] + "xx", "data": DRAFT})
    assert response.status_code == 403
    assert not EditSession.objects.exists()


def test_an_expired_token_is_refused(ada, settings):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False):
        token = session_token(user=ada, key=KEY)
    with time_machine.travel("2026-12-04 10:00:01+00:00", tick=False):
        assert beat(logged_in(ada), {"token": token, "data": DRAFT}).status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"{not json", id="not JSON"),
        pytest.param(b"\xff\xfe", id="not UTF-8"),
        pytest.param([1, 2], id="a list"),
        pytest.param({"data": DRAFT}, id="no token"),
        pytest.param({"token": 12}, id="token not a string"),
        pytest.param({"token": "T", "data": "text"}, id="data not an object"),
        pytest.param({"token": "T", "data": {"tags": [1]}}, id="a value not text"),
        pytest.param({"token": "T", "data": {"body": {"p": "x"}}}, id="a nested object"),
        pytest.param({"token": "T", "data": {"body": "a\u0000b"}}, id="NUL in a value"),
        pytest.param({"token": "T", "data": {"a\u0000": "b"}}, id="NUL in a name"),
    ],
)
def test_bad_json_is_a_400_that_says_why(ada, payload):
    if isinstance(payload, dict) and payload.get("token") == "T":
        payload["token"] = session_token(user=ada, key=KEY)
    response = beat(logged_in(ada), payload)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not EditSession.objects.filter(data__isnull=False).exists()


def test_a_draft_over_the_size_limit_is_refused_with_a_413(ada, settings):
    settings.EDITING_DRAFT_MAX_BYTES = 1000
    token = session_token(user=ada, key=KEY)
    client = logged_in(ada)

    fits = beat(client, {"token": token, "data": {"body": "x" * 800}})
    too_big = beat(client, {"token": token, "data": {"body": "y" * 1000}})

    assert fits.status_code == 200
    assert too_big.status_code == 413
    assert "too long to autosave" in too_big.json()["error"]
    assert EditSession.objects.get().data == {"body": "x" * 800}


def test_autosave_needs_the_csrf_token(ada):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    payload = {"token": session_token(user=ada, key=KEY), "data": DRAFT}
    assert beat(client, payload).status_code == 403
    assert not EditSession.objects.exists()


def test_autosave_takes_posts_only(ada):
    assert logged_in(ada).get(AUTOSAVE_URL).status_code == 405


def test_discard_asks_then_forgets_the_draft_and_goes_back(ada):
    client = logged_in(ada)
    token = session_token(user=ada, key=KEY)
    beat(client, {"token": token, "data": DRAFT})
    back = "/admin/articles/article/7/change/"

    question = client.get(DISCARD_URL, {"token": token, "next": back})
    assert question.status_code == 200
    assert "will be gone for good" in question.content.decode()
    assert EditSession.objects.get().data == DRAFT

    response = client.post(DISCARD_URL, {"token": token, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    session = EditSession.objects.get()
    assert session.data is None and session.saved_at is None


def test_discard_goes_nowhere_but_this_site_and_touches_no_one_elses_draft(ada, ben):
    beat(logged_in(ada), {"token": session_token(user=ada, key=KEY), "data": DRAFT})
    response = logged_in(ben).post(
        DISCARD_URL, {"token": session_token(user=ada, key=KEY), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert EditSession.objects.get(user=ada).data == DRAFT
