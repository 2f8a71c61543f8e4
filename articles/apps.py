from django.apps import AppConfig


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

    def next_public_change(self, now):
        """A scheduled article goes live, or a “Must read” pick ends."""
        from .models import Article

        return Article.objects.next_scheduled_change()
