from django.db import migrations

from articles.roles import MODERATOR, grant

MODERATOR_PERMISSIONS = {
    MODERATOR: [
        "comments.view_readercomment",
        "comments.change_readercomment",
        "comments.moderate_readercomment",
        "comments.view_commentreport",
    ]
}


def grant_moderators(apps, schema_editor):
    grant(apps, MODERATOR_PERMISSIONS)


def revoke_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MODERATOR).first()
    if group is not None:
        codenames = [name.split(".")[1] for name in MODERATOR_PERMISSIONS[MODERATOR]]
        group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant_moderators, revoke_moderators)]
