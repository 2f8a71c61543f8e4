from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
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


# The module, not the class, is imported: a default AppConfig imported here would be
# taken for this app's own.
class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Newsroom's site as admin.site (INSTALLED_APPS)."""

    default = False
    default_site = "newsroom.admin.NewsroomAdminSite"
