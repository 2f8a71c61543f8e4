"""Reader comments for the demo newsroom: public threads, pending and removed comments.
Idempotent: a comment already stored (same fingerprint) is not stored again."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles.models import Article
from comments.models import ReaderComment, comment_fingerprint
from comments.services import article_comment_count_refresh

from . import reader


def load_comments() -> int:
    """Store the demo comments on their published articles; returns how many were new."""
    content_type = ContentType.objects.get_for_model(Article)
    demo_comments = reader.comments()
    articles = Article.objects.published().in_bulk(
        {entry.article for entry in demo_comments}, field_name="slug"
    )
    stored = {}  # index in demo_comments -> ReaderComment
    created = 0
    now = timezone.now()
    for index, entry in enumerate(demo_comments):
        article = articles.get(entry.article)
        if article is None:
            continue
        comment = ReaderComment.objects.duplicate_of(
            article_id=article.pk, email=entry.email, text=entry.text
        ).first()
        if comment is None:
            parent = stored.get(entry.reply_to) if entry.reply_to is not None else None
            comment = ReaderComment(
                content_type=content_type,
                object_pk=str(article.pk),
                site_id=settings.SITE_ID,
                user_name=entry.name,
                user_email=entry.email,
                comment=entry.text,
                submit_date=min(article.published_at + timedelta(minutes=37 * (index + 1)), now),
                ip_address=f"192.0.2.{index % 250 + 1}",
                parent_id=parent.pk if parent else 0,
                fingerprint=comment_fingerprint(
                    article_id=article.pk, email=entry.email, text=entry.text
                ),
            )
            comment.set_status(ReaderComment.Status(entry.status))
            comment.save()
            created += 1
        stored[index] = comment
    for article in articles.values():
        article_comment_count_refresh(article_id=article.pk)
    return created
