from django.apps import AppConfig

from newsroom.roles import EDITOR, FRONT_EDITOR


class FrontsConfig(AppConfig):
    """Curated fronts for the home page and section pages: a domain of its own that
    reads articles (articles never imports it: the section page asks for its front
    through newsroom.sectionpages and its template calls this app's tag, and the home
    page is this app's view)."""

    name = "fronts"
    verbose_name = "Fronts"

    # The draft's containers and cards are not here: readers only see versions.
    public_models = ("Front", "FrontVersion")

    role_permissions = {
        role: [
            f"{action}_{model}"
            for model in ("front", "container", "card")
            for action in ("add", "change", "delete", "view")
        ]
        + ["view_frontversion", "publish_front"]
        for role in (EDITOR, FRONT_EDITOR)
    }

    def above_section_list(self, request, section):
        """The section's published front, above its list of stories (newsroom.sectionpages):
        every page of the list shows what the front's keys name, as the list leaves out
        the front's stories. None before a front is published, when publishing one must
        still purge the pages."""
        from newsroom.cachekeys import shows
        from newsroom.fragments import kept_row_seconds

        from .models import front_cache_key
        from .pages import section_front

        shows(request, front_cache_key(section.pk))
        front = section_front(section, seconds=kept_row_seconds(request))
        if front is not None:
            shows(request, *front.cache_keys)
        return front

    def next_public_change(self, now):
        """A version published for later goes live."""
        from .models import FrontVersion

        return FrontVersion.objects.next_scheduled_change(now)
