"""The newsroom's roles as auth groups, and the permissions each one holds.

Kept as data so that the migration that creates the groups, and later migrations that
extend them (comments, ads), read the same table.
"""

from newsroom.roles import AD_MANAGER, EDITOR, MODERATOR, REPORTER

ARTICLES_PERMISSIONS = {
    REPORTER: [
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.add_byline", "articles.change_byline", "articles.delete_byline",
        "articles.view_byline", "articles.view_correction",
        "articles.add_photo", "articles.change_photo", "articles.view_photo",
        "articles.add_tag", "articles.view_tag",
        "articles.view_section", "articles.view_author",
    ],
    EDITOR: [
        f"articles.{action}_{model}"
        for model in ("article", "byline", "correction", "photo", "tag", "section", "author")
        for action in ("add", "change", "delete", "view")
    ]
    + ["articles.publish_article", "articles.view_articleslugredirect"],
    MODERATOR: [],
    AD_MANAGER: [],
}  # fmt: skip


def grant(apps, permissions_by_group):
    """Create each group if needed and add the named permissions to it."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, names in permissions_by_group.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
