"""Repair the stored comment counts of articles: recount, and say what was wrong."""

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from comments.services import article_comment_count_refresh


class Command(BaseCommand):
    help = (
        "Recount the public comments of every article (or of one, --article ID) and "
        "repair the stored counts that are wrong, for example after comments were "
        "changed in the database directly. Posts and moderation keep the counts exact "
        "on their own; this reads every thread, so run it when needed, not on a schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, help="the id of the one article to recount")

    def handle(self, *args, **options):
        if options["article"] is not None:
            article_ids = [options["article"]]
            if not Article.objects.filter(pk=options["article"]).exists():
                raise CommandError(f"No article with id {options['article']}.")
        else:
            article_ids = Article.objects.order_by("pk").values_list("pk", flat=True).iterator()
        checked = repaired = 0
        for article_id in article_ids:
            counts = article_comment_count_refresh(article_id=article_id)
            if counts is None:  # deleted since the list was read
                continue
            checked += 1
            before, after = counts
            if before != after:
                repaired += 1
                self.stdout.write(f"Article {article_id}: {before} -> {after} comments")
        self.stdout.write(f"Checked {checked} article(s); repaired {repaired}.")
