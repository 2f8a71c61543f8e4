from django.db import migrations


class Migration(migrations.Migration):
    """Granted the Moderator group its permissions until roles became one table.

    Since then newsroom.roles.apply_roles, a post_migrate receiver, gives each role group
    its permissions after every migrate, so this does nothing; it stays in the history.
    """

    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_role_groups"),
    ]

    operations = []
