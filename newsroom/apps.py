from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself: wires the apps together without them importing each other."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from newsroom.pagecache import connect_public_page_sources

        connect_public_page_sources()
