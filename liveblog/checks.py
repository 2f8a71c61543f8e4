from django.conf import settings
from django.core.checks import Error, register


@register
def check_poll_interval(app_configs, **kwargs):
    """Polling cursors are whole steps of CURSOR_STEP seconds: another interval would
    send readers to cursors the polling view refuses."""
    from .views import CURSOR_STEP

    seconds = settings.LIVEBLOG_POLL_SECONDS
    if seconds >= CURSOR_STEP and seconds % CURSOR_STEP == 0:
        return []
    return [
        Error(
            f"LIVEBLOG_POLL_SECONDS is {seconds}.",
            hint=f"Use a multiple of {CURSOR_STEP} seconds.",
            id="liveblog.E001",
        )
    ]
