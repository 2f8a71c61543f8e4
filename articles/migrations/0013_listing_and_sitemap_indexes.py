import django.db.models
from django.db import migrations

from newsroom.schema import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0012_section_listing_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=django.db.models.Index(
                condition=django.db.models.Q(("status", "published")),
                fields=["-published_at", "-id"],
                name="articles_pub_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="article",
            index=django.db.models.Index(
                condition=django.db.models.Q(
                    ("significant_update_at__isnull", False), ("status", "published")
                ),
                fields=["published_at", "significant_update_at"],
                name="articles_pub_updated_idx",
            ),
        ),
    ]
