"""The demo's live coverage: the entries of the live and closed stories.
Idempotent: a story that has entries already is left alone."""

from datetime import timedelta

from django.utils.html import escape

from articles.models import Article, Author
from liveblog.models import LiveEntry

from . import reader

ENDED_AFTER_LAST_ENTRY = timedelta(minutes=10)


def load_live_entries() -> int:
    """Create the entries of each live story that has none yet; returns new entries."""
    authors = {author.slug: author for author in Author.objects.all()}
    created = 0
    for story in reader.stories():
        if not story.coverage:
            continue
        article = Article.objects.get(slug=story.slug)
        if article.live_entries.exists():
            continue
        entries = reader.live_entries(story.slug)
        for data in entries:
            entry = LiveEntry.objects.create(
                article=article,
                title=data.title,
                body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in data.paragraphs),
                published_at=article.published_at + timedelta(minutes=data.minutes),
                is_key_event=data.key_event,
                is_pinned=data.pinned,
                status=LiveEntry.Status.PUBLISHED,
            )
            entry.authors.set([authors[slug] for slug in data.authors])
        if story.coverage == Article.Coverage.CLOSED:
            last = article.published_at + timedelta(minutes=entries[-1].minutes)
            Article.objects.filter(pk=article.pk).update(
                coverage_ended_at=last + ENDED_AFTER_LAST_ENTRY
            )
        created += len(entries)
    return created
