from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .factors import has_second_factor, second_factor_required

# What a signed-in user who still owes their second factor may reach, by URL name.
VERIFYING = {
    "accounts:verify",
    "admin:logout",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}
# ...and one whose role requires a second factor they have not enrolled yet.
ENROLLING = VERIFYING | {
    "accounts:security",
    "accounts:totp-add",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
}


class SecondFactorMiddleware:
    """A password alone is not a whole sign-in when a second factor is owed.

    Users who have a second factor prove it before anything else; users whose role
    requires one (settings.MFA_REQUIRED_ROLES) enrol one first. Until then they reach
    only the pages that do that, and logging out. Runs after django-otp's OTPMiddleware,
    which tells whether this session proved a device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Without a session no one is signed in; asking would touch the session and make
        # an anonymous page uncacheable.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        name = request.resolver_match.view_name
        if has_second_factor(user):
            return None if name in VERIFYING else self.send_to("accounts:verify", request)
        if second_factor_required(user):
            return None if name in ENROLLING else self.send_to("accounts:security", request)
        return None

    @staticmethod
    def send_to(url_name, request):
        after = request.get_full_path() if request.method == "GET" else reverse("admin:index")
        return redirect(f"{reverse(url_name)}?{urlencode({'next': after})}")
