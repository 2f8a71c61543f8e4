from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save

from newsroom.roles import EDITOR, MODERATOR


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    # What readers' pages show from this app (see newsroom.pagecache); which saves of a
    # comment change pages is the model's to say (ReaderComment.changes_public_pages).
    # The rules decide whether an article page has the comment form.
    public_models = ("ReaderComment", "ModerationRules", "CommentPolicy")

    # What each role may do here; newsroom.roles applies it to the groups.
    role_permissions = {
        MODERATOR: [
            "view_readercomment",
            "change_readercomment",
            "moderate_readercomment",
            "view_commentreport",
            "view_commentban",
            "add_commentban",
            "change_commentban",
            "view_moderationevent",
            "view_moderationrules",
            "change_moderationrules",
            *(f"{action}_commentpolicy" for action in ("add", "change", "delete", "view")),
        ],
        EDITOR: ["view_moderationevent"],
    }

    def next_public_change(self, now):
        """Comments close on an article, so many days after its publication."""
        from .moderation import next_closing

        return next_closing(now)

    def ready(self):
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        from articles.models import Article

        from .models import CommentPolicy, ModerationRules, ReaderComment
        from .moderation import rules_forget
        from .services import article_restored

        # django-comments-xtd publishes every reply of a comment whenever that comment
        # is saved: approving a parent would publish replies no moderator has read.
        # Moderation here changes only the comments it is asked to change.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=ReaderComment)

        for model in (ModerationRules, CommentPolicy):
            post_save.connect(rules_forget, sender=model, dispatch_uid=f"rules-{model}")
            post_delete.connect(rules_forget, sender=model, dispatch_uid=f"rules-del-{model}")
        post_save.connect(article_restored, sender=Article, dispatch_uid="comments-restored")
