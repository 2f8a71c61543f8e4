import time
from binascii import unhexlify

import pytest
from django.test import Client
from django_otp.oath import TOTP

from newsroom.settings import base
from tests.factories import UserFactory

PASSWORD = "right-password"


@pytest.fixture
def production_rule(db, settings):
    """Production's MFA_REQUIRED_ROLES (the test settings turn it off for other tests)."""
    assert base.MFA_REQUIRED_ROLES == ["superuser", "Editor"]
    settings.MFA_REQUIRED_ROLES = base.MFA_REQUIRED_ROLES


def totp_code(key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this hex key, now or `steps_ahead` steps on
    (django-otp accepts one step of clock drift, and never the same step twice)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(username, address="198.51.100.20"):
    """A new browser that has given the right password (the first step only)."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, response.text
    return client


@pytest.fixture
def editor(db):
    return UserFactory(username="night-editor", password=PASSWORD, groups=["Editor"])


@pytest.fixture
def reporter(db):
    return UserFactory(username="stringer", password=PASSWORD, groups=["Reporter"])
