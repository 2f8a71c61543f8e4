"""The admin login's lockout, over HTTP through the real middleware and backends: a
(username, client) pair and a client are locked; a username alone is not, by others."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

PASSWORD = "right-password"
LOGIN = "/admin/login/"
PROXY = "10.0.0.2"


def from_address(address, *, behind_proxy=False):
    """A new browser at `address`: directly, or as nginx forwards it (TRUSTED_PROXIES)."""
    if behind_proxy:
        return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{address}, {PROXY}")
    return Client(REMOTE_ADDR=address)


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def locked_out(response):
    return response.status_code == 429 and "Too many failed sign-ins" in response.text


@pytest.fixture
def editor(db):
    return UserFactory(username="night-editor", password=PASSWORD, groups=["Editor"])


@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "behind-proxy"])
def test_wrong_passwords_from_many_addresses_do_not_lock_the_owner_out(
    settings, editor, behind_proxy
):
    settings.TRUSTED_PROXIES = [PROXY]
    assert settings.AXES_FAILURE_LIMIT == 5
    attackers = [from_address(f"203.0.113.{n}", behind_proxy=behind_proxy) for n in range(5)]
    for attacker in attackers:
        assert log_in(attacker, editor.username, "guess").status_code == 200

    owner = from_address("198.51.100.20", behind_proxy=behind_proxy)
    assert signed_in(log_in(owner, editor.username, PASSWORD))
    assert owner.get("/admin/").status_code == 200


@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "behind-proxy"])
def test_a_client_hammering_one_username_is_still_locked_out(settings, editor, behind_proxy):
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = from_address("203.0.113.9", behind_proxy=behind_proxy)
    for _ in range(4):
        assert log_in(attacker, editor.username, "guess").status_code == 200
    assert locked_out(log_in(attacker, editor.username, "guess"))
    # Locked for that username even with its password, and for any other username.
    assert locked_out(log_in(attacker, editor.username, PASSWORD))
    assert locked_out(log_in(attacker, "someone-else", "guess"))

    owner = from_address("198.51.100.20", behind_proxy=behind_proxy)
    assert signed_in(log_in(owner, editor.username, PASSWORD))
    assert locked_out(log_in(attacker, editor.username, PASSWORD))


def test_past_the_username_bar_only_the_owners_browser_or_second_factor_passes(settings, editor):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 6
    usual_browser = from_address("198.51.100.20")
    assert signed_in(log_in(usual_browser, editor.username, PASSWORD))
    usual_browser.post(reverse("admin:logout"))

    for n in range(3):
        attacker = from_address(f"203.0.113.{n}")
        for _ in range(2):
            assert log_in(attacker, editor.username, "guess").status_code == 200

    # A new browser at a new address: the password alone is not enough any more...
    assert locked_out(log_in(from_address("198.51.100.30"), editor.username, PASSWORD))
    # ...but the browser the editor signed in from before passes, from any address.
    usual_browser.defaults["REMOTE_ADDR"] = "198.51.100.31"
    assert signed_in(log_in(usual_browser, editor.username, PASSWORD))

    # With a second factor, a new browser passes the password step and owes the factor.
    TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)
    new_browser = from_address("198.51.100.32")
    assert signed_in(log_in(new_browser, editor.username, PASSWORD))
    assert new_browser.get("/admin/")["Location"].startswith(reverse("accounts:verify"))


def reset_link(mailbox):
    """The reset link of the newest e-mail, as a path."""
    (link,) = re.findall(r"https?://[^/\s]+(/\S+/password-reset/\S+/)", mailbox[-1].body)
    return link


def test_the_lockout_answer_says_when_to_try_again_and_how_the_owner_gets_in(editor):
    attacker = from_address("203.0.113.9")
    for _ in range(5):
        response = log_in(attacker, editor.username, "guess")
    assert locked_out(response)
    assert response["Retry-After"] == "900"
    assert "try again in 15 minutes" in response.text
    assert 'href="/admin/password-reset/"' in response.text


def test_past_the_username_bar_a_password_reset_by_email_lets_the_owner_in(
    settings, editor, mailoutbox
):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 6
    for n in range(3):
        attacker = from_address(f"203.0.113.{n}")
        for _ in range(2):
            assert log_in(attacker, editor.username, "guess").status_code == 200
    owner = from_address("198.51.100.40")
    assert locked_out(log_in(owner, editor.username, PASSWORD))

    # The login page offers the reset; the link goes to the site's own address.
    assert 'href="/admin/password-reset/"' in owner.get(LOGIN).text
    sent = owner.post("/admin/password-reset/", {"email": editor.email})
    assert sent.status_code == 302 and sent["Location"] == "/admin/password-reset/sent/"
    assert "no-cache" in owner.get(sent["Location"])["Cache-Control"]
    assert mailoutbox[-1].to == [editor.email]
    assert mailoutbox[-1].body.count(f"{settings.SITE_URL}/admin/password-reset/") == 1
    form = owner.get(reset_link(mailoutbox), follow=True)
    assert form.status_code == 200 and "new_password1" in form.text
    new_password = "a-brand-new-passphrase-42"
    done = owner.post(
        form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done["Location"] == "/admin/password-reset/done/"

    # Still past the bar (the attackers keep failing), the owner's browser now passes...
    assert signed_in(log_in(owner, editor.username, new_password))
    # ...but another new browser with the new password does not, nor the old password.
    assert locked_out(log_in(from_address("198.51.100.41"), editor.username, new_password))
    owner.post(reverse("admin:logout"))
    assert log_in(owner, editor.username, PASSWORD).status_code == 200


def test_a_used_or_forged_reset_link_sets_no_password(editor, mailoutbox):
    owner = from_address("198.51.100.40")
    owner.post("/admin/password-reset/", {"email": editor.email})
    link = reset_link(mailoutbox)
    forged = link.rsplit("/", 2)[0] + "/not-the-token/"
    assert "new_password1" not in owner.get(forged, follow=True).text

    form = owner.get(link, follow=True)
    owner.post(
        form.redirect_chain[-1][0],
        {"new_password1": "x-Y-z-123456", "new_password2": "x-Y-z-123456"},
    )
    assert "new_password1" not in owner.get(link, follow=True).text
    editor.refresh_from_db()
    assert editor.check_password("x-Y-z-123456")


def test_reset_requests_are_flood_controlled_and_say_nothing_of_the_address(
    settings, editor, mailoutbox
):
    settings.PASSWORD_RESET_RATE = "2/h"
    client = from_address("203.0.113.50")
    for email in (editor.email, "nobody@example.com"):
        response = client.post("/admin/password-reset/", {"email": email})
        assert response["Location"] == "/admin/password-reset/sent/"
    assert [m.to for m in mailoutbox] == [[editor.email]]

    refused = client.post("/admin/password-reset/", {"email": editor.email})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many reset requests" in refused.text
    assert f'value="{editor.email}"' in refused.text  # what was typed is kept
    # Another client may still ask for the same address, up to the address's own limit.
    other = from_address("198.51.100.60")
    assert other.post("/admin/password-reset/", {"email": editor.email}).status_code == 302
    assert other.post("/admin/password-reset/", {"email": editor.email}).status_code == 429
