"""Load the demo newsroom. Safe to run again: what exists already is left alone."""

import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from articles import demo_content, roles
from articles.models import Article, Author, Byline, Correction, Section, Tag
from tests.factories import PhotoFactory

DEMO_ACCOUNTS = [
    # username, group, is_superuser
    ("admin", None, True),
    ("editor", roles.EDITOR, False),
    ("reporter", roles.REPORTER, False),
    ("moderator", roles.MODERATOR, False),
    ("admanager", roles.AD_MANAGER, False),
]


class Command(BaseCommand):
    help = "Create the demo newsroom: sections, authors, tags, articles, photos and accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "newsroom-demo"),
            help="Password for the demo accounts (default: newsroom-demo, or $DEMO_PASSWORD).",
        )

    @transaction.atomic
    def handle(self, *args, password, **options):
        sections = {
            data["slug"]: Section.objects.get_or_create(
                slug=data["slug"],
                defaults={"name": data["name"], "description": data["description"], "position": i},
            )[0]
            for i, data in enumerate(demo_content.SECTIONS)
        }
        authors = {
            data["slug"]: Author.objects.get_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
            )[0]
            for data in demo_content.AUTHORS
        }
        tags = {
            data["slug"]: Tag.objects.get_or_create(
                slug=data["slug"], defaults={"name": data["name"]}
            )[0]
            for data in demo_content.TAGS
        }
        existing = set(Article.objects.values_list("slug", flat=True))
        created = 0
        for seed, data in enumerate(demo_content.ARTICLES):
            if data["slug"] in existing:
                continue
            self.create_article(data, seed, sections, authors, tags)
            created += 1
        self.create_accounts(password, authors)
        self.stdout.write(self.style.SUCCESS(f"Demo newsroom ready: {created} new articles."))
        self.stdout.write(f"Demo logins at /admin/ (password for all: {password}):")
        for username, group, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {group or 'Superuser'}")

    def create_article(self, data, seed, sections, authors, tags):
        now = timezone.now()
        hours_ago = data.get("hours_ago")
        published_at = now - timedelta(hours=hours_ago) if hours_ago is not None else None
        photo = None
        if data.get("photo"):
            photo_data = data["photo"]
            photo = PhotoFactory(
                palette=photo_data["palette"],
                seed=seed,
                alt_text=photo_data["alt"],
                caption=photo_data["caption"],
                credit=photo_data["credit"],
            )
        article = Article.objects.create(
            headline=data["headline"],
            slug=data["slug"],
            standfirst=data["standfirst"],
            body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in data["paragraphs"]),
            section=sections[data["section"]],
            hero_photo=photo,
            agency=data.get("agency", ""),
            dateline=data.get("dateline", ""),
            status=data["status"],
            published_at=published_at,
            is_must_read=data.get("must_read", False),
        )
        # As if written when published: no "Updated" line unless a correction says so.
        Article.objects.filter(pk=article.pk).update(updated_at=min(published_at or now, now))
        Byline.objects.bulk_create(
            Byline(article=article, author=authors[slug], position=position)
            for position, slug in enumerate(data["authors"])
        )
        article.tags.set([tags[slug] for slug in data["tags"]])
        for correction in data.get("corrections", []):
            Correction.objects.create(
                article=article,
                kind=correction["kind"],
                text=correction["text"],
                created_at=(published_at or now) + timedelta(hours=correction["hours_after"]),
            )

    def create_accounts(self, password, authors):
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
        reporter_author = next(iter(authors.values()), None)
        if reporter_author is not None and reporter_author.user is None:
            reporter_author.user = User.objects.get(username="reporter")
            reporter_author.save(update_fields=["user"])
