"""The newsroom's roles: staff groups, each holding the permissions of its job.

Each app declares what each role may do with its own models, as ``role_permissions`` on
its AppConfig (codenames of that app's permissions). ``role_table()`` gathers them into
one table, and ``apply_roles`` makes the groups match it after every ``migrate``:
migrations hold no copy of it, so changing the table changes no old migration.
"""

import sys
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, router

REPORTER = "Reporter"
EDITOR = "Editor"
MODERATOR = "Moderator"
AD_MANAGER = "Ad manager"
LIVE_EDITOR = "Live editor"
FRONT_EDITOR = "Front editor"

DESCRIPTIONS = {
    REPORTER: "Writes stories with their bylines and photos, and submits them for review.",
    EDITOR: "Edits and publishes stories; keeps sections, authors, tags and corrections.",
    MODERATOR: "Approves, rejects, corrects and marks as spam reader comments; bans commenters.",
    AD_MANAGER: "Runs advertisers, creatives, placements and ads.txt, and reads ad totals.",
    LIVE_EDITOR: "Writes and publishes the entries of live coverage as a story unfolds.",
    FRONT_EDITOR: "Curates and publishes the home and section fronts, and nothing else.",
}


@dataclass(frozen=True)
class Role:
    description: str
    permissions: tuple[str, ...]  # "app_label.codename", sorted


def role_table() -> dict[str, Role]:
    """Every role with its description and the permissions the apps grant it."""
    granted: dict[str, list[str]] = {name: [] for name in DESCRIPTIONS}
    for app_config in global_apps.get_app_configs():
        for name, codenames in getattr(app_config, "role_permissions", {}).items():
            if name not in granted:
                raise ImproperlyConfigured(f"{app_config.label} grants to unknown role {name!r}")
            granted[name] += [f"{app_config.label}.{codename}" for codename in codenames]
    return {
        name: Role(DESCRIPTIONS[name], tuple(sorted(permissions)))
        for name, permissions in granted.items()
    }


def apply_roles(app_config, verbosity=1, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate receiver: each role's group holds exactly the permissions of its role.

    Missing groups and permissions are added, and permissions the table no longer
    declares are taken away, so that editing the table is all it takes to change a role
    on every database; a permission one person needs goes on that user, not on a role.
    Groups that are not roles are left alone.

    post_migrate is sent once per app, and auth's ``create_permissions`` (connected
    before this, since auth comes before newsroom in INSTALLED_APPS) creates the
    permissions of the app being sent: so this waits for the last app, when every
    permission exists. Permissions of models not migrated yet (``migrate <app> zero``, or
    a partial migrate) are granted by the next migrate that creates them.
    """
    last = [config for config in global_apps.get_app_configs() if config.models_module][-1]
    if app_config.label != last.label:
        return
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth itself not migrated yet
        return
    if not router.allow_migrate_model(using, Group):
        return

    table = role_table()
    pks = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    stdout = kwargs.get("stdout", sys.stdout)
    for name, role in table.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = {pks[permission] for permission in role.permissions if permission in pks}
        held = set(group.permissions.values_list("pk", flat=True))
        granted, taken = wanted - held, held - wanted
        group.permissions.add(*granted)
        group.permissions.remove(*taken)
        if verbosity >= 2 and (granted or taken):
            stdout.write(f"Role {name}: {len(granted)} granted, {len(taken)} taken away\n")
