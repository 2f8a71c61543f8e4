"""Every write on a staff member's second factors, and the password reset's e-mail."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from .factors import has_device_besides_recovery_codes

RECOVERY_CODES = 10
RECOVERY_CODES_NAME = "Recovery codes"


def totp_device_add(*, user: AbstractBaseUser, name: str, key: str, last_t: int) -> TOTPDevice:
    """Keep an authenticator app whose code for time step `last_t` was just shown to
    match `key`; that code cannot be used again to sign in."""
    return TOTPDevice.objects.create(user=user, name=name, key=key, last_t=last_t, confirmed=True)


@transaction.atomic
def recovery_codes_generate(*, user: AbstractBaseUser) -> list[str]:
    """A new set of single-use recovery codes; the previous set stops working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_remove(*, device: Device) -> None:
    """Remove a device; the recovery codes go with the last real one, as they stand in
    for a lost device and must not become a user's only second factor."""
    user = device.user
    device.delete()
    if not has_device_besides_recovery_codes(user):
        StaticDevice.objects.filter(user=user).delete()


@task()
def password_reset_mail(*, subject: str, body: str, to: str) -> None:
    """Send a password reset link; run by the task worker, never in the request."""
    send_mail(
        subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[to]
    )
