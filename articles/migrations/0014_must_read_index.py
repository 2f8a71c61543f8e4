import django.db.models
from django.db import migrations

from newsroom.schema import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0013_listing_and_sitemap_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=django.db.models.Index(
                condition=django.db.models.Q(("is_must_read", True)),
                fields=["-published_at", "-id"],
                name="articles_must_read_idx",
            ),
        ),
    ]
