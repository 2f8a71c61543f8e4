"""The ad manager's admin, driven through its real views: creatives, placements, the report."""

import codecs
import csv
import io
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ads.models import AdsTxt, Advertiser, Creative, DailyStat, Placement
from ads.signing import CLICK_SALT, IMPRESSION_SALT, make_token
from tests.admin_pages import form_data, form_errors, logged_in
from tests.factories import (
    AdvertiserFactory,
    CreativeFactory,
    SectionFactory,
    UserFactory,
    draw_illustration,
)
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

CREATIVE_ADD_URL = reverse("admin:ads_creative_add")
CREATIVES_URL = reverse("admin:ads_creative_changelist")
REPORT_URL = reverse("admin:ads_dailystat_changelist")
ADS_TXT_URL = reverse("admin:ads_adstxt_changelist")
NOT_COUNTED_HEADERS = [
    f"{kind} not counted: {reason}"
    for kind in ("Impressions", "Clicks")
    for reason in ("repeats", "bots", "cross-site", "old pages")
]
NONE_NOT_COUNTED = ["0"] * len(NOT_COUNTED_HEADERS)
# 31 March 2025, noon in London (BST): the report's "today".
TODAY = date(2025, 3, 31)
NOON = datetime(2025, 3, 31, 11, tzinfo=UTC)


def placement(key):
    return Placement.objects.get(key=key)


def upload(name="leaderboard.jpg"):
    return SimpleUploadedFile(
        name, draw_illustration(palette="market", size=(728, 90)), "image/jpeg"
    )


def warm_count_queries(client, url):
    client.get(url)  # warm caches that are not per request (content types and the like)
    return count_queries(client, url)


def stat(creative, key, day, impressions, clicks):
    return DailyStat.objects.create(
        creative=creative,
        placement=placement(key),
        date=day,
        impressions=impressions,
        clicks=clicks,
    )


@pytest.fixture
def as_ad_manager(ad_manager):
    return logged_in(ad_manager)


@pytest.fixture
def as_trafficker(db):
    """May add and change creatives, but not enter third-party HTML."""
    user = UserFactory(username="trafficker")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="ads",
            codename__in=["add_creative", "change_creative", "view_creative", "view_advertiser"],
        )
    )
    return logged_in(user)


@pytest.fixture
def advertiser(db):
    return AdvertiserFactory(name="Harbour Bikes")


# --- Who gets in ------------------------------------------------------------------------


def ad_pages():
    header = Placement.objects.get(key="header-leaderboard")
    return [
        CREATIVES_URL,
        CREATIVE_ADD_URL,
        reverse("admin:ads_advertiser_changelist"),
        reverse("admin:ads_advertiser_add"),
        reverse("admin:ads_placement_changelist"),
        reverse("admin:ads_placement_change", args=[header.pk]),
        reverse("admin:ads_adstxt_change", args=[AdsTxt.objects.get().pk]),
        REPORT_URL,
    ]


def test_ad_manager_opens_every_ads_admin_page(as_ad_manager):
    for url in ad_pages():
        assert as_ad_manager.get(url).status_code == 200, url


def test_ad_manager_sees_advertising_on_the_admin_index(as_ad_manager):
    response = as_ad_manager.get(reverse("admin:index"))

    apps = {app["app_label"]: app for app in response.context["app_list"]}
    assert apps["ads"]["name"] == "Advertising"
    assert {model["object_name"] for model in apps["ads"]["models"]} == {
        "Advertiser", "AdsTxt", "Creative", "DailyStat", "Placement",
    }  # fmt: skip


@pytest.mark.parametrize("role", ["Reporter", "Editor", "Moderator"])
def test_other_roles_get_no_ads_admin(role):
    client = logged_in(UserFactory(username=role.lower(), groups=[role]))

    for url in ad_pages():
        assert client.get(url).status_code in (302, 403), url
    assert client.post(CREATIVE_ADD_URL, {"name": "Sneaky"}).status_code == 403
    response = client.get(reverse("admin:index"))
    assert "ads" not in {app["app_label"] for app in response.context["app_list"]}
    assert "Advertising" not in response.content.decode()


# --- Advertisers ------------------------------------------------------------------------


def test_advertiser_list_counts_creatives_and_searches(as_ad_manager, advertiser):
    CreativeFactory.create_batch(2, advertiser=advertiser)
    AdvertiserFactory(name="Quiet Bakery")

    response = as_ad_manager.get(reverse("admin:ads_advertiser_changelist"))
    counts = {a.name: a.creative_count for a in response.context["cl"].result_list}
    assert counts == {"Harbour Bikes": 2, "Quiet Bakery": 0}

    response = as_ad_manager.get(reverse("admin:ads_advertiser_changelist"), {"q": "bakery"})
    assert [a.name for a in response.context["cl"].result_list] == ["Quiet Bakery"]


def test_ad_manager_adds_an_advertiser(as_ad_manager):
    url = reverse("admin:ads_advertiser_add")
    response = as_ad_manager.post(url, {"name": "Ferry Line", "contact_email": "ads@ferry.example"})

    assert response.status_code == 302
    assert Advertiser.objects.get(name="Ferry Line").contact_email == "ads@ferry.example"


# --- Placements -------------------------------------------------------------------------


def test_placement_list_shows_sizes_labels_and_rules(as_ad_manager):
    html = as_ad_manager.get(reverse("admin:ads_placement_changelist")).content.decode()

    assert "header-leaderboard" in html
    assert "728×90, phones 320×50" in html
    assert "- Advertisement -" in html
    assert "after paragraph 3; then every 5; not in the last 2" in html
    assert "every 5 items" in html


def test_ad_manager_changes_a_placement_but_not_its_key(as_ad_manager):
    header = placement("header-leaderboard")
    url = reverse("admin:ads_placement_change", args=[header.pk])
    data = form_data(as_ad_manager.get(url), width="970", height="250", label="Sponsored")
    data["key"] = "something-else"

    response = as_ad_manager.post(url, data)

    assert response.status_code == 302, form_errors(response)
    header.refresh_from_db()
    assert (header.key, header.width, header.height, header.label) == (
        "header-leaderboard", 970, 250, "Sponsored",
    )  # fmt: skip


def test_placements_can_be_neither_added_nor_deleted(as_ad_manager):
    header = placement("header-leaderboard")

    assert as_ad_manager.get(reverse("admin:ads_placement_add")).status_code == 403
    delete_url = reverse("admin:ads_placement_delete", args=[header.pk])
    assert as_ad_manager.post(delete_url, {"post": "yes"}).status_code == 403
    assert Placement.objects.filter(pk=header.pk).exists()


# --- Creatives --------------------------------------------------------------------------


def test_ad_manager_adds_an_image_creative_with_an_upload(as_ad_manager, advertiser, ad_manager):
    section = SectionFactory(name="Sport")
    keys = ["header-leaderboard", "article-top"]
    data = form_data(
        as_ad_manager.get(CREATIVE_ADD_URL),
        name="Spring sale",
        advertiser=str(advertiser.pk),
        kind="image",
        image=upload(),
        alt_text="Bicycles, half price until Sunday",
        target_url="https://bikes.example.com/spring",
        placements=[str(placement(key).pk) for key in keys],
        sections=[str(section.pk)],
        page_types=["article", "home"],
    )

    response = as_ad_manager.post(CREATIVE_ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    creative = Creative.objects.get(name="Spring sale")
    assert creative.kind == Creative.Kind.IMAGE
    assert (creative.image_width, creative.image_height) == (728, 90)
    assert creative.image.name.startswith("ads/")
    assert sorted(p.key for p in creative.placements.all()) == sorted(keys)
    assert list(creative.sections.all()) == [section]
    assert creative.page_types == ["home", "article"]
    assert creative.created_by == ad_manager
    assert creative in Creative.objects.live()


def test_ad_manager_uploads_a_300x250_creative_for_the_sidebar(as_ad_manager, advertiser):
    image = SimpleUploadedFile("mpu.jpg", draw_illustration(size=(300, 250)), "image/jpeg")
    data = form_data(
        as_ad_manager.get(CREATIVE_ADD_URL),
        name="Sidebar box",
        advertiser=str(advertiser.pk),
        image=image,
        alt_text="Bicycles",
        target_url="https://bikes.example.com/",
        placements=[str(placement("sidebar-top").pk)],
    )

    response = as_ad_manager.post(CREATIVE_ADD_URL, data)

    assert response.status_code == 302, form_errors(response)


def test_ad_manager_adds_an_html_creative(as_ad_manager, advertiser):
    snippet = '<script src="https://ads.example.net/tag.js" data-slot="42"></script>'
    data = form_data(
        as_ad_manager.get(CREATIVE_ADD_URL),
        name="Network fill",
        advertiser=str(advertiser.pk),
        kind="html",
        html=snippet,
        placements=[str(placement("sidebar-top").pk)],
    )

    response = as_ad_manager.post(CREATIVE_ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    creative = Creative.objects.get(name="Network fill")
    assert (creative.kind, creative.html, creative.page_types) == ("html", snippet, [])


def test_without_the_html_permission_the_form_comes_back_with_a_message(as_trafficker, advertiser):
    data = form_data(
        as_trafficker.get(CREATIVE_ADD_URL),
        name="Network fill",
        advertiser=str(advertiser.pk),
        kind="html",
        html="<script>document.cookie</script>",
        placements=[str(placement("sidebar-top").pk)],
    )

    response = as_trafficker.post(CREATIVE_ADD_URL, data)

    assert response.status_code == 200
    assert "Only ad managers may enter HTML snippets" in form_errors(response)["kind"][0]
    assert "Only ad managers may enter HTML snippets" in response.content.decode()
    form = response.context["adminform"].form
    assert form["name"].value() == "Network fill"
    assert form["html"].value() == "<script>document.cookie</script>"
    assert not Creative.objects.exists()


def test_without_the_html_permission_an_image_creative_cannot_carry_a_snippet(
    as_trafficker, advertiser
):
    data = form_data(
        as_trafficker.get(CREATIVE_ADD_URL),
        name="Spring sale",
        advertiser=str(advertiser.pk),
        kind="image",
        image=upload(),
        alt_text="Bicycles",
        target_url="https://bikes.example.com/",
        html="<script>later</script>",
        placements=[str(placement("sidebar-top").pk)],
    )

    response = as_trafficker.post(CREATIVE_ADD_URL, data)

    assert response.status_code == 200
    assert "Only ad managers" in form_errors(response)["html"][0]
    assert not Creative.objects.exists()

    data.update(html="", image=upload())
    assert as_trafficker.post(CREATIVE_ADD_URL, data).status_code == 302
    assert Creative.objects.get().html == ""


def test_end_before_start_is_refused_with_the_constraint_message(as_ad_manager):
    creative = CreativeFactory()
    url = reverse("admin:ads_creative_change", args=[creative.pk])
    data = form_data(
        as_ad_manager.get(url),
        starts_at_0="2025-05-10",
        starts_at_1="09:00:00",
        ends_at_0="2025-05-01",
        ends_at_1="09:00:00",
    )

    response = as_ad_manager.post(url, data)

    assert response.status_code == 200
    assert "The end must come after the start." in form_errors(response)["__all__"]
    assert "The end must come after the start." in response.content.decode()
    creative.refresh_from_db()
    assert creative.starts_at is None


def test_weight_zero_is_refused_with_the_constraint_message(as_ad_manager):
    creative = CreativeFactory()
    url = reverse("admin:ads_creative_change", args=[creative.pk])

    response = as_ad_manager.post(url, form_data(as_ad_manager.get(url), weight="0"))

    assert response.status_code == 200
    assert "The weight must be at least 1." in form_errors(response)["__all__"]
    creative.refresh_from_db()
    assert creative.weight == 1


@pytest.mark.parametrize(
    "target, message",
    [
        ("ftp://bikes.example.com/offer", "must be an https:// address (or http://), not ftp:."),
        ("http://127.0.0.1/admin/", "127.0.0.1 is a private, local or reserved address"),
        ("http://[::1]/", "::1 is a private, local or reserved address"),
        ("http://2130706433/", "2130706433 (127.0.0.1) is a private, local or reserved address"),
        ("https://localhost/", "“localhost” is a local name, not a public site"),
        ("https://ads:secret@bikes.example.com/", "Remove the user name and password"),
    ],
)
def test_ad_manager_cannot_point_a_click_at_a_private_or_odd_address(
    as_ad_manager, target, message
):
    creative = CreativeFactory()
    url = reverse("admin:ads_creative_change", args=[creative.pk])

    response = as_ad_manager.post(
        url, form_data(as_ad_manager.get(url), target_url=target, accept_unencrypted="on")
    )

    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)["target_url"])
    assert message in response.content.decode()
    creative.refresh_from_db()
    assert creative.target_url.startswith("https://")


def test_an_http_target_needs_the_unencrypted_confirmation(as_ad_manager):
    creative = CreativeFactory()
    url = reverse("admin:ads_creative_change", args=[creative.pk])
    data = form_data(as_ad_manager.get(url), target_url="http://bikes.example.com/spring")

    response = as_ad_manager.post(url, data)

    assert response.status_code == 200
    [error] = form_errors(response)["target_url"]
    assert error.startswith("This address starts with http://")
    assert "I know this target is not encrypted" in response.content.decode()
    creative.refresh_from_db()
    assert creative.target_url.startswith("https://")

    response = as_ad_manager.post(url, {**data, "accept_unencrypted": "on"})

    assert response.status_code == 302, form_errors(response)
    creative.refresh_from_db()
    assert creative.target_url == "http://bikes.example.com/spring"
    # Saved once with the confirmation, other changes need not repeat it.
    response = as_ad_manager.post(url, form_data(as_ad_manager.get(url), weight="3"))
    assert response.status_code == 302, form_errors(response)


def test_change_form_keeps_page_types_as_checkboxes(as_ad_manager):
    creative = CreativeFactory(page_types=["section"])
    url = reverse("admin:ads_creative_change", args=[creative.pk])
    response = as_ad_manager.get(url)
    assert 'type="checkbox" name="page_types" value="section"' in response.content.decode()
    assert "checked" in response.content.decode().split('value="section"')[1][:40]

    response = as_ad_manager.post(url, form_data(response, page_types=[]))

    assert response.status_code == 302, form_errors(response)
    creative.refresh_from_db()
    assert creative.page_types == []


def test_creative_list_shows_totals_schedule_and_thumbnails(as_ad_manager):
    now = timezone.now()
    live = CreativeFactory(name="Live one", placements=["header-leaderboard", "footer"])
    CreativeFactory(name="Later", starts_at=now + timedelta(days=2))
    CreativeFactory(name="Over", ends_at=now - timedelta(days=1))
    CreativeFactory(name="Paused", is_active=False)
    CreativeFactory(name="Untouched")
    today = timezone.localdate()
    stat(live, "header-leaderboard", today, 900, 18)
    stat(live, "footer", today, 100, 2)
    stat(live, "header-leaderboard", today - timedelta(days=1), 1000, 5)

    response = as_ad_manager.get(CREATIVES_URL)

    rows = {c.name: c for c in response.context["cl"].result_list}
    assert (rows["Live one"].total_impressions, rows["Live one"].total_clicks) == (2000, 25)
    assert (rows["Untouched"].total_impressions, rows["Untouched"].total_clicks) == (0, 0)
    html = response.content.decode()
    assert "1.25%" in html
    assert "Header leaderboard, Footer" in html
    assert live.image.url in html
    states = {"Live one": "Live", "Later": "Scheduled", "Over": "Ended", "Paused": "Off"}
    for name, state in states.items():
        assert f'<td class="field-schedule">{state}</td>' in html.split(f">{name}<")[1][:1000]

    response = as_ad_manager.get(CREATIVES_URL, {"schedule": "live"})
    assert {c.name for c in response.context["cl"].result_list} == {"Live one", "Untouched"}


def test_placement_filter_does_not_count_stats_twice(as_ad_manager):
    creative = CreativeFactory(placements=["header-leaderboard", "footer", "sidebar-top"])
    stat(creative, "header-leaderboard", timezone.localdate(), 300, 3)

    for key in ("header-leaderboard", "footer"):
        response = as_ad_manager.get(CREATIVES_URL, {"placements__id__exact": placement(key).pk})
        [row] = response.context["cl"].result_list
        assert (row.total_impressions, row.total_clicks) == (300, 3)


def test_creative_list_filters_and_searches(as_ad_manager, advertiser):
    CreativeFactory(name="Spring sale", advertiser=advertiser)
    CreativeFactory(name="Network fill", kind="html", html="<b>ad</b>", image="", target_url="")
    CreativeFactory(name="Footer promo", placements=["footer"], priority=1)

    def names(**params):
        response = as_ad_manager.get(CREATIVES_URL, params)
        return {c.name for c in response.context["cl"].result_list}

    assert names(q="harbour") == {"Spring sale"}
    assert names(kind__exact="html") == {"Network fill"}
    assert names(priority__exact="1") == {"Footer promo"}
    assert names(placements__id__exact=placement("footer").pk) == {"Footer promo"}
    assert names(advertiser__id__exact=advertiser.pk) == {"Spring sale"}
    assert names(is_active__exact="1") == {"Spring sale", "Network fill", "Footer promo"}


def test_creative_list_runs_the_same_queries_for_3_or_20_creatives(as_ad_manager):
    def add_creatives(count):
        for creative in CreativeFactory.create_batch(count, placements=["footer", "sidebar-top"]):
            stat(creative, "footer", timezone.localdate(), 100, 1)

    add_creatives(3)
    few = warm_count_queries(as_ad_manager, CREATIVES_URL)
    add_creatives(17)
    many = warm_count_queries(as_ad_manager, CREATIVES_URL)

    assert few == many


def test_activate_and_deactivate_selected_creatives(as_ad_manager):
    on, off = CreativeFactory(is_active=True), CreativeFactory(is_active=False)

    response = as_ad_manager.post(
        CREATIVES_URL,
        {"action": "deactivate", ACTION_CHECKBOX_NAME: [on.pk, off.pk], "index": 0},
        follow=True,
    )
    assert "1 creative deactivated." in response.content.decode()
    assert not Creative.objects.filter(is_active=True).exists()

    as_ad_manager.post(
        CREATIVES_URL, {"action": "activate", ACTION_CHECKBOX_NAME: [on.pk, off.pk], "index": 0}
    )
    assert Creative.objects.filter(is_active=True).count() == 2


def test_without_the_html_permission_html_creatives_are_not_reactivated(as_trafficker):
    network = CreativeFactory(
        name="Network", kind="html", html="<b>ad</b>", image="", target_url="", is_active=False
    )

    response = as_trafficker.post(
        CREATIVES_URL,
        {"action": "activate", ACTION_CHECKBOX_NAME: [network.pk], "index": 0},
        follow=True,
    )

    assert "Not activated (open each to see why): Network" in response.content.decode()
    network.refresh_from_db()
    assert not network.is_active


def test_creatives_without_stats_can_be_deleted_but_counted_ones_keep_their_history(
    as_ad_manager,
):
    counted, unused = CreativeFactory(), CreativeFactory()
    stat(counted, "header-leaderboard", timezone.localdate(), 10, 1)

    url = reverse("admin:ads_creative_delete", args=[unused.pk])
    assert as_ad_manager.post(url, {"post": "yes"}).status_code == 302
    # Deleting would take the report's rows with it; deactivating keeps them.
    url = reverse("admin:ads_creative_delete", args=[counted.pk])
    assert "daily stat" in as_ad_manager.get(url).content.decode()
    assert as_ad_manager.post(url, {"post": "yes"}).status_code == 403
    assert list(Creative.objects.all()) == [counted]


# --- The report -------------------------------------------------------------------------


@pytest.fixture
def campaign():
    """Two creatives in two placements over three days, and one outside the range."""
    spring = CreativeFactory(
        name="Spring sale", advertiser=AdvertiserFactory(name="Harbour Bikes"),
        placements=["header-leaderboard", "sidebar-top"],
    )  # fmt: skip
    ferry = CreativeFactory(
        name="Ferry", advertiser=AdvertiserFactory(name="Ferry Line"), placements=["footer"]
    )
    days = [TODAY - timedelta(days=n) for n in range(3)]  # 29, 30, 31 March
    stat(spring, "header-leaderboard", days[0], 1000, 20)
    stat(spring, "header-leaderboard", days[1], 500, 5)
    stat(spring, "sidebar-top", days[1], 300, 0)
    stat(ferry, "footer", days[2], 200, 1)
    stat(ferry, "footer", TODAY - timedelta(days=40), 999, 99)
    return {"spring": spring, "ferry": ferry}


def report(client, **params):
    with time_machine.travel(NOON, tick=False):
        response = client.get(REPORT_URL, params)
    assert response.status_code == 200
    return response


def table(response):
    """The report as text rows: the groups' cells, impressions, clicks, CTR."""
    result = response.context["report"]
    rows = [
        [*(text for text, _url in row["cells"]), row["impressions"], row["clicks"], row["ctr"]]
        for row in result.rows
    ]
    return rows, [result.impressions, result.clicks, result.ctr]


def test_report_by_creative_for_the_last_30_days_by_default(as_ad_manager, campaign):
    response = report(as_ad_manager)

    form = response.context["form"]
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (date(2025, 3, 2), TODAY)
    rows, totals = table(response)
    assert rows == [
        ["Ferry Line", "Ferry", 200, 1, "0.50%"],
        ["Harbour Bikes", "Spring sale", 1800, 25, "1.39%"],
    ]
    assert totals == [2000, 26, "1.30%"]
    html = response.content.decode()
    assert "Download CSV" in html
    assert "1.39%" in html
    assert reverse("admin:ads_creative_change", args=[campaign["spring"].pk]) in html
    assert "<tfoot>" in html
    assert "2000" in html.split("<tfoot>")[1]


def test_report_by_placement(as_ad_manager, campaign):
    rows, totals = table(report(as_ad_manager, group_by="placement"))

    assert rows == [
        ["Header leaderboard", 1500, 25, "1.67%"],
        ["Sidebar, top", 300, 0, "0.00%"],
        ["Footer", 200, 1, "0.50%"],
    ]
    assert totals == [2000, 26, "1.30%"]


def test_report_by_day_and_by_creative_and_day(as_ad_manager, campaign):
    rows, _totals = table(report(as_ad_manager, group_by="day"))
    assert rows == [
        ["2025-03-29", 200, 1, "0.50%"],
        ["2025-03-30", 800, 5, "0.63%"],
        ["2025-03-31", 1000, 20, "2.00%"],
    ]

    rows, totals = table(report(as_ad_manager, group_by="creative-day"))
    assert rows == [
        ["2025-03-29", "Ferry Line", "Ferry", 200, 1, "0.50%"],
        ["2025-03-30", "Harbour Bikes", "Spring sale", 800, 5, "0.63%"],
        ["2025-03-31", "Harbour Bikes", "Spring sale", 1000, 20, "2.00%"],
    ]
    assert totals == [2000, 26, "1.30%"]


def test_a_long_report_shows_its_first_rows_and_totals_every_row(
    monkeypatch, as_ad_manager, campaign
):
    # A year by creative and day is ~9,000 rows: the page shows the first, the CSV all.
    monkeypatch.setattr("ads.admin.REPORT_ROWS_SHOWN", 2)

    response = report(as_ad_manager, group_by="creative-day")

    rows, totals = table(response)
    assert rows == [
        ["2025-03-29", "Ferry Line", "Ferry", 200, 1, "0.50%"],
        ["2025-03-30", "Harbour Bikes", "Spring sale", 800, 5, "0.63%"],
    ]
    assert totals == [2000, 26, "1.30%"]
    assert "The first 2 of 3 rows; the CSV has them all" in response.content.decode()
    lines = csv_rows(report(as_ad_manager, group_by="creative-day", format="csv"))
    assert [line[0] for line in lines[1:]] == ["2025-03-29", "2025-03-30", "2025-03-31", "Total"]
    one_day = report(as_ad_manager, start="2025-03-30", end="2025-03-30")
    assert "The first" not in one_day.content.decode()


def test_report_keeps_to_the_date_range(as_ad_manager, campaign):
    rows, totals = table(report(as_ad_manager, start="2025-03-30", end="2025-03-30"))
    assert rows == [["Harbour Bikes", "Spring sale", 800, 5, "0.63%"]]
    assert totals == [800, 5, "0.63%"]

    rows, totals = table(report(as_ad_manager, start="2025-02-01", end="2025-02-28"))
    assert rows == [["Ferry Line", "Ferry", 999, 99, "9.91%"]]


class ReportTable(HTMLParser):
    """The report's table as the page shows it: the text of each row's cells, by part."""

    def __init__(self, html):
        super().__init__()
        self.parts = {"thead": [], "tbody": [], "tfoot": []}
        self.in_report = False
        self.part = self.cell = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.in_report = ("id", "ad-report") in attrs
        elif tag in self.parts and self.in_report:
            self.part = tag
        elif tag == "tr" and self.part:
            self.parts[self.part].append([])
        elif tag in ("th", "td") and self.part:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.parts[self.part][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag in self.parts:
            self.part = None
        elif tag == "table":
            self.in_report = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_report_shows_what_was_not_counted_and_why(as_ad_manager, client):
    creative = CreativeFactory(name="Spring sale", placements=["header-leaderboard"])
    header = placement("header-leaderboard")
    reader = {"REMOTE_ADDR": "203.0.113.5", "HTTP_USER_AGENT": "Mozilla/5.0 Firefox/126.0"}
    with time_machine.travel(NOON, tick=False):
        click = reverse("ads:click", args=[make_token(creative.pk, header.pk, salt=CLICK_SALT)])
        for _ in range(13):
            client.get(click, **reader)
        for bot in ("curl/8.5.0", "Googlebot/2.1", ""):
            client.get(click, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=bot)
        client.get(click, **reader, HTTP_SEC_FETCH_SITE="cross-site")

    response = report(as_ad_manager)

    [row] = response.context["report"].rows
    assert row["clicks"] == 1
    clicks_not_counted = "12 repeats, 3 bots, 1 cross-site"
    assert row["filtered_text"] == {"impressions": "—", "clicks": clicks_not_counted}
    page = ReportTable(response.content.decode()).parts
    assert page["thead"][0][-2:] == ["Impressions not counted", "Clicks not counted"]
    assert page["tbody"][0][2:] == ["0", "1", "—", "—", clicks_not_counted]
    assert page["tfoot"][0][1:] == ["0", "1", "—", "—", clicks_not_counted]
    rows = csv_rows(report(as_ad_manager, format="csv"))
    assert rows[0][5:] == NOT_COUNTED_HEADERS
    impressions_not_counted = ["0", "0", "0", "0"]
    assert rows[1][2:] == ["0", "1", "—", *impressions_not_counted, "12", "3", "1", "0"]
    assert rows[-1][2:] == ["0", "1", "—", *impressions_not_counted, "12", "3", "1", "0"]


def test_report_tells_impressions_not_counted_from_clicks_not_counted(as_ad_manager, client):
    clicked = CreativeFactory(name="Clicked", placements=["header-leaderboard"])
    seen = CreativeFactory(name="Seen", placements=["header-leaderboard"])
    header = placement("header-leaderboard")
    reader = {"REMOTE_ADDR": "203.0.113.5", "HTTP_USER_AGENT": "Mozilla/5.0 Firefox/126.0"}
    with time_machine.travel(NOON, tick=False):
        click = reverse("ads:click", args=[make_token(clicked.pk, header.pk, salt=CLICK_SALT)])
        for _ in range(3):
            client.get(click, **reader)
        beacon = reverse(
            "ads:impression", args=[make_token(seen.pk, header.pk, salt=IMPRESSION_SALT)]
        )
        for _ in range(4):
            client.post(beacon, **reader)
        client.post(beacon, **reader, HTTP_ORIGIN="https://evil.example")
        client.post(beacon, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="curl/8.5.0")
        seen_click = reverse("ads:click", args=[make_token(seen.pk, header.pk, salt=CLICK_SALT)])
        client.get(seen_click, **reader)

    response = report(as_ad_manager)

    page = ReportTable(response.content.decode()).parts
    assert [cells[1:] for cells in page["tbody"]] == [
        ["Clicked", "0", "1", "—", "—", "2 repeats"],
        ["Seen", "1", "1", "100.00%", "3 repeats, 1 bot, 1 cross-site", "—"],
    ]
    assert page["tfoot"][0][1:] == [
        "1", "2", "200.00%", "3 repeats, 1 bot, 1 cross-site", "2 repeats",
    ]  # fmt: skip
    assert response.context["report"].filtered == {
        "impressions": {"repeats": 3, "bots": 1, "cross_site": 1, "expired": 0},
        "clicks": {"repeats": 2, "bots": 0, "cross_site": 0, "expired": 0},
    }
    rows = csv_rows(report(as_ad_manager, format="csv"))
    assert [row[5:] for row in rows[1:]] == [
        ["0", "0", "0", "0", "2", "0", "0", "0"],
        ["3", "1", "1", "0", "0", "0", "0", "0"],
        ["3", "1", "1", "0", "2", "0", "0", "0"],
    ]


def test_report_shows_a_dash_for_ctr_without_impressions(as_ad_manager):
    creative = CreativeFactory(name="Clicked from a cached page")
    stat(creative, "header-leaderboard", TODAY, 0, 2)

    rows, totals = table(report(as_ad_manager))

    assert rows == [[creative.advertiser.name, creative.name, 0, 2, "—"]]
    assert totals == [0, 2, "—"]


def test_report_with_nothing_counted_has_an_empty_table_and_zero_totals(as_ad_manager):
    response = report(as_ad_manager)

    assert table(response) == ([], [0, 0, "—"])
    assert "No impressions or clicks were counted in this period." in response.content.decode()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2025-02-30"}, "start"),
        ({"end": "yesterday"}, "end"),
        ({"group_by": "advertiser"}, "group_by"),
        ({"start": "2025-03-31", "end": "2025-03-01"}, "__all__"),
    ],
)
def test_report_with_bad_parameters_shows_form_errors(as_ad_manager, campaign, params, field):
    response = report(as_ad_manager, **params)

    assert response.context["form"].errors[field]
    assert response.context["report"] is None
    assert "errorlist" in response.content.decode()

    response = report(as_ad_manager, format="csv", **params)
    assert response["Content-Type"].startswith("text/html")


def test_report_csv_has_a_header_the_rows_and_the_totals(as_ad_manager, campaign):
    response = report(as_ad_manager, group_by="placement", format="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)  # for Excel
    assert response["Content-Disposition"] == (
        'attachment; filename="ads-report-placement-2025-03-02-to-2025-03-31.csv"'
    )
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [
        ["Placement", "Impressions", "Clicks", "CTR", *NOT_COUNTED_HEADERS],
        ["Header leaderboard", "1500", "25", "1.67%", *NONE_NOT_COUNTED],
        ["Sidebar, top", "300", "0", "0.00%", *NONE_NOT_COUNTED],
        ["Footer", "200", "1", "0.50%", *NONE_NOT_COUNTED],
        ["Total", "2000", "26", "1.30%", *NONE_NOT_COUNTED],
    ]


def test_report_links_to_the_csv_of_the_same_report(as_ad_manager, campaign):
    response = report(as_ad_manager, start="2025-03-30", group_by="creative-day")

    csv_url = response.context["csv_url"]
    assert csv_url in response.content.decode().replace("&amp;", "&")
    response = report(as_ad_manager, **dict(p.split("=") for p in csv_url[1:].split("&")))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Day", "Advertiser", "Creative", "Impressions", "Clicks", "CTR",
                       *NOT_COUNTED_HEADERS]  # fmt: skip
    assert rows[-1] == ["Total", "", "", "1800", "25", "1.39%", *NONE_NOT_COUNTED]
    assert len(rows) == 4


def test_report_csv_defuses_spreadsheet_formulas(as_ad_manager):
    formula = '=HYPERLINK("https://evil.example/","Claim your prize")'
    creative = CreativeFactory(name=formula, advertiser=AdvertiserFactory(name="@SUM(A1:A9)"))
    stat(creative, "header-leaderboard", TODAY, 10, 1)

    response = report(as_ad_manager, format="csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["'@SUM(A1:A9)", "'" + formula, "10", "1", "10.00%", *NONE_NOT_COUNTED]
    assert formula in report(as_ad_manager).context["report"].rows[0]["cells"][1][0]


def test_report_runs_the_same_queries_for_3_or_30_creatives(as_ad_manager):
    placements = ["header-leaderboard", "footer"]

    def add_creatives(count):
        for creative in CreativeFactory.create_batch(count, placements=placements):
            for n in range(3):
                stat(creative, placements[n % 2], TODAY - timedelta(days=n), 100, n)

    add_creatives(3)
    with time_machine.travel(NOON, tick=False):
        few = {
            g: warm_count_queries(as_ad_manager, f"{REPORT_URL}?group_by={g}")
            for g in ("creative", "creative-day")
        }
        add_creatives(27)
        many = {
            g: warm_count_queries(as_ad_manager, f"{REPORT_URL}?group_by={g}")
            for g in ("creative", "creative-day")
        }
        assert len(as_ad_manager.get(REPORT_URL).context["report"].rows) == 30

    assert few == many


def test_stats_cannot_be_added_changed_or_deleted_in_the_admin(as_ad_manager):
    creative = CreativeFactory()
    row = stat(creative, "header-leaderboard", TODAY, 10, 1)

    assert as_ad_manager.get(reverse("admin:ads_dailystat_add")).status_code == 403
    change_url = reverse("admin:ads_dailystat_change", args=[row.pk])
    assert as_ad_manager.post(change_url, {"impressions": "99999"}).status_code == 403
    delete_url = reverse("admin:ads_dailystat_delete", args=[row.pk])
    assert as_ad_manager.post(delete_url, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.impressions == 10


def test_report_needs_the_view_permission(db):
    client = logged_in(UserFactory(username="staff-without-ads"))

    assert client.get(REPORT_URL).status_code == 403
    assert client.get(REPORT_URL, {"format": "csv"}).status_code == 403


# --- ads.txt ----------------------------------------------------------------------------

GOOD_ADS_TXT = """\
# ads.txt for the newsroom
contact=ads@newsroom.example
greenadexchange.com, 12345, DIRECT, d75815a79
blueadexchange.com, XF436, RESELLER   # via the agency

silverssp.com, 5569, direct, f496211; ext=1
OWNERDOMAIN=newsroom.example
managerdomain=agency.example,GB
"""


def ads_txt_change_url():
    return reverse("admin:ads_adstxt_change", args=[AdsTxt.objects.get().pk])


def test_ads_txt_list_goes_straight_to_the_one_row(as_ad_manager):
    response = as_ad_manager.get(ADS_TXT_URL)

    assert response.status_code == 302
    assert response["Location"] == ads_txt_change_url()


def test_ads_txt_can_be_neither_added_again_nor_deleted(as_ad_manager):
    assert as_ad_manager.get(reverse("admin:ads_adstxt_add")).status_code == 403
    delete_url = reverse("admin:ads_adstxt_delete", args=[AdsTxt.objects.get().pk])
    assert as_ad_manager.post(delete_url, {"post": "yes"}).status_code == 403
    assert AdsTxt.objects.count() == 1


def test_good_ads_txt_saves_and_is_served(as_ad_manager, client):
    response = as_ad_manager.post(ads_txt_change_url(), {"content": GOOD_ADS_TXT})

    assert response.status_code == 302, form_errors(response)
    assert AdsTxt.objects.get().content.replace("\r\n", "\n") == GOOD_ADS_TXT.strip()
    assert "greenadexchange.com, 12345, DIRECT" in client.get("/ads.txt").content.decode()


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ("greenadexchange.com, 12345, DIRCT", "Line 4: the third field must be DIRECT or RESELLER"),
        ("greenadexchange.com 12345 DIRECT", "Line 4: “greenadexchange.com 12345 DIRECT” is not"),
        ("green adexchange, 12345, DIRECT", "Line 4: “green adexchange” is not the domain name"),
        ("greenadexchange.com, , DIRECT", "Line 4: “” is not a publisher ID"),
        ("a.com, 1, DIRECT, abc-def!", "Line 4: “abc-def!” is not a certification authority ID"),
        ("contacts=ads@example.com", "Line 4: “contacts” is not an ads.txt variable"),
        ("subdomain=", "Line 4: “subdomain=” needs a value."),
        ("ownerdomain=not a domain", "Line 4: “not a domain” is not a domain name."),
    ],
)
def test_bad_ads_txt_line_is_named_in_the_error(as_ad_manager, bad_line, message):
    content = f"# ours\ncontact=ads@newsroom.example\n\n{bad_line}\ngood.example, 1, DIRECT\n"

    response = as_ad_manager.post(ads_txt_change_url(), {"content": content})

    assert response.status_code == 200
    [error] = form_errors(response)["content"]
    assert error.startswith(message), error
    assert AdsTxt.objects.get().content == ""


def test_every_bad_ads_txt_line_is_listed(as_ad_manager):
    content = "good.example, 1, DIRECT\nnonsense\ngood.example, 2, RESELLER\nmore nonsense\n"

    response = as_ad_manager.post(ads_txt_change_url(), {"content": content})

    errors = form_errors(response)["content"]
    assert [error.split(":")[0] for error in errors] == ["Line 2", "Line 4"]
