from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff sign-in: the login lockout and the second factor (TOTP, passkeys, recovery codes)."""

    name = "accounts"
    verbose_name = "Staff sign-in"

    def ready(self):
        from . import browsers, checks  # noqa: F401 - connect the receiver, register the check
