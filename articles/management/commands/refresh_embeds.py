"""Ask the providers again about the embeds in stories and live entries: those never
asked (a story stored without the service, an import), those that could not be asked last time, and
those asked longer ago than settings.EMBED_REFRESH_DAYS (a title or thumbnail changed)."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.blocks import embed_urls
from articles.embeds import provider_for
from articles.fields import SanitizedProseField
from articles.models import Embed
from articles.services import embed_fetch


class Command(BaseCommand):
    help = (
        "Fetch the oEmbed data of embeds in stories and live entries that is missing, "
        "failed last time or "
        "older than --days (settings.EMBED_REFRESH_DAYS); --all asks about every embed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.EMBED_REFRESH_DAYS,
            help="Ask again about embeds asked longer ago than this many days.",
        )
        parser.add_argument(
            "--all", dest="every", action="store_true", help="Every embed, however recent."
        )

    def handle(self, *args, days, every, **options):
        urls = used_embed_urls()
        stored = {embed.url: embed for embed in Embed.objects.filter(url__in=urls)}
        stale_before = timezone.now() - timedelta(days=days)
        counts = {"fetched": 0, "failed": 0, "kept": 0, "not allowed": 0, "fresh": 0}
        for url in urls:
            embed = stored.get(url)
            provider = provider_for(url)
            if provider is None:
                counts["not allowed"] += 1
                self.stdout.write(f"not allowed  {url}  (not from an allowed provider: a link)")
                continue
            if not (every or embed is None or embed.error or embed.fetched_at < stale_before):
                counts["fresh"] += 1
                continue
            asked = embed_fetch(url=url, provider=provider)
            if not asked.problem:
                counts["fetched"] += 1
                self.stdout.write(f"fetched      {url}  {asked.embed.title}")
            elif asked.embed.error:
                counts["failed"] += 1
                self.stdout.write(f"failed       {url}  ({asked.problem}; readers see a link)")
            else:
                counts["kept"] += 1
                self.stdout.write(f"kept         {url}  ({asked.problem}; the last answer stays)")
        summary = ", ".join(f"{count} {what}" for what, count in counts.items())
        style = self.style.WARNING if counts["failed"] else self.style.SUCCESS
        self.stdout.write(style(f"{len(urls)} embeds in use: {summary}."))


def used_embed_urls() -> list[str]:
    """Every embed address in a body that takes embeds (a story's, a live entry's: any
    app's), each once, in the rows' order."""
    fields = [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, SanitizedProseField) and "Embed" in field.config["extensions"]
    ]
    bodies = (
        body
        for model, name in fields
        for body in model._default_manager.filter(**{f"{name}__contains": "data-embed="})
        .order_by("pk")
        .values_list(name, flat=True)
        .iterator()
    )
    return list(dict.fromkeys(url for body in bodies for url in embed_urls(body)))
