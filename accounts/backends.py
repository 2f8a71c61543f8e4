"""The admin login's lockout: django-axes' rules, and one of our own for a username alone."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_client_username, get_cool_off, get_credentials, toggleable
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from .browsers import is_known_browser
from .factors import has_second_factor


def username_failures(request, username: str) -> int:
    """Failed logins for this username from every client within the cool-off."""
    since = timezone.now() - get_cool_off(request)
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def owner_may_pass(request, username: str) -> bool:
    """What an outsider guessing passwords cannot have: a browser the owner signed in
    from before, or a second factor (still to be proved after the password)."""
    if is_known_browser(request, username):
        return True
    User = get_user_model()
    try:
        user = User._default_manager.get_by_natural_key(username)
    except User.DoesNotExist:
        return False
    return has_second_factor(user)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes locks (username, client) pairs and clients (AXES_LOCKOUT_PARAMETERS).

    Locking a username by itself would let anyone who knows it keep its owner out, from a
    few addresses. So failures from every client only count past a much higher bar
    (LOGIN_USERNAME_FAILURE_LIMIT), and even then the owner passes: from a browser they
    signed in from before, or with their second factor. Only a password-only account,
    from a new browser, under a guessing attack from many addresses, waits out the
    cool-off; the password then gets no more guesses than the bar.
    """

    @toggleable
    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)
        username = get_client_username(request, get_credentials(username=username))
        if not username:
            return
        if username_failures(request, username) < settings.LOGIN_USERNAME_FAILURE_LIMIT:
            return
        if owner_may_pass(request, username):
            return
        # As axes' own lockout: the failure is not recorded, the middleware answers 429.
        request.axes_locked_out = True
        raise AxesBackendPermissionDenied("Too many failed logins for this username")
