"""An editor clicks a photo's point of interest once in the admin, in Chromium: the two
fields take it, a mark shows it, and saving makes the crops around it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.e2e.test_editor_journey import log_in

PASSWORD = "focal-editor-2025"
SAVE_TIMEOUT = 60_000  # saving makes the crops anew: seconds on a busy test machine


@pytest.fixture
def editor(live_server):
    return factories.UserFactory(username="picture-editor", password=PASSWORD, groups=["Editor"])


def test_one_click_on_the_picture_sets_the_focal_point_and_saving_recrops(make_page, editor):
    photo = factories.PhotoFactory(dimensions=(1600, 900))
    page = make_page()  # fails the test on a script error or anything the CSP refuses
    log_in(page, editor.username, PASSWORD)
    page.goto(reverse("admin:articles_photo_change", args=[photo.pk]))
    picture = page.locator("[data-focal-picker] img")
    box = picture.bounding_box()

    picture.click(position={"x": box["width"] * 0.2, "y": box["height"] * 0.25})

    x, y = (
        float(page.locator("#id_focal_x").input_value()),
        float(page.locator("#id_focal_y").input_value()),
    )
    assert abs(x - 0.2) < 0.01 and abs(y - 0.25) < 0.01
    expect(page.locator(".focal-picker__mark")).to_be_visible()
    mark = page.locator(".focal-picker__mark").bounding_box()
    assert abs(mark["x"] + mark["width"] / 2 - (box["x"] + box["width"] * 0.2)) < 3
    page.set_default_navigation_timeout(SAVE_TIMEOUT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    photo.refresh_from_db()
    assert photo.focal_point == (x, y)
    crops = [r["name"] for r in photo.renditions if r.get("ratio")]
    assert crops and all(f"-{round(x * 1000):03d}-{round(y * 1000):03d}-" in n for n in crops)


def test_without_javascript_the_focal_point_is_two_numbers(make_page, editor):
    photo = factories.PhotoFactory(dimensions=(1600, 900))
    page = make_page(java_script_enabled=False)
    log_in(page, editor.username, PASSWORD)
    page.goto(reverse("admin:articles_photo_change", args=[photo.pk]))

    page.locator("#id_focal_x").fill("0.7")
    page.locator("#id_focal_y").fill("0.1")
    page.set_default_navigation_timeout(SAVE_TIMEOUT)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    photo.refresh_from_db()
    assert photo.focal_point == (0.7, 0.1)


PHONE = {"width": 390, "height": 844}
LOADED = "image => image.complete && image.naturalWidth > 0"


def test_card_thumbnails_on_a_phone_load_the_square_crop_and_desktops_the_wide_one(
    make_page, live_server
):
    section = factories.SectionFactory(name="Harbour", slug="harbour")
    photo = factories.PhotoFactory(dimensions=(1600, 900), focal_x=0.8, focal_y=0.4)
    factories.ArticleFactory(section=section, hero_photo=photo, headline="Quay lights go up")

    phone = make_page(viewport=PHONE)
    phone.goto(section.get_absolute_url())
    image = phone.locator(".card-list .card__photo img")
    image.scroll_into_view_if_needed()
    phone.wait_for_function(f"({LOADED})(document.querySelector('.card-list .card__photo img'))")
    source = image.evaluate("image => image.currentSrc")
    assert "/1x1-800-400-480w." in source, source
    assert image.evaluate("image => image.naturalWidth === image.naturalHeight")
    box = image.bounding_box()
    assert box["width"] == pytest.approx(box["height"], abs=1)

    desktop = make_page()
    desktop.goto(section.get_absolute_url())
    image = desktop.locator(".card-list .card__photo img")
    image.scroll_into_view_if_needed()
    desktop.wait_for_function(f"({LOADED})(document.querySelector('.card-list .card__photo img'))")
    assert "/16x9-800-400-" in image.evaluate("image => image.currentSrc")
