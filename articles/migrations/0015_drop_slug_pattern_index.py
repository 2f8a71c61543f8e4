from django.db import migrations

from newsroom.schema import DropPatternIndex


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0014_must_read_index"),
    ]

    # Stories are found by their slug with equality alone (the unique index serves it).
    operations = [DropPatternIndex(table="articles_article", column="slug")]
