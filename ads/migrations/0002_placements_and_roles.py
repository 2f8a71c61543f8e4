from django.db import migrations

# The placements as ads.placements.REGISTRY listed them when this migration was written:
# a frozen copy, so that changing the registry later changes no past migration.
# key, name, width, height, mobile width, mobile height, extra settings
PLACEMENTS = [
    ("header-leaderboard", "Header leaderboard", 728, 90, 320, 50, {}),
    ("sidebar-top", "Sidebar, top", 300, 250, None, None, {}),
    ("sidebar-bottom", "Sidebar, bottom", 300, 600, 300, 250, {}),
    ("article-top", "Article, above the story", 728, 90, 320, 100, {}),
    (
        "in-article", "Inside the article", 300, 250, None, None,
        {"after_paragraph": 3, "repeat_every": 5, "clear_of_end": 2, "min_paragraphs": 6},
    ),
    ("article-bottom", "Article, below the story", 728, 90, 320, 100, {}),
    ("list-inline", "Between list items", 728, 90, 320, 100, {"every_n_items": 5}),
    ("footer", "Footer", 970, 90, 320, 50, {}),
]


def create_placements(apps, schema_editor):
    Placement = apps.get_model("ads", "Placement")
    for key, name, width, height, mobile_width, mobile_height, extra in PLACEMENTS:
        Placement.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "width": width,
                "height": height,
                "mobile_width": mobile_width,
                "mobile_height": mobile_height,
                **extra,
            },
        )
    apps.get_model("ads", "AdsTxt").objects.get_or_create(pk=1)


def remove_placements(apps, schema_editor):
    apps.get_model("ads", "Placement").objects.filter(key__in=[row[0] for row in PLACEMENTS]).delete()


class Migration(migrations.Migration):
    """Creates the placements and the ads.txt row.

    It also granted the Ad manager group its permissions until roles became one table:
    since then newsroom.roles.apply_roles, a post_migrate receiver, does that after every
    migrate, and this migration no longer touches groups.
    """

    dependencies = [
        ("ads", "0001_initial"),
        ("articles", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(create_placements, remove_placements)]
