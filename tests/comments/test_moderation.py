"""The rules a new comment meets (comments/moderation.py): closed, discarded, spam, held
or published."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.forms import CommentForm
from comments.models import Premoderation, ReaderComment
from comments.moderation import Action, closed_reason, decide, initial_rules
from newsroom.settings import base as base_settings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status

SPAM_CHECK_CALLS = []


def always_spam(*, name, email, text, request=None):
    """A site's own classifier, plugged in through settings.COMMENTS_SPAM_CHECK."""
    SPAM_CHECK_CALLS.append({"name": name, "email": email, "text": text, "request": request})
    return True


def never_spam(*, name, email, text, request=None):
    return False


@pytest.fixture(autouse=True)
def word_lists(settings, set_rules):
    set_rules(
        block_words="viagra\ncasino bonus\nGroßbetrug",
        hold_words="lawsuit",
        max_links=2,
        premoderation=Premoderation.ALL,
    )
    settings.COMMENTS_SPAM_CHECK = ""


@pytest.fixture
def trusting(set_rules):
    """Only a commenter's first comment waits for a moderator."""
    set_rules(premoderation=Premoderation.FIRST_TIME)


def post(article, text, *, email="ada@example.com", name="Ada", status=None, by=None):
    """A comment posted through the service, then given `status` by a moderator if asked."""
    comment, _verdict = services.comment_create(article=article, name=name, email=email, text=text)
    if status is not None:
        services.comments_moderate(comments=[comment], status=status, by=by)
    return comment


def verdict_for(text, *, name="Ada", email="ada@example.com", honeypot=""):
    return decide(name=name, email=email, text=text, honeypot=honeypot)


# --- Default: pre-moderation -----------------------------------------------------------


def test_new_commenter_is_held_for_a_moderator():
    verdict = verdict_for("The tunnel saves me twenty minutes a day.")

    assert verdict.action == Action.HOLD
    assert verdict.why == ["pre-moderation"]


def test_held_comment_is_stored_pending_and_not_public(article):
    comment, verdict = services.comment_create(
        article=article, name="Ada", email="ada@example.com", text="Well reported."
    )

    assert verdict.action == Action.HOLD
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert (comment.is_public, comment.is_removed) == (False, False)
    assert not ReaderComment.objects.public().exists()
    article.refresh_from_db()
    assert article.comment_count == 0


# --- Honeypot --------------------------------------------------------------------------


def test_filled_honeypot_is_discarded_and_not_stored(article):
    comment, verdict = services.comment_create(
        article=article,
        name="Bot",
        email="bot@example.com",
        text="Nice article.",
        honeypot="http://spam.example",
    )

    assert verdict.action == Action.DISCARD
    assert comment is None
    assert not ReaderComment.objects.exists()


def test_honeypot_beats_trust(trusting, article, moderator):
    post(article, "An earlier, approved comment.", status=Status.PUBLIC, by=moderator)

    assert verdict_for("Another one.", honeypot="x").action == Action.DISCARD


# --- Block list: spam ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Cheap viagra here",
        "Cheap VIAGRA here",
        "Cheap Viagra, here",
        "Cheap ｖｉａｇｒａ here",  # full-width letters: NFKC folds them
        "Cheap via\u200bgra here",  # zero-width space
        "Cheap vi\u200dag\u200cra here",  # zero-width joiner and non-joiner
        "Cheap via\u00adgra here",  # soft hyphen
        "Cheap \ufeffviagra here",  # zero-width no-break space
        "Cheap via\u2060gra here",  # word joiner
        "Cheap vi\u034fagra here",  # combining grapheme joiner: invisible, but not a format char
        "Cheap via\ufe0fgra here",  # variation selector
        "Cheap via\U000e0101gra here",  # variation selector supplement
        "Cheap via\u115fgra here",  # Hangul choseong filler, an invisible letter
        "Cheap 𝐯𝐢𝐚𝐠𝐫𝐚 here",  # mathematical bold letters
        "Cheap ⓥⓘⓐⓖⓡⓐ here",  # circled letters
        "Cheap viagra\rhere",  # a bare carriage return still separates words
        "Cheap viagra\x0bhere",  # and so does a vertical tab
        "Win a casino bonus today",
        "Win a CASINO\u00a0BONUS today",  # no-break space between the words
        "Win a casino\n\n  bonus today",
        "Win a casino\rbonus today",
        "Reiner GROSSBETRUG!",  # casefold: ß and SS are the same letters
        "Reiner grossbetrug!",
        "Reiner Großbetrug!",
    ],
)
def test_block_listed_words_mark_a_comment_as_spam(text):
    verdict = verdict_for(text)

    assert verdict.action == Action.SPAM


def test_block_listed_word_in_name_or_email_is_spam_too():
    assert verdict_for("Hello", name="Viagra Shop").action == Action.SPAM
    assert verdict_for("Hello", email="viagra@example.com").action == Action.SPAM


@pytest.mark.parametrize("text", ["Niagara falls", "Our casino has no bonus", "viagras"])
def test_words_that_only_resemble_a_listed_one_are_not_spam(text):
    assert verdict_for(text).action == Action.HOLD


def test_spam_is_stored_as_spam_out_of_the_queue(article):
    comment, verdict = services.comment_create(
        article=article, name="Shop", email="shop@example.com", text="ｖｉａｇｒａ deals"
    )

    assert verdict.action == Action.SPAM
    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert (comment.is_public, comment.is_removed) == (False, True)
    assert not ReaderComment.objects.pending().exists()


# --- Moderation list and links: held, whatever the trust -------------------------------


@pytest.mark.parametrize(
    "text", ["I will file a lawsuit", "A LAWSUIT", "A law\u200bsuit", "ｌａｗｓｕｉｔ"]
)
def test_moderation_list_holds_even_a_trusted_commenter(trusting, article, moderator, text):
    post(article, "An earlier, approved comment.", status=Status.PUBLIC, by=moderator)

    verdict = verdict_for(text)

    assert verdict.action == Action.HOLD
    assert verdict.why == ["listed word: lawsuit"]


def test_more_links_than_allowed_hold_even_a_trusted_commenter(trusting, article, moderator):
    post(article, "An earlier, approved comment.", status=Status.PUBLIC, by=moderator)
    two = "See https://a.example/x and www.b.example for details."
    three = two + " Also http://c.example/y."

    assert verdict_for(two).action == Action.PUBLISH

    verdict = verdict_for(three)
    assert verdict.action == Action.HOLD
    assert verdict.why == ["3 links"]


def test_link_limit_is_a_rule(trusting, set_rules, article, moderator):
    set_rules(max_links=0)
    post(article, "An earlier, approved comment.", status=Status.PUBLIC, by=moderator)

    assert verdict_for("Source: https://a.example/report").action == Action.HOLD


# --- Trust in previously approved commenters -------------------------------------------


def test_trust_publishes_a_commenter_with_an_approved_comment(trusting, article, moderator):
    post(article, "An earlier, approved comment.", status=Status.PUBLIC, by=moderator)

    comment, verdict = services.comment_create(
        article=article, name="Ada", email="ada@example.com", text="And a second one."
    )

    assert verdict.action == Action.PUBLISH
    assert verdict.why == ["previously approved"]
    comment.refresh_from_db()
    assert comment.status == Status.PUBLIC
    assert (comment.is_public, comment.is_removed) == (True, False)
    article.refresh_from_db()
    assert article.comment_count == 2


def test_trust_compares_emails_case_insensitively(trusting, article, moderator):
    post(article, "Earlier.", email="Ada.Reyes@Example.COM", status=Status.PUBLIC, by=moderator)

    assert verdict_for("Later.", email="ada.reyes@example.com").action == Action.PUBLISH


def test_trust_is_off_by_default(article, moderator):
    assert base_settings.COMMENTS_TRUST_PREVIOUSLY_APPROVED is False
    assert initial_rules().premoderation == Premoderation.ALL
    post(article, "An earlier, approved comment.", status=Status.PUBLIC, by=moderator)

    assert verdict_for("And a second one.").action == Action.HOLD


@pytest.mark.parametrize("earlier", [None, Status.PENDING, Status.REMOVED, Status.SPAM])
def test_trust_needs_an_approved_comment(trusting, article, moderator, earlier):
    if earlier is not None:
        post(article, "An earlier comment.", status=earlier, by=moderator)

    verdict = verdict_for("And a second one.")

    assert verdict.action == Action.HOLD
    assert verdict.why == ["first comment from this address"]


def test_trust_never_publishes_spam(trusting, article, moderator):
    post(article, "An earlier, approved comment.", status=Status.PUBLIC, by=moderator)

    assert verdict_for("Cheap viagra").action == Action.SPAM


def test_another_email_with_approved_comments_does_not_lend_trust(trusting, article, moderator):
    post(article, "Earlier.", email="bo@example.com", status=Status.PUBLIC, by=moderator)

    assert verdict_for("Later.", email="ada@example.com").action == Action.HOLD


# --- Pluggable spam check --------------------------------------------------------------


def test_spam_check_is_pluggable(settings, article, rf):
    settings.COMMENTS_SPAM_CHECK = "tests.comments.test_moderation.always_spam"
    SPAM_CHECK_CALLS.clear()
    request = rf.post(reverse("comments:post"))

    comment, verdict = services.comment_create(
        article=article,
        name="Ada",
        email="ada@example.com",
        text="A perfectly ordinary comment.",
        request=request,
    )

    assert verdict.action == Action.SPAM
    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert [
        {
            "name": "Ada",
            "email": "ada@example.com",
            "text": "A perfectly ordinary comment.",
            "request": request,
        }
    ] == SPAM_CHECK_CALLS


def test_the_block_words_apply_whatever_the_spam_check(settings, article):
    settings.COMMENTS_SPAM_CHECK = "tests.comments.test_moderation.never_spam"

    comment, verdict = services.comment_create(
        article=article, name="Ada", email="ada@example.com", text="viagra"
    )

    assert verdict.action == Action.SPAM
    assert verdict.why == ["blocked word: viagra"]
    comment.refresh_from_db()
    assert comment.status == Status.SPAM


def test_a_replaced_spam_check_keeps_the_hold_rules(settings, article):
    settings.COMMENTS_SPAM_CHECK = "tests.comments.test_moderation.never_spam"

    verdict = verdict_for(
        "About the lawsuit: https://a.example https://b.example https://c.example"
    )

    assert verdict.action == Action.HOLD
    assert set(verdict.why) == {"3 links", "listed word: lawsuit"}


# --- Closed comments -------------------------------------------------------------------


def test_comments_are_open_on_a_recent_published_article(article):
    assert closed_reason(article) is None


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_comments_are_closed_on_unpublished_articles(section, status):
    draft = ArticleFactory(section=section, status=status, published_at=None)

    assert closed_reason(draft) == "This article is not published."


def test_comments_are_closed_when_the_article_says_so(section):
    article = ArticleFactory(section=section, allow_comments=False)

    assert closed_reason(article) == "Comments are closed."


def test_comments_close_after_the_sites_limit_in_days(set_rules, section):
    set_rules(close_after_days=30)
    old = ArticleFactory(section=section, published_at=timezone.now() - timedelta(days=31))
    recent = ArticleFactory(section=section, published_at=timezone.now() - timedelta(days=29))

    assert closed_reason(old) == "Comments are closed."
    assert closed_reason(recent) is None

    set_rules(close_after_days=0)  # no limit

    assert closed_reason(old) is None


def test_scheduled_article_is_closed_without_an_error(set_rules, section):
    set_rules(close_after_days=30)
    scheduled = ArticleFactory(section=section, published_at=timezone.now() + timedelta(days=2))

    assert closed_reason(scheduled) == "This article is not published."


def test_posting_to_a_scheduled_article_is_refused_with_a_readable_page(client, section):
    scheduled = ArticleFactory(section=section, published_at=timezone.now() + timedelta(days=2))

    response = client.post(
        reverse("comments:post"),
        {
            # The form as the article page would have signed it.
            **CommentForm(scheduled).generate_security_data(),
            "name": "Ada",
            "email": "ada@example.com",
            "comment": "First!",
        },
    )

    assert 400 <= response.status_code < 500
    assert "We could not tell which article this comment was for." in response.content.decode()
    assert "First!" in response.content.decode()
    assert not ReaderComment.objects.exists()
