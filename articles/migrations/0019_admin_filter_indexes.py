"""Two indexes for the admin's filters at a million stories (issue 10): the sensitive
stories newest first, and each section's keys as text for the moderation queue's section
filter. Built without blocking writes to the stories."""

import django.db.models.functions
from django.db import migrations, models

from newsroom.schema import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0018_search_period_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(
                condition=models.Q(
                    ("hide_ads", True),
                    ("keep_out_of_promotion", True),
                    ("hide_social_image", True),
                    ("allow_comments", False),
                    _connector="OR",
                ),
                fields=["-published_at", "-id"],
                name="articles_sensitive_idx",
            ),
        ),
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(
                models.F("section"),
                django.db.models.functions.Cast("id", models.CharField()),
                name="articles_section_key_idx",
            ),
        ),
    ]
