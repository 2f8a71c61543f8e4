"""The demo's sections, authors, tags and stories, with their photos and corrections.
Idempotent: what exists already (matched by slug) is left alone."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, Author, Byline, Correction, Photo, Section, Tag
from articles.services import photo_save

from . import reader
from .drawing import draw_illustration


def load_articles() -> int:
    """Create the demo sections, authors, tags and articles; returns new articles."""
    sections = {
        data["slug"]: Section.objects.get_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "description": data["description"], "position": i},
        )[0]
        for i, data in enumerate(reader.sections())
    }
    authors = {
        data["slug"]: Author.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
        )[0]
        for data in reader.authors()
    }
    tags = {
        data["slug"]: Tag.objects.get_or_create(slug=data["slug"], defaults={"name": data["name"]})[
            0
        ]
        for data in reader.tags()
    }
    existing = set(Article.objects.values_list("slug", flat=True))
    created = 0
    for seed, story in enumerate(reader.stories()):
        if story.slug not in existing:
            _create_article(story, seed, sections, authors, tags)
            created += 1
    return created


def _create_article(story: reader.Story, seed, sections, authors, tags):
    now = timezone.now()
    published_at = now - timedelta(hours=story.hours_ago) if story.hours_ago is not None else None
    photo = None
    if story.photo:
        image = draw_illustration(palette=story.photo.palette, seed=seed)
        photo = photo_save(
            photo=Photo(
                image=SimpleUploadedFile("photo.jpg", image, "image/jpeg"),
                alt_text=story.photo.alt,
                caption=story.photo.caption,
                credit=story.photo.credit,
            )
        )
    article = Article.objects.create(
        headline=story.headline,
        slug=story.slug,
        standfirst=story.standfirst,
        body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in story.paragraphs),
        section=sections[story.section],
        hero_photo=photo,
        agency=story.agency,
        dateline=story.dateline,
        status=story.status,
        published_at=published_at,
        is_must_read=story.must_read,
    )
    # As if written when published: no "Updated" line unless a correction says so.
    Article.objects.filter(pk=article.pk).update(updated_at=min(published_at or now, now))
    Byline.objects.bulk_create(
        Byline(article=article, author=authors[slug], position=position)
        for position, slug in enumerate(story.authors)
    )
    article.tags.set([tags[slug] for slug in story.tags])
    for correction in story.corrections:
        Correction.objects.create(
            article=article,
            kind=correction.kind,
            text=correction.text,
            created_at=(published_at or now) + timedelta(hours=correction.hours_after),
        )
