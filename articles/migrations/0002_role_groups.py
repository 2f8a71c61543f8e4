from django.db import migrations


class Migration(migrations.Migration):
    """Created the role groups until roles became one table in newsroom.roles.

    Since then the groups and their permissions are applied after every migrate by a
    post_migrate receiver (newsroom.roles.apply_roles), so this does nothing: a database
    that ran it keeps its groups, and a fresh one gets the same groups at the end of its
    first migrate. Kept, with its dependencies, so the history stays the same.
    """

    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = []
