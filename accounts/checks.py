from django.conf import settings
from django.core.checks import Error, register

from newsroom.roles import DESCRIPTIONS

from .factors import SUPERUSER


@register
def check_required_roles(app_configs, **kwargs):
    """A misspelt role in MFA_REQUIRED_ROLES would silently require nothing of anyone."""
    unknown = sorted(set(settings.MFA_REQUIRED_ROLES) - {SUPERUSER, *DESCRIPTIONS})
    return [
        Error(
            f"MFA_REQUIRED_ROLES names no role {name!r}.",
            hint=f"Use {SUPERUSER!r} or a role: {', '.join(DESCRIPTIONS)}.",
            id="accounts.E001",
        )
        for name in unknown
    ]
