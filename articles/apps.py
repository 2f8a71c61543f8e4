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
        "Photo", "Embed", "Section", "Tag", "BreakingNews",
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
            for model in (
                "article", "byline", "correction", "photo", "tag", "section", "author",
                "breakingnews",
            )
            for action in ("add", "change", "delete", "view")
        ]
        + ["publish_article", "view_articleslugredirect"],
    }  # fmt: skip

    def media_in_use(self):
        """Stored files named outside file fields: photos' renditions (for prune_media)."""
        from .models import Photo

        for renditions in Photo.objects.values_list("renditions", flat=True).iterator():
            for rendition in renditions:
                yield rendition["name"]

    def next_public_change(self, now):
        """A scheduled article goes live, a “Must read” pick ends, the breaking-news
        banner ends, or a photo's licence ends (its pages show a placeholder then)."""
        from .models import Article, BreakingNews, Photo

        changes = [
            Article.objects.next_scheduled_change(now),
            BreakingNews.objects.next_end(now),
            Photo.objects.next_licence_end(now),
        ]
        return min(filter(None, changes), default=None)
