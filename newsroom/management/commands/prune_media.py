"""List, or with --delete remove, uploaded files that nothing in the database refers to."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from newsroom.media import orphaned_media

MIN_GRACE_HOURS = 1


class Command(BaseCommand):
    help = (
        "Find uploaded files that no photo, rendition or ad refers to (left by an upload "
        "that failed or was rolled back, or a process killed mid-write), older than the "
        "grace period. Lists them; --delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove them (default: list).")
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24,
            help="Spare files younger than this: an upload in progress is not committed yet "
            f"(default 24, at least {MIN_GRACE_HOURS}).",
        )

    def handle(self, *args, delete, grace_hours, **options):
        if grace_hours < MIN_GRACE_HOURS:
            raise CommandError(
                f"--grace-hours must be at least {MIN_GRACE_HOURS}: younger files may "
                "belong to an upload in progress."
            )
        orphans = orphaned_media(default_storage, grace=timedelta(hours=grace_hours))
        for name, size in orphans:
            if delete:
                default_storage.delete(name)
            self.stdout.write(f"{'removed' if delete else 'orphaned'}  {name}  ({size} bytes)")
        total = filesizeformat(sum(size for _name, size in orphans))
        if delete:
            self.stdout.write(self.style.SUCCESS(f"Removed {len(orphans)} files, {total}."))
        else:
            self.stdout.write(
                f"{len(orphans)} orphaned files, {total}; nothing removed (run with --delete)."
            )
