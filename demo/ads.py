"""Advertisers and image creatives for the demo newsroom, drawn with Pillow: every
placement filled, plus one creative scheduled for later and one that has ended.
Idempotent: advertisers are matched by name, creatives by advertiser and name."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from ads.models import Advertiser, Creative, Placement
from ads.placements import SIDEBAR_TOP

from .drawing import draw_banner

ADVERTISERS = [
    # name, colours (background, text), slogan, address
    ("Harbourside Bakery", ("#f4a261", "#264653"), "Fresh loaves by the water since 1962",
     "https://example.com/harbourside-bakery"),
    ("Port Alder Credit Union", ("#0b3954", "#ffffff"), "Your neighbours, your bank",
     "https://example.com/credit-union"),
    ("Kestrel Bay Ferries", ("#087e8b", "#ffffff"), "Cross the bay in 40 minutes",
     "https://example.com/ferries"),
]  # fmt: skip
HOUSE = ("Newsroom", ("#1a1a1a", "#ffd43b"), "Support local journalism: subscribe today",
         "https://example.com/subscribe")  # fmt: skip


def _advertiser(name) -> Advertiser:
    return Advertiser.objects.get_or_create(
        name=name, defaults={"contact_email": f"ads@{slugify(name)}.example.com"}
    )[0]


def _creative(advertiser, placement, *, name, colours, slogan, url, priority, **schedule):
    if Creative.objects.filter(advertiser=advertiser, name=name).exists():
        return False
    creative = Creative(
        advertiser=advertiser,
        name=name,
        kind=Creative.Kind.IMAGE,
        image=draw_banner(placement.width, placement.height, *colours, advertiser.name, slogan),
        alt_text=f"{advertiser.name}: {slogan}",
        target_url=url,
        priority=priority,
        **schedule,
    )
    creative.full_clean()
    creative.save()
    creative.placements.set([placement])
    return True


def load_ads() -> int:
    """Create the demo advertisers and creatives; returns how many creatives were new."""
    now = timezone.now()
    placements = list(Placement.objects.all())
    created = 0
    for index, placement in enumerate(placements):
        name, colours, slogan, url = ADVERTISERS[index % len(ADVERTISERS)]
        created += _creative(
            _advertiser(name), placement, name=f"{placement.name} banner", colours=colours,
            slogan=slogan, url=url, priority=Creative.Priority.STANDARD,
        )  # fmt: skip
    house_name, house_colours, house_slogan, house_url = HOUSE
    house = _advertiser(house_name)
    for placement in placements:
        created += _creative(
            house, placement, name=f"House ad, {placement.name}", colours=house_colours,
            slogan=house_slogan, url=house_url, priority=Creative.Priority.HOUSE,
        )  # fmt: skip
    sidebar = next(p for p in placements if p.key == SIDEBAR_TOP)
    ferries = _advertiser("Kestrel Bay Ferries")
    created += _creative(
        ferries, sidebar, name="Summer timetable (scheduled)", colours=("#ff5a5f", "#ffffff"),
        slogan="Summer sailings start soon", url="https://example.com/ferries/summer",
        priority=Creative.Priority.SPONSORSHIP, starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=60),
    )  # fmt: skip
    created += _creative(
        ferries, sidebar, name="Winter sale (ended)", colours=("#3c096c", "#ffffff"),
        slogan="Winter fares: half price", url="https://example.com/ferries/winter",
        priority=Creative.Priority.SPONSORSHIP, starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=7),
    )  # fmt: skip
    return created
