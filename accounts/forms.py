from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django_otp import devices_for_user, verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .services import password_reset_mail

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
)


class TotpEnrolForm(forms.Form):
    """An authenticator app, kept once it shows the code for the key it was given."""

    name = forms.CharField(
        max_length=64, initial="Authenticator app", help_text="To tell your devices apart."
    )
    code = forms.CharField(
        max_length=8,
        widget=CODE_WIDGET,
        help_text="The 6-digit code your app shows now.",
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.totp = TOTP(device.bin_key, device.step, device.t0, device.digits)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not (code.isdigit() and self.totp.verify(int(code), tolerance=self.device.tolerance)):
            raise forms.ValidationError(
                "That code does not match. Check the time on your phone and enter the "
                "code your app shows now."
            )
        return code


class VerifyForm(forms.Form):
    """The second step of signing in: a code from an authenticator app, or a recovery code."""

    code = forms.CharField(
        max_length=16,
        widget=CODE_WIDGET,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "").lower()
        # Each device checks the code itself, with django-otp's throttling after failures.
        for device in devices_for_user(self.user):
            if isinstance(device, WebAuthnCredential):
                continue
            self.device = verify_token(self.user, device.persistent_id, code)
            if self.device is not None:
                return code
        raise forms.ValidationError("That code is not right, or has been used already.")


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, with links to the site's own address (never the request's
    Host) and the e-mail sent by the task worker, so no request waits on a mail server."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        context = {**context, "site_name": settings.SITE_NAME}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        password_reset_mail.enqueue(subject=subject, body=body, to=to_email)
