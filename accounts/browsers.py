"""Browsers a user has signed in from, remembered in a signed cookie on the admin's path.

The rule for a username alone (accounts/backends.py) lets such a browser through: an
outsider guessing passwords from elsewhere cannot keep the owner out of their own browser.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse

COOKIE = "newsroom_known_browser"
SALT = "accounts.known-browser"


def max_age() -> int:
    return settings.LOGIN_KNOWN_BROWSER_DAYS * 24 * 3600


def is_known_browser(request, username: str) -> bool:
    known = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=max_age())
    return known is not None and known == username


def recognise_browser(request, user) -> None:
    """Mark the browser of `request` as one `user` signs in from (on the response)."""
    request.recognised_username = user.get_username()


@receiver(user_logged_in)
def remember_to_recognise_browser(sender, request, user, **kwargs):
    if request is not None:
        recognise_browser(request, user)


class KnownBrowserMiddleware:
    """Marks the browser a user just signed in from, or just reset their password from
    (set after the response is made)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        username = getattr(request, "recognised_username", None)
        if username is not None:
            response.set_signed_cookie(
                COOKIE,
                username,
                salt=SALT,
                max_age=max_age(),
                path=reverse("admin:index"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
