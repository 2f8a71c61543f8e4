"""The copies of 0016 filled in for the rows already there, in batches (each its own
transaction: no lock held on millions of rows), then the indexes that read a tag's or
an author's stories newest first, built without blocking writes."""

import django.db.models
from django.db import migrations

from newsroom.schema import (
    AddIndexConcurrently,
    create_index_concurrently,
    drop_index_concurrently,
)

BATCH = 50_000  # link rows (by id) per UPDATE
PUBLISHED_TIME = "CASE WHEN a.status = 'published' THEN a.published_at END"
TAG_INDEX = "articles_tag_pub_idx"


def fill_copies(apps, schema_editor):
    """The frozen form of articles.services.publication_copies_repair."""
    with schema_editor.connection.cursor() as cursor:
        for table in ("articles_article_tags", "articles_byline"):
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608  # nosec B608
            (last,) = cursor.fetchone()
            copy = (
                f"(SELECT {PUBLISHED_TIME} FROM articles_article a WHERE a.id = {table}.article_id)"  # noqa: S608  # nosec B608
            )
            for first in range(1, last + 1, BATCH):
                cursor.execute(
                    f"UPDATE {table} SET published_at = {copy} "  # noqa: S608  # nosec B608
                    f"WHERE id BETWEEN %s AND %s AND published_at IS DISTINCT FROM {copy}",
                    [first, first + BATCH - 1],
                )


def create_tag_index(apps, schema_editor):
    # On an unmanaged model's table, which an AddIndex would leave alone.
    create_index_concurrently(
        schema_editor,
        name=TAG_INDEX,
        table="articles_article_tags",
        key="tag_id, published_at DESC, article_id DESC",
        where="published_at IS NOT NULL",
    )


def drop_tag_index(apps, schema_editor):
    drop_index_concurrently(schema_editor, name=TAG_INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0016_publication_copies"),
    ]

    operations = [
        migrations.RunPython(fill_copies, migrations.RunPython.noop),
        migrations.RunPython(create_tag_index, drop_tag_index),
        AddIndexConcurrently(
            model_name="byline",
            index=django.db.models.Index(
                condition=django.db.models.Q(("published_at__isnull", False)),
                fields=["author", "-published_at", "-article"],
                name="articles_byline_pub_idx",
            ),
        ),
    ]
