from django.db import migrations, models

from newsroom.schema import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("comments", "0013_article_comments_by_id")]

    operations = [
        AddIndexConcurrently(
            model_name="moderationevent",
            index=models.Index(fields=["action", "at"], name="comments_event_action_at"),
        ),
    ]
