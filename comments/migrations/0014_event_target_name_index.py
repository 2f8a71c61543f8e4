from django.db import migrations

from newsroom.schema import create_index_concurrently, drop_index_concurrently

# The moderation log's search by the start of a target's name (a commenter's, as their
# comments are named): ModerationEventQuerySet.search compares lower(target_repr) with
# LIKE 'prefix%', which under a non-C collation only text_pattern_ops serves. An
# expression index, which the model cannot declare with its operator class on SQLite too.
INDEX = "comments_event_repr_lower_idx"


def create_index(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    key = "lower(target_repr) text_pattern_ops" if postgres else "lower(target_repr)"
    create_index_concurrently(schema_editor, name=INDEX, table="comments_moderationevent", key=key)


def drop_index(apps, schema_editor):
    drop_index_concurrently(schema_editor, name=INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("comments", "0013_article_comments_by_id")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
