from django.conf import settings
from django.db import migrations


def rules_from_settings(apps, schema_editor):
    """The COMMENTS_* settings in force become the rules' first values, once; from now
    on moderators edit them in the admin."""
    ModerationRules = apps.get_model("comments", "ModerationRules")
    ModerationRules.objects.get_or_create(
        pk=1,
        defaults={
            "hold_words": "\n".join(settings.COMMENTS_MODERATION_WORDS),
            "block_words": "\n".join(settings.COMMENTS_BLOCK_WORDS),
            "max_links": settings.COMMENTS_MAX_LINKS,
            "premoderation": "first time" if settings.COMMENTS_TRUST_PREVIOUSLY_APPROVED else "all",
            "close_after_days": settings.COMMENTS_CLOSE_AFTER_DAYS,
        },
    )


def forget_rules(apps, schema_editor):
    apps.get_model("comments", "ModerationRules").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_moderation_rules")]

    operations = [migrations.RunPython(rules_from_settings, forget_rules)]
