"""Make the crops of photos stored before they had any (or after settings.PHOTO_CROPS
changed), around each photo's focal point."""

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.services import photo_recrop


class Command(BaseCommand):
    help = (
        "Make the crops (settings.PHOTO_CROPS) of every photo that lacks one of them; "
        "--all makes them anew for every photo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            dest="every",
            action="store_true",
            help="Every photo, not only those lacking crops.",
        )

    def handle(self, *args, every, **options):
        wanted = set(settings.PHOTO_CROPS)
        made = 0
        for photo in Photo.objects.exclude(image="").order_by("pk").iterator():
            if every or not wanted <= {r.get("ratio") for r in photo.renditions}:
                photo_recrop(photo=photo)
                made += 1
                self.stdout.write(f"cropped  photo {photo.pk}  {photo}")
        self.stdout.write(self.style.SUCCESS(f"Made the crops of {made} photos."))
