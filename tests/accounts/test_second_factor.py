"""Staff's second factor over HTTP: enrolment, the second step of signing in, recovery
codes, and the roles that must have one before they reach the admin."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

from .conftest import PASSWORD, sign_in, totp_code

CHANGELIST = "/admin/articles/article/"


def enrol_authenticator_app(client, name="Phone"):
    """Add an authenticator app as a user would: read the key off the page, type its code."""
    page = client.get(reverse("accounts:totp-add"))
    assert page.status_code == 200
    key = client.session["accounts_totp_key"]
    assert page.context["secret"] in page.text  # shown to type in, beside the QR code
    assert page.context["qr_code"].startswith("data:image/svg+xml")
    response = client.post(reverse("accounts:totp-add"), {"name": name, "code": totp_code(key)})
    assert response.status_code == 302, response.context["form"].errors
    return TOTPDevice.objects.get(key=key)


def verify(client, code):
    return client.post(reverse("accounts:verify"), {"code": code, "next": CHANGELIST})


@pytest.mark.parametrize("role", ["Editor", "superuser"])
def test_required_roles_enrol_before_they_reach_the_article_changelist(production_rule, role):
    if role == "superuser":
        UserFactory(username="chief", password=PASSWORD, is_superuser=True)
    else:
        UserFactory(username="chief", password=PASSWORD, groups=[role])
    client = sign_in("chief")

    for path in (CHANGELIST, "/admin/", reverse("admin:password_change")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:security')}?{urlencode({'next': path})}"
    page = client.get(reverse("accounts:security"))
    assert "Your role requires a second factor" in page.text

    enrol_authenticator_app(client)
    assert client.get(CHANGELIST).status_code == 200


def test_other_roles_need_no_second_factor_but_may_enrol_one(production_rule, reporter):
    client = sign_in(reporter.username)
    assert client.get(CHANGELIST).status_code == 200
    device = enrol_authenticator_app(client)

    # From then on, the password is only the first step for them too.
    client = sign_in(reporter.username)
    assert client.get(CHANGELIST)["Location"].startswith(reverse("accounts:verify"))
    assert verify(client, totp_code(device.key, steps_ahead=1))["Location"] == CHANGELIST
    assert client.get(CHANGELIST).status_code == 200


def test_signing_in_with_an_authenticator_app_asks_for_its_code_after_the_password(editor):
    device = TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)
    client = sign_in(editor.username)
    response = client.get(CHANGELIST)
    assert response["Location"] == f"{reverse('accounts:verify')}?{urlencode({'next': CHANGELIST})}"
    assert client.get(response["Location"]).status_code == 200

    wrong = verify(client, "000000" if totp_code(device.key) != "000000" else "111111")
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.text
    assert client.get(CHANGELIST).status_code == 302

    # After a failure django-otp makes the device wait (1 s, doubling with each failure)
    # before it checks another code: even the right one is refused at once...
    code = totp_code(device.key)
    assert "That code is not right" in verify(client, code).text
    # ...and accepted once the wait is over (here: the failures forgotten).
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    assert verify(client, code)["Location"] == CHANGELIST
    assert client.get(CHANGELIST).status_code == 200

    # The same code cannot sign in a second browser.
    other = sign_in(editor.username, address="198.51.100.21")
    assert verify(other, code).status_code == 200


def test_a_recovery_code_signs_in_once(editor):
    device = TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)
    client = sign_in(editor.username)
    verify(client, totp_code(device.key))
    page = client.post(reverse("accounts:recovery-codes"))
    codes = page.context["codes"]
    assert len(codes) == 10 and all(code in page.text for code in codes)

    first = sign_in(editor.username, address="198.51.100.21")
    assert verify(first, codes[0].upper())["Location"] == CHANGELIST
    assert first.get(CHANGELIST).status_code == 200

    second = sign_in(editor.username, address="198.51.100.22")
    assert "That code is not right" in verify(second, codes[0]).text
    assert StaticDevice.objects.get(user=editor).token_set.count() == 9


def test_a_password_alone_cannot_add_or_remove_a_second_factor(editor):
    device = TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)
    client = sign_in(editor.username)
    for path in (reverse("accounts:security"), reverse("accounts:totp-add")):
        assert client.get(path)["Location"].startswith(reverse("accounts:verify"))
    remove = client.post(reverse("accounts:device-remove"), {"device": device.persistent_id})
    assert remove["Location"].startswith(reverse("accounts:verify"))
    registration = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert registration.status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_removing_the_last_device_takes_the_recovery_codes_with_it(editor):
    client = sign_in(editor.username)
    device = enrol_authenticator_app(client)
    client.post(reverse("accounts:recovery-codes"))
    assert StaticDevice.objects.filter(user=editor).exists()

    page = client.get(reverse("accounts:security"))
    assert "Phone" in page.text and "Recovery codes" in page.text
    client.post(reverse("accounts:device-remove"), {"device": device.persistent_id})
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()


def test_no_one_removes_another_users_device(editor, reporter):
    device = TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)
    client = sign_in(reporter.username)
    response = client.post(reverse("accounts:device-remove"), {"device": device.persistent_id})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_admin_user_menu_links_to_sign_in_security(reporter):
    client = sign_in(reporter.username)
    page = client.get("/admin/")
    assert f'href="{reverse("accounts:security")}"' in page.text


def test_a_misspelt_required_role_fails_the_system_checks(settings):
    from accounts.checks import check_required_roles

    settings.MFA_REQUIRED_ROLES = ["superuser", "Editors"]
    assert [error.msg for error in check_required_roles(None)] == [
        "MFA_REQUIRED_ROLES names no role 'Editors'."
    ]
    settings.MFA_REQUIRED_ROLES = ["superuser", "Editor", "Ad manager"]
    assert check_required_roles(None) == []
