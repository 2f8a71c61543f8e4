"""Clear commenters' IP addresses older than settings.COMMENTS_IP_RETENTION_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand

from comments.services import comment_ips_prune


class Command(BaseCommand):
    help = (
        "Clear the IP addresses of comments older than COMMENTS_IP_RETENTION_DAYS "
        "(default 90), and forget e-mail addresses that never confirmed notices once "
        "their links have expired. Schedule it daily."
    )

    def handle(self, *args, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS
        cleared = comment_ips_prune(older_than_days=days)
        self.stdout.write(f"Cleared the IP address of {cleared} comment(s) older than {days} days.")
