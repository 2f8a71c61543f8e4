"""Staff's sign-in security pages, in the admin: the second step of signing in, and
enrolling, listing and removing second factors."""

from base64 import b32encode
from math import ceil

import segno
from axes.helpers import get_cool_off
from axes.utils import reset as reset_attempts
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from comments.throttle import seconds_to_wait
from newsroom.clients import client_ip, client_network

from . import services
from .browsers import recognise_browser
from .factors import (
    has_device_besides_recovery_codes,
    has_second_factor,
    second_factor_required,
    second_factors,
)
from .forms import StaffPasswordResetForm, TotpEnrolForm, VerifyForm

TOTP_KEY_SESSION_KEY = "accounts_totp_key"
KINDS = {
    "otp_totp.TOTPDevice": "Authenticator app",
    "otp_static.StaticDevice": "Recovery codes",
    "django_otp_webauthn.WebAuthnCredential": "Passkey or security key",
}


def admin_page(request, template, title, **context):
    return render(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


def next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


@never_cache
@sensitive_post_parameters("code")
@staff_member_required
def verify(request):
    if request.user.is_verified():
        return redirect(next_url(request))
    if not has_second_factor(request.user):
        return redirect("accounts:security")
    form = VerifyForm(request.POST or None, user=request.user)
    if form.is_valid():
        otp_login(request, form.device)
        return redirect(next_url(request))
    return admin_page(
        request, "accounts/verify.html", "Second step", form=form, next=next_url(request)
    )


@never_cache
@staff_member_required
def security(request):
    devices = [(device, KINDS[device._meta.label]) for device in second_factors(request.user)]
    return admin_page(
        request,
        "accounts/security.html",
        "Sign-in security",
        devices=devices,
        can_have_recovery_codes=has_device_besides_recovery_codes(request.user),
        required=second_factor_required(request.user),
        next=next_url(request),
    )


@never_cache
@sensitive_post_parameters("code")
@staff_member_required
def totp_add(request):
    """Add an authenticator app: its key is kept in the session until a code proves it."""
    key = request.session.get(TOTP_KEY_SESSION_KEY) or random_hex()
    request.session[TOTP_KEY_SESSION_KEY] = key
    device = TOTPDevice(user=request.user, key=key)
    form = TotpEnrolForm(request.POST or None, device=device)
    if form.is_valid():
        device = services.totp_device_add(
            user=request.user, name=form.cleaned_data["name"], key=key, last_t=form.totp.t()
        )
        del request.session[TOTP_KEY_SESSION_KEY]
        if not request.user.is_verified():
            # Showing its code is the proof a sign-in asks for: enrolment completes it.
            otp_login(request, device)
        messages.success(request, "Authenticator app added.")
        return redirect("accounts:security")
    return admin_page(
        request,
        "accounts/totp_add.html",
        "Add an authenticator app",
        form=form,
        qr_code=segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        secret=b32encode(device.bin_key).decode(),
    )


@never_cache
@require_POST
@staff_member_required
def recovery_codes(request):
    if not has_device_besides_recovery_codes(request.user):
        messages.error(request, "Add an authenticator app or a passkey first.")
        return redirect("accounts:security")
    codes = services.recovery_codes_generate(user=request.user)
    return admin_page(request, "accounts/recovery_codes.html", "Recovery codes", codes=codes)


@never_cache
@require_POST
@staff_member_required
def device_remove(request):
    device = Device.from_persistent_id(request.POST.get("device", ""))
    if device is None or device.user_id != request.user.pk:
        raise Http404("No such device")
    services.second_factor_remove(device=device)
    messages.success(request, f"Removed “{device.name}”.")
    return redirect("accounts:security")


# --- The owner's way past a lockout: a password reset link sent to their address -------


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): 429, with
    Retry-After at most the cool-off, and the way its owner gets in sooner."""
    seconds = int(get_cool_off(request).total_seconds())
    response = render(
        request,
        "admin/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": "Too many failed sign-ins",
            "minutes": ceil(seconds / 60),
            "password_reset_url": reverse("admin_password_reset"),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


class AdminPageMixin:
    """Django's own password reset pages, in the admin's frame, never cached."""

    @method_decorator(never_cache)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminPageMixin, auth_views.PasswordResetView):
    """A reset link by e-mail: the answer is the same whether the address is known, and
    requests are flood-controlled per client and per address (PASSWORD_RESET_RATE).
    An outsider repeating requests only sends the owner more valid links."""

    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        rate = settings.PASSWORD_RESET_RATE
        email = form.cleaned_data["email"].strip().lower()
        limits = [
            ("password-reset", rate, client_network(self.request)),
            ("password-reset-email", rate, email),
        ]
        if wait := seconds_to_wait(limits):
            form.add_error(
                "email",
                f"Too many reset requests. Please try again in {ceil(wait / 60)} minutes;"
                " the links already sent stay valid.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().form_valid(form)


class PasswordResetDoneView(AdminPageMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminPageMixin, auth_views.PasswordResetConfirmView):
    """Setting a new password from the e-mailed link proves the address: this browser
    becomes one its owner signs in from, which passes the lockout's username bar, and
    this client's failures for the username (the owner's own) are forgotten."""

    def form_valid(self, form):
        response = super().form_valid(form)
        username = form.user.get_username()
        reset_attempts(ip=client_ip(self.request), username=username)
        recognise_browser(self.request, form.user)
        return response


class PasswordResetCompleteView(AdminPageMixin, auth_views.PasswordResetCompleteView):
    pass
