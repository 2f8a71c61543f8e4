"""Commenters: "Notify me" (double opt-in, notices, one-click unsubscribe), their data
(export and erasure by an e-mail link or by a moderator) and IP retention.

Mail goes through Django's locmem backend; the test settings' immediate task backend
sends what the services queue once their transaction commits.
"""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.forms import CommentForm
from comments.links import LinkPurpose, address_link
from comments.models import (
    CommentBan,
    CommenterAddress,
    ModerationEvent,
    ModerationReason,
    ReaderComment,
)
from tests.admin_pages import form_data, logged_in
from tests.comments.pages import parse
from tests.factories import ReaderCommentFactory

pytestmark = pytest.mark.django_db

Status = ReaderComment.Status
ROSA = {"name": "Rosa Quillfeather", "email": "rosa.quill@kestrelbay.example"}
ROSA_IP = "203.0.113.77"
CHANGELIST_URL = reverse("admin:comments_readercomment_changelist")


@pytest.fixture(autouse=True)
def generous_flood_limits(settings):
    settings.COMMENTS_RATE_PER_CLIENT = settings.COMMENTS_RATE_PER_EMAIL = "100/15s"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the request queues after its commit (the mail tasks), as production does."""

    def committed(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return committed


def posted(client, article, text, *, notify=True, email=ROSA["email"], name=ROSA["name"]):
    data = {**CommentForm(article).generate_security_data(), "name": name, "email": email}
    data |= {"comment": text, **({"notify": "on"} if notify else {})}
    response = client.post(reverse("comments:post"), data, REMOTE_ADDR=ROSA_IP)
    assert response.status_code == 302, response.content.decode()[:1000]
    return ReaderComment.objects.get(comment=text)


def to_rosa():
    """The mail sent to the commenter (moderators are told of pending comments too)."""
    return [message for message in mail.outbox if message.to == [ROSA["email"]]]


def link_in(message, path_start):
    """The one link in a mail's text whose path starts with `path_start`."""
    (url,) = re.findall(rf"http://testserver({re.escape(path_start)}\S+)", message.body)
    return url


def confirm(client, message):
    return client.post(link_in(message, "/comments/notices/confirm/"))


def approve(comment, moderator):
    return services.comments_moderate(comments=[comment], status=Status.PUBLIC, by=moderator)


# --- "Notify me" ---------------------------------------------------------------------


def test_the_comment_form_offers_notify_me_unticked_and_a_link_to_their_data(client, article):
    form = parse(client.get(article.get_absolute_url())).find("form", cls="comment-form")

    box = form.find("input", name="notify")
    assert box.attrs["type"] == "checkbox" and "checked" not in box.attrs
    label = form.find("label", for_=box.attrs["id"]).text()
    assert label.startswith("Notify me by e-mail when my comment is published")
    assert form.find("a", href=reverse("comments:data-request")) is not None


def test_notify_me_sends_one_confirmation_and_nothing_else_before_it_is_confirmed(
    client, article, moderator, committed
):
    first = committed(posted, client, article, "The ferry timetable is wrong again.")
    committed(posted, client, article, "And the tunnel tolls went up.")

    assert len(to_rosa()) == 1  # one confirmation covers the address, for every comment
    (message,) = to_rosa()
    assert message.to == [ROSA["email"]]
    assert "/comments/notices/confirm/" in message.body
    assert first.followup

    committed(approve, first, moderator)

    assert len(to_rosa()) == 1  # no notice before the confirmation


def test_a_confirmed_address_hears_of_the_approval_and_of_a_reply_not_of_its_own(
    client, article, moderator, committed
):
    own = committed(posted, client, article, "The harbour lights are out on Pier 4.")
    # Opening the link shows a button and confirms nothing: mail scanners open links.
    page = client.get(link_in(to_rosa()[0], "/comments/notices/confirm/"))
    assert page.status_code == 200 and "Yes, notify me" in page.content.decode()
    assert CommenterAddress.objects.notified().count() == 0
    assert confirm(client, to_rosa()[0]).status_code == 200
    mail.outbox.clear()

    committed(approve, own, moderator)

    (approved,) = to_rosa()
    assert approved.to == [ROSA["email"]]
    assert approved.subject.endswith("Your comment is published")
    assert f"http://testserver/comments/{own.pk}/\n" in approved.body  # its permalink

    reply = ReaderCommentFactory(
        parent=own, user_name="Tomas Reed", comment="They were fixed this morning.",
        status=Status.PENDING,
    )  # fmt: skip
    self_reply = ReaderCommentFactory(parent=own, user_email=ROSA["email"], status=Status.PENDING)
    mail.outbox.clear()
    committed(
        services.comments_moderate, comments=[reply, self_reply], status=Status.PUBLIC, by=moderator
    )

    (replied,) = to_rosa()
    assert replied.to == [ROSA["email"]]
    assert replied.subject.endswith("A reply to your comment")
    assert "Tomas Reed replied" in replied.body and "fixed this morning" in replied.body


def test_every_commenter_mail_has_one_click_unsubscribe_and_links_carry_no_address_or_text(
    client, article, moderator, committed
):
    own = committed(posted, client, article, "Kestrel Bay needs a second bridge.")
    confirm(client, to_rosa()[0])
    committed(approve, own, moderator)
    committed(services.commenter_data_request, email=ROSA["email"])

    assert len(to_rosa()) == 3  # confirmation, notice, data link
    for message in to_rosa():
        header = message.extra_headers["List-Unsubscribe"]
        assert re.fullmatch(r"<http://testserver/comments/notices/unsubscribe/\S+/>", header)
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert header[1:-1] in message.body  # and the same as a plain link
        for url in re.findall(r"https?://\S+", message.body + header):
            for secret in ("rosa", "quill", "kestrelbay", "bridge", "Kestrel"):
                assert secret.casefold() not in url.casefold()


def test_one_click_unsubscribe_is_a_post_with_no_cookie_and_no_csrf_token(
    client, article, moderator, committed
):
    own = committed(posted, client, article, "Will the night buses run in winter?")
    confirm(client, to_rosa()[0])
    url = to_rosa()[0].extra_headers["List-Unsubscribe"][1:-1]
    mail_client = Client(enforce_csrf_checks=True)  # what a mail provider's server sends

    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "no more e-mails" in response.content.decode()
    assert not response.cookies
    assert not CommenterAddress.objects.notified().exists()
    mail.outbox.clear()
    committed(approve, own, moderator)
    assert to_rosa() == []
    # Sent twice (a retrying provider): still fine.
    assert mail_client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_the_plain_unsubscribe_link_asks_before_it_stops_anything(client, article, committed):
    committed(posted, client, article, "Good piece on the lighthouse.")
    confirm(client, to_rosa()[0])
    url = to_rosa()[0].extra_headers["List-Unsubscribe"][1:-1]

    page = client.get(url)

    assert page.status_code == 200 and "Stop the e-mails" in page.content.decode()
    assert "no-store" in page["Cache-Control"]  # a commenter's own page: never cached
    assert CommenterAddress.objects.notified().exists()


@pytest.mark.parametrize("purpose", list(LinkPurpose))
def test_expired_links_are_refused_with_a_readable_page(client, article, settings, purpose):
    address = services.commenter_address_for(email=ROSA["email"])
    url = address_link(address, purpose).removeprefix("http://testserver")

    with time_machine.travel(timezone.now() + timedelta(seconds=purpose.max_age + 60)):
        response = client.post(url) if purpose == LinkPurpose.UNSUBSCRIBE else client.get(url)

    assert response.status_code == 410
    page = parse(response)
    assert page.find("h1").text() == "This link does not work"
    assert "This link has expired" in page.text()


def test_tampered_links_and_links_for_another_purpose_are_refused(client, article):
    address = services.commenter_address_for(email=ROSA["email"])
    unsubscribe = address_link(address, LinkPurpose.UNSUBSCRIBE).removeprefix("http://testserver")
    token = unsubscribe.split("/")[-2]
    tampered = unsubscribe.replace(token, token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB"))
    as_data_link = reverse("comments:data", args=[token])  # the same token, another door

    for url in (tampered, as_data_link):
        response = client.post(url) if "notices" in url else client.get(url)
        assert response.status_code == 400
        assert "Copy the whole link from the e-mail" in parse(response).text()
    assert CommenterAddress.objects.get() == address


# --- Their data ------------------------------------------------------------------------


def rosa_and_others(article, moderator):
    """Rosa's comments with what moderation stored about them, among others' comments."""
    rosa = {"user_name": ROSA["name"], "user_email": ROSA["email"], "ip_address": ROSA_IP}
    answered = ReaderCommentFactory(article=article, comment="Rosa: pier lights out.", **rosa)
    unanswered = ReaderCommentFactory(article=article, comment="Rosa: second thought.", **rosa)
    other = ReaderCommentFactory(
        parent=answered, user_name="Tomas Reed", user_email="tomas@portalder.example",
        ip_address="198.51.100.9", comment="Tomas: fixed this morning.",
    )  # fmt: skip
    rosa_reply = ReaderCommentFactory(
        parent=other, comment="Rosa: thanks!", **{**rosa, "user_email": ROSA["email"].upper()}
    )
    ModerationReason.objects.create(comment=unanswered, rule=ModerationReason.Rule.FIRST_COMMENT)
    services.comment_edit(comment=answered, text="Rosa: the pier lights are out.", by=moderator)
    services.comment_ban_save(
        ban=CommentBan(
            kind=CommentBan.Kind.EMAIL, value=ROSA["email"], reason=f"{ROSA['name']} spams"
        ),
        by=moderator,
    )
    LogEntry.objects.log_actions(
        user_id=moderator.pk, queryset=[answered], action_flag=CHANGE, change_message="[]"
    )
    address = services.commenter_address_for(email=ROSA["email"])
    services.commenter_notify_confirm(address=address)
    for article_id in {article.pk}:
        services.article_comment_count_refresh(article_id=article_id)
    return {"answered": answered, "unanswered": unanswered, "other": other, "reply": rosa_reply}


def data_link(client, committed, email=ROSA["email"]):
    response = committed(client.post, reverse("comments:data-request"), {"email": email})
    assert response.status_code == 200
    return response


def test_a_data_link_is_mailed_only_when_something_is_stored_with_the_same_answer(
    client, article, moderator, committed
):
    rosa_and_others(article, moderator)

    stranger = data_link(client, committed, email="nobody@example.net")
    rosa = data_link(client, committed, email=ROSA["email"].upper())

    assert [message.to for message in mail.outbox] == [[ROSA["email"]]]
    assert parse(stranger).find("h1").text() == parse(rosa).find("h1").text() == "Check your e-mail"
    assert "/comments/your-data/" in to_rosa()[0].body


def test_the_export_holds_everything_stored_for_the_address_and_nothing_of_anyone_else(
    client, article, moderator, committed
):
    rosas = rosa_and_others(article, moderator)
    data_link(client, committed)
    page = client.get(link_in(to_rosa()[0], "/comments/your-data/"))
    export_url = parse(page).find("a", download="").attrs["href"]

    response = client.get(export_url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-comments.json"'
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    data = json.loads(text)
    assert {c["id"] for c in data["comments"]} == {
        rosas[key].pk for key in ("answered", "unanswered", "reply")
    }
    answered = next(c for c in data["comments"] if c["id"] == rosas["answered"].pk)
    assert answered["name"] == ROSA["name"] and answered["ip_address"] == ROSA_IP
    assert answered["comment"] == "Rosa: the pier lights are out."
    assert answered["history"][0]["before"] == {"comment": "Rosa: pier lights out."}
    unanswered = next(c for c in data["comments"] if c["id"] == rosas["unanswered"].pk)
    assert unanswered["why_held"] == ["first comment from this address"]
    assert data["notices"]["confirmed_at"] is not None
    assert data["bans"][0]["reason"] == "Rosa Quillfeather spams"
    for others in ("Tomas", "tomas@portalder.example", "198.51.100.9", "fixed this morning"):
        assert others not in text


def every_text_value():
    """Every value of every text, address and JSON column of every table, read back."""
    kinds = (models.CharField, models.TextField, models.GenericIPAddressField, models.JSONField)
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, kinds):
                for value in model._base_manager.values_list(field.attname, flat=True):
                    yield model, field.name, json.dumps(value, ensure_ascii=False)


def test_after_erasure_no_table_holds_the_address_the_name_or_the_ip_and_threads_render(
    client, article, moderator, committed
):
    rosas = rosa_and_others(article, moderator)
    secrets = [ROSA["email"], ROSA["name"], ROSA_IP, "Rosa:"]
    assert {
        s
        for _model, _field, value in every_text_value()
        for s in secrets
        if s.casefold() in value.casefold()
    } == set(secrets)
    data_link(client, committed)
    page_url = link_in(to_rosa()[0], "/comments/your-data/")
    assert client.post(page_url).status_code == 400  # the box is not ticked: nothing happens
    assert ReaderComment.objects.count() == 4

    response = committed(client.post, page_url, {"confirm": "on"})

    assert response.status_code == 200
    assert "2 comment(s) deleted; 1 kept" in response.content.decode()
    found = [
        (model.__name__, field, secret)
        for model, field, value in every_text_value()
        for secret in secrets
        if secret.casefold() in value.casefold()
    ]
    assert found == []
    # The answered comment keeps its place; the others are gone.
    assert set(ReaderComment.objects.values_list("pk", flat=True)) == {
        rosas["answered"].pk, rosas["other"].pk,
    }  # fmt: skip
    assert Article.objects.get(pk=article.pk).comment_count == 1
    html = client.get(article.get_absolute_url()).content.decode()
    thread = parse(html).find("section", id="comments")
    assert "Comment removed at the author’s request." in thread.text()
    assert "Tomas: fixed this morning." in thread.text()
    assert thread.find("h2").text() == "1 comment"
    # The ban still keeps the address out, without holding it.
    assert CommentBan.objects.matching(email=ROSA["email"], ip_address=None).exists()
    # The decisions stay in the trail, with who took them.
    assert ModerationEvent.objects.filter(action=ModerationEvent.Action.EDIT, by=moderator).exists()
    assert ModerationEvent.objects.filter(action=ModerationEvent.Action.ERASE).exists()
    # The link has done its work: the address it named is gone.
    assert client.get(page_url).status_code == 400


SHARED_IP = "192.0.2.10"  # Rosa's and Tomas's


def ban_in_admin(client, kind, value, reason):
    """A ban set in the admin, as moderators do: it leaves the admin's history too."""
    add_url = reverse("admin:comments_commentban_add")
    data = form_data(client.get(add_url), kind=kind, value=value, reason=reason)
    assert client.post(add_url, data).status_code == 302
    return CommentBan.objects.get(reason=reason)


def test_erasure_keeps_the_bans_naming_the_commenter_working_on_keyed_hashes(
    article, moderator, committed
):
    rosas = rosa_and_others(article, moderator)
    ReaderCommentFactory(article=article, comment="Rosa: from the library.",
                         user_name=ROSA["name"], user_email=ROSA["email"],
                         ip_address=SHARED_IP)  # fmt: skip
    ReaderCommentFactory(article=article, comment="Tomas: library too.",
                         user_email="tomas@portalder.example", ip_address=SHARED_IP)  # fmt: skip
    client = logged_in(moderator)
    Kind = CommentBan.Kind
    own_ip = ban_in_admin(client, Kind.NETWORK, ROSA_IP, f"{ROSA['name']} floods from {ROSA_IP}")
    shared_ip = ban_in_admin(client, Kind.NETWORK, SHARED_IP, "The library's terminal")
    network = ban_in_admin(client, Kind.NETWORK, "203.0.113.0/24", "A flood from this network")
    domain = ban_in_admin(client, Kind.DOMAIN, "kestrelbay.example", "Throwaway addresses")
    email_ban = CommentBan.objects.get(kind=Kind.EMAIL)
    assert rosas and own_ip.value == f"{ROSA_IP}/32"

    committed(services.commenter_erase, email=ROSA["email"], by=moderator)

    # No ban, ban reason, audit event or admin history keeps her address, name or IP...
    secrets = [ROSA["email"], ROSA["name"], ROSA_IP]
    found = [
        (model.__name__, field, secret)
        for model, field, value in every_text_value()
        for secret in secrets
        if secret.casefold() in value.casefold()
    ]
    assert found == []
    own_ip.refresh_from_db()
    email_ban.refresh_from_db()
    assert own_ip.value.startswith("erased:") and email_ban.value.startswith("erased:")
    assert own_ip.reason == "[erased] floods from [erased]"
    # ...yet her address and her IP stay banned, and nothing else is.
    assert set(CommentBan.objects.matching(email=ROSA["email"], ip_address=None)) == {
        email_ban, domain,
    }  # fmt: skip
    assert set(CommentBan.objects.matching(email="new@elsewhere.example", ip_address=ROSA_IP)) == {
        own_ip, network,
    }  # fmt: skip
    assert set(
        CommentBan.objects.matching(email="new@elsewhere.example", ip_address="203.0.113.7")
    ) == {network}
    # An address someone else used too, and networks and domains, are not one person's.
    shared_ip.refresh_from_db()
    network.refresh_from_db()
    domain.refresh_from_db()
    assert (shared_ip.value, network.value, domain.value) == (
        f"{SHARED_IP}/32", "203.0.113.0/24", "kestrelbay.example",
    )  # fmt: skip
    # The trail keeps who set each ban, and lifting an erased one works and is kept too.
    assert set(
        ModerationEvent.objects.filter(action=ModerationEvent.Action.BAN).values_list(
            "target_id", "by"
        )
    ) == {(ban.pk, moderator.pk) for ban in (email_ban, own_ip, shared_ip, network, domain)}
    assert LogEntry.objects.get(object_id=str(own_ip.pk)).user == moderator
    services.comment_ban_lift(ban=own_ip, by=moderator)
    assert set(CommentBan.objects.matching(email="new@elsewhere.example", ip_address=ROSA_IP)) == {
        network
    }
    assert ModerationEvent.objects.filter(action=ModerationEvent.Action.UNBAN).count() == 1


def test_erasure_leaves_other_words_and_addresses_that_merely_contain_hers(
    article, moderator, committed
):
    ReaderCommentFactory(article=article, user_name="Al", user_email="al@example.com",
                         ip_address="203.0.113.7")  # fmt: skip
    services.comment_ban_save(
        ban=CommentBan(kind=CommentBan.Kind.NETWORK, value="203.0.113.77",
                       reason="Also flooding, like Al at 203.0.113.7"),
        by=moderator,
    )  # fmt: skip

    committed(services.commenter_erase, email="al@example.com", by=moderator)

    ban = CommentBan.objects.get()
    assert (ban.value, ban.reason) == (
        "203.0.113.77/32",
        "Also flooding, like [erased] at [erased]",
    )


def test_moderators_export_and_erase_a_commenter_from_the_queue_audited(
    article, moderator, committed
):
    rosas = rosa_and_others(article, moderator)
    as_moderator = logged_in(moderator)
    selected = {ACTION_CHECKBOX_NAME: [rosas["unanswered"].pk]}

    export = as_moderator.post(CHANGELIST_URL, {"action": "export_commenters", **selected})

    assert export.status_code == 200
    (exported,) = json.loads(export.content)["commenters"]
    assert len(exported["comments"]) == 3
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.EXPORT)
    assert (event.by, event.after) == (moderator, {"comments": 3})

    asked = as_moderator.post(CHANGELIST_URL, {"action": "erase_commenters", **selected})
    assert asked.status_code == 200
    assert f"{ROSA['email']}: 3 comments" in " ".join(
        parse(asked).find("ul", id="commenters").text().split()
    )
    assert ReaderComment.objects.by_email(ROSA["email"]).count() == 3

    done = committed(
        as_moderator.post,
        CHANGELIST_URL,
        {"action": "erase_commenters", "confirm": "yes", **selected},
    )

    assert done.status_code == 302
    assert not ReaderComment.objects.by_email(ROSA["email"]).exists()
    erased = ModerationEvent.objects.get(action=ModerationEvent.Action.ERASE)
    assert (erased.by, erased.after) == (moderator, {"deleted": 2, "kept": 1})
    assert ROSA["email"] not in json.dumps(list(ModerationEvent.objects.values()), default=str)


def test_erasure_purges_the_thread_and_recounts(article, moderator, monkeypatch, committed):
    rosas = rosa_and_others(article, moderator)
    purged = []
    monkeypatch.setattr("newsroom.cachekeys.purge_now", purged.append)

    committed(services.commenter_erase, email=ROSA["email"], by=moderator)

    assert f"comments-{article.pk}" in {key for purge in purged for key in purge.hard}
    assert ReaderComment.objects.get(pk=rosas["answered"].pk).erased_at is not None
    assert Article.objects.get(pk=article.pk).comment_count == 1  # Tomas's reply only


# --- IP retention ------------------------------------------------------------------------


def test_prune_comment_ips_clears_addresses_older_than_the_retention(article, settings, capsys):
    settings.COMMENTS_IP_RETENTION_DAYS = 90
    now = timezone.now()
    old = ReaderCommentFactory(
        article=article, ip_address=ROSA_IP, submit_date=now - timedelta(days=91)
    )
    recent = ReaderCommentFactory(
        article=article, ip_address=ROSA_IP, submit_date=now - timedelta(days=89)
    )
    stale = services.commenter_address_for(email="never-confirmed@example.net")
    CommenterAddress.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=30))
    confirmed = services.commenter_notify_confirm(
        address=services.commenter_address_for(email=ROSA["email"])
    )
    CommenterAddress.objects.filter(pk=confirmed.pk).update(created_at=now - timedelta(days=30))

    call_command("prune_comment_ips")

    assert "Cleared the IP address of 1 comment(s) older than 90 days." in capsys.readouterr().out
    assert ReaderComment.objects.get(pk=old.pk).ip_address is None
    assert ReaderComment.objects.get(pk=recent.pk).ip_address == ROSA_IP
    assert list(CommenterAddress.objects.all()) == [confirmed]


def test_a_wrong_address_is_answered_next_to_the_field_and_kept(client):
    response = client.post(reverse("comments:data-request"), {"email": "rosa@"})

    assert response.status_code == 400
    page = parse(response)
    assert "Please enter an e-mail address such as" in page.find("p", cls="field-errors").text()
    assert page.find("input", name="email").attrs["value"] == "rosa@"


def test_data_links_asked_for_too_often_are_refused_with_429(client, settings, committed):
    settings.COMMENTS_DATA_REQUEST_RATE = "1/h"
    data_link(client, committed, email="someone@example.net")

    response = client.post(reverse("comments:data-request"), {"email": "someone@example.net"})

    assert response.status_code == 429
    assert "try again in an hour" in parse(response).find("div", cls="form-errors").text()
