"""Ads on the site's pages: reserved space, isolation, where slots go, queries, caching."""

import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ads import services
from ads.models import Creative, Placement
from ads.placements import (
    ARTICLE_BOTTOM,
    ARTICLE_TOP,
    FOOTER,
    HEADER,
    IN_ARTICLE,
    LIST_INLINE,
    REGISTRY,
    SIDEBAR_BOTTOM,
    SIDEBAR_TOP,
)
from ads.selection import forget_candidates, live_ads
from ads.signing import CLICK_SALT, read_token
from ads.templatetags.ads import render_slot
from tests.factories import ArticleFactory, SectionFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

ALL_KEYS = {row[0] for row in REGISTRY}
SIDEBAR_AND_CHROME = {HEADER, SIDEBAR_TOP, SIDEBAR_BOTTOM, FOOTER}


class Elements(HTMLParser):
    """Every start tag of a page, in order, with its attributes (values unescaped)."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def find(self, tag, **attrs):
        return [
            found
            for name, found in self.elements
            if name == tag and all(found.get(key) == value for key, value in attrs.items())
        ]


def render_tag(source, **context):
    return Template("{% load ads %}" + source).render(Context(context))


def slot_keys(html):
    """The placement keys of the slots on a page, in order."""
    return re.findall(r'<aside class="ad-slot ad-slot--([a-z-]+)"', html)


@pytest.fixture
def every_placement_filled(make_creative):
    """One image creative per placement, each linking to its advertiser's own site."""
    return {
        key: make_creative([key], target_url=f"https://advertiser.example.com/{key}")
        for key in sorted(ALL_KEYS)
    }


def long_body(paragraphs=12):
    return "".join(f"<p>Paragraph {n} of the story.</p>" for n in range(1, paragraphs + 1))


# --- The slot's markup --------------------------------------------------------------------


def test_image_slot_reserves_the_placement_size_and_links_through_the_click_redirect(
    make_creative,
):
    creative = make_creative([HEADER], alt_text="Fresh loaves by the water")
    html = render_tag('{% ad_slot "header-leaderboard" page="home" %}')
    page = Elements(html)
    (aside,) = page.find("aside")
    assert "--ad-w: 728; --ad-h: 90; --ad-mw: 320; --ad-mh: 50" in aside["style"]
    assert '<p class="ad-slot__label">- Advertisement -</p>' in html
    (img,) = page.find("img", alt="Fresh loaves by the water")
    assert (img["width"], img["height"], img["loading"]) == ("728", "90", "lazy")
    assert img["src"] == creative.image.url
    (link,) = page.find("a")
    assert link["rel"] == "sponsored noopener"
    token = re.fullmatch(r"/ads/c/([^/]+)/", link["href"])[1]
    placement = Placement.objects.get(key=HEADER)
    assert read_token(token, salt=CLICK_SALT) == (creative.pk, placement.pk)
    assert creative.target_url not in html
    (box,) = page.find("div", **{"class": "ad-slot__box"})
    assert box["data-impression"].startswith("/ads/i/")
    (pixel,) = page.find("img", **{"class": "ad-slot__pixel"})
    assert pixel["src"] == box["data-impression"]


def test_slot_uses_the_wide_size_on_phones_when_no_mobile_size_is_set(make_creative):
    make_creative([SIDEBAR_TOP])
    html = render_tag('{% ad_slot "sidebar-top" %}')
    assert "--ad-w: 300; --ad-h: 250; --ad-mw: 300; --ad-mh: 250" in html
    (img,) = Elements(html).find("img", loading="lazy")
    assert (img["width"], img["height"]) == ("300", "250")


def test_slot_shows_the_placements_own_label(make_creative):
    make_creative([FOOTER])
    Placement.objects.filter(key=FOOTER).update(label="Sponsored <b>content</b>")
    html = render_tag('{% ad_slot "footer" %}')
    assert '<p class="ad-slot__label">Sponsored &lt;b&gt;content&lt;/b&gt;</p>' in html


def test_a_slot_is_rendered_once_for_the_same_ads_within_the_hour_its_tokens_name(
    make_creative,
):
    creative = make_creative([HEADER], alt_text="Fresh loaves by the water")
    first = render_slot(HEADER, page="home")
    assert render_slot(HEADER, page="home") is first  # kept, not rendered again
    assert render_slot(HEADER, page="home", ordinal=2) != first  # a landmark of its own
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        next_hour = render_slot(HEADER, page="home")
    assert next_hour != first  # tokens of the new hour
    assert without_tokens(next_hour) == without_tokens(first)
    Creative.objects.filter(pk=creative.pk).update(alt_text="Warm rolls at dawn")
    forget_candidates()  # as saving it through the admin does
    assert 'alt="Warm rolls at dawn"' in render_slot(HEADER, page="home")


def without_tokens(html):
    return re.sub(r"/ads/([ci])/[^/]+/", r"/ads/\1/…/", html)


def test_empty_placement_keeps_its_reserved_box():
    html = render_tag('{% ad_slot "sidebar-bottom" page="home" %}')
    page = Elements(html)
    (aside,) = page.find("aside")
    assert "--ad-w: 300; --ad-h: 600; --ad-mw: 300; --ad-mh: 250" in aside["style"]
    assert page.find("div", **{"class": "ad-slot__box"})
    assert not page.find("img") and not page.find("iframe") and not page.find("a")
    assert "data-impression" not in html


def test_empty_placement_that_collapses_renders_nothing(make_creative):
    Placement.objects.filter(key=SIDEBAR_BOTTOM).update(collapse_when_empty=True)
    assert render_tag('{% ad_slot "sidebar-bottom" %}').strip() == ""
    make_creative([SIDEBAR_BOTTOM])
    assert "ad-slot--sidebar-bottom" in render_tag('{% ad_slot "sidebar-bottom" %}')


def test_unknown_placement_renders_nothing():
    assert render_tag('{% ad_slot "no-such-placement" %}') == ""


def test_html_creative_runs_in_a_sandboxed_frame_without_same_origin(make_creative):
    snippet = '<div id="ad"></div><script src="/network.js"></script>'
    make_creative([SIDEBAR_TOP], kind="html", html=snippet)
    html = render_tag('{% ad_slot "sidebar-top" %}')
    page = Elements(html)
    (frame,) = page.find("iframe")
    assert frame["sandbox"] == "allow-scripts allow-popups allow-popups-to-escape-sandbox"
    assert "allow-same-origin" not in html
    assert frame["srcdoc"] == snippet
    assert "src" not in frame
    assert (frame["width"], frame["height"]) == ("300", "250")
    assert not page.find("script")  # the snippet's script exists only inside srcdoc
    assert not page.find("a")  # no click link around a snippet: it brings its own


def test_html_creative_cannot_break_out_of_srcdoc(make_creative):
    snippet = """"><script>alert(1)</script><img src=x onerror=alert(2)>'"""
    make_creative([SIDEBAR_TOP], kind="html", html=snippet)
    html = render_tag('{% ad_slot "sidebar-top" %}')
    assert "<script>alert(1)</script>" not in html
    assert '"><script>' not in html
    page = Elements(html)
    (frame,) = page.find("iframe")
    assert frame["srcdoc"] == snippet
    assert not page.find("script")
    assert not [attrs for tag, attrs in page.elements if "onerror" in attrs]
    tags = [tag for tag, _ in page.elements]
    assert tags == ["aside", "p", "div", "iframe", "noscript", "img"]  # img: the pixel


# --- Slots on the pages -------------------------------------------------------------------


def test_home_page_shows_its_slots_with_every_placement_filled(client, every_placement_filled):
    ArticleFactory()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert slot_keys(html) == [HEADER, LIST_INLINE, SIDEBAR_TOP, SIDEBAR_BOTTOM, FOOTER]
    assert html.count("data-impression=") == 5  # every slot filled


def test_article_page_shows_its_slots_and_in_article_slots_by_the_placement_rules(
    client, every_placement_filled
):
    placement = Placement.objects.get(key=IN_ARTICLE)
    assert (placement.after_paragraph, placement.repeat_every) == (3, 5)
    assert (placement.clear_of_end, placement.min_paragraphs) == (2, 6)
    article = ArticleFactory(body=long_body(12))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert set(slot_keys(html)) == ALL_KEYS - {LIST_INLINE}
    # After paragraph 3, then every 5 (8, 13...) while 2 paragraphs still follow: 3 and 8.
    sequence = re.findall(r"Paragraph (\d+) of|ad-slot--(in-article)", html)
    assert [number or "ad" for number, _ in sequence] == [
        "1", "2", "3", "ad", "4", "5", "6", "7", "8", "ad", "9", "10", "11", "12",
    ]  # fmt: skip
    assert slot_keys(html) == [
        HEADER, ARTICLE_TOP, IN_ARTICLE, IN_ARTICLE, ARTICLE_BOTTOM, SIDEBAR_TOP,
        SIDEBAR_BOTTOM, FOOTER,
    ]  # fmt: skip
    assert html.count("data-impression=") == 8  # every slot filled
    # Each landmark has a name of its own for screen readers.
    labels = re.findall(r'<aside class="ad-slot[^"]*" aria-label="([^"]+)"', html)
    assert len(labels) == len(set(labels)) == 8
    assert "Advertisement: Inside the article (2)" in labels


def test_short_article_gets_no_in_article_slot(client, every_placement_filled):
    article = ArticleFactory(body=long_body(5))
    html = client.get(article.get_absolute_url()).content.decode()
    assert IN_ARTICLE not in slot_keys(html)
    assert {ARTICLE_TOP, ARTICLE_BOTTOM} <= set(slot_keys(html))


def test_section_page_shows_a_list_slot_after_every_five_cards(client, every_placement_filled):
    city = SectionFactory(name="City")
    for n in range(12):
        ArticleFactory(section=city, published_at=timezone.now() - timedelta(hours=n + 1))
    response = client.get(city.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert set(slot_keys(html)) == SIDEBAR_AND_CHROME | {LIST_INLINE}
    sequence = re.findall(r'class="card__headline"|ad-slot--list-inline', html)
    cards = ['class="card__headline"']
    ad = ["ad-slot--list-inline"]
    assert sequence == cards * 5 + ad + cards * 5 + ad + cards * 2
    # Cards are headed h2 under the page's h1, and the two list slots are told apart.
    assert html.count('<h2 class="card__headline">') == 12
    labels = re.findall(r'aria-label="(Advertisement: [^"]+)"', html)
    assert len(labels) == len(set(labels)) == len(slot_keys(html))


def test_list_slot_never_follows_the_last_card(client, every_placement_filled):
    city = SectionFactory(name="City")
    for _ in range(10):
        ArticleFactory(section=city)
    html = client.get(city.get_absolute_url()).content.decode()
    assert slot_keys(html).count(LIST_INLINE) == 1


def test_section_targeted_ad_shows_only_on_its_sections_pages(client, make_creative):
    city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
    in_city = ArticleFactory(section=city)
    in_sport = ArticleFactory(section=sport)
    make_creative([SIDEBAR_TOP], sections=[city], alt_text="City-only offer")
    for url in (city.get_absolute_url(), in_city.get_absolute_url()):
        assert "City-only offer" in client.get(url).content.decode(), url
    for url in ("/", sport.get_absolute_url(), in_sport.get_absolute_url()):
        assert "City-only offer" not in client.get(url).content.decode(), url


def test_page_type_targeted_ad_shows_only_on_those_pages(client, make_creative):
    article = ArticleFactory()
    make_creative([HEADER], page_types=["article"], alt_text="Article-page offer")
    assert "Article-page offer" in client.get(article.get_absolute_url()).content.decode()
    for url in ("/", article.section.get_absolute_url(), "/search/?q=plan"):
        assert "Article-page offer" not in client.get(url).content.decode(), url


# --- Query counts -------------------------------------------------------------------------


def test_ads_add_no_queries_to_the_home_and_article_pages(client, newsroom, make_creative):
    article = ArticleFactory(section=newsroom["sections"][0], body=long_body(12))
    urls = ["/", article.get_absolute_url(), newsroom["sections"][0].get_absolute_url()]
    without_ads = {}
    for url in urls:
        client.get(url)  # warm process-wide caches, the live ads among them
        without_ads[url] = count_queries(client, url)
    for key in sorted(ALL_KEYS):
        make_creative([key])
    for url in urls:
        client.get(url)  # saving the creatives dropped the cached live ads
        with_ads = count_queries(client, url)
        assert with_ads == without_ads[url], url
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("data-impression=") == len(slot_keys(html)) == 8


def test_building_the_live_ads_costs_the_same_however_many_creatives(
    client, make_creative, django_assert_num_queries
):
    make_creative([SIDEBAR_TOP])
    with CaptureQueriesContext(connection) as few:
        live_ads()
    for key in sorted(ALL_KEYS):
        make_creative([key, FOOTER], sections=[SectionFactory(name=f"Section {key}")])
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        live_ads()
    assert len(many) == len(few)
    with django_assert_num_queries(0):
        live_ads()


# --- No third-party requests --------------------------------------------------------------


class Resources(Elements):
    """Every address a browser would fetch while loading the page."""

    FETCHED_LINKS = {
        "stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect",
        "dns-prefetch", "manifest", "apple-touch-icon",
    }  # fmt: skip

    def urls(self):
        for tag, attrs in self.elements:
            for name in ("src", "poster", "data", "background"):
                if attrs.get(name):
                    yield tag, attrs[name]
            if attrs.get("srcset"):
                for candidate in attrs["srcset"].split(","):
                    yield tag, candidate.split()[0]
            if tag == "link" and self.FETCHED_LINKS & set(attrs.get("rel", "").split()):
                yield tag, attrs["href"]
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs.get("style") or ""):
                yield tag, url


def is_same_origin(url):
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return parts.scheme in ("http", "https") and parts.netloc == "testserver"
    return True


def test_pages_fetch_nothing_from_third_party_hosts(client, newsroom, every_placement_filled):
    article = newsroom["articles"][0]
    article.body = long_body(12)
    article.save()
    pages = {
        "home": ("/", 200),
        "article": (article.get_absolute_url(), 200),
        "section": (article.section.get_absolute_url(), 200),
        "search": ("/search/?q=council", 200),
        "not found": ("/no-such-section/", 404),
    }
    for name, (url, status) in pages.items():
        response = client.get(url)
        assert response.status_code == status, name
        html = response.content.decode()
        resources = list(Resources(html).urls())
        assert any(tag == "script" for tag, _ in resources), name  # the parser saw them
        assert any(tag == "link" for tag, _ in resources), name
        foreign = [(tag, url) for tag, url in resources if not is_same_origin(url)]
        assert foreign == [], name
        assert "<style" not in html or "url(http" not in html, name
        # Ads link through the counting redirect, never straight to the advertiser.
        assert "advertiser.example.com" not in html, name
        page = Elements(html)
        ad_links = [a["href"] for a in page.find("a", rel="sponsored noopener")]
        assert ad_links, name
        assert all(href.startswith("/ads/c/") for href in ad_links), name


# --- The page cache -----------------------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.usefixtures("midday")
def test_saving_a_creative_refreshes_cached_pages(
    client, page_cache_on, make_creative, ad_manager, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    creative = make_creative([HEADER], alt_text="Spring sale")
    for url in ("/", article.get_absolute_url()):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    creative.alt_text = "Summer sale"
    with django_capture_on_commit_callbacks(execute=True):
        services.creative_save(creative=creative, by=ad_manager)
    for url in ("/", article.get_absolute_url()):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Summer sale" in response.content.decode()
        assert "Spring sale" not in response.content.decode()


@pytest.mark.usefixtures("midday")
def test_switching_off_a_creative_takes_it_off_cached_pages(
    client, page_cache_on, make_creative, django_capture_on_commit_callbacks
):
    creative = make_creative([HEADER], alt_text="Spring sale")
    assert "Spring sale" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    creative.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        creative.save()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Spring sale" not in response.content.decode()


@pytest.mark.usefixtures("midday")
def test_scheduled_ad_reaches_cached_pages_exactly_when_it_starts(
    client, page_cache_on, make_creative
):
    ArticleFactory()
    start = timezone.now() + timedelta(minutes=5)
    make_creative([HEADER], alt_text="Summer sailings", starts_at=start)
    assert "Summer sailings" not in client.get("/").content.decode()
    with time_machine.travel(start - timedelta(seconds=10), tick=False):
        assert client.get("/")["X-Page-Cache"] == "hit"
        client.get("/latest/")  # other traffic keeps the live ads cached meanwhile
    # Half a second in, the live ads cached at start - 10 s must be gone already. (At the
    # very instant, the page cache's locmem entry for the ended generation outlives its
    # end by the microseconds it took to store it, and is reused: see the report.)
    with time_machine.travel(start + timedelta(milliseconds=500), tick=False):
        response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Summer sailings" in response.content.decode()


@pytest.mark.usefixtures("midday")
def test_ended_ad_leaves_cached_pages_exactly_when_it_ends(client, page_cache_on, make_creative):
    end = timezone.now() + timedelta(minutes=5)
    make_creative([HEADER], alt_text="Winter fares", ends_at=end)
    make_creative([HEADER], alt_text="Subscribe today", priority=Creative.Priority.HOUSE)
    assert "Winter fares" in client.get("/").content.decode()
    with time_machine.travel(end - timedelta(seconds=10), tick=False):
        assert client.get("/")["X-Page-Cache"] == "hit"
        client.get("/latest/")
    with time_machine.travel(end + timedelta(milliseconds=500), tick=False):
        html = client.get("/").content.decode()
    assert "Winter fares" not in html
    assert "Subscribe today" in html


@pytest.mark.usefixtures("midday")
def test_cached_page_carries_working_ad_links(client, page_cache_on, make_creative):
    creative = make_creative([HEADER], target_url="https://bakery.example.com/spring")
    client.get("/")
    cached = client.get("/")
    assert cached["X-Page-Cache"] == "hit"
    (link,) = Elements(cached.content.decode()).find("a", rel="sponsored noopener")
    response = client.get(unescape(link["href"]), HTTP_USER_AGENT="Mozilla/5.0 Firefox/126.0")
    assert response.status_code == 302
    assert response["Location"] == creative.target_url
