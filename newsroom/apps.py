from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    """The project itself: wires the apps together without them importing each other."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from newsroom.cachekeys import connect_public_page_sources
        from newsroom.roles import apply_roles

        post_migrate.connect(apply_roles, dispatch_uid="newsroom.roles.apply_roles")
        connect_public_page_sources()
