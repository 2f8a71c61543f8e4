from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class NewsroomConfig(AppConfig):
    """The project itself: wires the apps together without them importing each other."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from newsroom.roles import apply_roles

        post_migrate.connect(apply_roles, dispatch_uid="newsroom.roles.apply_roles")

        from ads import models as ads
        from articles import models as articles
        from comments.models import ReaderComment
        from newsroom.pagecache import invalidate_pages, invalidate_pages_for_comment

        for model in (
            articles.Article, articles.Section, articles.Author, articles.Tag,
            articles.Photo, articles.Byline, articles.Correction,
            ads.Creative, ads.Placement, ads.AdsTxt,
        ):  # fmt: skip
            post_save.connect(invalidate_pages, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(invalidate_pages, sender=model, dispatch_uid=f"pages-del-{model}")
        post_save.connect(
            invalidate_pages_for_comment, sender=ReaderComment, dispatch_uid="pages-c"
        )
        post_delete.connect(invalidate_pages, sender=ReaderComment, dispatch_uid="pages-del-c")
        for through in (
            articles.Article.tags.through,
            ads.Creative.placements.through,
            ads.Creative.sections.through,
        ):
            m2m_changed.connect(invalidate_pages, sender=through, dispatch_uid=f"pages-{through}")
