"""The moderation desk's rules: why each comment was held, kept and shown; rules that
moderators change in the admin and that the next post meets; the dry run."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import (
    CommentPolicy,
    ModerationEvent,
    ModerationRules,
    Premoderation,
    ReaderComment,
)
from comments.moderation import (
    RULES_CACHE_KEY,
    Effect,
    closed_reason,
    current_rules,
    load_rules,
    next_closing,
    policy_dry_run,
    rules_dry_run,
)
from newsroom.cachekeys import Purge, keep_entry, purge_now
from newsroom.pagecache import next_change
from tests.admin_pages import form_data, logged_in
from tests.comments.pages import field_values, parse
from tests.concurrency import retry_while_sqlite_is_locked
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
RULES_URL = reverse("admin:comments_moderationrules_change", args=[1])
PREVIEW_URL = reverse("admin:comments_moderationrules_preview", args=[1])
QUEUE_URL = reverse("admin:comments_readercomment_changelist")


@pytest.fixture(autouse=True)
def no_flood_limits(settings):
    for name in ("CLIENT", "EMAIL", "CLIENT_DAY", "EMAIL_DAY"):
        setattr(settings, f"COMMENTS_RATE_PER_{name}", "1000/d")


def post_comment(client, article, text, *, name="Rosa", email="rosa@example.org"):
    """A reader's post through the article page's form and the post view."""
    page = client.get(article.get_absolute_url())
    data = {**field_values(parse(page)), "name": name, "email": email, "comment": text}
    response = client.post(reverse("comments:post"), data)
    assert response.status_code == 302
    return ReaderComment.objects.filter(comment=text).first()


def why(comment):
    return [str(reason) for reason in comment.moderation_reasons.all()]


def edit_rules(client, **changes):
    """A moderator's edit of the rules' change form, saved."""
    response = client.post(RULES_URL, form_data(client.get(RULES_URL), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


def stored(article, text, *, status=None, email="ada@example.com", by=None):
    comment, _verdict = services.comment_create(article=article, name="Ada", email=email, text=text)
    if status is not None:
        services.comments_moderate(comments=[comment], status=status, by=by)
    return comment


# --- Why it was held -------------------------------------------------------------------------


def test_every_rule_that_fired_is_kept_on_the_comment(set_rules, client, article):
    set_rules(hold_words="crypto\nlawsuit", max_links=2)

    comment = post_comment(
        client, article, "Crypto! https://a.example https://b.example https://c.example"
    )

    assert comment.status == Status.PENDING
    assert why(comment) == ["3 links", "listed word: crypto"]


def test_a_first_time_commenter_is_held_with_that_reason(set_rules, client, article):
    set_rules(premoderation=Premoderation.FIRST_TIME)

    comment = post_comment(client, article, "My first comment here.")

    assert comment.status == Status.PENDING
    assert why(comment) == ["first comment from this address"]


def test_spam_keeps_the_blocked_word(set_rules, client, article):
    set_rules(block_words="casino bonus")

    comment = post_comment(client, article, "Best CASINO bonus")

    assert comment.status == Status.SPAM
    assert why(comment) == ["blocked word: casino bonus"]


def test_reports_that_send_a_comment_back_say_how_many_readers(settings, article, moderator):
    settings.COMMENTS_REPORTS_TO_HOLD = 3
    comment = stored(article, "A public comment.", status=Status.PUBLIC, by=moderator)

    for reader in ("a", "b", "c"):
        services.comment_report(comment=comment, reporter_hash=reader)

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert why(comment)[-1] == "reported by 3 readers"


def test_queue_and_comment_page_show_why_each_comment_was_held(set_rules, as_moderator, article):
    set_rules(hold_words="crypto", max_links=0)
    held = stored(article, "Crypto is the future")
    linked = stored(article, "See https://a.example", email="bo@example.com")

    page = as_moderator.get(QUEUE_URL).content.decode()
    detail = as_moderator.get(reverse("admin:comments_readercomment_change", args=[held.pk]))

    assert "listed word: crypto" in page
    assert "1 links" in page
    assert "listed word: crypto" in detail.content.decode()
    by_links = as_moderator.get(QUEUE_URL, {"moderation_reasons__rule": "links"})
    assert list(by_links.context["cl"].result_list) == [linked]


# --- Rules edited in the admin: the next post meets them ------------------------------------


def test_a_hold_word_added_in_the_admin_holds_the_next_post(
    set_rules, as_moderator, client, article
):
    set_rules(premoderation=Premoderation.NONE, hold_words="")
    assert post_comment(client, article, "Crypto is booming").status == Status.PUBLIC

    edit_rules(as_moderator, hold_words="lawsuit\ncrypto")

    comment = post_comment(client, article, "Crypto is booming again")
    assert comment.status == Status.PENDING
    assert why(comment) == ["listed word: crypto"]


def test_a_block_word_from_the_admin_catches_look_alike_letters(as_moderator, client, article):
    edit_rules(as_moderator, block_words="viagra")

    # Cyrillic i and a, a Greek omicron: letters that look Latin to a reader.
    comment = post_comment(client, article, "Cheap v\u0456\u0430gr\u0430 in st\u03bfck")

    assert comment.status == Status.SPAM
    assert why(comment) == ["blocked word: viagra"]


def test_the_link_limit_from_the_admin_applies_to_the_next_post(as_moderator, client, article):
    edit_rules(as_moderator, max_links="0", premoderation=Premoderation.NONE)

    comment = post_comment(client, article, "Source: https://a.example/report")

    assert comment.status == Status.PENDING
    assert why(comment) == ["1 links"]


def test_no_premoderation_from_the_admin_publishes_the_next_post(as_moderator, client, article):
    edit_rules(as_moderator, premoderation=Premoderation.NONE)

    comment = post_comment(client, article, "Well reported.")

    assert comment.status == Status.PUBLIC
    assert why(comment) == []


def test_a_section_policy_overrides_the_site_and_an_article_policy_the_section(
    set_rules, client, section
):
    set_rules(premoderation=Premoderation.ALL)
    in_section = ArticleFactory(section=section)
    own_rules = ArticleFactory(section=section)
    CommentPolicy.objects.create(section=section, premoderation=Premoderation.NONE)
    CommentPolicy.objects.create(article=own_rules, premoderation=Premoderation.FIRST_TIME)

    assert post_comment(client, in_section, "Section: none.").status == Status.PUBLIC
    held = post_comment(client, own_rules, "Article: first time.", email="new@example.org")
    assert why(held) == ["first comment from this address"]


def test_comments_closed_for_a_section_take_the_form_away_and_refuse_posts(client, section):
    article = ArticleFactory(section=section)
    data = field_values(parse(client.get(article.get_absolute_url())))
    CommentPolicy.objects.create(section=section, comments=CommentPolicy.Comments.CLOSED)

    page = parse(client.get(article.get_absolute_url()))
    response = client.post(reverse("comments:post"), {**data, "comment": "Hello"})

    assert page.find("p", cls="comments__closed").text() == "Comments are closed."
    assert page.find("textarea") is None
    assert response.status_code == 403
    assert not ReaderComment.objects.exists()


def test_an_article_policy_opens_comments_in_a_closed_section(client, section):
    article = ArticleFactory(section=section)
    CommentPolicy.objects.create(section=section, comments=CommentPolicy.Comments.CLOSED)
    CommentPolicy.objects.create(article=article, comments=CommentPolicy.Comments.OPEN)

    assert post_comment(client, article, "Still open here.") is not None


def test_close_after_days_per_section(set_rules, section):
    set_rules(close_after_days=30)
    CommentPolicy.objects.create(section=section, close_after_days=7)
    week_old = ArticleFactory(section=section, published_at=timezone.now() - timedelta(days=8))
    elsewhere = ArticleFactory(published_at=timezone.now() - timedelta(days=8))

    assert closed_reason(week_old) == "Comments are closed."
    assert closed_reason(elsewhere) is None


# --- Every node at once: the shared cache ---------------------------------------------------


def test_rules_read_before_a_change_committed_are_read_again(set_rules):
    set_rules(hold_words="old")
    read_at = time.time()
    stale = load_rules()  # read by a request just before the change commits
    set_rules(hold_words="new")
    purge_now(Purge(hard={"comment-rules"}))  # the change's purge, after its commit
    keep_entry(RULES_CACHE_KEY, stale, {"comment-rules"}, read_at, 300)  # and keeps it

    assert current_rules().hold_words == ("new",)


def test_rules_are_read_from_the_cache_until_they_change(set_rules, django_assert_num_queries):
    current_rules()
    with django_assert_num_queries(0):
        current_rules()
    set_rules(hold_words="crypto")
    assert current_rules().hold_words == ("crypto",)


# --- Closing after N days reaches cached pages ----------------------------------------------


def test_pages_are_kept_no_later_than_comments_close(set_rules, section):
    set_rules(close_after_days=30)
    CommentPolicy.objects.create(section=section, close_after_days=2)
    published_at = timezone.now() - timedelta(days=1)
    ArticleFactory(section=section, published_at=published_at)

    assert next_closing(timezone.now()) == published_at + timedelta(days=2)
    assert next_change() <= published_at + timedelta(days=2)


def test_the_form_leaves_a_cached_page_when_comments_close(settings, set_rules, client, section):
    settings.PAGE_CACHE_SECONDS = 600
    set_rules(close_after_days=1)
    published_at = timezone.now() - timedelta(days=1) + timedelta(minutes=5)
    article = ArticleFactory(section=section, published_at=published_at)
    assert parse(client.get(article.get_absolute_url())).find("textarea") is not None
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    with time_machine.travel(published_at + timedelta(days=1, seconds=1)):
        response = client.get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert parse(response).find("textarea") is None


@pytest.mark.django_db(transaction=True)
def test_every_rule_decides_the_same_under_concurrent_posts(set_rules, section):
    set_rules(
        premoderation=Premoderation.FIRST_TIME, hold_words="crypto", block_words="viagra",
        max_links=2,
    )  # fmt: skip
    article = ArticleFactory(section=section)
    for i in range(3):
        stored(article, f"An earlier word {i}", email=f"known{i}@example.com",
               status=Status.PUBLIC)  # fmt: skip
    expected = {
        **{f"Crypto tip {i}": (Status.PENDING, ["listed word: crypto"]) for i in range(3)},
        **{f"Cheap vi\u0430gra {i}": (Status.SPAM, ["blocked word: viagra"]) for i in range(3)},
        **{f"See a.com b.com c.com d.com {i}": (Status.PENDING, ["4 links"]) for i in range(3)},
        **{f"Plain word {i}": (Status.PUBLIC, ["previously approved"]) for i in range(3)},
        **{
            f"First word {i}": (Status.PENDING, ["first comment from this address"])
            for i in range(3)
        },
    }
    emails = {text: f"known{text[-1]}@example.com" for text in expected if "Plain" in text}
    barrier = threading.Barrier(len(expected))

    def post_from_own_connection(number, text):
        try:
            barrier.wait(timeout=30)  # start together, so the posts really overlap
            email = emails.get(text, f"new{number}@example.com")
            return retry_while_sqlite_is_locked(
                lambda: services.comment_create(article=article, name="R", email=email, text=text)
            )[0].pk
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=len(expected)) as pool:
        pks = list(pool.map(lambda args: post_from_own_connection(*args), enumerate(expected)))

    comments = ReaderComment.objects.in_bulk(pks)
    assert {
        comments[pk].comment: (comments[pk].status, why(comments[pk])) for pk in pks
    } == expected


# --- Dry run ---------------------------------------------------------------------------------


@pytest.fixture
def history(set_rules, article, moderator):
    """Comments the rules in force (no pre-moderation, "lawsuit" held) decided on."""
    set_rules(premoderation=Premoderation.NONE, hold_words="lawsuit", block_words="viagra")
    return {
        "crypto": stored(article, "Crypto made me rich", email="c@example.com"),
        "scam": stored(article, "This is a scam site", email="s@example.com"),
        "lawsuit": stored(article, "See you at the lawsuit", email="l@example.com"),
        "plain": stored(article, "Well reported", email="p@example.com"),
    }


def test_dry_run_lists_what_would_now_be_held_blocked_or_released(history):
    proposed = ModerationRules.objects.get(pk=1)
    proposed.hold_words = "crypto"
    proposed.block_words = "viagra\nscam"

    changes = {c.comment.pk: c.effect for c in rules_dry_run(proposed=proposed)}

    assert changes == {
        history["crypto"].pk: Effect.HELD,
        history["scam"].pk: Effect.BLOCKED,
        history["lawsuit"].pk: Effect.RELEASED,
    }


def test_dry_run_looks_only_at_the_last_comments(history):
    proposed = ModerationRules.objects.get(pk=1)
    proposed.hold_words = "crypto"  # the oldest of the four: out of the last two

    assert [c.comment for c in rules_dry_run(proposed=proposed, limit=2)] == [history["lawsuit"]]


def test_preview_button_shows_the_effect_and_saves_nothing(history, as_moderator):
    data = form_data(as_moderator.get(RULES_URL), hold_words="crypto", block_words="scam")
    # A name stored with a direction override (before names were cleaned).
    ReaderComment.objects.filter(pk=history["crypto"].pk).update(user_name="\u202eMallory")

    response = as_moderator.post(PREVIEW_URL, data)

    page = parse(response)
    listed = {
        table.attrs["data-effect"]: [
            int(row.attrs["data-comment"])
            for row in table.find_all("tr")
            if "data-comment" in row.attrs
        ]
        for table in page.find_all("table", cls="dry-run")
    }
    assert listed == {
        "held": [history["crypto"].pk],
        "blocked": [history["scam"].pk],
        "released": [history["lawsuit"].pk],
    }
    assert "listed word: crypto" in response.content.decode()
    assert "<td><bdi>\u202eMallory</bdi></td>" in response.content.decode()
    assert current_rules().hold_words == ("lawsuit",)  # nothing saved


def test_preview_page_saves_the_rules_it_showed(history, as_moderator):
    data = form_data(as_moderator.get(RULES_URL), hold_words="crypto")
    preview = parse(as_moderator.post(PREVIEW_URL, data))
    form = preview.find("form", action=RULES_URL)
    resent = {
        i.attrs["name"]: i.attrs.get("value", "")
        for i in form.find_all("input")
        if "name" in i.attrs
    }

    assert as_moderator.post(RULES_URL, resent).status_code == 302
    assert current_rules().hold_words == ("crypto",)


def test_dry_run_queries_do_not_grow_with_the_comments(
    history, article, django_assert_max_num_queries
):
    for n in range(30):
        stored(article, f"Comment number {n}", email=f"r{n}@example.com")
    proposed = ModerationRules.objects.get(pk=1)

    with django_assert_max_num_queries(5):
        rules_dry_run(proposed=proposed)


def test_only_moderators_may_change_or_preview_the_rules(db):
    reporter = logged_in(UserFactory(username="reporter", groups=["Reporter"]))

    for url in (RULES_URL, PREVIEW_URL):
        assert reporter.post(url, {"hold_words": "crypto"}).status_code == 403
    assert "crypto" not in current_rules().hold_words


def test_rules_dry_run_replays_closing_after_n_days_at_each_comments_time(history, article):
    published_at = timezone.now() - timedelta(days=10)
    late = ArticleFactory(section=article.section, published_at=published_at)
    on_day_8 = stored(late, "A week on, still true", email="w@example.com")
    ReaderComment.objects.filter(pk=on_day_8.pk).update(submit_date=published_at + timedelta(8))
    proposed = ModerationRules.objects.get(pk=1)
    proposed.close_after_days = 7

    [change] = rules_dry_run(proposed=proposed)

    assert (change.comment, change.effect) == (on_day_8, Effect.REFUSED)
    assert change.after.why == ["comments close 7 days after publication"]


# --- Dry run of a section's or an article's policy -------------------------------------------

POLICY_ADD_URL = reverse("admin:comments_commentpolicy_add")
POLICY_ADD_PREVIEW_URL = reverse("admin:comments_commentpolicy_preview_add")


@pytest.fixture
def sections(set_rules, moderator):
    """City (two stories, one published ten days ago) and Sport, under site rules that
    publish at once unless "lawsuit" is said, and close comments after 30 days."""
    set_rules(premoderation=Premoderation.NONE, hold_words="lawsuit", close_after_days=30)
    city = SectionFactory(name="City", slug="city")
    sport = SectionFactory(name="Sport", slug="sport")
    tunnel = ArticleFactory(section=city, headline="Harbour tunnel opens")
    published_at = timezone.now() - timedelta(days=10)
    market = ArticleFactory(
        section=city, headline="Night market returns", published_at=published_at
    )
    regatta = ArticleFactory(section=sport, headline="Kestrel Bay regatta")
    comments = {
        "plain": stored(tunnel, "Well reported", email="p@example.com"),
        "lawsuit": stored(tunnel, "See you at the lawsuit", email="l@example.com"),
        "late": stored(market, "A week on, still true", email="w@example.com"),
        "race": stored(regatta, "What a race", email="r@example.com"),
    }
    ReaderComment.objects.filter(pk=comments["late"].pk).update(
        submit_date=published_at + timedelta(days=8)
    )
    return {"city": city, "sport": sport, "regatta": regatta, **comments}


def effects(changes):
    return {change.comment.pk: change.effect for change in changes}


def test_a_new_section_policy_previews_what_it_would_hold_and_refuse_there_only(sections):
    proposed = CommentPolicy(
        section=sections["city"], premoderation=Premoderation.ALL, close_after_days=7
    )

    changes = policy_dry_run(proposed=proposed)

    assert effects(changes) == {
        sections["plain"].pk: Effect.HELD,
        sections["late"].pk: Effect.REFUSED,
    }
    assert [c.after.why for c in changes if c.effect == Effect.HELD] == [["pre-moderation"]]


def test_opening_a_closed_section_previews_what_would_have_been_released_or_held(sections):
    policy = CommentPolicy.objects.create(
        section=sections["city"], comments=CommentPolicy.Comments.CLOSED
    )
    policy.comments = CommentPolicy.Comments.OPEN

    assert effects(policy_dry_run(proposed=policy)) == {
        sections["plain"].pk: Effect.RELEASED,
        sections["lawsuit"].pk: Effect.HELD,
        sections["late"].pk: Effect.RELEASED,
    }


def test_an_article_policy_previews_its_story_only_over_its_sections(sections):
    CommentPolicy.objects.create(section=sections["sport"], premoderation=Premoderation.ALL)
    proposed = CommentPolicy(article=sections["regatta"], premoderation=Premoderation.NONE)

    assert effects(policy_dry_run(proposed=proposed)) == {sections["race"].pk: Effect.RELEASED}

    proposed.comments = CommentPolicy.Comments.CLOSED
    [change] = policy_dry_run(proposed=proposed)
    assert (change.effect, change.after.why) == (Effect.REFUSED, ["comments closed"])


def test_a_policy_moved_to_another_section_previews_both(sections):
    policy = CommentPolicy.objects.create(section=sections["city"], premoderation=Premoderation.ALL)
    policy.section = sections["sport"]

    assert effects(policy_dry_run(proposed=policy)) == {
        sections["plain"].pk: Effect.RELEASED,  # City is back to the site's rules
        sections["late"].pk: Effect.RELEASED,
        sections["race"].pk: Effect.HELD,
    }


def test_policy_dry_run_queries_do_not_grow_with_the_comments(
    sections, django_assert_max_num_queries
):
    for n in range(30):
        stored(sections["regatta"], f"Comment number {n}", email=f"r{n}@example.com")
    policy = CommentPolicy.objects.create(section=sections["sport"])
    policy.premoderation = Premoderation.ALL

    with django_assert_max_num_queries(6):
        assert len(policy_dry_run(proposed=policy)) == 31


def listed_effects(response):
    assert response.status_code == 200
    return {
        table.attrs["data-effect"]: [
            int(row.attrs["data-comment"])
            for row in table.find_all("tr")
            if "data-comment" in row.attrs
        ]
        for table in parse(response).find_all("table", cls="dry-run")
    }


def test_a_new_policy_is_previewed_from_its_add_form_then_saved_as_shown(sections, as_moderator):
    add_form = as_moderator.get(POLICY_ADD_URL)
    assert parse(add_form).find("input", formaction=POLICY_ADD_PREVIEW_URL) is not None
    data = form_data(
        add_form, section=str(sections["city"].pk), premoderation="all", close_after_days="7"
    )

    preview = as_moderator.post(POLICY_ADD_PREVIEW_URL, data)

    assert listed_effects(preview) == {
        "held": [sections["plain"].pk],
        "refused": [sections["late"].pk],
    }
    text = " ".join(parse(preview).text().split())
    assert "on the last 1000 comments on the stories of City" in text
    assert "comments close 7 days after publication" in text
    assert not CommentPolicy.objects.exists()  # nothing saved
    form = parse(preview).find("form", action=POLICY_ADD_URL)
    resent = {
        i.attrs["name"]: i.attrs.get("value", "")
        for i in form.find_all("input")
        if "name" in i.attrs
    }
    assert as_moderator.post(POLICY_ADD_URL, resent).status_code == 302
    saved = CommentPolicy.objects.get()
    assert (saved.section, saved.premoderation, saved.close_after_days) == (
        sections["city"], Premoderation.ALL, 7,
    )  # fmt: skip


def test_a_changed_policy_is_previewed_from_its_change_form(sections, as_moderator):
    policy = CommentPolicy.objects.create(article=sections["regatta"])
    change_url = reverse("admin:comments_commentpolicy_change", args=[policy.pk])
    preview_url = reverse("admin:comments_commentpolicy_preview", args=[policy.pk])
    change_form = as_moderator.get(change_url)
    assert parse(change_form).find("input", formaction=preview_url) is not None

    preview = as_moderator.post(preview_url, form_data(change_form, comments="closed"))

    assert listed_effects(preview) == {"refused": [sections["race"].pk]}
    assert "on the story “Kestrel Bay regatta”" in preview.content.decode()
    assert CommentPolicy.objects.get().comments == ""


def test_a_policy_preview_with_a_mistake_says_so_instead_of_failing(sections, as_moderator):
    data = form_data(
        as_moderator.get(POLICY_ADD_URL),
        section=str(sections["city"].pk),
        article=str(sections["regatta"].pk),
    )

    preview = as_moderator.post(POLICY_ADD_PREVIEW_URL, data)

    assert preview.status_code == 200
    assert "A policy is for one section or one article." in preview.content.decode()
    assert not CommentPolicy.objects.exists()


def test_only_moderators_may_preview_a_policy(sections):
    reporter = logged_in(UserFactory(username="reporter", groups=["Reporter"]))

    response = reporter.post(POLICY_ADD_PREVIEW_URL, {"section": sections["city"].pk})

    assert response.status_code == 403


# --- Rule changes in the audit trail ------------------------------------------------------------


def test_a_rule_change_is_kept_in_the_trail_with_who_and_what_it_was(
    set_rules, as_moderator, moderator
):
    set_rules(hold_words="lawsuit", max_links=2)

    edit_rules(as_moderator, hold_words="lawsuit\ncrypto")
    edit_rules(as_moderator, hold_words="lawsuit\ncrypto")  # saved again, unchanged

    (event,) = ModerationEvent.objects.filter(action=ModerationEvent.Action.RULE_CHANGE)
    assert event.by == moderator
    assert event.before == {"hold_words": "lawsuit"}
    assert event.after == {"hold_words": "lawsuit\ncrypto"}


def test_a_policy_set_and_removed_is_kept_in_the_trail(as_moderator, moderator, section):
    add_url = reverse("admin:comments_commentpolicy_add")
    response = as_moderator.post(
        add_url,
        form_data(as_moderator.get(add_url), section=str(section.pk), comments="closed"),
    )
    assert response.status_code == 302
    policy = CommentPolicy.objects.get(section=section)
    delete_url = reverse("admin:comments_commentpolicy_delete", args=[policy.pk])
    assert as_moderator.post(delete_url, {"post": "yes"}).status_code == 302

    added, removed = ModerationEvent.objects.filter(
        action=ModerationEvent.Action.RULE_CHANGE
    ).order_by("at", "pk")
    assert (added.by, removed.by) == (moderator, moderator)
    assert added.before == {} and added.after["comments"] == "closed"
    assert removed.before["comments"] == "closed" and removed.after == {}
    assert not CommentPolicy.objects.exists()
