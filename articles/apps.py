from django.apps import AppConfig

from newsroom.roles import EDITOR, REPORTER


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    # What each role may do here; newsroom.roles applies it to the groups.
    role_permissions = {
        REPORTER: [
            "add_article", "change_article", "view_article",
            "add_byline", "change_byline", "delete_byline", "view_byline",
            "view_correction",
            "add_photo", "change_photo", "view_photo",
            "add_tag", "view_tag",
            "view_section", "view_author",
        ],
        EDITOR: [
            f"{action}_{model}"
            for model in ("article", "byline", "correction", "photo", "tag", "section", "author")
            for action in ("add", "change", "delete", "view")
        ]
        + ["publish_article", "view_articleslugredirect"],
    }  # fmt: skip
