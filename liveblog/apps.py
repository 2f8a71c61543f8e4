from django.apps import AppConfig

from newsroom.roles import EDITOR, LIVE_EDITOR, REPORTER


class LiveblogConfig(AppConfig):
    """Live coverage's entries, page, polling and desk: a domain of its own that reads
    articles (articles never imports it; its templates call this app's tags)."""

    name = "liveblog"
    verbose_name = "Live coverage"

    # Removals are read by the polling answer, so it can take deleted entries away.
    public_models = ("LiveEntry", "LiveEntry.authors", "LiveEntryRemoval")

    role_permissions = {
        REPORTER: ["add_liveentry", "change_liveentry", "delete_liveentry", "view_liveentry"],
        EDITOR: [
            "add_liveentry", "change_liveentry", "delete_liveentry", "view_liveentry",
            "publish_liveentry",
        ],
        LIVE_EDITOR: [
            "add_liveentry", "change_liveentry", "delete_liveentry", "view_liveentry",
            "publish_liveentry",
        ],
    }  # fmt: skip

    def ready(self):
        from . import checks  # noqa: F401 - register the check

    def next_public_change(self, now):
        """An entry posted with a time still to come appears then."""
        from .models import LiveEntry

        return LiveEntry.objects.next_scheduled_change(now)
