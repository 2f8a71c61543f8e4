"""Counting impressions and clicks, and who may save which creatives."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import get_args
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.utils import timezone

from ads import services
from ads.models import Advertiser, Creative, DailyStat, Placement
from tests.concurrency import retry_while_sqlite_is_locked
from tests.factories import UserFactory, draw_illustration

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0"


@pytest.fixture
def creative(make_creative):
    return make_creative(["sidebar-top"])


@pytest.fixture
def placement():
    return Placement.objects.get(key="sidebar-top")


def stat(creative, placement, day=None):
    return DailyStat.objects.get(
        creative=creative, placement=placement, date=day or timezone.localdate()
    )


def filtered(row, kind):
    """What of one kind (impressions, clicks) a DailyStat did not count, by why."""
    return {
        reason: getattr(row, f"{kind}_filtered_{reason}")
        for reason in ("repeats", "bots", "cross_site", "expired")
    }


# --- Daily totals -------------------------------------------------------------------------


def test_stat_increment_creates_the_days_row_then_adds_to_it(creative, placement):
    assert services.stat_increment(
        creative_id=creative.pk, placement_id=placement.pk, field="impressions"
    )
    for _ in range(4):
        services.stat_increment(
            creative_id=creative.pk, placement_id=placement.pk, field="impressions"
        )
    services.stat_increment(creative_id=creative.pk, placement_id=placement.pk, field="clicks")
    row = stat(creative, placement)
    assert (row.impressions, row.clicks) == (5, 1)
    assert DailyStat.objects.count() == 1


def test_stat_increment_adds_to_each_of_the_days_counts_alone(creative, placement):
    counters = get_args(services.Counter)
    daily_counts = {
        field.name
        for field in DailyStat._meta.concrete_fields
        if isinstance(field, models.PositiveIntegerField)
    }
    assert set(counters) == daily_counts
    for field in counters:
        services.stat_increment(creative_id=creative.pk, placement_id=placement.pk, field=field)
        row = stat(creative, placement)
        assert {name: getattr(row, name) for name in counters} == {
            name: int(counters.index(name) <= counters.index(field)) for name in counters
        }


@pytest.mark.usefixtures("midday")
def test_stat_increment_keeps_one_row_per_creative_placement_and_day(creative, placement):
    footer = Placement.objects.get(key="footer")
    now = timezone.now()
    for at, where in [(now, placement), (now, footer), (now + timedelta(days=1), placement)]:
        with time_machine.travel(at, tick=False):
            services.stat_increment(
                creative_id=creative.pk, placement_id=where.pk, field="impressions"
            )
    assert DailyStat.objects.count() == 3
    assert stat(creative, placement).impressions == 1
    assert stat(creative, placement, timezone.localdate(now + timedelta(days=1))).impressions == 1


def test_stat_increment_for_a_deleted_creative_counts_nothing(creative, placement):
    creative_id = creative.pk
    creative.delete()
    assert not services.stat_increment(
        creative_id=creative_id, placement_id=placement.pk, field="clicks"
    )
    assert not DailyStat.objects.exists()


@pytest.mark.usefixtures("midday")
def test_stat_record_counts_a_client_once_in_the_window(creative, placement):
    def record(client="client-a", user_agent=BROWSER):
        return services.stat_record(
            field="impressions", creative_id=creative.pk, placement_id=placement.pk,
            client=client, user_agent=user_agent,
        )  # fmt: skip

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert record()
        assert not record()
        assert record(client="client-b")
        assert not record(user_agent=BROWSER.replace("126", "127"))  # the same client
        assert not record(user_agent="Googlebot/2.1")
    with time_machine.travel(start + timedelta(minutes=30, seconds=1), tick=False):
        assert record()
    row = stat(creative, placement)
    assert row.impressions == 3
    assert filtered(row, "impressions") == {"repeats": 2, "bots": 1, "cross_site": 0, "expired": 0}
    assert not any(filtered(row, "clicks").values())


@pytest.mark.usefixtures("midday")
def test_impressions_still_count_when_the_cache_is_down(creative, placement):
    # django-redis answers None instead of raising when it ignores a connection error.
    with mock.patch("newsroom.beacons.cache.add", return_value=None):
        for _ in range(2):
            assert services.stat_record(
                field="impressions", creative_id=creative.pk, placement_id=placement.pk,
                client="client-a", user_agent=BROWSER,
            )  # fmt: skip
    assert stat(creative, placement).impressions == 2


def test_clicks_and_impressions_are_filtered_apart_and_counted_by_why(creative, placement):
    def record(field, **filters):
        return services.stat_record(
            field=field, creative_id=creative.pk, placement_id=placement.pk,
            client="client-a", user_agent=filters.pop("user_agent", BROWSER), **filters,
        )  # fmt: skip

    assert not record("clicks", user_agent="curl/8.5.0")
    assert not record("clicks", cross_site=True)
    assert not record("clicks", expired=True)
    assert record("clicks")
    assert record("impressions")  # a click does not make the impression a repeat
    assert not record("clicks")
    assert not record("clicks")
    assert not record("impressions")
    assert not record("impressions", user_agent="")
    row = stat(creative, placement)
    assert (row.impressions, row.clicks) == (1, 1)
    assert filtered(row, "clicks") == {"repeats": 2, "bots": 1, "cross_site": 1, "expired": 1}
    assert filtered(row, "impressions") == {"repeats": 1, "bots": 1, "cross_site": 0, "expired": 0}


# --- Concurrency --------------------------------------------------------------------------

THREADS = 8
INCREMENTS = 50


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_never_lost():
    # Rows of our own: an earlier transactional test may have flushed the migration's.
    placement, _ = Placement.objects.get_or_create(
        key="sidebar-top", defaults={"name": "Sidebar, top", "width": 300, "height": 250}
    )
    creative = Creative.objects.create(
        advertiser=Advertiser.objects.create(name="Kestrel Bay Ferries"),
        name="Crossing",
        image=SimpleUploadedFile("ad.jpg", draw_illustration(size=(300, 250)), "image/jpeg"),
        alt_text="Cross the bay in 40 minutes",
        target_url="https://ferries.example.com/",
    )
    barrier = threading.Barrier(THREADS)

    def increment_from_own_connection():
        try:
            barrier.wait(timeout=30)  # start together, all racing to insert the first row
            for _ in range(INCREMENTS):
                retry_while_sqlite_is_locked(
                    lambda: services.stat_increment(
                        creative_id=creative.pk, placement_id=placement.pk, field="impressions"
                    )
                )
        finally:
            connection.close()  # each thread has its own connection

    assert not DailyStat.objects.exists()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(increment_from_own_connection) for _ in range(THREADS)]
        for future in futures:
            future.result(timeout=120)

    row = DailyStat.objects.get()
    assert row.impressions == THREADS * INCREMENTS
    assert row.clicks == 0


# --- Permissions --------------------------------------------------------------------------


def html_creative(advertiser, **fields):
    return Creative(
        advertiser=advertiser,
        name="Network slot",
        kind=Creative.Kind.HTML,
        html='<script src="/network.js"></script>',
        **fields,
    )


def image_creative(advertiser, **fields):
    return Creative(
        advertiser=advertiser,
        name="Spring sale",
        image=SimpleUploadedFile("ad.jpg", draw_illustration(size=(728, 90)), "image/jpeg"),
        alt_text="Spring sale: everything half price",
        target_url="https://bakery.example.com/spring",
        **fields,
    )


def test_user_without_the_html_permission_cannot_save_an_html_creative(advertiser):
    staff = UserFactory(username="staffer")
    with pytest.raises(PermissionDenied):
        services.creative_save(creative=html_creative(advertiser), by=staff)
    assert not Creative.objects.exists()


def test_reporter_cannot_save_an_html_creative(advertiser, reporter):
    with pytest.raises(PermissionDenied):
        services.creative_save(creative=html_creative(advertiser), by=reporter)
    assert not Creative.objects.exists()


def test_ad_manager_may_save_an_html_creative(advertiser, ad_manager):
    assert ad_manager.has_perm("ads.enter_html_creative")
    creative = services.creative_save(creative=html_creative(advertiser), by=ad_manager)
    creative.refresh_from_db()
    assert creative.kind == Creative.Kind.HTML
    assert creative.created_by == ad_manager


def test_user_without_the_html_permission_cannot_edit_an_html_creative(advertiser, ad_manager):
    creative = services.creative_save(creative=html_creative(advertiser), by=ad_manager)
    staff = UserFactory(username="staffer", groups=["Editor"])
    creative.html = '<script src="https://evil.example/x.js"></script>'
    with pytest.raises(PermissionDenied):
        services.creative_save(creative=creative, by=staff)
    creative.refresh_from_db()
    assert creative.html == '<script src="/network.js"></script>'


def test_user_without_the_html_permission_cannot_hide_a_snippet_in_an_image_creative(
    advertiser,
):
    # The snippet would run as soon as an ad manager switched the creative to HTML.
    staff = UserFactory(username="staffer")
    creative = image_creative(advertiser, html="<script>steal()</script>")
    with pytest.raises(PermissionDenied):
        services.creative_save(creative=creative, by=staff)
    assert not Creative.objects.exists()


def test_ad_manager_saves_image_creatives_stamped_and_validated(advertiser, ad_manager):
    creative = services.creative_save(creative=image_creative(advertiser), by=ad_manager)
    creative.refresh_from_db()
    assert creative.created_by == ad_manager
    assert (creative.image_width, creative.image_height) == (728, 90)
    creative.alt_text = ""
    with pytest.raises(ValidationError):
        services.creative_save(creative=creative, by=ad_manager)


def test_saving_an_image_creative_keeps_an_existing_snippet_for_other_staff(advertiser, ad_manager):
    # An ad manager's snippet left on an image creative does not lock others out of it.
    creative = services.creative_save(
        creative=image_creative(advertiser, html="<p>kept</p>"), by=ad_manager
    )
    staff = UserFactory(username="staffer")
    creative.is_active = False
    services.creative_save(creative=creative, by=staff)
    creative.refresh_from_db()
    assert (creative.is_active, creative.html) == (False, "<p>kept</p>")


def test_ad_manager_saves_a_medium_rectangle_narrower_than_news_photos(advertiser, ad_manager):
    # 300x250 is under the 320 px minimum of news photos; ads have no minimum width.
    creative = image_creative(advertiser)
    creative.image = SimpleUploadedFile(
        "ad.jpg", draw_illustration(palette="harbour", size=(300, 250)), "image/jpeg"
    )
    services.creative_save(creative=creative, by=ad_manager)
    creative.refresh_from_db()
    assert (creative.image_width, creative.image_height) == (300, 250)


def test_creative_save_refuses_an_end_before_the_start(advertiser, ad_manager):
    now = timezone.now()
    creative = image_creative(advertiser, starts_at=now, ends_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.creative_save(creative=creative, by=ad_manager)
    assert not Creative.objects.exists()


def test_only_ad_managers_may_change_creatives(reporter, editor, ad_manager):
    for perm in ("ads.add_creative", "ads.change_creative", "ads.delete_creative"):
        assert not reporter.has_perm(perm)
        assert not editor.has_perm(perm)
        assert ad_manager.has_perm(perm)
    assert not reporter.has_perm("ads.enter_html_creative")
    assert ad_manager.has_perm("ads.change_adstxt")
    assert not reporter.has_perm("ads.change_adstxt")
