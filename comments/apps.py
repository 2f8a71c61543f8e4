from django.apps import AppConfig
from django.db.models.signals import pre_save

from newsroom.roles import MODERATOR


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    # What readers' pages show from this app (see newsroom.pagecache); which saves of a
    # comment change pages is the model's to say (ReaderComment.changes_public_pages).
    public_models = ("ReaderComment",)

    # What each role may do here; newsroom.roles applies it to the groups.
    role_permissions = {
        MODERATOR: [
            "view_readercomment",
            "change_readercomment",
            "moderate_readercomment",
            "view_commentreport",
        ],
    }

    def ready(self):
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        from .models import ReaderComment

        # django-comments-xtd publishes every reply of a comment whenever that comment
        # is saved: approving a parent would publish replies no moderator has read.
        # Moderation here changes only the comments it is asked to change.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=ReaderComment)
