"""The click redirect, the impression beacon and pixel, and /ads.txt."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from ads.models import AdsTxt, DailyStat, Placement
from ads.signing import CLICK_SALT, IMPRESSION_SALT, make_token
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0 Safari/537.36"
)
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.5.0",
    "",
]


@pytest.fixture
def creative(make_creative):
    return make_creative(["sidebar-top"], target_url="https://bakery.example.com/spring")


@pytest.fixture
def placement():
    return Placement.objects.get(key="sidebar-top")


def click_url(creative, placement, salt=CLICK_SALT):
    return reverse("ads:click", args=[make_token(creative.pk, placement.pk, salt=salt)])


def impression_url(creative, placement, salt=IMPRESSION_SALT):
    return reverse("ads:impression", args=[make_token(creative.pk, placement.pk, salt=salt)])


def counts(creative, placement):
    """(impressions, clicks) of today, in the site's time zone."""
    stat = DailyStat.objects.filter(
        creative=creative, placement=placement, date=timezone.localdate()
    ).first()
    return (stat.impressions, stat.clicks) if stat else (0, 0)


def not_counted(creative, placement):
    """Today's impressions and clicks filtered out, by kind and why (only those seen):
    {"clicks": {"repeats": 19}}."""
    stat = DailyStat.objects.filter(
        creative=creative, placement=placement, date=timezone.localdate()
    ).first()
    found = {}
    for kind in ("impressions", "clicks"):
        for reason in ("repeats", "bots", "cross_site", "expired"):
            if n := getattr(stat, f"{kind}_filtered_{reason}", 0):
                found.setdefault(kind, {})[reason] = n
    return found


def tamper(token):
    """The same token with one character of its signature changed."""
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


# --- Clicks -------------------------------------------------------------------------------


def test_click_is_counted_and_redirects_to_the_creatives_own_address(client, creative, placement):
    response = client.get(click_url(creative, placement), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "https://bakery.example.com/spring"
    assert counts(creative, placement) == (0, 1)
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_click_counts_on_the_site_day_not_the_utc_day(client, creative, placement, settings):
    assert settings.TIME_ZONE == "Europe/London"
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time).
    with time_machine.travel(datetime(2025, 7, 1, 23, 30, tzinfo=UTC), tick=False):
        client.get(click_url(creative, placement), HTTP_USER_AGENT=BROWSER)
    stat = DailyStat.objects.get(creative=creative, placement=placement)
    assert (stat.date, stat.clicks, stat.impressions) == (date(2025, 7, 2), 1, 0)


def test_twenty_clicks_of_one_link_from_one_client_count_once(client, creative, placement):
    url = click_url(creative, placement)
    for _ in range(20):
        response = client.get(url, REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT=BROWSER)
        assert response["Location"] == "https://bakery.example.com/spring"  # every time
    assert counts(creative, placement) == (0, 1)
    assert not_counted(creative, placement) == {"clicks": {"repeats": 19}}


def test_clicks_from_different_clients_each_count(client, creative, placement):
    for address in ("203.0.113.5", "203.0.113.6", "2001:db8:1::5"):
        client.get(click_url(creative, placement), REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)
    assert counts(creative, placement) == (0, 3)


@pytest.mark.usefixtures("midday")
def test_a_click_counts_again_after_half_an_hour(client, creative, placement):
    url = click_url(creative, placement)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(url, HTTP_USER_AGENT=BROWSER)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        client.get(url, HTTP_USER_AGENT=BROWSER)
    assert counts(creative, placement) == (0, 2)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "https://evil.example/clickfarm.html"},
    ],
)
def test_a_click_from_another_sites_page_goes_through_uncounted(
    client, creative, placement, headers
):
    response = client.get(click_url(creative, placement), HTTP_USER_AGENT=BROWSER, **headers)
    assert response.status_code == 302
    assert response["Location"] == "https://bakery.example.com/spring"
    assert counts(creative, placement) == (0, 0)
    assert not_counted(creative, placement) == {"clicks": {"cross_site": 1}}


def test_a_click_from_our_own_page_counts(client, creative, placement):
    client.get(
        click_url(creative, placement),
        HTTP_USER_AGENT=BROWSER,
        HTTP_SEC_FETCH_SITE="same-origin",
        HTTP_REFERER="http://testserver/news/2025/03/12/harbour/",
    )
    assert counts(creative, placement) == (0, 1)


def test_tampered_click_token_is_refused_and_not_counted(client, creative, placement):
    token = make_token(creative.pk, placement.pk, salt=CLICK_SALT)
    response = client.get(reverse("ads:click", args=[tamper(token)]), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


def test_click_token_with_an_edited_payload_is_refused(client, make_creative, placement):
    mine = make_creative(["sidebar-top"], target_url="https://bakery.example.com/")
    other = make_creative(["sidebar-top"], target_url="https://other.example.com/")
    token = make_token(mine.pk, placement.pk, salt=CLICK_SALT)
    forged_payload = make_token(other.pk, placement.pk, salt=CLICK_SALT).split(":")[0]
    forged = ":".join([forged_payload, *token.split(":")[1:]])
    response = client.get(reverse("ads:click", args=[forged]), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        ["https://evil.example/", 1, 1],
        {"url": "https://evil.example/"},
        "https://evil.example/",
        [1],
        [1, 2],
        [1, 2, 3, 4],
    ],
)
def test_signed_tokens_that_are_not_a_creative_and_placement_are_refused(client, creative, payload):
    token = signing.Signer(salt=CLICK_SALT).sign_object(payload)
    response = client.get(reverse("ads:click", args=[token]), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


def test_tokens_signed_in_another_format_are_refused(client, creative, placement):
    token = signing.dumps([creative.pk, placement.pk], salt=CLICK_SALT)
    response = client.get(reverse("ads:click", args=[token]), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


def test_tokens_stay_the_same_within_the_hour_so_pages_keep_their_etag(creative, placement):
    with time_machine.travel("2026-03-02 10:00:05+00:00", tick=False):
        first = make_token(creative.pk, placement.pk, salt=CLICK_SALT)
    with time_machine.travel("2026-03-02 10:59:55+00:00", tick=False):
        assert make_token(creative.pk, placement.pk, salt=CLICK_SALT) == first
    with time_machine.travel("2026-03-02 11:00:05+00:00", tick=False):
        assert make_token(creative.pk, placement.pk, salt=CLICK_SALT) != first


def test_click_never_goes_anywhere_but_the_stored_address(client, creative, placement):
    url = click_url(creative, placement)
    for query in ("?next=https://evil.example", "?url=//evil.example", "?to=javascript:alert(1)"):
        response = client.get(url + query, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 302
        assert response["Location"] == "https://bakery.example.com/spring"


def test_click_token_signed_with_another_salt_is_refused(client, creative, placement):
    # An impression token (or any other signed value of the site) is not a click token.
    response = client.get(
        click_url(creative, placement, salt=IMPRESSION_SALT), HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 404
    forged = signing.dumps([creative.pk, placement.pk], salt="articles.preview")
    response = client.get(reverse("ads:click", args=[forged]), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


def test_click_token_signed_with_another_key_is_refused(client, creative, placement):
    token = signing.dumps([creative.pk, placement.pk], key="not-our-secret", salt=CLICK_SALT)
    response = client.get(reverse("ads:click", args=[token]), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


def test_click_for_a_deleted_creative_is_404(client, creative, placement):
    url = click_url(creative, placement)
    creative.delete()
    response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


def test_click_for_an_html_creative_without_address_is_404(client, make_creative, placement):
    snippet = make_creative(["sidebar-top"], kind="html")
    response = client.get(click_url(snippet, placement), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert not DailyStat.objects.exists()


def test_expired_click_token_still_redirects_but_is_not_counted(client, creative, placement):
    url = click_url(creative, placement)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
        assert not_counted(creative, placement) == {"clicks": {"expired": 1}}
    assert response.status_code == 302
    assert response["Location"] == "https://bakery.example.com/spring"
    assert counts(creative, placement) == (0, 0)


def test_click_token_within_seven_days_is_counted(client, creative, placement):
    url = click_url(creative, placement)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 302
        assert counts(creative, placement) == (0, 1)


def test_click_goes_to_the_address_as_it_is_now(client, creative, placement):
    url = click_url(creative, placement)
    creative.target_url = "https://bakery.example.com/summer"
    creative.save()
    assert client.get(url, HTTP_USER_AGENT=BROWSER)["Location"] == (
        "https://bakery.example.com/summer"
    )


@pytest.mark.parametrize("user_agent", BOTS)
def test_bot_clicks_are_redirected_but_not_counted(client, creative, placement, user_agent):
    response = client.get(click_url(creative, placement), HTTP_USER_AGENT=user_agent)
    assert response.status_code == 302
    assert response["Location"] == "https://bakery.example.com/spring"
    assert counts(creative, placement) == (0, 0)
    assert not_counted(creative, placement) == {"clicks": {"bots": 1}}


def test_click_without_user_agent_header_is_not_counted(client, creative, placement):
    response = client.get(click_url(creative, placement))
    assert response.status_code == 302
    assert counts(creative, placement) == (0, 0)


def test_click_redirect_answers_only_get(client, creative, placement):
    assert client.post(click_url(creative, placement)).status_code == 405


# --- Impressions --------------------------------------------------------------------------


def test_impression_beacon_is_counted(client, creative, placement):
    response = client.post(impression_url(creative, placement), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204
    assert response.content == b""
    assert counts(creative, placement) == (1, 0)


def test_impression_beacon_needs_no_csrf_token(creative, placement):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(impression_url(creative, placement), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204
    assert counts(creative, placement) == (1, 0)


def test_impression_pixel_is_a_gif_and_is_counted(client, creative, placement):
    response = client.get(impression_url(creative, placement), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert "no-cache" in response["Cache-Control"]
    assert counts(creative, placement) == (1, 0)


@pytest.mark.usefixtures("midday")
def test_same_viewer_counts_once_within_thirty_minutes(client, creative, placement):
    url = impression_url(creative, placement)
    viewer = {"REMOTE_ADDR": "203.0.113.5", "HTTP_USER_AGENT": BROWSER}
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.post(url, **viewer).status_code == 204
        assert client.get(url, **viewer).status_code == 200  # the pixel too
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.post(url, **viewer).status_code == 204
    assert counts(creative, placement) == (1, 0)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        client.post(url, **viewer)
    assert counts(creative, placement) == (2, 0)


def test_different_viewers_count_separately(client, creative, placement):
    url = impression_url(creative, placement)
    client.post(url, REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT=BROWSER)
    client.post(url, REMOTE_ADDR="203.0.113.6", HTTP_USER_AGENT=BROWSER)
    client.post(url, REMOTE_ADDR="2001:db8:1::5", HTTP_USER_AGENT=BROWSER)
    client.post(url, REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT=BROWSER)  # seen already
    assert counts(creative, placement) == (3, 0)


def test_twenty_impressions_varying_the_user_agent_count_once(client, creative, placement):
    url = impression_url(creative, placement)
    for n in range(20):
        user_agent = f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/{100 + n}.0"
        assert (
            client.post(url, REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT=user_agent).status_code
            == 204
        )
    assert counts(creative, placement) == (1, 0)
    assert not_counted(creative, placement) == {"impressions": {"repeats": 19}}


def test_behind_the_proxy_a_forged_forwarded_for_makes_no_new_reader(
    client, settings, creative, placement
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = impression_url(creative, placement)
    for n in range(20):
        # What the reader sent, then the address nginx appends: the one believed.
        forwarded = f"198.51.100.{n}, 203.0.113.5"
        client.post(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded,
                    HTTP_USER_AGENT=f"{BROWSER} {n}")  # fmt: skip
    assert counts(creative, placement) == (1, 0)


def test_one_ipv6_subscriber_changing_address_in_its_64_counts_once(client, creative, placement):
    url = impression_url(creative, placement)
    for n in range(1, 6):
        client.post(url, REMOTE_ADDR=f"2001:db8:1:2::{n}", HTTP_USER_AGENT=BROWSER)
    assert counts(creative, placement) == (1, 0)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "https://evil.example/page.html"},
    ],
)
def test_a_beacon_from_another_site_is_refused_and_not_counted(
    client, creative, placement, headers
):
    url = impression_url(creative, placement)
    assert client.post(url, HTTP_USER_AGENT=BROWSER, **headers).status_code == 403
    assert client.get(url, HTTP_USER_AGENT=BROWSER, **headers).status_code == 403  # the pixel
    assert counts(creative, placement) == (0, 0)
    assert not_counted(creative, placement) == {"impressions": {"cross_site": 2}}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver/news/2025/03/12/harbour/"},
        {"HTTP_ORIGIN": "https://www.newsroom.example"},  # CSRF_TRUSTED_ORIGINS
    ],
)
def test_a_beacon_from_our_own_pages_counts(client, settings, creative, placement, headers):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.newsroom.example"]
    assert (
        client.post(
            impression_url(creative, placement), HTTP_USER_AGENT=BROWSER, **headers
        ).status_code
        == 204
    )
    assert counts(creative, placement) == (1, 0)


def test_same_viewer_counts_once_per_creative_and_placement(
    client, make_creative, creative, placement
):
    other = make_creative(["sidebar-top", "footer"])
    footer = Placement.objects.get(key="footer")
    viewer = {"REMOTE_ADDR": "203.0.113.5", "HTTP_USER_AGENT": BROWSER}
    client.post(impression_url(creative, placement), **viewer)
    client.post(impression_url(other, placement), **viewer)
    client.post(impression_url(other, footer), **viewer)
    assert counts(creative, placement) == (1, 0)
    assert counts(other, placement) == (1, 0)
    assert counts(other, footer) == (1, 0)


@pytest.mark.parametrize("user_agent", BOTS)
def test_bot_impressions_are_not_counted(client, creative, placement, user_agent):
    url = impression_url(creative, placement)
    assert client.post(url, HTTP_USER_AGENT=user_agent).status_code == 204
    assert client.get(url, HTTP_USER_AGENT=user_agent)["Content-Type"] == "image/gif"
    assert counts(creative, placement) == (0, 0)
    assert not_counted(creative, placement) == {"impressions": {"bots": 2}}


def test_bad_impression_token_is_400_for_the_beacon_and_404_for_the_pixel(
    client, creative, placement
):
    tampered = reverse(
        "ads:impression",
        args=[tamper(make_token(creative.pk, placement.pk, salt=IMPRESSION_SALT))],
    )
    click_token = impression_url(creative, placement, salt=CLICK_SALT)
    for url in (tampered, click_token, reverse("ads:impression", args=["nonsense"])):
        assert client.post(url, HTTP_USER_AGENT=BROWSER).status_code == 400
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 404
    assert not DailyStat.objects.exists()


def test_expired_impression_token_is_not_counted(client, creative, placement):
    url = impression_url(creative, placement)
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        assert client.post(url, HTTP_USER_AGENT=BROWSER).status_code == 400
        assert counts(creative, placement) == (0, 0)
        assert not_counted(creative, placement) == {"impressions": {"expired": 1}}


def test_impression_for_a_deleted_creative_is_not_counted(client, creative, placement):
    url = impression_url(creative, placement)
    creative.delete()
    assert client.post(url, HTTP_USER_AGENT=BROWSER).status_code == 204
    assert not DailyStat.objects.exists()


@pytest.mark.usefixtures("midday")
def test_impressions_count_when_the_page_came_from_the_page_cache(client, settings, make_creative):
    settings.PAGE_CACHE_SECONDS = 600
    article = ArticleFactory(body="<p>One.</p><p>Two.</p>")
    creative = make_creative(["article-top"])
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    beacon = re.search(r'data-impression="(/ads/i/[^"]+/)"', cached.content.decode())
    assert beacon is not None
    # Counting is done by the beacon, so a page served without rendering still counts.
    response = client.post(beacon[1], HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 204
    assert counts(creative, Placement.objects.get(key="article-top")) == (1, 0)


def test_impression_pixel_is_never_served_from_the_page_cache(
    client, settings, creative, placement
):
    settings.PAGE_CACHE_SECONDS = 600
    url = impression_url(creative, placement)
    for address in ("203.0.113.5", "203.0.113.6"):
        response = client.get(url, REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)
        assert response["X-Page-Cache"] == "miss"
    assert counts(creative, placement) == (2, 0)


# --- ads.txt ------------------------------------------------------------------------------


def test_ads_txt_serves_the_admin_edited_lines_as_plain_text(client):
    lines = (
        "example-exchange.com, pub-123, DIRECT, f08c47fec0942fa0\n"
        "reseller.example.net, 4567, RESELLER"
    )
    assert AdsTxt.objects.filter(pk=1).update(content=lines) == 1
    response = client.get("/ads.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == lines + "\n"


def test_ads_txt_is_empty_when_blank(client):
    assert AdsTxt.objects.filter(pk=1).update(content="   \n") == 1
    response = client.get("/ads.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b""


def test_ads_txt_row_comes_from_the_migration(client):
    assert AdsTxt.objects.get(pk=1).content == ""
    assert client.get("/ads.txt").content == b""
