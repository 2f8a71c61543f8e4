"""The demo newsroom's content, loaded by `manage.py load_demo`. Idempotent: what exists
already (matched by slug) is left alone."""

from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape

from tests.factories import PhotoFactory

from . import demo_content
from .models import Article, Author, Byline, Correction, Section, Tag


def load_articles() -> int:
    """Create the demo sections, authors, tags and articles; returns new articles."""
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
        data["slug"]: Tag.objects.get_or_create(slug=data["slug"], defaults={"name": data["name"]})[
            0
        ]
        for data in demo_content.TAGS
    }
    existing = set(Article.objects.values_list("slug", flat=True))
    created = 0
    for seed, data in enumerate(demo_content.ARTICLES):
        if data["slug"] not in existing:
            _create_article(data, seed, sections, authors, tags)
            created += 1
    return created


def _create_article(data, seed, sections, authors, tags):
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
