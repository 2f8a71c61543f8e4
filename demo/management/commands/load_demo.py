"""Load the demo newsroom. Safe to run again: what exists already is left alone."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.accounts import DEMO_ACCOUNTS, create_accounts
from demo.ads import load_ads
from demo.articles import load_articles
from demo.comments import load_comments
from demo.fronts import load_fronts
from demo.liveblog import load_live_entries


class Command(BaseCommand):
    help = "Create the demo newsroom: articles, photos, comments, ads and one account per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=settings.DEMO_PASSWORD,
            help="Password for the demo accounts (default: settings.DEMO_PASSWORD, which is "
            "$DEMO_PASSWORD or newsroom-demo).",
        )

    @transaction.atomic
    def handle(self, *args, password, **options):
        articles = load_articles()
        live_entries = load_live_entries()
        comments = load_comments()
        ads = load_ads()
        fronts = load_fronts()
        create_accounts(password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {articles} new articles, {comments} new comments, "
                f"{ads} new ads, {live_entries} new live entries, {fronts} new fronts."
            )
        )
        self.stdout.write(f"Demo logins at /admin/ (password for all: {password}):")
        for username, group, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {group or 'Superuser'}")
        self.stdout.write(
            "A second factor is optional here (production asks superusers and editors for "
            "one): add one under Sign-in security, passkeys at http://localhost:8000/admin/."
        )
