"""Load the demo newsroom. Safe to run again: what exists already is left alone."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from ads.demo import load_ads
from articles.demo import load_articles
from articles.models import Author
from comments.demo import load_comments
from newsroom import roles

DEMO_ACCOUNTS = [
    # username, group, is_superuser
    ("admin", None, True),
    ("editor", roles.EDITOR, False),
    ("reporter", roles.REPORTER, False),
    ("moderator", roles.MODERATOR, False),
    ("admanager", roles.AD_MANAGER, False),
]


class Command(BaseCommand):
    help = "Create the demo newsroom: articles, photos, comments, ads and one account per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "newsroom-demo"),
            help="Password for the demo accounts (default: newsroom-demo, or $DEMO_PASSWORD).",
        )

    @transaction.atomic
    def handle(self, *args, password, **options):
        articles = load_articles()
        comments = load_comments()
        ads = load_ads()
        create_accounts(password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {articles} new articles, {comments} new comments, "
                f"{ads} new ads."
            )
        )
        self.stdout.write(f"Demo logins at /admin/ (password for all: {password}):")
        for username, group, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {group or 'Superuser'}")


def create_accounts(password):
    """One staff account per role; the reporter writes as the first demo author."""
    User = get_user_model()
    for username, group, is_superuser in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "is_staff": True,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
    author = Author.objects.order_by("pk").first()
    if author is not None and author.user is None:
        author.user = User.objects.get(username="reporter")
        author.save(update_fields=["user"])
