from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

from newsroom.roles import AD_MANAGER


class AdsConfig(AppConfig):
    name = "ads"
    verbose_name = "Advertising"

    # What readers' pages show from this app (see newsroom.pagecache). Advertisers and
    # the daily statistics appear on no public page.
    public_models = ("AdsTxt", "Creative", "Creative.placements", "Creative.sections", "Placement")

    # What each role may do here; newsroom.roles applies it to the groups.
    role_permissions = {
        AD_MANAGER: [
            f"{action}_{model}"
            for model in ("advertiser", "creative", "placement", "adstxt")
            for action in ("add", "change", "delete", "view")
        ]
        + ["view_dailystat", "enter_html_creative"],
    }

    def next_public_change(self, now):
        """A creative's schedule starts or ends."""
        from .models import Creative

        return Creative.objects.next_schedule_change(now)

    def ready(self):
        from .models import Creative, Placement
        from .selection import forget_candidates
        from .templatetags import ads  # noqa: F401  # registers the "ad-slot" hole

        for model in (Creative, Placement):
            post_save.connect(forget_candidates, sender=model, dispatch_uid=f"ads-{model}")
            post_delete.connect(forget_candidates, sender=model, dispatch_uid=f"ads-del-{model}")
        for through in (Creative.placements.through, Creative.sections.through):
            m2m_changed.connect(forget_candidates, sender=through, dispatch_uid=f"ads-{through}")
