"""Who must prove a second factor, and what they have to prove it with."""

from django.conf import settings
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

SUPERUSER = "superuser"


def second_factor_required(user) -> bool:
    """Whether settings.MFA_REQUIRED_ROLES ("superuser" or role names) covers this user."""
    roles = set(settings.MFA_REQUIRED_ROLES)
    if user.is_superuser and SUPERUSER in roles:
        return True
    return user.groups.filter(name__in=roles - {SUPERUSER}).exists()


def has_second_factor(user) -> bool:
    return user_has_device(user)


def second_factors(user) -> list:
    """The user's confirmed devices: authenticator apps, passkeys, then recovery codes."""
    devices = list(devices_for_user(user))
    return sorted(devices, key=lambda device: isinstance(device, StaticDevice))


def has_device_besides_recovery_codes(user) -> bool:
    """Recovery codes stand in for a lost device: they come after one, never alone."""
    return any(not isinstance(device, StaticDevice) for device in devices_for_user(user))
