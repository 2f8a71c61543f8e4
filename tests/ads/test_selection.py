"""Which creative a slot shows: the live set, targeting, priority and weighted choice."""

import random
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from ads.models import Creative
from ads.selection import choose, forget_candidates, live_ads
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

Priority = Creative.Priority


def live_pks():
    return {candidate.pk for candidate in live_ads().candidates}


def chosen(placement="sidebar-top", **kwargs):
    return choose(live_ads().candidates, placement=placement, **kwargs)


def chosen_pks(draws=200, seed=7, **kwargs):
    rng = random.Random(seed)
    return Counter(
        choose(live_ads().candidates, rng=rng, **{"placement": "sidebar-top", **kwargs}).pk
        for _ in range(draws)
    )


# --- The live set: active and inside the schedule ----------------------------------------


def test_live_ads_hold_only_active_creatives_inside_their_schedule(make_creative):
    now = timezone.now()
    running = make_creative()
    open_ended = make_creative(starts_at=now - timedelta(days=1))
    until_later = make_creative(ends_at=now + timedelta(days=1))
    window = make_creative(starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1))
    make_creative(is_active=False)
    make_creative(starts_at=now + timedelta(hours=1))  # not yet
    make_creative(starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))  # over
    assert live_pks() == {running.pk, open_ended.pk, until_later.pk, window.pk}


def test_creative_starts_showing_at_its_start_time_by_itself(make_creative):
    start = timezone.now() + timedelta(hours=2)
    scheduled = make_creative(starts_at=start)
    with time_machine.travel(start - timedelta(minutes=30), tick=False):
        assert scheduled.pk not in live_pks()  # cached for the full minute
    with time_machine.travel(start - timedelta(seconds=10), tick=False):
        assert scheduled.pk not in live_pks()  # cached only until the start
    # No cache clearing, no cron: the cached set ends when the schedule changes.
    with time_machine.travel(start, tick=False):
        assert scheduled.pk in live_pks()
        assert chosen().pk == scheduled.pk


def test_creative_stops_showing_at_its_end_time_by_itself(make_creative):
    end = timezone.now() + timedelta(hours=2)
    ending = make_creative(ends_at=end)
    with time_machine.travel(end - timedelta(seconds=10), tick=False):
        assert chosen().pk == ending.pk
    with time_machine.travel(end - timedelta(milliseconds=300), tick=False):
        assert chosen().pk == ending.pk  # under a second to go: still exact
    with time_machine.travel(end, tick=False):
        assert ending.pk not in live_pks()
        assert chosen() is None


def test_live_ads_are_cached_for_at_most_a_minute(make_creative, django_assert_num_queries):
    creative = make_creative()
    assert creative.pk in live_pks()
    with django_assert_num_queries(0):
        live_ads()
    # A change that bypasses the signals (a bulk update) shows within the minute.
    Creative.objects.filter(pk=creative.pk).update(is_active=False)
    assert creative.pk in live_pks()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert creative.pk not in live_pks()


def test_saving_a_creative_refreshes_the_live_ads_at_once(make_creative):
    creative = make_creative()
    assert creative.pk in live_pks()
    creative.is_active = False
    creative.save()
    assert creative.pk not in live_pks()
    creative.is_active = True
    creative.save()
    assert creative.pk in live_pks()
    creative.placements.clear()
    assert chosen() is None


# --- Targeting ----------------------------------------------------------------------------


def test_section_targeting_limits_a_creative_to_its_sections(make_creative):
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    targeted = make_creative(sections=[city])
    assert chosen(section_id=city.pk).pk == targeted.pk
    assert chosen(section_id=sport.pk) is None
    assert chosen(section_id=None) is None  # e.g. the home page, which has no section


def test_creative_without_sections_shows_in_every_section(make_creative):
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    everywhere = make_creative()
    for section_id in (city.pk, sport.pk, None):
        assert chosen(section_id=section_id).pk == everywhere.pk


def test_page_type_targeting_limits_a_creative_to_its_page_types(make_creative):
    on_articles = make_creative(page_types=["article", "section"])
    assert chosen(page_type="article").pk == on_articles.pk
    assert chosen(page_type="section").pk == on_articles.pk
    assert chosen(page_type="home") is None
    assert chosen(page_type="other") is None


def test_creative_without_page_types_shows_on_every_page_type(make_creative):
    everywhere = make_creative()
    for page_type in ("home", "section", "article", "other", None):
        assert chosen(page_type=page_type).pk == everywhere.pk


def test_creative_shows_only_in_its_placements(make_creative):
    creative = make_creative(["sidebar-top", "footer"])
    assert chosen("sidebar-top").pk == creative.pk
    assert chosen("footer").pk == creative.pk
    assert chosen("sidebar-bottom") is None
    assert chosen("header-leaderboard") is None
    assert chosen("no-such-placement") is None


# --- Priority -----------------------------------------------------------------------------


def test_sponsorship_beats_standard_beats_house(make_creative):
    sponsorship = make_creative(priority=Priority.SPONSORSHIP, weight=1)
    standard = make_creative(priority=Priority.STANDARD, weight=100)
    house = make_creative(priority=Priority.HOUSE, weight=100)
    assert chosen_pks() == {sponsorship.pk: 200}
    sponsorship.is_active = False
    sponsorship.save()
    assert chosen_pks() == {standard.pk: 200}
    standard.delete()
    assert chosen_pks() == {house.pk: 200}


def test_house_ad_shows_only_where_nothing_else_is_eligible(make_creative):
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    sponsor = make_creative(priority=Priority.SPONSORSHIP, sections=[city])
    standard = make_creative(priority=Priority.STANDARD, page_types=["article"])
    house = make_creative(priority=Priority.HOUSE)
    # Ineligible higher-priority ads do not keep the slot empty.
    assert chosen_pks(section_id=city.pk, page_type="home") == {sponsor.pk: 200}
    assert chosen_pks(section_id=sport.pk, page_type="article") == {standard.pk: 200}
    assert chosen_pks(section_id=sport.pk, page_type="home") == {house.pk: 200}
    assert chosen("footer") is None  # house ads too need the placement


# --- Weighted choice ----------------------------------------------------------------------


def test_weights_decide_how_often_each_creative_is_chosen(make_creative):
    light = make_creative(weight=1)
    heavy = make_creative(weight=3)
    house = make_creative(priority=Priority.HOUSE, weight=1000)  # never competes
    draws = 20_000
    counts = chosen_pks(draws=draws, seed=20240501)
    # The heavy creative's count is Binomial(n=20000, p=0.75): its share has standard
    # deviation sqrt(0.75 * 0.25 / 20000) ≈ 0.0031, so ±0.02 is about 6.5 standard
    # deviations (a false alarm less than once in 10^10 runs for an arbitrary seed).
    assert counts[heavy.pk] / draws == pytest.approx(0.75, abs=0.02)
    assert counts[light.pk] + counts[heavy.pk] == draws
    assert house.pk not in counts


def test_equal_weights_share_the_slot_evenly(make_creative):
    creatives = [make_creative(weight=2) for _ in range(4)]
    draws = 20_000
    counts = chosen_pks(draws=draws, seed=99)
    # Each share is Binomial(20000, 0.25)/20000: sd ≈ 0.0031, and 0.02 is over 6 sd.
    for creative in creatives:
        assert counts[creative.pk] / draws == pytest.approx(0.25, abs=0.02)


def test_choose_returns_none_when_nothing_is_eligible(make_creative):
    assert choose([], placement="sidebar-top") is None
    make_creative(["footer"], sections=[SectionFactory(name="City")])
    assert choose(live_ads().candidates, placement="sidebar-top") is None
    assert choose(live_ads().candidates, placement="footer", section_id=None) is None


# --- The per-process memo ---------------------------------------------------------------


def test_live_ads_survive_another_thread_forgetting_them_mid_read(make_creative):
    """An ad saved in one thread clears the memo while other threads read it: a reader
    must see either the memo or nothing, never half of it."""
    make_creative()
    ads = live_ads()
    errors = []
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                assert live_ads() is ads
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
            stop.set()

    # The shared cache always answers, so a reader whose memo was just cleared never
    # needs the database (which other threads cannot see on in-memory SQLite).
    shared_cache = mock.Mock(**{"get.return_value": ads})
    with mock.patch("ads.selection.cache", shared_cache), switching_threads_often():
        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and not stop.is_set():
            forget_candidates()
        stop.set()
        for reader in readers:
            reader.join()
    assert errors == []


@contextmanager
def switching_threads_often():
    """Let threads take turns every microsecond instead of every 5 ms, so that a window of
    a few bytecodes between two reads is hit within a second."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
