"""Put right the copies of stories' publication times on their tags' and bylines' rows
that were written with the database's triggers off (a bulk load, a restore)."""

from django.core.management.base import BaseCommand

from articles.services import publication_copies_repair


class Command(BaseCommand):
    help = (
        "Copy each story's publication time (empty unless published) onto its tags' and "
        "bylines' rows wherever it differs, in batches: what tag and author pages read."
    )

    def handle(self, *args, **options):
        repaired = publication_copies_repair()
        self.stdout.write(self.style.SUCCESS(f"Repaired {repaired} rows."))
