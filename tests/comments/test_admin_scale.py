"""The moderators' lists at ten million comments (issue 10): counts that stop or estimate,
filters without DISTINCT, searches that each read an index, and, on PostgreSQL, the plans
of the real pages' queries on a seeded table."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import ModerationEvent, ModerationReason, ReaderComment
from newsroom.admin import CappedCountPaginator
from tests.comments.pages import parse
from tests.comments.test_admin import cell, row_html, stored
from tests.factories import ArticleFactory, ReaderCommentFactory, UserFactory
from tests.plans import Plan, explain, needs_postgres, seeded_archive

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
Action = ModerationEvent.Action
CHANGELIST_URL = reverse("admin:comments_readercomment_changelist")
BIG_TABLES = ("django_comments", "django_comments_xtd_xtdcomment", "comments_readercomment")


def listed(client, **query):
    response = client.get(CHANGELIST_URL, query)
    assert response.status_code == 200
    return [c.comment for c in response.context["cl"].result_list]


# --- Search: each kind of term through its own index ------------------------------------


@pytest.fixture
def commenters(moderator, article):
    return {
        "ada": stored(article, "Ada's first.", name="Ada Byrne", email="Ada@Example.com"),
        "ada_later": stored(
            article, "Ada again.", name="Ada Byrne", email="ada@example.com", ip="198.51.100.7"
        ),
        "adam": stored(article, "Not Ada.", name="Adam Lee", email="nada@example.com"),
        "bo": stored(article, "Lighthouse route.", name="Bo Ray", email="bo@example.org"),
    }


@pytest.mark.parametrize("term", ["ada@example.com", " ADA@EXAMPLE.COM ", "email:Ada@example.com"])
def test_an_email_address_finds_exactly_that_commenter_whatever_its_case(
    as_moderator, commenters, term
):
    # Not nada@example.com, which a LIKE '%ada@example.com%' would have found too.
    assert listed(as_moderator, q=term) == ["Ada again.", "Ada's first."]


def test_an_ip_address_finds_the_comments_from_it(as_moderator, commenters):
    assert listed(as_moderator, q="198.51.100.7") == ["Ada again."]


def test_words_find_names_by_their_start_and_the_text_of_recent_comments(as_moderator, commenters):
    assert listed(as_moderator, q="ada b") == ["Ada again.", "Ada's first."]
    assert listed(as_moderator, q="adam l") == ["Not Ada."]
    assert listed(as_moderator, q="lighthouse") == ["Lighthouse route."]
    assert listed(as_moderator, q="byrne") == []  # a name is found by its start


def test_text_older_than_the_newest_searched_comments_is_not_searched(
    monkeypatch, as_moderator, commenters, article
):
    monkeypatch.setattr("comments.models.SEARCHED_TEXTS", 2)
    stored(article, "Newer one.", email="cy@example.com")

    assert listed(as_moderator, q="route") == ["Lighthouse route."]  # the second newest
    assert listed(as_moderator, q="again") == []  # the fourth
    assert listed(as_moderator, q="ada@example.com") == ["Ada again.", "Ada's first."]


def test_a_commenters_history_stops_counting_at_the_bound(
    monkeypatch, as_moderator, moderator, article
):
    monkeypatch.setattr("comments.models.HISTORY_COUNTED", 2)
    monkeypatch.setattr("comments.admin.HISTORY_COUNTED", 2)
    for i in range(3):
        stored(article, f"Approved {i}.", status=Status.PUBLIC, by=moderator)
    stored(article, "Rejected.", status=Status.REMOVED, by=moderator)
    pending = stored(article, "Now.")

    html = as_moderator.get(CHANGELIST_URL).content.decode()

    assert cell(row_html(html, pending), "history") == "2+ approved, 1 rejected before"
    assert ReaderComment.objects.history_by_email(["ADA@example.com"]) == {
        "ada@example.com": {"approved": 2, "rejected": 1, "removed": 1, "spam": 0, "pending": 1}
    }


# --- Filters and counts -----------------------------------------------------------------


def test_the_held_for_filter_lists_a_comment_once_without_distinct(
    as_moderator, article, set_rules
):
    set_rules(hold_words="crypto", max_links=0)
    both = stored(article, "Crypto at https://a.example")
    stored(article, "Plain words.", email="bo@example.com")
    assert set(both.moderation_reasons.values_list("rule", flat=True)) == {
        ModerationReason.Rule.HOLD_WORD,
        ModerationReason.Rule.LINKS,
    }

    with CaptureQueriesContext(connection) as queries:
        assert listed(as_moderator, moderation_reasons__rule="links") == [both.comment]

    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
    assert as_moderator.get(CHANGELIST_URL, {"moderation_reasons__rule": "x"}).status_code == 400


def test_a_filtered_count_stops_at_the_cap_and_pages_stop_with_it(
    monkeypatch, as_moderator, article
):
    monkeypatch.setattr(CappedCountPaginator, "COUNT_UP_TO", 4)
    monkeypatch.setattr("comments.admin.ReaderCommentAdmin.list_per_page", 2)
    for i in range(7):
        stored(article, f"Comment {i}.", email=f"r{i}@example.com")

    response = as_moderator.get(CHANGELIST_URL, {"status__exact": "pending"})

    cl = response.context["cl"]
    assert (cl.result_count, cl.paginator.capped, cl.paginator.num_pages) == (4, True, 2)
    assert re.search(r'class="paginator__count">4\+</span>\s+reader comments', response.text)
    past_the_cap = as_moderator.get(CHANGELIST_URL, {"status__exact": "pending", "p": 3})
    assert past_the_cap.status_code != 200 or past_the_cap.context["cl"].page_num != 3


def test_a_count_under_the_cap_is_exact(as_moderator, article):
    for i in range(3):
        stored(article, f"Comment {i}.", email=f"r{i}@example.com")

    response = as_moderator.get(CHANGELIST_URL, {"status__exact": "pending"})

    assert response.context["cl"].result_count == 3
    assert not response.context["cl"].paginator.capped
    assert re.search(r'class="paginator__count">3</span>\s+reader comments', response.text)


def test_a_list_filtered_by_date_is_newest_first_by_date(as_moderator, article):
    # Keys and dates out of step (a comment imported late), so that the orders differ.
    stored(article, "Yesterday.", email="a@example.com", minutes_ago=24 * 60)
    stored(article, "An hour ago, stored before.", email="b@example.com", minutes_ago=60)
    stored(article, "Two days ago, stored last.", email="c@example.com", minutes_ago=48 * 60)
    stored(article, "Last month.", email="d@example.com", minutes_ago=40 * 24 * 60)
    since = (timezone.now() - timedelta(days=7)).isoformat()

    assert listed(as_moderator, submit_date__gte=since) == [
        "An hour ago, stored before.",
        "Yesterday.",
        "Two days ago, stored last.",
    ]
    assert listed(as_moderator)[0] == "Last month."  # unfiltered: newest key first


def queue_of(count, article):
    for i in range(count):
        stored(article, f"Comment {i} with https://a.example", email=f"r{i}@example.com")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status__exact": "pending"},
        {"q": "r1@example.com"},
        {"q": "comment"},
        {"moderation_reasons__rule": "links"},
        {"submit_date__gte": "2000-01-01 00:00:00+00:00"},
    ],
)
def test_the_lists_query_count_does_not_grow_with_the_comments(
    django_assert_max_num_queries, as_moderator, article, set_rules, query
):
    set_rules(max_links=0)
    queue_of(3, article)
    with CaptureQueriesContext(connection) as few:
        assert as_moderator.get(CHANGELIST_URL, query).status_code == 200
    queue_of(57, ArticleFactory())

    with django_assert_max_num_queries(len(few)):
        response = as_moderator.get(CHANGELIST_URL, query)
    assert len(response.context["cl"].result_list) > 0


# --- PostgreSQL: the plans of the real pages' queries -----------------------------------

SEEDED = 60_000


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """SEEDED comments in one statement a slice and table, as bench.scale makes them,
    committed once for the module's tests and removed after them: one in 1,000 pending
    (a queue kept short), the rest public; 20,000 commenters; on 500 stories' keys. Then
    ANALYZE, so that the planner sees a table big enough to care."""
    inserts = [
        """
        INSERT INTO django_comments (id, content_type_id, object_pk, site_id, user_name,
            user_email, user_url, comment, submit_date, ip_address, is_public, is_removed)
        SELECT i, %(type)s, (i %% 500 + 1)::text, 1, 'Reader ' || i %% 20000,
            'Reader' || i %% 20000 || '@example.com', '', 'Comment number ' || i,
            now() - (%(total)s - i) * interval '1 minute',
            ('10.0.' || i %% 200 || '.' || i %% 250)::inet, i %% 1000 <> 0, false
        FROM generate_series(%(low)s, %(high)s) AS i
        """,
        """
        INSERT INTO django_comments_xtd_xtdcomment
            (comment_ptr_id, thread_id, parent_id, level, "order", followup, nested_count)
        SELECT id, id, id, 0, 1, false, 0 FROM django_comments
        WHERE id BETWEEN %(low)s AND %(high)s
        """,
        """
        INSERT INTO comments_readercomment (xtdcomment_ptr_id, status, fingerprint,
            report_count)
        SELECT id, CASE WHEN is_public THEN 'public' ELSE 'pending' END, md5(id::text), 0
        FROM django_comments WHERE id BETWEEN %(low)s AND %(high)s
        """,
    ]
    if connection.vendor != "postgresql":
        yield
        return
    # In slices: each statement keeps within the settings' statement timeout.
    step = 20_000
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        article_type = ContentType.objects.get_by_natural_key("articles", "article")
        for low in range(1, SEEDED + 1, step):
            bounds = {"low": low, "high": min(low + step - 1, SEEDED)}
            for insert in inserts:
                cursor.execute(insert, {"type": article_type.pk, "total": SEEDED, **bounds})
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('django_comments', 'id'), %s)", [SEEDED]
        )
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(BIG_TABLES)} CASCADE")


def page_plans(client, **query) -> tuple:
    """The page's SELECTs that read the comments tables, each with its plan."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST_URL, query)
    assert response.status_code == 200
    return response, [
        explain(q["sql"])
        for q in captured
        if q["sql"].startswith("SELECT") and any(table in q["sql"] for table in BIG_TABLES)
    ]


def list_plan(plans: list[Plan]) -> Plan:
    """The plan of the query that reads the page's comments, newest first."""
    order = 'ORDER BY "comments_readercomment"."xtdcomment_ptr_id"'
    [plan] = [
        plan
        for plan in plans
        if order in plan.sql and "COUNT(" not in plan.sql and not plan.sql.endswith("LIMIT 1")
    ]
    return plan


def index_scans(plan: Plan) -> set[tuple[str, str]]:
    """The indexes the plan reads, each with its direction (Forward, Backward; "" for a
    bitmap scan)."""
    return {
        (node["Index Name"], node.get("Scan Direction", ""))
        for node in plan.nodes()
        if "Index Name" in node
    }


def assert_no_seq_scan_on_comments(plans: list[Plan]) -> None:
    for plan in plans:
        for table in BIG_TABLES:
            assert "Seq Scan" not in plan.scans_of(table), plan


@needs_postgres
def test_pending_queue_page_reads_the_pending_index_with_a_limit(as_moderator, seeded):
    response, plans = page_plans(as_moderator, status__exact="pending")

    plan = list_plan(plans)
    assert plan.root["Node Type"] == "Limit", plan
    assert ("comments_pending_idx", "Backward") in index_scans(plan), plan
    assert response.context["cl"].result_count == SEEDED // 1000
    assert_no_seq_scan_on_comments(plans)


@needs_postgres
def test_oldest_first_queue_reads_the_same_index_forwards(as_moderator, seeded):
    _response, plans = page_plans(as_moderator, status__exact="pending", o="1")

    plan = list_plan(plans)
    assert ("comments_pending_idx", "Forward") in index_scans(plan), plan
    assert_no_seq_scan_on_comments(plans)


@needs_postgres
def test_email_search_reads_the_lower_email_index(as_moderator, seeded):
    response, plans = page_plans(as_moderator, q="READER42@example.com")

    assert "comments_email_lower_idx" in {name for name, _ in index_scans(list_plan(plans))}
    assert len(response.context["cl"].result_list) == SEEDED // 20_000
    assert_no_seq_scan_on_comments(plans)
    # The cards' histories of the same commenters read the same index.
    history = [plan for plan in plans if "FROM (VALUES" in plan.sql]
    assert history and all(
        "comments_email_lower_idx" in {name for name, _ in index_scans(plan)} for plan in history
    )


@needs_postgres
def test_a_word_search_reads_the_name_index_and_the_newest_comments_only(
    monkeypatch, as_moderator, seeded
):
    # The window a small part of the table, as 50,000 of ten million are.
    monkeypatch.setattr("comments.models.SEARCHED_TEXTS", SEEDED // 20)
    response, plans = page_plans(as_moderator, q="reader 19999")

    plan = list_plan(plans)
    assert "comments_name_lower_idx" in {name for name, _ in index_scans(plan)}, plan
    assert len(response.context["cl"].result_list) == SEEDED // 20_000
    assert_no_seq_scan_on_comments(plans)


@needs_postgres
def test_unfiltered_list_is_counted_by_the_estimate_and_never_in_full(as_moderator, seeded):
    response, plans = page_plans(as_moderator)

    cl = response.context["cl"]
    assert cl.paginator.estimated
    assert abs(cl.result_count - SEEDED) < SEEDED // 10
    assert re.search(r'class="paginator__count">about [\d,]+</span>', response.text)
    whole_table = [plan for plan in plans if "COUNT(" in plan.sql and " WHERE " not in plan.sql]
    assert not whole_table
    assert_no_seq_scan_on_comments(plans)


@needs_postgres
def test_a_date_filtered_list_reads_the_date_range_from_its_index(as_moderator, seeded):
    # The comments of the last week: a range of the date index read newest first, not
    # the newest keys walked in the hope of finding the range among them.
    since = (timezone.now() - timedelta(days=7)).isoformat()
    response, read = page_plans(as_moderator, submit_date__gte=since)

    [plan] = [p for p in read if 'ORDER BY "django_comments"."submit_date" DESC' in p.sql]
    assert plan.root["Node Type"] == "Limit", plan
    scanned = {name for name, _direction in index_scans(plan)}
    assert "django_comments_pkey" not in scanned, plan
    assert any(name.startswith("django_comments_submit_date") for name in scanned), plan
    assert len(response.context["cl"].result_list) == 50
    assert not [scan for scan in plan.scans_of("django_comments") if "Seq Scan" in scan], plan


@pytest.fixture(scope="module")
def archive(seeded, django_db_blocker):
    """A hundred thousand stories (tests/plans.py) beside the seeded comments, which are
    then on the archive's newest 500 stories (until the archive is rolled back)."""
    if connection.vendor != "postgresql":
        yield None
        return
    with django_db_blocker.unblock(), seeded_archive() as archive:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE django_comments SET object_pk = (
                    SELECT id FROM articles_article WHERE slug = 'plan-' || (object_pk::int)
                )::text
                """
            )
            cursor.execute("ANALYZE django_comments")
        yield archive


@needs_postgres
def test_the_section_filter_looks_each_comments_story_up_by_its_key(as_moderator, archive):
    # The section of ~16,000 stories: each comment's story found in the index of the
    # section's keys as text, not compared with all of the section's keys in turn.
    section = archive.section_ids[1]
    _response, read = page_plans(as_moderator, section=section)

    plan = list_plan(read)
    assert "articles_section_key_idx" in {name for name, _ in index_scans(plan)}, plan
    # Not each comment's key compared with a materialised list of the section's keys.
    assert not [node for node in plan.nodes() if "object_pk" in node.get("Join Filter", "")]
    assert not [scan for scan in plan.scans_of("django_comments") if "Seq Scan" in scan], plan


# --- The moderation log: millions of decisions ------------------------------------------

LOG_URL = reverse("admin:comments_moderationevent_changelist")


def logged(client, **query):
    response = client.get(LOG_URL, query)
    assert response.status_code == 200
    return [(e.action, e.target_id) for e in response.context["cl"].result_list]


def filter_choices(client, title, **query):
    changelist = client.get(LOG_URL, query).context["cl"]
    [spec] = [spec for spec in changelist.filter_specs if str(spec.title) == title]
    return [str(choice["display"]) for choice in spec.choices(changelist)]


def test_the_by_filter_lists_who_may_moderate_not_every_decider_in_the_log(
    as_moderator, moderator, article
):
    UserFactory(username="new-moderator", groups=["Moderator"])  # has decided nothing yet
    former = UserFactory(username="former", groups=["Moderator"])
    approved = stored(article, "Approved by one who left.", status=Status.PUBLIC, by=former)
    former.groups.clear()

    with CaptureQueriesContext(connection) as queries:
        choices = filter_choices(as_moderator, "by")

    assert choices == ["All", "moderator", "new-moderator"]
    assert filter_choices(as_moderator, "by", by__id__exact=former.pk)[1:] == [
        "former", "moderator", "new-moderator",
    ]  # fmt: skip
    assert logged(as_moderator, by__id__exact=former.pk) == [(Action.APPROVE, approved.pk)]
    # No list of the distinct deciders read from the whole log.
    assert not [
        q["sql"]
        for q in queries
        if "DISTINCT" in q["sql"] and "comments_moderationevent" in q["sql"]
    ]


@pytest.fixture
def decided(moderator, article):
    """Three commenters' comments, decided; one edited too."""
    comments = {
        "ada": stored(article, "Ferries first.", name="Ada Byrne", email="Ada@Example.com"),
        "adam": stored(article, "Not Ada.", name="Adam Lee", email="nada@example.com"),
        "bo": stored(article, "Lighthouse route.", name="Bo Ray", email="bo@example.org"),
    }
    for comment in comments.values():
        services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=moderator)
    services.comment_edit(comment=comments["bo"], text="Lighthouse route!", by=moderator)
    return comments


def test_a_number_finds_what_was_decided_about_that_comment(as_moderator, decided):
    bo = decided["bo"]

    assert logged(as_moderator, q=str(bo.pk)) == [(Action.EDIT, bo.pk), (Action.APPROVE, bo.pk)]
    assert logged(as_moderator, q=f"#{bo.pk}") == logged(as_moderator, q=str(bo.pk))
    assert logged(as_moderator, q="9" * 30) == []  # past any key: none, not an error


def test_an_email_address_finds_what_was_decided_about_that_commenters_comments(
    as_moderator, decided
):
    ada = decided["ada"]

    # Not nada@example.com's, which a LIKE '%ada@example.com%' would have found too.
    assert logged(as_moderator, q="ADA@example.com") == [(Action.APPROVE, ada.pk)]
    assert logged(as_moderator, q="email:ada@example.com") == [(Action.APPROVE, ada.pk)]


def test_words_find_the_newest_events_whose_subject_contains_them(
    monkeypatch, as_moderator, decided
):
    ada, adam, bo = decided["ada"], decided["adam"], decided["bo"]

    # A comment's subject is its commenter's name and the start of its text.
    assert logged(as_moderator, q="ada") == [(Action.APPROVE, adam.pk), (Action.APPROVE, ada.pk)]
    assert logged(as_moderator, q="ADA B") == [(Action.APPROVE, ada.pk)]
    assert logged(as_moderator, q="lee") == [(Action.APPROVE, adam.pk)]
    assert logged(as_moderator, q="lighthouse") == [(Action.EDIT, bo.pk), (Action.APPROVE, bo.pk)]
    # Only the newest events are searched for words.
    monkeypatch.setattr("comments.models.SEARCHED_EVENTS", 2)
    assert logged(as_moderator, q="lighthouse") == [(Action.EDIT, bo.pk), (Action.APPROVE, bo.pk)]
    assert logged(as_moderator, q="ada b") == []
    # Numbers and addresses find every event about their comments, however old.
    assert logged(as_moderator, q=str(ada.pk)) == [(Action.APPROVE, ada.pk)]
    assert logged(as_moderator, q="ada@example.com") == [(Action.APPROVE, ada.pk)]


def test_a_comments_page_shows_its_newest_events_oldest_first(
    monkeypatch, moderator, as_moderator, article
):
    monkeypatch.setattr("comments.admin.ModerationEventInline.SHOWN", 2)
    comment = stored(article, "Ferries first.")
    for status in (Status.PUBLIC, Status.PENDING, Status.SPAM):
        services.comments_moderate(comments=[comment], status=status, by=moderator)

    response = as_moderator.get(reverse("admin:comments_readercomment_change", args=[comment.pk]))

    history = parse(response).find("div", cls="inline-group")
    rows = [" ".join(row.text().split()) for row in history.find_all("tr", cls="has_original")]
    assert len(rows) == 2
    assert "Back to the queue" in rows[0] and "Mark as spam" in rows[1]


def decisions_of(count, moderator, article):
    for i in range(count):
        comment = ReaderCommentFactory(
            article=article, status=Status.PENDING, user_name=f"Reader {i}",
            user_email=f"r{i}@example.com",
        )  # fmt: skip
        services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=moderator)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"action__exact": "approve"},
        {"at__gte": "2000-01-01 00:00:00+00:00"},
        {"q": "reader"},
        {"q": "r1@example.com"},
        {"q": "1"},
        {"by": None},
    ],
)
def test_the_logs_query_count_does_not_grow_with_the_decisions(
    django_assert_max_num_queries, as_moderator, moderator, article, query
):
    if "by" in query:
        query = {"by__id__exact": moderator.pk}
    decisions_of(3, moderator, article)
    with CaptureQueriesContext(connection) as few:
        assert as_moderator.get(LOG_URL, query).status_code == 200
    UserFactory(username="another", groups=["Moderator"])
    decisions_of(57, UserFactory(username="third", groups=["Moderator"]), ArticleFactory())

    with django_assert_max_num_queries(len(few)):
        assert as_moderator.get(LOG_URL, query).status_code == 200


# --- PostgreSQL: the log's plans at a size the planner cares about ----------------------

LOGGED = 200_000


@pytest.fixture(scope="module")
def event_log(django_db_setup, django_db_blocker):
    """LOGGED events, one every five minutes (about two years), committed once for the
    module's tests and removed after them: approvals mostly, one in twenty a rejection,
    one in a thousand a rule change; four moderators share them, a fifth took one in a
    thousand; 20,000 commenters' names. Then ANALYZE."""
    if connection.vendor != "postgresql":
        yield None
        return
    insert = """
        INSERT INTO comments_moderationevent
            (action, by_id, at, target_type_id, target_id, target_repr, before, after)
        SELECT CASE WHEN i %% 1000 = 0 THEN 'rule_change' WHEN i %% 20 = 0 THEN 'reject'
                ELSE 'approve' END,
            CASE WHEN i %% 1000 = 1 THEN %(rare)s ELSE (%(people)s::int[])[1 + i %% 4] END,
            now() - (%(total)s - i) * interval '5 minutes', %(type)s, i,
            chr(8296) || 'Reader ' || i %% 20000 || chr(8297) || ': Comment number ' || i,
            '{"status": "pending"}', '{"status": "public"}'
        FROM generate_series(%(low)s, %(high)s) AS i
    """
    with django_db_blocker.unblock():
        people = [UserFactory(username=f"log-moderator-{n}") for n in range(5)]
        comment_type = ContentType.objects.get_for_model(ReaderComment)
        # In slices: each statement keeps within the settings' statement timeout.
        step = 50_000
        with connection.cursor() as cursor:
            for low in range(1, LOGGED + 1, step):
                cursor.execute(
                    insert,
                    {
                        "rare": people[4].pk,
                        "people": [person.pk for person in people[:4]],
                        "total": LOGGED,
                        "type": comment_type.pk,
                        "low": low,
                        "high": min(low + step - 1, LOGGED),
                    },
                )
            cursor.execute("ANALYZE comments_moderationevent")
    yield people
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM comments_moderationevent")
        cursor.execute(
            "DELETE FROM auth_user WHERE id = ANY(%s)", [[person.pk for person in people]]
        )


def log_plan(client, **query) -> tuple:
    """The log page's query of its rows (newest first, a page of them), with its plan,
    and the plans of every other SELECT of the page that reads the log."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LOG_URL, query)
    assert response.status_code == 200
    plans = [
        explain(q["sql"])
        for q in captured
        if q["sql"].startswith("SELECT") and "comments_moderationevent" in q["sql"]
    ]
    order = 'ORDER BY "comments_moderationevent"."at" DESC'
    [rows] = [plan for plan in plans if order in plan.sql and "COUNT(" not in plan.sql]
    # A count that stops at the cap may scan the table for a common value: it stops
    # early. Not for a rare one.
    for plan in plans:
        assert plan.rows_read <= LOGGED // 4, plan
    return response, rows


@needs_postgres
def test_the_unfiltered_log_is_estimated_and_read_from_the_top_of_the_date_index(
    as_moderator, event_log
):
    response, plan = log_plan(as_moderator)

    assert response.context["cl"].paginator.estimated
    assert plan.root["Node Type"] == "Limit", plan
    assert plan.rows_read <= 1_000, plan


@needs_postgres
@pytest.mark.parametrize("person", [0, 4], ids=["busiest moderator", "rare moderator"])
def test_a_moderators_decisions_are_read_through_an_index(as_moderator, event_log, person):
    response, plan = log_plan(as_moderator, by__id__exact=event_log[person].pk)

    assert response.context["cl"].result_list
    assert plan.rows_read <= 5_000, plan


@needs_postgres
@pytest.mark.parametrize("action", ["approve", "rule_change"])
def test_an_action_is_read_through_an_index_however_rare(as_moderator, event_log, action):
    response, plan = log_plan(as_moderator, action__exact=action)

    assert response.context["cl"].result_list
    assert plan.rows_read <= 5_000, plan


@needs_postgres
def test_the_past_week_is_a_range_of_the_date_index(as_moderator, event_log):
    since = (timezone.now() - timedelta(days=7)).isoformat()
    response, plan = log_plan(as_moderator, at__gte=since)

    assert len(response.context["cl"].result_list) == 100
    assert plan.root["Node Type"] == "Limit", plan
    assert plan.rows_read <= 1_000, plan


@needs_postgres
def test_words_are_looked_for_among_the_newest_events_only(monkeypatch, as_moderator, event_log):
    # The window a small part of the log, as 100,000 of nine million are.
    monkeypatch.setattr("comments.models.SEARCHED_EVENTS", LOGGED // 20)
    response, plan = log_plan(as_moderator, q="reader 1999")

    # Reader 19990 to 19999, once each in the newest 10,000 events; Reader 1999's last
    # event is older (event 181,999).
    assert len(response.context["cl"].result_list) == 10
    assert plan.rows_read <= 2 * LOGGED // 20, plan


@needs_postgres
def test_an_email_search_reads_the_commenters_comments_and_their_events_by_index(
    as_moderator, seeded, event_log
):
    # The seeded comments 42, 20,042 and 40,042 are Reader42's; the log's events are
    # about comments numbered as they are.
    response, plan = log_plan(as_moderator, q="reader42@example.com")

    assert [e.target_id for e in response.context["cl"].result_list] == [40042, 20042, 42]
    assert "comments_event_target" in {name for name, _ in index_scans(plan)}, plan
    assert "comments_email_lower_idx" in {name for name, _ in index_scans(plan)}, plan
