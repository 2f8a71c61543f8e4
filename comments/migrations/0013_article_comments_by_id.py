from django.db import migrations

from newsroom.schema import create_index_concurrently, drop_index_concurrently

# An article's comments in order of id, on django-contrib-comments' own table (where the
# article is named): the threads of a page are read from it in order, first comments
# only (ReaderCommentQuerySet.thread_ids), however many comments the story has.
INDEX = "comments_article_id_idx"


def create_index(apps, schema_editor):
    create_index_concurrently(
        schema_editor, name=INDEX, table="django_comments", key="content_type_id, object_pk, id"
    )


def drop_index(apps, schema_editor):
    drop_index_concurrently(schema_editor, name=INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("comments", "0012_drop_pattern_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
