"""An editor whose role requires a second factor enrols a passkey, then signs in with it,
in Chromium with a virtual authenticator (Chrome DevTools Protocol's WebAuthn domain)."""

from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from newsroom.settings import base
from tests import factories

PASSWORD = "passkey-editor-2025"


def virtual_authenticator(page):
    """A platform authenticator (like a laptop's fingerprint reader) that says yes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def log_in_with_password(page, username):
    page.goto(reverse("admin:index"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_editor_enrols_a_passkey_and_signs_in_with_it(
    settings, live_server, make_page, between_requests
):
    settings.MFA_REQUIRED_ROLES = base.MFA_REQUIRED_ROLES
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    editor = factories.UserFactory(username="editor", groups=["Editor"], password=PASSWORD)
    page = make_page()
    cdp, authenticator = virtual_authenticator(page)

    # The password first; an editor without a second factor is sent to enrol one.
    log_in_with_password(page, "editor")
    expect(page).to_have_url(f"{live_server.url}{reverse('accounts:security')}?next=%2Fadmin%2F")
    expect(page.locator(".errornote")).to_contain_text("Your role requires a second factor")
    page.goto(reverse("admin:articles_article_changelist"))
    expect(page.locator(".errornote")).to_contain_text("Your role requires a second factor")

    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.locator("#second-factors")).to_contain_text("Passkey or security key")
    with between_requests:
        credential = WebAuthnCredential.objects.get(user=editor)
    assert credential.confirmed
    page.goto(reverse("admin:articles_article_changelist"))
    expect(page.locator("#content h1")).to_have_text("Select article to change")

    # Signing in again: the password, then the passkey.
    page.locator("#logout-form button").click()
    log_in_with_password(page, "editor")
    expect(page).to_have_url(f"{live_server.url}{reverse('accounts:verify')}?next=%2Fadmin%2F")
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("#user-tools strong")).to_have_text("editor")
    page.goto(reverse("admin:articles_article_changelist"))
    expect(page.locator("#content h1")).to_have_text("Select article to change")
    # The key the authenticator holds is the one the site keeps, and it was used.
    held = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert [key["rpId"] for key in held["credentials"]] == ["localhost"]
    with between_requests:
        credential.refresh_from_db()
    assert credential.last_used_at is not None
