"""The moderators' queue made for deciding: where comments wait and for how long, the
filters by section and story, a commenter's history one click away, and the e-mail
when the oldest comment has waited too long."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments import services
from comments.models import ReaderComment
from tests.comments.test_admin import row_html, stored
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
CHANGELIST_URL = reverse("admin:comments_readercomment_changelist")


@pytest.fixture
def newsroom(db):
    """Two sections: City with two stories, Sport with one."""
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    return {
        "city": city,
        "sport": sport,
        "tunnel": ArticleFactory(section=city, headline="Harbour tunnel opens"),
        "market": ArticleFactory(section=city, headline="Night market returns"),
        "regatta": ArticleFactory(section=sport, headline="Kestrel Bay regatta"),
    }


def texts(response):
    assert response.status_code == 200
    return sorted(c.comment for c in response.context["cl"].result_list)


def test_queue_says_how_many_wait_in_each_section_and_how_long_the_oldest_has(
    as_moderator, moderator, newsroom
):
    stored(newsroom["tunnel"], "Tunnel one.", minutes_ago=150)
    stored(newsroom["market"], "Market one.", email="bo@example.com", minutes_ago=5)
    stored(newsroom["regatta"], "Regatta one.", email="cy@example.com", minutes_ago=1)
    stored(
        newsroom["regatta"], "Decided.", email="di@example.com", status=Status.PUBLIC, by=moderator
    )

    response = as_moderator.get(CHANGELIST_URL)

    assert response.context["pending_count"] == 3
    assert response.context["pending_by_section"] == [(newsroom["city"], 2), (newsroom["sport"], 1)]
    html = response.content.decode()
    assert "3 comments pending" in html
    assert "the oldest has waited 2\xa0hours, 30\xa0minutes" in html
    section_filter = dict(
        (choice["display"], choice["query_string"])
        for spec in response.context["cl"].filter_specs
        if spec.title == "section"
        for choice in spec.choices(response.context["cl"])
    )
    assert "City (2 pending)" in section_filter
    assert "Sport (1 pending)" in section_filter


def test_queue_filters_by_section_and_by_story(as_moderator, newsroom):
    stored(newsroom["tunnel"], "Tunnel one.")
    stored(newsroom["market"], "Market one.", email="bo@example.com")
    stored(newsroom["regatta"], "Regatta one.", email="cy@example.com")

    city = as_moderator.get(CHANGELIST_URL, {"section": newsroom["city"].pk})
    sport = as_moderator.get(CHANGELIST_URL, {"section": newsroom["sport"].pk})
    market = as_moderator.get(CHANGELIST_URL, {"article": newsroom["market"].pk})

    assert texts(city) == ["Market one.", "Tunnel one."]
    assert texts(sport) == ["Regatta one."]
    assert texts(market) == ["Market one."]
    stories = [
        choice["display"]
        for spec in market.context["cl"].filter_specs
        if spec.title == "story"
        for choice in spec.choices(market.context["cl"])
    ]
    assert stories == [
        "All",
        "Harbour tunnel opens (1)",
        "Night market returns (1)",
        "Kestrel Bay regatta (1)",
    ]


@pytest.mark.parametrize(
    "query", ["section=x", "section=٣", "article=1.5", "article=99999999999999999999"]
)
def test_a_filter_value_that_names_nothing_is_a_bad_request(as_moderator, newsroom, query):
    assert as_moderator.get(f"{CHANGELIST_URL}?{query}").status_code == 400


def test_a_story_without_comments_or_since_deleted_shows_none_rather_than_all(
    as_moderator, newsroom
):
    stored(newsroom["tunnel"], "Tunnel one.")

    assert texts(as_moderator.get(CHANGELIST_URL, {"article": newsroom["regatta"].pk})) == []
    assert texts(as_moderator.get(CHANGELIST_URL, {"article": 987654})) == []


def test_a_commenters_history_is_one_click_from_each_card_with_the_decision_counts(
    as_moderator, moderator, newsroom
):
    article = newsroom["tunnel"]
    stored(article, "Approved.", email="Ada@Example.com", status=Status.PUBLIC, by=moderator)
    stored(article, "Approved too.", status=Status.PUBLIC, by=moderator)
    stored(article, "Rejected.", status=Status.REMOVED, by=moderator)
    stored(article, "Spam.", email="ADA@example.com", status=Status.SPAM, by=moderator)
    waiting = stored(article, "Waiting.", minutes_ago=1)
    stored(article, "Someone else.", email="bo@example.com", status=Status.PUBLIC, by=moderator)
    queue = as_moderator.get(CHANGELIST_URL, {"status__exact": "pending"}).content.decode()
    link = re.search(r'class="field-history" href="([^"]+)"', row_html(queue, waiting)).group(1)

    history = as_moderator.get(CHANGELIST_URL + link.replace("&amp;", "&"))

    assert texts(history) == ["Approved too.", "Approved.", "Rejected.", "Spam.", "Waiting."]
    summary = re.sub(r"\s+", " ", history.content.decode())
    assert (
        "Every comment from <strong>ada@example.com</strong>: "
        "2 approved, 1 rejected, 1 spam, 1 pending." in summary
    )


def queue_in_sections(count):
    """`count` pending comments, each on a story of its own section."""
    for i in range(count):
        article = ArticleFactory(section=SectionFactory())
        stored(article, f"Comment {i}.", email=f"r{i}@example.com")


def queue_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST_URL + query)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["?status__exact=pending", "?section=1", "?email=r1@example.com"])
def test_queue_query_count_does_not_grow_with_comments_sections_or_stories(as_moderator, query):
    queue_in_sections(3)
    few = queue_queries(as_moderator, query)
    queue_in_sections(30)

    assert queue_queries(as_moderator, query) == few


# --- The e-mail when the oldest comment has waited too long -----------------------------


@pytest.fixture
def alert_after_two_hours(settings):
    settings.COMMENTS_QUEUE_ALERT_MINUTES = 120
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@example.com"]
    UserFactory(username="seed-moderator", email="mod@example.com", groups=["Moderator"])


def overdue_mails():
    return [m for m in mail.outbox if "waited" in m.subject]


def test_moderators_are_mailed_once_when_the_oldest_comment_passes_the_threshold(
    alert_after_two_hours, as_moderator, newsroom
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stored(newsroom["tunnel"], "Posted at the start.")
    with time_machine.travel(start + timedelta(minutes=119), tick=False):
        as_moderator.get(CHANGELIST_URL)
        assert overdue_mails() == []

    with time_machine.travel(start + timedelta(minutes=121), tick=False):
        as_moderator.get(CHANGELIST_URL)  # the queue opened: the crossing is seen
        stored(newsroom["market"], "A new comment meanwhile.", email="bo@example.com")
        as_moderator.get(CHANGELIST_URL)

    [notice] = overdue_mails()
    assert sorted(notice.to) == ["desk@example.com", "mod@example.com", "moderator@example.com"]
    assert notice.subject.endswith("A comment has waited 2\xa0hours, 1\xa0minute for moderation")
    assert "Posted at the start." in notice.body
    assert "1 comment is waiting in all" in notice.body  # sent when the queue was opened
    assert (
        "http://testserver/admin/comments/readercomment/?status__exact=pending&o=1" in notice.body
    )


def test_a_new_crossing_is_mailed_again_once_the_queue_was_seen_under_the_threshold(
    alert_after_two_hours, as_moderator, moderator, newsroom
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = stored(newsroom["tunnel"], "The first wait.")
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        as_moderator.get(CHANGELIST_URL)
        services.comments_moderate(comments=[first], status=Status.PUBLIC, by=moderator)
        stored(newsroom["market"], "The second wait.", email="bo@example.com")
        as_moderator.get(CHANGELIST_URL)  # after the decision: the queue is under the threshold
    with time_machine.travel(start + timedelta(hours=6), tick=False):
        as_moderator.get(CHANGELIST_URL)

    assert ["The first wait." in m.body for m in overdue_mails()] == [True, False]


def test_the_oldest_comment_is_checked_when_a_comment_is_held(
    alert_after_two_hours, newsroom, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stored(newsroom["tunnel"], "Nobody opened the queue.")
    with (
        time_machine.travel(start + timedelta(hours=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        stored(newsroom["market"], "Held three hours later.", email="bo@example.com")

    [notice] = overdue_mails()
    assert "Nobody opened the queue." in notice.body


def test_no_overdue_mail_when_the_threshold_is_zero(
    settings, alert_after_two_hours, as_moderator, newsroom
):
    settings.COMMENTS_QUEUE_ALERT_MINUTES = 0
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):
        stored(newsroom["tunnel"], "Two days old.")

    as_moderator.get(CHANGELIST_URL)

    assert overdue_mails() == []


# --- The same alert from the worker, with nobody around --------------------------------


@pytest.fixture
def worker_queue(settings, alert_after_two_hours):
    """The database queue and its worker, as production runs them (not the immediate
    backend of the test settings, which cannot hold a task until a time)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.clear()


def run_worker():
    """What `manage.py db_worker` does with the tasks due so far."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.fixture
def held(django_capture_on_commit_callbacks):
    """Hold a comment for a moderator, running what its commit queues."""

    def held(article, text, *, email):
        with django_capture_on_commit_callbacks(execute=True):
            comment, _verdict = services.comment_create(
                article=article, name="Ada", email=email, text=text
            )
        assert comment.status == Status.PENDING
        return comment

    return held


def overdue_checks():
    return DBTaskResult.objects.filter(task_path="comments.services.moderators_overdue_check")


@pytest.mark.django_db(transaction=True)
def test_a_comment_held_with_nobody_around_is_alerted_by_the_worker_when_it_is_due(
    worker_queue, newsroom, held
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        held(newsroom["tunnel"], "Held at 23:00.", email="ada@example.com")
    [check] = overdue_checks()
    assert check.run_after == start + timedelta(minutes=120)

    with time_machine.travel(start + timedelta(minutes=119), tick=False):
        run_worker()  # the moderators' "comments are waiting" notice only
    assert overdue_mails() == []
    check.refresh_from_db()
    assert check.status == TaskResultStatus.READY

    with time_machine.travel(start + timedelta(minutes=120), tick=False):
        run_worker()

    check.refresh_from_db()
    assert check.status == TaskResultStatus.SUCCESSFUL
    [notice] = overdue_mails()
    assert "Held at 23:00." in notice.body
    assert notice.subject.endswith("A comment has waited 2\xa0hours for moderation")
    # Once per crossing: the check that runs again (a hold, the queue) sends no second one.
    with time_machine.travel(start + timedelta(minutes=150), tick=False):
        assert services.moderators_alert_if_overdue() is False
        run_worker()
    assert len(overdue_mails()) == 1


@pytest.mark.django_db(transaction=True)
def test_many_comments_held_behind_the_same_oldest_schedule_one_check(worker_queue, newsroom, held):
    start = timezone.now()
    for minute in range(30):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            held(newsroom["tunnel"], f"Comment {minute}.", email=f"r{minute}@example.com")

    assert [c.run_after for c in overdue_checks()] == [start + timedelta(minutes=120)]


@pytest.mark.django_db(transaction=True)
def test_a_comment_approved_before_it_is_due_sends_nothing_and_the_next_one_is_checked(
    worker_queue, newsroom, moderator, held
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = held(newsroom["tunnel"], "Approved in time.", email="ada@example.com")
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        held(newsroom["market"], "Still waiting.", email="bo@example.com")
    with time_machine.travel(start + timedelta(minutes=60), tick=False):
        services.comments_moderate(comments=[first], status=Status.PUBLIC, by=moderator)

    with time_machine.travel(start + timedelta(minutes=120), tick=False):
        run_worker()

    assert overdue_mails() == []
    # The check found the next oldest comment not yet due and scheduled its own.
    assert sorted(c.run_after for c in overdue_checks()) == [
        start + timedelta(minutes=120),
        start + timedelta(minutes=150),
    ]
    with time_machine.travel(start + timedelta(minutes=150), tick=False):
        run_worker()
    [notice] = overdue_mails()
    assert "Still waiting." in notice.body and "Approved in time." not in notice.body


@pytest.mark.django_db(transaction=True)
def test_a_lone_comment_approved_in_time_leaves_no_check_behind(
    worker_queue, newsroom, moderator, held
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        comment = held(newsroom["tunnel"], "Approved in time.", email="ada@example.com")
        services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=moderator)

    with time_machine.travel(start + timedelta(minutes=121), tick=False):
        run_worker()

    assert overdue_mails() == []
    assert list(overdue_checks().values_list("status", flat=True)) == [TaskResultStatus.SUCCESSFUL]
