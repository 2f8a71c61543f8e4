from django.db import migrations

from newsroom.schema import DropPatternIndex


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("comments", "0011_queue_indexes"),
    ]

    # A comment's fingerprint is looked up by equality (its unique index), its status by
    # equality or through the queue's partial indexes: no prefix search on either.
    operations = [
        DropPatternIndex(table="comments_readercomment", column="fingerprint"),
        DropPatternIndex(table="comments_readercomment", column="status"),
    ]
