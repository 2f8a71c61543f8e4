"""axe-core, in Chromium, finds no serious or critical accessibility violation on the
pages readers see: home, an article (and its comment form showing errors), a section,
search results and the 404 page, at desktop and phone widths."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories

from .conftest import DESKTOP, photo_stories

PHONE = {"width": 390, "height": 844}
BLOCKING = {"minor", "moderate", "serious", "critical"}

# Axe().run() injects axe.min.js with page.evaluate(), which Playwright sends through
# the DevTools protocol: code evaluated that way is not subject to the page's
# Content-Security-Policy (script-src 'self'), and axe-core itself uses no eval() or
# inline script. So the pages are checked as readers get them, under their real policy,
# and no bypass_csp context is needed; make_page would fail the test on any CSP refusal.
AXE = Axe()


@pytest.fixture
def site(live_server):
    """A section of photo stories; one long article with comments, a reply and every ad."""
    site = photo_stories(4)
    first = factories.ReaderCommentFactory(article=site["article"], user_name="Maya Okafor")
    factories.ReaderCommentFactory(parent=first, user_name="Tom Hale")
    factories.ReaderCommentFactory(article=site["article"], user_name="Lin Chen")
    return site


def blocking_violations(page):
    """axe's serious and critical violations on the page as it is now."""
    page.wait_for_load_state("networkidle")
    results = AXE.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def describe(found):
    """Every violation with every node: rule, impact, help URL, selector, markup, why."""
    lines = []
    for where, violations in found.items():
        for violation in violations:
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{violation['helpUrl']}]"
            )
            for node in violation["nodes"]:
                lines.append(f"    {json.dumps(node['target'])}: {node['html']}")
                lines.append(f"        {node['failureSummary']}".replace("\n", "\n        "))
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_axe_finds_no_violation_on_the_readers_pages(make_page, site, viewport):
    page = make_page(viewport=PHONE if viewport == "phone" else DESKTOP)
    article, section = site["article"], site["section"]
    found = {}

    def check(name, path=None, status=200):
        if path is not None:
            response = page.goto(path)
            assert response.status == status, (path, response.status)
        violations = blocking_violations(page)
        if violations:
            found[f"{name} ({viewport})"] = violations

    check("home", "/")
    check("article", article.get_absolute_url())
    assert page.locator(".ad-slot img").count() > 0, "the article shows ads"
    assert page.locator(".comment-list .comment").count() == 3, "and comments"

    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    assert page.locator(".comment-form .field-errors").count() == 3, "the form shows errors"
    check("article, comment form with errors")

    check("section", section.get_absolute_url())
    check("search results", "/search/?q=tunnel")
    assert page.locator("main").get_by_role("link", name=article.headline).count() == 1
    check("404", "/no/such/page/", status=404)

    assert not found, "\n" + describe(found)


def test_the_check_reports_a_violation_when_there_is_one(page, live_server):
    """The control: axe does run in the page and its findings reach the assertion."""
    page.goto("/no/such/page/")
    assert blocking_violations(page) == []
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.append(document.createElement("button"));  // a button with no name
          const img = document.createElement("img");      // an image with no alt text
          img.src = "/static/favicon.svg";
          main.append(img);
        }"""
    )
    found = {v["id"] for v in blocking_violations(page)}
    assert {"button-name", "image-alt"} <= found, found
