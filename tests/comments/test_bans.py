"""Bans by e-mail, domain and network: what they stop, for how long, and how a banned
commenter is answered; "ban and remove" in the admin."""

import ipaddress
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest.mock import patch

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import CommentBan, ReaderComment
from tests.admin_pages import form_data, logged_in
from tests.comments.pages import parse
from tests.comments.test_posting import READER, filled_form, post
from tests.concurrency import retry_while_sqlite_is_locked
from tests.factories import ArticleFactory, ReaderCommentFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
Kind = CommentBan.Kind
CHANGELIST_URL = reverse("admin:comments_readercomment_changelist")


def ban(kind, value, *, days=None, by=None, reason="Abuse"):
    ends_at = timezone.now() + timedelta(days=days) if days else None
    return services.comment_ban_save(
        ban=CommentBan(kind=kind, value=value, reason=reason, ends_at=ends_at), by=by
    )


def banned(email="ada@example.com", ip="198.51.100.7"):
    return bool(CommentBan.objects.matching(email=email, ip_address=ip))


def assert_pending_redirect(response, article):
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?comment=pending#comment-status"


# --- What a ban covers -----------------------------------------------------------------


def test_email_ban_covers_the_address_in_any_case_and_no_other():
    ban(Kind.EMAIL, "Rosa@Example.org")

    assert banned("rosa@example.org")
    assert banned("ROSA@EXAMPLE.ORG")
    assert not banned("rosa2@example.org")


def test_domain_ban_covers_the_domain_and_its_subdomains_not_lookalikes():
    ban(Kind.DOMAIN, "@Spam.example")

    assert banned("anyone@spam.example")
    assert banned("anyone@mail.spam.example")
    assert not banned("anyone@notspam.example")
    assert not banned("anyone@spam.example.org")


@pytest.mark.parametrize(
    ("network", "inside", "outside"),
    [
        ("203.0.113.0/24", "203.0.113.250", "203.0.114.1"),
        ("203.0.113.7", "203.0.113.7", "203.0.113.8"),
        ("2001:db8:1::/48", "2001:db8:1:ffff::5", "2001:db8:2::5"),
        # an IPv4 client seen through an IPv6 socket
        ("198.51.100.0/24", "::ffff:198.51.100.9", "::ffff:198.51.101.9"),
    ],
)
def test_network_ban_covers_the_addresses_inside_it(network, inside, outside):
    ban(Kind.NETWORK, network)

    assert banned("a@example.com", inside)
    assert not banned("a@example.com", outside)
    assert not banned("a@example.com", None)


def test_network_bans_match_exactly_the_addresses_ipaddress_puts_inside_them():
    """Each network's first and last address and their neighbours either side, matched
    in SQL, against the standard library's answer: random IPv4 and IPv6 networks."""
    rng = random.Random(15)
    networks = [
        ipaddress.ip_network((address_type(rng.getrandbits(bits)), rng.randint(1, bits)), False)
        for address_type, bits in [(ipaddress.IPv4Address, 32), (ipaddress.IPv6Address, 128)]
        for _ in range(12)
    ]
    for network in networks:
        CommentBan.objects.all().delete()
        ban(Kind.NETWORK, str(network))
        first, last = int(network.network_address), int(network.broadcast_address)
        neighbours = {first - 1, first, first + 1, last - 1, last, last + 1}
        for number in (n for n in neighbours if 0 <= n < 2**network.max_prefixlen):
            address = type(network.network_address)(number)
            assert banned("a@example.com", str(address)) == (address in network), address


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        (Kind.EMAIL, " Ada@Example.COM ", "ada@example.com"),
        (Kind.DOMAIN, "@Example.COM", "example.com"),
        (Kind.NETWORK, "203.0.113.77/24", "203.0.113.0/24"),
        (Kind.NETWORK, "2001:DB8::1", "2001:db8::1/128"),
    ],
)
def test_ban_is_stored_in_the_spelling_matching_looks_for(kind, value, stored):
    assert ban(kind, value).value == stored


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (Kind.EMAIL, "not-an-address"),
        (Kind.DOMAIN, "exa mple.com"),
        (Kind.NETWORK, "203.0.113.0/33"),
        (Kind.NETWORK, "example.com"),
    ],
)
def test_ban_with_a_value_of_the_wrong_kind_is_refused(kind, value):
    with pytest.raises(ValidationError) as error:
        ban(kind, value)

    assert "value" in error.value.message_dict
    assert not CommentBan.objects.exists()


def test_ban_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError, match="A ban ends after it starts"):
        services.comment_ban_save(
            ban=CommentBan(
                kind=Kind.EMAIL, value="a@example.com", reason="x",
                ends_at=timezone.now() - timedelta(days=1),
            ),
            by=None,
        )  # fmt: skip


def test_lifted_ban_stops_nobody_and_stays_listed(moderator):
    email_ban = ban(Kind.EMAIL, "ada@example.com")

    services.comment_ban_lift(ban=email_ban, by=moderator)

    assert not banned("ada@example.com")
    assert CommentBan.objects.get().ends_at is not None


# --- A banned commenter posting --------------------------------------------------------


def test_seven_day_email_ban_stops_that_address_and_lapses_on_day_eight(client, article):
    start = timezone.now()
    ban(Kind.EMAIL, READER["email"], days=7)

    with time_machine.travel(start + timedelta(days=6, hours=23), tick=False):
        response = post(client, filled_form(client, article))
        assert_pending_redirect(response, article)
        assert not ReaderComment.objects.exists()

    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        response = post(client, filled_form(client, article))
        assert_pending_redirect(response, article)
        assert ReaderComment.objects.get().user_email == READER["email"]


def test_banned_commenters_post_reaches_neither_queue_nor_counts(client, article):
    ban(Kind.NETWORK, "192.0.2.0/24")

    response = post(
        client, filled_form(client, article, comment="Buy now"), REMOTE_ADDR="192.0.2.44"
    )

    assert_pending_redirect(response, article)
    assert not ReaderComment.objects.exists()
    assert Article.objects.get(pk=article.pk).comment_count == 0


def test_banned_commenter_is_told_plainly_when_the_site_says_so(client, article, settings):
    settings.COMMENTS_TELL_BANNED = True
    ban(Kind.DOMAIN, READER["email"].partition("@")[2])

    response = post(client, filled_form(client, article))

    assert response.status_code == 403
    assert "You can't comment on this site." in parse(response).text()
    assert not ReaderComment.objects.exists()


def test_ban_stops_a_repost_of_a_comment_stored_before_the_ban(article):
    def repost():
        return services.comment_post(
            article=article, name="Ada", email="ada@example.com", text="First!", client="c"
        )

    assert repost().result == services.PostResult.STORED
    ban(Kind.EMAIL, "ada@example.com")

    assert repost().result == services.PostResult.BANNED


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_from_banned_networks_addresses_and_domains_store_nothing(
    section, settings
):
    # A post retried while SQLite is locked has taken its flood slot already.
    settings.COMMENTS_RATE_PER_CLIENT = settings.COMMENTS_RATE_PER_EMAIL = "100/15s"
    article = ArticleFactory(section=section)
    ban(Kind.NETWORK, "2001:db8::/32")
    ban(Kind.EMAIL, "banned@example.com")
    ban(Kind.DOMAIN, "spam.example")
    posts = [(f"reader{i}@example.com", f"2001:db8:{i}::1") for i in range(1, 9)]
    posts += [
        ("Banned@Example.com", "198.51.100.1"),
        ("x@mail.spam.example", "198.51.100.2"),
        ("y@spam.example", "198.51.100.3"),
    ]
    posts += [(f"reader{i}@example.com", f"2001:db9:{i}::1") for i in range(1, 5)]
    barrier = threading.Barrier(len(posts))

    def post_from_own_connection(email, ip):
        try:
            barrier.wait(timeout=30)
            return retry_while_sqlite_is_locked(
                lambda: services.comment_post(
                    article=article, name="R", email=email, text=f"Hello from {ip}",
                    client=ip, ip_address=ip,
                )
            ).result  # fmt: skip
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        results = list(pool.map(lambda args: post_from_own_connection(*args), posts))

    assert results == [services.PostResult.BANNED] * 11 + [services.PostResult.STORED] * 4
    assert sorted(ReaderComment.objects.values_list("ip_address", flat=True)) == [
        f"2001:db9:{i}::1" for i in range(1, 5)
    ]


@pytest.mark.django_db(transaction=True)
def test_post_on_its_way_while_ban_and_remove_runs_is_removed_too(section):
    article = ArticleFactory(section=section)
    past_ban_check, ban_committed = threading.Event(), threading.Event()
    real_decide = services.decide

    def decide_once_the_ban_is_in(**kwargs):
        past_ban_check.set()
        assert ban_committed.wait(timeout=30)
        return real_decide(**kwargs)

    def post():
        try:
            return services.comment_post(
                article=article, name="T", email="troll@example.com", text="Still here",
                client="c", ip_address="203.0.113.1",
            )  # fmt: skip
        finally:
            connection.close()

    with (
        patch("comments.services.decide", decide_once_the_ban_is_in),
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        posting = pool.submit(post)
        assert past_ban_check.wait(timeout=30)
        _ban, removed = services.commenter_ban_and_remove(
            email="troll@example.com", reason="Abuse", ends_at=None, by=None
        )
        ban_committed.set()
        outcome = posting.result(timeout=30)

    assert (removed, outcome.result) == (0, services.PostResult.STORED)
    assert ReaderComment.objects.get().status == Status.REMOVED
    assert not ReaderComment.objects.pending().exists()


# --- Bans in the admin -----------------------------------------------------------------


def test_moderator_sets_a_ban_in_the_admin_stamped_with_their_name(moderator):
    client = logged_in(moderator)
    add_url = reverse("admin:comments_commentban_add")

    response = client.post(
        add_url,
        form_data(client.get(add_url), kind=Kind.NETWORK, value="203.0.113.9/24", reason="Flood"),
    )

    assert response.status_code == 302
    stored = CommentBan.objects.get()
    assert (stored.value, stored.created_by) == ("203.0.113.0/24", moderator)


def test_moderator_lifts_a_ban_but_cannot_delete_it(moderator):
    email_ban = ban(Kind.EMAIL, "ada@example.com")
    client = logged_in(moderator)

    response = client.post(
        reverse("admin:comments_commentban_changelist"),
        {"action": "lift", ACTION_CHECKBOX_NAME: [email_ban.pk], "index": 0},
    )

    assert response.status_code == 302
    assert not banned("ada@example.com")
    delete = client.get(reverse("admin:comments_commentban_delete", args=[email_ban.pk]))
    assert delete.status_code == 403


# --- Ban and remove --------------------------------------------------------------------


def run_ban_and_remove(client, comments, **confirm):
    data = {"action": "ban_and_remove", ACTION_CHECKBOX_NAME: [c.pk for c in comments]}
    if confirm:
        data |= {"confirm": "yes", **confirm}
    return client.post(CHANGELIST_URL, data)


def test_ban_and_remove_asks_first_saying_what_each_commenter_loses(moderator, article):
    troll = [
        ReaderCommentFactory(article=article, user_email="troll@example.com", status=status)
        for status in (Status.PUBLIC, Status.PUBLIC, Status.PENDING, Status.SPAM)
    ]

    response = run_ban_and_remove(logged_in(moderator), troll[:1])

    assert response.status_code == 200
    assert "troll@example.com: 3 comments removed" in " ".join(
        parse(response).find("ul", id="commenters").text().split()
    )
    assert not CommentBan.objects.exists()
    assert ReaderComment.objects.filter(status=Status.PUBLIC).count() == 2


def test_ban_and_remove_clears_the_commenters_public_comments_and_recounts(
    moderator, article, client, monkeypatch, django_capture_on_commit_callbacks
):
    other_article = ArticleFactory(section=article.section)
    troll = [
        ReaderCommentFactory(article=a, user_email=email, status=status)
        for a, email, status in [
            (article, "troll@example.com", Status.PUBLIC),
            (other_article, "TROLL@example.com", Status.PUBLIC),
            (article, "troll@example.com", Status.PENDING),
        ]
    ]
    kept = ReaderCommentFactory(article=article, user_email="rosa@example.org")
    for a in (article, other_article):
        services.article_comment_count_refresh(article_id=a.pk)
    assert client.get(article.get_absolute_url()).content.decode().count(troll[0].comment)

    purged = []
    monkeypatch.setattr("newsroom.cachekeys.purge_now", purged.append)

    with django_capture_on_commit_callbacks(execute=True):
        response = run_ban_and_remove(logged_in(moderator), troll[:1], reason="Abuse", days="30")

    assert response.status_code == 302
    # taken down at once on both articles' pages
    assert {key for keys in purged for key in keys.hard} >= {
        f"comments-{article.pk}", f"comments-{other_article.pk}",
    }  # fmt: skip
    assert set(ReaderComment.objects.values_list("pk", "status")) == {
        *((c.pk, Status.REMOVED) for c in troll),
        (kept.pk, Status.PUBLIC),
    }
    assert Article.objects.get(pk=article.pk).comment_count == 1
    assert Article.objects.get(pk=other_article.pk).comment_count == 0
    page = client.get(article.get_absolute_url()).content.decode()
    assert troll[0].comment not in page and kept.comment in page
    ban_set = CommentBan.objects.get()
    assert (ban_set.kind, ban_set.value, ban_set.created_by) == (
        Kind.EMAIL, "troll@example.com", moderator,
    )  # fmt: skip
    assert timedelta(days=29) < ban_set.ends_at - timezone.now() <= timedelta(days=30)
    assert banned("troll@example.com")


def test_ban_and_remove_without_a_reason_bans_nobody(moderator, article):
    troll = ReaderCommentFactory(article=article, user_email="troll@example.com")

    response = run_ban_and_remove(logged_in(moderator), [troll], reason="")

    assert response.status_code == 200
    assert not CommentBan.objects.exists()
    assert ReaderComment.objects.get().status == Status.PUBLIC
