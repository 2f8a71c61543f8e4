import django.db.models
from django.db import migrations

from newsroom.schema import (
    AddIndexConcurrently,
    create_index_concurrently,
    drop_index_concurrently,
)

# Indexes on django-contrib-comments' own table (ReaderComment's grandparent), where the
# e-mail, name and IP address live: that app's migrations cannot have them, so they are
# created here, by name, concurrently on PostgreSQL. Each matches its lookup in
# ReaderCommentQuerySet: by_email compares lower(user_email), and history_by_email counts
# ranges of (lower(user_email), is_public, is_removed) up to a bound; search
# finds names by the start of lower(user_name) (LIKE 'ada%', hence text_pattern_ops under
# a non-C collation) and addresses exactly.
THIRD_PARTY_INDEXES = {
    "comments_email_lower_idx": (
        "lower(user_email), is_public, is_removed",
        "lower(user_email), is_public, is_removed",
    ),
    "comments_name_lower_idx": ("lower(user_name) text_pattern_ops", "lower(user_name)"),
    "comments_ip_address_idx": ("ip_address", "ip_address"),
}


def create_indexes(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, (postgres_key, other_key) in THIRD_PARTY_INDEXES.items():
        key = postgres_key if postgres else other_key
        create_index_concurrently(schema_editor, name=name, table="django_comments", key=key)


def drop_indexes(apps, schema_editor):
    for name in THIRD_PARTY_INDEXES:
        drop_index_concurrently(schema_editor, name=name)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("comments", "0010_erased_address_bans"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="readercomment",
            index=django.db.models.Index(
                condition=django.db.models.Q(("status", "pending")),
                fields=["xtdcomment_ptr"],
                name="comments_pending_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="readercomment",
            index=django.db.models.Index(
                condition=django.db.models.Q(("report_count__gt", 0)),
                fields=["xtdcomment_ptr"],
                name="comments_reported_idx",
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
