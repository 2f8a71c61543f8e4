"""The demo's sections, authors, tags and stories, with their photos and corrections.
Idempotent: what exists already (matched by slug) is left alone."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join

from articles.embeds import provider_named
from articles.models import Article, Author, Byline, Correction, Embed, Photo, Section, Tag
from articles.services import photo_save

from . import reader
from .drawing import draw_illustration, sun_position


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
        focal_x, focal_y = sun_position(seed=seed)  # the sun stays in every crop
        photo = photo_save(
            photo=Photo(
                image=SimpleUploadedFile("photo.jpg", image, "image/jpeg"),
                alt_text=story.photo.alt,
                caption=story.photo.caption,
                credit=story.photo.credit,
                focal_x=round(focal_x, 3),
                focal_y=round(focal_y, 3),
            )
        )
    article = Article.objects.create(
        headline=story.headline,
        slug=story.slug,
        standfirst=story.standfirst,
        body=_body(story, seed),
        section=sections[story.section],
        hero_photo=photo,
        agency=story.agency,
        dateline=story.dateline,
        status=story.status,
        published_at=published_at,
        is_must_read=story.must_read,
        coverage=story.coverage,
        hide_ads=story.hide_ads,
        keep_out_of_promotion=story.keep_out_of_promotion,
        hide_social_image=story.hide_social_image,
        allow_comments=story.allow_comments,
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
        if correction.kind == Correction.Kind.UPDATE and published_at is not None:
            # An update note comes with an editor's significant update of the story.
            Article.objects.filter(pk=article.pk).update(
                significant_update_at=published_at + timedelta(hours=correction.hours_after)
            )


def _body(story: reader.Story, seed: int) -> str:
    """The paragraphs, with each [[block]] after the paragraph its `after` counts."""
    after: dict[int, list[str]] = {}
    for number, block in enumerate(story.blocks):
        after.setdefault(block["after"], []).append(_block(block, seed * 100 + number))
    parts = after.get(0, [])
    for position, paragraph in enumerate(story.paragraphs, start=1):
        parts.append(f"<p>{escape(paragraph)}</p>")
        parts.extend(after.get(position, []))
    return "".join(parts)


def _demo_photo(data: dict, seed: int, *, size=(1600, 900)) -> Photo:
    image = draw_illustration(palette=data.get("palette", "harbour"), seed=seed, size=size)
    return photo_save(
        photo=Photo(
            image=SimpleUploadedFile("photo.jpg", image, "image/jpeg"),
            alt_text=data.get("alt", ""),
            is_decorative=not data.get("alt"),
            caption=data.get("caption", ""),
            credit=data.get("credit", ""),
        )
    )


def _block(block: dict, seed: int) -> str:
    """One block as the editor writes it (articles/body.py)."""
    kind = block["kind"]
    if kind == "photo":
        photo = _demo_photo(block, seed)
        return format_html(
            '<figure data-photo="{}" data-layout="{}"></figure>', photo.pk, block["layout"]
        )
    if kind == "gallery":
        photos = [_demo_photo(data, seed + n) for n, data in enumerate(block["photos"])]
        return format_html('<div data-gallery="{}"></div>', " ".join(str(p.pk) for p in photos))
    if kind == "heading":
        return format_html("<h2>{}</h2>", block["text"])
    if kind == "pull_quote":
        return format_html('<aside class="pull-quote"><p>{}</p></aside>', block["text"])
    if kind == "fact_box":
        items = format_html_join("", "<li>{}</li>", ((item,) for item in block["items"]))
        return format_html(
            '<aside class="fact-box"><h3>{}</h3><ul>{}</ul></aside>', block["title"], items
        )
    if kind == "table":
        head, *rows = block["rows"]
        header = format_html_join("", "<th>{}</th>", ((cell,) for cell in head))
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        )
        return format_html(
            '<figure class="table-figure"><table><tbody><tr>{}</tr>{}</tbody></table>'
            "<figcaption>{}</figcaption></figure>",
            header,
            body,
            block["caption"],
        )
    if kind == "embed":
        # The demo asks no provider: what one would have answered is in the block.
        provider = provider_named(block["provider"])
        found = provider.match(block["url"]) if provider else None
        Embed.objects.get_or_create(
            url=block["url"],
            defaults={
                "provider": block["provider"],
                "title": block["title"],
                "author_name": block["author"],
                "width": block.get("width", 16),
                "height": block.get("height", 9),
                "frame_url": provider.frame.format(id=found.group(1))
                if provider and found and provider.frame
                else "",
                "thumbnail": _demo_photo(
                    {"palette": block.get("palette", "harbour")}, seed, size=(640, 360)
                ),
                "fetched_at": timezone.now(),
            },
        )
        return format_html('<div data-embed="{}"></div>', block["url"])
    raise ValueError(f"Unknown block kind {kind!r}")
