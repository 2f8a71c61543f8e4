"""Ads in a real browser: with every placement filled the page never moves (cumulative
layout shift, from Chromium's Layout Instability API, is 0), each slot has its
placement's size, impressions are counted once seen and clicks on the way out."""

import pytest
from django.core.cache import cache

from ads.models import Creative, DailyStat, Placement
from ads.placements import ARTICLE_TOP, FOOTER, HEADER, IN_ARTICLE, LIST_INLINE, SIDEBAR_TOP
from ads.signing import CLICK_SALT, IMPRESSION_SALT, read_token
from tests import factories

from .conftest import photo_stories

PHONE = {"width": 390, "height": 844}  # below the 48em at which slots take their wide size

# Sums every layout shift not caused by the reader's input, from the first paint on
# (buffered), and keeps what moved, from where to where, for the failure message.
MEASURE_LAYOUT_SHIFT = """
window.__cls = 0;
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    window.__shifts.push({
      value: entry.value,
      at: Math.round(entry.startTime),
      moved: entry.sources.map((source) => ({
        node: source.node
          ? (source.node.outerHTML || source.node.textContent || "").slice(0, 120)
          : "(removed node)",
        from: [source.previousRect.x, source.previousRect.y,
               source.previousRect.width, source.previousRect.height],
        to: [source.currentRect.x, source.currentRect.y,
             source.currentRect.width, source.currentRect.height],
      })),
      viewport: [innerWidth, innerHeight, scrollY],
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# Notes when each beacon leaves, in milliseconds since the page started loading.
# The ads' beacons only (a story's page sends its view beacon for Most read too).
RECORD_BEACONS = """
window.__beacons = [];
const sendBeacon = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = (url, data) => {
  const path = new URL(url, location.href).pathname;
  if (path.startsWith("/ads/i/")) {
    window.__beacons.push({ url: path, at: performance.now() });
  }
  return sendBeacon(url, data);
};
"""

# Down the page half a screen at a time and back up, pausing at each step so that
# lazy images load while they are on screen, where a shift would count.
SCROLL_THROUGH = """
async () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 60));
  const step = Math.round(innerHeight / 2);
  const bottom = () => document.documentElement.scrollHeight - innerHeight;
  while (scrollY < bottom()) { scrollBy(0, step); await pause(); }
  await pause();
  while (scrollY > 0) { scrollBy(0, -step); await pause(); }
  await pause();
}
"""

# What each slot on the page looks like: its placement, its box, its image.
SLOTS = """
() => [...document.querySelectorAll(".ad-slot")].map((slot) => {
  const key = [...slot.classList].find((c) => c.startsWith("ad-slot--")).slice(9);
  const box = slot.querySelector(".ad-slot__box").getBoundingClientRect();
  const img = slot.querySelector(".ad-slot__box img:not(.ad-slot__pixel)");
  const imgBox = img && img.getBoundingClientRect();
  return {
    key,
    box: [box.width, box.height],
    img: img && [imgBox.width, imgBox.height],
    loaded: img ? img.complete && img.naturalWidth > 0 : null,
    lazy: img ? img.loading === "lazy" : null,
    counts_impressions: slot.querySelector(".ad-slot__box").hasAttribute("data-impression"),
  };
})
"""

# The slots that count impressions, split by whether at least half of each is on screen.
SLOT_VISIBILITY = """
() => {
  const visible = [], hidden = [];
  for (const box of document.querySelectorAll(".ad-slot__box[data-impression]")) {
    const r = box.getBoundingClientRect();
    const across = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
    const down = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
    const key = [...box.parentElement.classList].find((c) => c.startsWith("ad-slot--")).slice(9);
    const share = (across * down) / (r.width * r.height);
    (share >= 0.5 ? visible : hidden).push([key, box.dataset.impression, share]);
  }
  return [visible, hidden];
}
"""

# An ad that arrives late, as a slow ad server's would: the slots' images are hidden
# until the page has been painted, then shown. With UNRESERVED, the slots also lose the
# space they reserve (the control: then the page must be seen to move). Constructed
# style sheets, because the site's Content-Security-Policy refuses <style> elements.
ARRIVE_LATE = """
document.addEventListener("DOMContentLoaded", () => {
  const sheet = (css) => { const s = new CSSStyleSheet(); s.replaceSync(css); return s; };
  const hide = sheet(".ad-slot__box img:not(.ad-slot__pixel) { display: none; }");
  const unreserve = sheet(".ad-slot__box, .ad-slot__box img { aspect-ratio: auto !important; }");
  document.adoptedStyleSheets = window.UNRESERVED ? [hide, unreserve] : [hide];
  // Two frames: the page has been painted. Then a little later, the ads arrive.
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== hide);
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__arrived = true; }));
  }, 200)));
});
"""


@pytest.fixture
def filled_site(live_server):
    """A section with seven photo stories (a list page long enough for an inline slot),
    one of them long enough for two in-article slots, a live story with twelve entries
    (an ad after the 5th and the 10th), and the demo ads in every placement.
    """
    site = photo_stories(7)
    live = factories.ArticleFactory(
        headline="Harbour regatta live", section=site["section"], coverage="live"
    )
    factories.LiveEntryFactory(article=live, title="Course changes", is_pinned=True)
    factories.LiveEntryFactory.create_batch(12, article=live)
    return {**site, "live": live}


def visit(page, path):
    """Open the page, scroll through it, let everything load: its layout shift and slots.

    The page must measure layout shift (MEASURE_LAYOUT_SHIFT added once, before).
    """
    page.goto(path)
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_load_state("networkidle")
    images = page.eval_on_selector_all(
        "img:not(.ad-slot__pixel)",
        "nodes => nodes.map(n => [n.currentSrc, n.complete && n.naturalWidth > 0])",
    )
    # Every image, the lazy ones included, came from the live server (/media/ too).
    assert images and all(loaded for _src, loaded in images), images
    return page.evaluate("[window.__cls, window.__shifts]"), page.evaluate(SLOTS)


def assert_styled(page):
    """site.css applied: the sans stack on the body, the serif one on headings."""
    fonts = page.evaluate(
        "[document.body, document.querySelector('h1')].map(n => getComputedStyle(n).fontFamily)"
    )
    assert fonts[0].startswith("system-ui") and fonts[1].startswith("Georgia"), fonts


def expected_size(placement, *, phone):
    if phone:
        return [
            placement.mobile_width or placement.width,
            placement.mobile_height or placement.height,
        ]
    return [placement.width, placement.height]


def ids(url, salt):
    """(creative id, placement id) from a click or impression URL."""
    return tuple(read_token(url.rstrip("/").rsplit("/", 1)[-1], salt=salt))


@pytest.fixture
def stats(between_requests):
    """Today's counts, read between the live server's requests:
    {(creative id, placement id): (impressions, clicks)}"""

    def read():
        with between_requests:
            return {
                (row.creative_id, row.placement_id): (row.impressions, row.clicks)
                for row in DailyStat.objects.all()
            }

    return read


def wait_for(predicate, *, page, message, timeout_ms=5000):
    """Poll (the database, or the page) while the browser and the live server get on
    with it. (Not page.wait_for_function: it evaluates its expression with eval() in the
    page, which the site's Content-Security-Policy rightly forbids.)"""
    for _ in range(timeout_ms // 50):
        if predicate():
            return
        page.wait_for_timeout(50)
    assert predicate(), f"timed out waiting for {message}"


def wait_in_page(page, expression):
    wait_for(lambda: page.evaluate(expression), page=page, message=expression)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_filled_placements_keep_their_size_and_the_page_never_shifts(
    make_page, filled_site, viewport
):
    phone = viewport == "phone"
    page = make_page(viewport=PHONE) if phone else make_page()
    page.add_init_script(MEASURE_LAYOUT_SHIFT)
    placements = {p.key: p for p in Placement.objects.all()}
    article, section = filled_site["article"], filled_site["section"]
    live = filled_site["live"].get_absolute_url()
    seen = []
    for path in (article.get_absolute_url(), "/", section.get_absolute_url(), live):
        (cls, shifts), slots = visit(page, path)
        assert_styled(page)
        assert cls == 0, f"{path}: the layout shifted by {cls}: {shifts}"
        for slot in slots:
            assert slot["lazy"], (path, slot)
            size = expected_size(placements[slot["key"]], phone=phone)
            assert slot["box"] == pytest.approx(size, abs=0.5), (path, slot)
            assert slot["img"] == pytest.approx(size, abs=0.5), (path, slot)
            assert slot["loaded"], (path, slot)
        seen += [(path, slot["key"]) for slot in slots]
    assert {key for _path, key in seen} == set(placements), "every placement was on a page"
    assert seen.count((article.get_absolute_url(), IN_ARTICLE)) == 2  # after ¶3 and ¶8 of 14
    assert (section.get_absolute_url(), LIST_INLINE) in seen
    assert seen.count((live, IN_ARTICLE)) == 2  # after the 5th and the 10th entry of 12


def test_an_ad_arriving_after_the_first_paint_moves_nothing_because_its_space_is_reserved(
    make_page, filled_site
):
    """The control, the same page with no space reserved, shows that the measurement does
    see shifts: a CLS of 0 is not merely an observer that never reported."""
    measured = {}
    for reserved in (True, False):
        page = make_page()
        page.add_init_script(MEASURE_LAYOUT_SHIFT)
        page.add_init_script(f"window.UNRESERVED = {'false' if reserved else 'true'};")
        page.add_init_script(ARRIVE_LATE)
        page.goto(filled_site["article"].get_absolute_url())
        wait_in_page(page, "window.__arrived === true")
        measured[reserved] = page.evaluate("[window.__cls, window.__shifts]")
    assert measured[True][0] == 0, measured[True]
    assert measured[False][0] > 0.05, measured[False]


def test_an_empty_placement_still_reserves_its_space(page, filled_site):
    placement = Placement.objects.get(key=SIDEBAR_TOP)
    assert not placement.collapse_when_empty
    Creative.objects.filter(placements=placement).delete()
    page.add_init_script(MEASURE_LAYOUT_SHIFT)

    (cls, shifts), slots = visit(page, filled_site["article"].get_absolute_url())

    assert cls == 0, shifts
    (empty,) = [slot for slot in slots if slot["key"] == SIDEBAR_TOP]
    assert empty["img"] is None and not empty["counts_impressions"]
    assert empty["box"] == [placement.width, placement.height]
    label = page.locator(".ad-slot--sidebar-top .ad-slot__label")
    assert label.text_content() == placement.label


def test_an_impression_counts_once_the_slot_was_half_visible_for_a_second(page, filled_site, stats):
    page.add_init_script(RECORD_BEACONS)
    beacons = []
    page.on(
        "requestfinished",
        lambda request: (
            beacons.append(request.url)
            if "/ads/i/" in request.url and request.method == "POST"
            else None
        ),
    )
    # The script starts its one-second timers when the document is parsed: look then.
    page.goto(filled_site["article"].get_absolute_url(), wait_until="domcontentloaded")
    visible, hidden = page.evaluate(SLOT_VISIBILITY)
    assert {HEADER, ARTICLE_TOP, SIDEBAR_TOP} <= {key for key, _url, _share in visible}
    assert FOOTER in {key for key, _url, _share in hidden}

    wait_in_page(page, f"window.__beacons.length >= {len(visible)}")
    page.wait_for_timeout(300)  # any beacon that should not go has had its chance
    sent = page.evaluate("window.__beacons")
    assert sorted(beacon["url"] for beacon in sent) == sorted(url for _key, url, _share in visible)
    assert all(beacon["at"] >= 1000 for beacon in sent), sent
    shown = {ids(url, IMPRESSION_SALT) for _key, url, _share in visible}
    wait_for(lambda: stats() == dict.fromkeys(shown, (1, 0)), page=page, message="impressions")

    # The same reader reloading: the beacons go again, the count stays.
    page.reload()
    wait_for(lambda: len(beacons) == 2 * len(visible), page=page, message="second beacons")
    assert stats() == dict.fromkeys(shown, (1, 0))


def test_a_click_goes_through_the_counting_redirect_to_the_advertiser(
    page, filled_site, live_server, stats
):
    target = f"{live_server.url}/robots.txt"  # other hosts are out of reach
    article_top = Placement.objects.get(key=ARTICLE_TOP)
    Creative.objects.filter(placements__key=ARTICLE_TOP).update(target_url=target)
    cache.clear()  # update() sends no signal: choose from fresh candidates
    navigations = []
    page.on(
        "request",
        lambda request: (
            navigations.append(request.url.removeprefix(live_server.url))
            if request.is_navigation_request()
            else None
        ),
    )
    article_url = filled_site["article"].get_absolute_url()
    page.goto(article_url)
    link = page.locator(".ad-slot--article-top a")
    assert link.get_attribute("rel") == "sponsored noopener"
    href = link.get_attribute("href")
    assert href.startswith("/ads/c/")

    link.click()
    page.wait_for_url(target)

    assert page.locator("body").inner_text().startswith("User-agent: *")
    assert navigations == [article_url, href, "/robots.txt"]
    creative_id, placement_id = ids(href, CLICK_SALT)
    wait_for(
        lambda: stats().get((creative_id, placement_id), (0, 0))[1] == 1,
        page=page,
        message="the click",
    )
    assert placement_id == article_top.pk
    assert sum(clicks for _impressions, clicks in stats().values()) == 1
