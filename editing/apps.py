from django.apps import AppConfig


class EditingConfig(AppConfig):
    """The desk that never loses work: autosaved drafts, who else is editing, and the
    refusal of a save made over someone else's newer one.

    Generic (objects are named by a key, "articles.article:12"), so it imports no app of
    ours: articles and liveblog use its form mixin, admin mixin, partial and script.
    """

    name = "editing"
    verbose_name = "Editing"
