from django.db import migrations

from ads.placements import REGISTRY
from articles.roles import AD_MANAGER, grant

AD_MANAGER_PERMISSIONS = {
    AD_MANAGER: [
        f"ads.{action}_{model}"
        for model in ("advertiser", "creative", "placement", "adstxt")
        for action in ("add", "change", "delete", "view")
    ]
    + ["ads.view_dailystat", "ads.enter_html_creative"]
}


def create_placements(apps, schema_editor):
    Placement = apps.get_model("ads", "Placement")
    for key, name, width, height, mobile_width, mobile_height, extra in REGISTRY:
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
    grant(apps, AD_MANAGER_PERMISSIONS)


def remove_placements(apps, schema_editor):
    apps.get_model("ads", "Placement").objects.filter(key__in=[row[0] for row in REGISTRY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ads", "0001_initial"),
        ("articles", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(create_placements, remove_placements)]
