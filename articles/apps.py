from django.apps import AppConfig

from newsroom.roles import EDITOR, REPORTER


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    # What readers' pages show from this app (see newsroom.pagecache): a change to any
    # of these rows, or to an article's tags, changes pages. An old slug's redirect is
    # a page too.
    public_models = (
        "Article", "Article.tags", "ArticleSlugRedirect", "Author", "Byline", "Correction",
        "Photo", "Section", "Tag",
    )  # fmt: skip

    # What each role may do here; newsroom.roles applies it to the groups.
    role_permissions = {
        REPORTER: [
            "add_article", "change_article", "view_article",
            "add_byline", "change_byline", "delete_byline", "view_byline",
            "view_correction",
            "add_photo", "change_photo", "view_photo",
            "add_tag", "view_tag",
            "view_section", "view_author",
        ],
        EDITOR: [
            f"{action}_{model}"
            for model in ("article", "byline", "correction", "photo", "tag", "section", "author")
            for action in ("add", "change", "delete", "view")
        ]
        + ["publish_article", "view_articleslugredirect"],
    }  # fmt: skip

    def next_public_change(self, now):
        """A scheduled article goes live, or a “Must read” pick ends."""
        from .models import Article

        return Article.objects.next_scheduled_change()
