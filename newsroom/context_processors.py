from django.conf import settings
from django.utils import timezone


def site(request):
    """Site name and today's date line, in the site's time zone."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "today": timezone.localdate(),
    }
