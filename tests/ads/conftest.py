"""Advertisers and creatives for the ads tests. Placements come from the ads migration."""

import itertools
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ads.models import Advertiser, Creative, Placement
from tests.factories import draw_illustration

_names = itertools.count(1)


@pytest.fixture
def midday():
    """Run the test at noon (London), so that travelling minutes ahead never crosses
    midnight, which starts a new day of counts and a new page cache generation."""
    with time_machine.travel(datetime(2026, 3, 12, 12, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def advertiser(db):
    return Advertiser.objects.create(name="Harbourside Bakery", contact_email="ads@example.com")


@pytest.fixture
def make_creative(advertiser):
    """Create a live creative in the placements named by key (default: sidebar top).

    An image creative gets a real JPEG drawn with Pillow, sized like its first placement
    unless `size` says otherwise; `kind="html"` makes a network snippet instead.
    """

    def make(placements=("sidebar-top",), *, kind=Creative.Kind.IMAGE, size=None,
             sections=(), **fields):  # fmt: skip
        rows = [Placement.objects.get(key=key) for key in placements]
        number = next(_names)
        fields.setdefault("name", f"Campaign {number}")
        if kind == Creative.Kind.IMAGE:
            width, height = size or ((rows[0].width, rows[0].height) if rows else (300, 250))
            fields.setdefault(
                "image",
                SimpleUploadedFile(
                    f"ad-{number}.jpg",
                    draw_illustration(palette="harbour", seed=number, size=(width, height)),
                    "image/jpeg",
                ),
            )
            fields.setdefault("alt_text", f"Fresh bread, offer {number}")
            fields.setdefault("target_url", f"https://bakery.example.com/offer/{number}")
        else:
            fields.setdefault("html", f"<p>Network ad {number}</p>")
        creative = Creative(advertiser=advertiser, kind=kind, **fields)
        creative.full_clean()
        creative.save()
        creative.placements.set(rows)
        creative.sections.set(sections)
        return creative

    return make


@pytest.fixture
def ad_manager(db):
    from tests.factories import UserFactory

    return UserFactory(username="admanager", groups=["Ad manager"])
