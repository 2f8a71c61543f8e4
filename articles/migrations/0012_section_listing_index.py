import django.db.models
from django.db import migrations

from newsroom.schema import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0011_photo_focal_point_and_rights"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=django.db.models.Index(
                condition=django.db.models.Q(("status", "published")),
                fields=["section", "-published_at", "-id"],
                name="articles_section_pub_idx",
            ),
        ),
    ]
