"""Photos' focal point (crops made around it, made anew when it moves) and rights (a
photo whose licence has ended becomes a placeholder everywhere, through every cache)."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.feeds import MEDIA_RSS
from articles.models import Photo
from tests.admin_pages import form_data
from tests.articles.test_feeds import json_ld
from tests.articles.test_images import image_upload
from tests.factories import ArticleFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) + timedelta(days=1)
PLACEHOLDER = "img/photo-unavailable.svg"
SITEMAP_IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"


def crop_names(photo, ratio=None):
    return {
        r["name"]
        for r in photo.renditions
        if r.get("ratio") and (ratio is None or r["ratio"] == ratio)
    }


# --- Focal point ------------------------------------------------------------------------


def test_upload_makes_each_crop_around_the_focal_point():
    photo = PhotoFactory(dimensions=(1600, 900), focal_x=0.25, focal_y=0.3)

    sizes = {(r["ratio"], r["width"], r["height"]) for r in photo.renditions if r.get("ratio")}
    assert sizes == {
        ("16:9", 480, 270), ("16:9", 800, 450), ("16:9", 1200, 675), ("16:9", 1600, 900),
        ("4:3", 800, 600), ("4:3", 1200, 900),
        ("1:1", 480, 480), ("1:1", 900, 900),
        ("1.91:1", 1200, 628),
    }  # fmt: skip
    assert all("-250-300-" in name for name in crop_names(photo))
    storage = photo.image.storage
    assert all(storage.exists(r["name"]) for r in photo.renditions)


def test_moving_the_focal_point_makes_the_crops_anew_and_removes_the_old_files(
    django_capture_on_commit_callbacks,
):
    photo = PhotoFactory(dimensions=(1600, 900))
    storage = photo.image.storage
    whole = [r for r in photo.renditions if not r.get("ratio")]
    old_crops = crop_names(photo)

    photo.focal_x, photo.focal_y = 0.1, 0.2
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_save(photo=photo)

    photo.refresh_from_db()
    new_crops = crop_names(photo)
    assert len(new_crops) == len(old_crops)
    assert not new_crops & old_crops
    assert all("-100-200-" in name for name in new_crops)
    assert all(storage.exists(name) for name in new_crops)
    assert not any(storage.exists(name) for name in old_crops)
    assert [r for r in photo.renditions if not r.get("ratio")] == whole  # kept as they were


def test_saving_without_moving_the_focal_point_keeps_the_crops(django_capture_on_commit_callbacks):
    photo = PhotoFactory()
    renditions = photo.renditions

    photo.caption = "Cranes over the Kestrel Bay terminal"
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_save(photo=photo)

    photo.refresh_from_db()
    assert photo.renditions == renditions


@pytest.mark.parametrize("field", ["focal_x", "focal_y"])
@pytest.mark.parametrize("value", [-0.01, 1.01])
def test_a_focal_point_outside_the_picture_is_refused(field, value):
    photo = PhotoFactory()
    setattr(photo, field, value)

    with pytest.raises(ValidationError) as excinfo:
        services.photo_save(photo=photo)

    assert "The focal point must be inside the picture" in str(excinfo.value)


def test_cards_show_the_16_9_crop_with_its_fixed_size(client, section):
    photo = PhotoFactory(dimensions=(1600, 1200), focal_y=0.2)
    ArticleFactory(section=section, hero_photo=photo)

    html = client.get(section.get_absolute_url()).content.decode()

    card_crop = photo.fallback_for("16:9")
    assert "/16x9-500-200-" in card_crop["name"]
    assert f'src="{card_crop["url"]}"' in html
    assert 'width="1200" height="675"' in html


def test_the_admin_offers_the_focal_point_as_a_click_and_as_two_numbers(editor_client):
    photo = PhotoFactory()

    html = editor_client.get(reverse("admin:articles_photo_change", args=[photo.pk])).content
    html = html.decode()

    assert "data-focal-picker" in html
    assert "js/focal_point.js" in html
    assert 'name="focal_x"' in html and 'step="0.001"' in html
    assert 'name="focal_y"' in html


def test_the_admin_saves_a_typed_focal_point_and_recrops(
    editor_client, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    data = form_data(editor_client.get(url))
    data.update(focal_x="0.8", focal_y="0.15")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.focal_point == (0.8, 0.15)
    assert all("-800-150-" in name for name in crop_names(photo))


# --- Rights -----------------------------------------------------------------------------


@pytest.fixture
def caches_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 600


def media_content(client, url):
    feed = ET.fromstring(client.get(url).content)
    return [element.attrib for element in feed.iter(f"{{{MEDIA_RSS}}}content")]


def sitemap_images(client):
    sitemap = ET.fromstring(client.get("/sitemap-articles.xml").content)
    return [element.text for element in sitemap.iter(f"{{{SITEMAP_IMAGE}}}loc")]


def test_a_photo_is_replaced_everywhere_when_its_licence_ends_through_the_caches(
    client, section, caches_on
):
    with time_machine.travel(START):
        photo = PhotoFactory(
            licence_ends_at=START + timedelta(hours=2), caption="Ferry at the Alder quay"
        )
        article = ArticleFactory(section=section, hero_photo=photo)
    story, listing, feed = article.get_absolute_url(), section.get_absolute_url(), "/feeds/"
    shown = photo.fallback_for("16:9")["name"]

    with time_machine.travel(START + timedelta(hours=1)):
        for url in (story, listing, "/"):
            client.get(url)
            response = client.get(url)
            assert response["X-Page-Cache"] == "hit", url
            assert f"photos/renditions/{photo.pk}/" in response.content.decode(), url
            assert PLACEHOLDER not in response.content.decode()
        assert "Ferry at the Alder quay" in client.get(story).content.decode()
        assert len(json_ld(client.get(story).content.decode())["image"]) == 3
        assert [item["url"] for item in media_content(client, feed)] == [
            f"http://testserver{photo.image.storage.url(shown)}"
        ]
        assert sitemap_images(client) == [f"http://testserver{photo.fallback['url']}"]

    with time_machine.travel(START + timedelta(hours=2, seconds=1)):
        for url in (story, listing, "/"):
            response = client.get(url)
            html = response.content.decode()
            assert response["X-Page-Cache"] == "miss", url
            assert f"photos/renditions/{photo.pk}/" not in html, url
            assert PLACEHOLDER in html, url
        html = client.get(story).content.decode()
        assert "Ferry at the Alder quay" not in html  # nor its caption
        assert "og:image" not in html
        assert "image" not in json_ld(html)
        assert media_content(client, feed) == []
        assert sitemap_images(client) == []


def test_a_licence_extended_brings_the_photo_back_in_the_cached_sitemap(
    client, section, caches_on, django_capture_on_commit_callbacks
):
    photo = PhotoFactory(licence_ends_at=timezone.now())
    ArticleFactory(section=section, hero_photo=photo)
    assert sitemap_images(client) == []

    photo.licence_ends_at = None
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_save(photo=photo)

    assert len(sitemap_images(client)) == 1


def test_the_placeholder_keeps_the_photos_size(client, section):
    photo = PhotoFactory(dimensions=(1600, 900), licence_ends_at=timezone.now())
    ArticleFactory(section=section, hero_photo=photo)

    html = client.get(section.get_absolute_url()).content.decode()

    assert f'src="/static/{PLACEHOLDER}" width="1200" height="675"' in html


def test_a_licence_extended_brings_the_photo_back_on_cached_pages(
    client, section, caches_on, django_capture_on_commit_callbacks
):
    photo = PhotoFactory(licence_ends_at=timezone.now())
    article = ArticleFactory(section=section, hero_photo=photo)
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    photo.licence_ends_at = timezone.now() + timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_save(photo=photo)

    html = client.get(article.get_absolute_url()).content.decode()
    assert PLACEHOLDER not in html
    assert f"photos/renditions/{photo.pk}/" in html


def test_the_social_image_gives_way_to_the_hero_when_its_licence_ends(client, section):
    hero = PhotoFactory()
    social = PhotoFactory(licence_ends_at=timezone.now())
    article = ArticleFactory(section=section, hero_photo=hero, social_image=social)

    assert article.card_photo == hero


def test_pages_are_kept_no_longer_than_the_next_licence_end(client, section, caches_on):
    PhotoFactory(licence_ends_at=timezone.now() + timedelta(seconds=90))
    PhotoFactory(licence_ends_at=timezone.now() - timedelta(days=1))  # ended: no change due

    response = client.get(section.get_absolute_url())

    s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < s_maxage <= 90


def test_editors_list_photos_whose_licence_ends_soon_or_has_ended(editor_client):
    now = timezone.now()
    ending = PhotoFactory(caption="Ends next week", licence_ends_at=now + timedelta(days=7))
    PhotoFactory(caption="Ends next year", licence_ends_at=now + timedelta(days=365))
    ended = PhotoFactory(caption="Ended last month", licence_ends_at=now - timedelta(days=30))
    PhotoFactory(caption="No end")
    url = reverse("admin:articles_photo_changelist")

    assert list(Photo.objects.licence_ending_within(30)) == [ending]
    assert list(Photo.objects.licence_ended()) == [ended]
    soon = editor_client.get(url, {"licence": "ending"}).content.decode()
    assert "Ends next week" in soon
    assert "Ends next year" not in soon and "Ended last month" not in soon
    assert "No end" not in soon
    over = editor_client.get(url, {"licence": "ended"}).content.decode()
    assert "Ended last month" in over
    assert "Ends next week" not in over


def test_photos_stored_before_crops_existed_get_them_from_the_command(
    django_capture_on_commit_callbacks,
):
    photo = PhotoFactory(focal_x=0.3)
    whole = [r for r in photo.renditions if not r.get("ratio")]
    Photo.objects.filter(pk=photo.pk).update(renditions=whole)  # as stored before
    up_to_date = PhotoFactory()
    untouched = up_to_date.renditions
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_photo_crops", stdout=out)

    photo.refresh_from_db()
    assert {r.get("ratio") for r in photo.renditions} == {None, "16:9", "4:3", "1:1", "1.91:1"}
    assert all("-300-500-" in name for name in crop_names(photo))
    up_to_date.refresh_from_db()
    assert up_to_date.renditions == untouched
    assert "Made the crops of 1 photos." in out.getvalue()


def test_an_ended_licence_costs_no_query(client, section):
    photo = PhotoFactory()
    article = ArticleFactory(section=section, hero_photo=photo)
    client.get(article.get_absolute_url())  # what the first request alone reads
    with CaptureQueriesContext(connection) as licensed:
        client.get(article.get_absolute_url())
        client.get(section.get_absolute_url())
    Photo.objects.filter(pk=photo.pk).update(licence_ends_at=timezone.now())

    with CaptureQueriesContext(connection) as ended:
        assert PLACEHOLDER in client.get(article.get_absolute_url()).content.decode()
        client.get(section.get_absolute_url())

    assert len(ended) == len(licensed)


# --- Uploaded from the body editor ------------------------------------------------------

UPLOAD_URL = reverse("admin:articles_photo_upload")


def upload_fields(**changes):
    return {
        "image": image_upload(size=(800, 500)),
        "alt_text": "Nets spread over the stones of a quay",
        "caption": "Nets drying on the quay",
        "credit": "Newsroom staff",
        **changes,
    }


def test_a_reporter_uploads_a_photo_from_the_body_editor(reporter_client, reporter):
    response = reporter_client.post(UPLOAD_URL, upload_fields())

    assert response.status_code == 201
    photo = Photo.objects.get()
    assert response.json() == {"id": photo.pk, "caption": "Nets drying on the quay"}
    assert (photo.alt_text, photo.credit, photo.created_by) == (
        "Nets spread over the stones of a quay",
        "Newsroom staff",
        reporter,
    )
    # Through photo_save: renditions and the crops around the (central) focal point.
    assert photo.srcset("WEBP") and photo.srcset("JPEG", "1:1")
    assert all(photo.image.storage.exists(r["name"]) for r in photo.renditions)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"alt_text": ""}, "alt_text", "Describe the picture in the alt text"),
        ({"image": ""}, "image", "This field is required."),
        (
            {"image": SimpleUploadedFile("notes.jpg", b"not a picture", "image/jpeg")},
            "image",
            "",
        ),
        ({"credit": "x" * 121}, "credit", "at most 120 characters"),
    ],
)
def test_an_upload_the_form_refuses_says_why_by_field_and_stores_nothing(
    reporter_client, changes, field, message
):
    response = reporter_client.post(UPLOAD_URL, upload_fields(**changes))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert message in errors[field][0]["message"] and errors[field][0]["message"]
    assert not Photo.objects.exists()


def test_a_decorative_photo_needs_no_alt_text(reporter_client):
    response = reporter_client.post(UPLOAD_URL, upload_fields(alt_text="", is_decorative="on"))
    assert response.status_code == 201
    assert Photo.objects.get().is_decorative


def test_the_upload_needs_a_signed_in_user_with_the_add_permission_and_a_post(
    client, reporter_client, db
):
    moderator = UserFactory(username="moderator", groups=["Moderator"])
    assert reporter_client.get(UPLOAD_URL).status_code == 405
    reporter_client.logout()
    assert client.post(UPLOAD_URL, upload_fields()).status_code == 302  # to the admin's sign-in
    client.force_login(moderator)
    assert client.post(UPLOAD_URL, upload_fields()).status_code == 403
    assert not Photo.objects.exists()


def test_the_upload_checks_the_csrf_token(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    assert client.post(UPLOAD_URL, upload_fields()).status_code == 403
    assert not Photo.objects.exists()


def test_a_full_disk_is_a_message_by_the_file_not_a_500(reporter_client):
    with mock.patch.object(Photo._meta.get_field("image").storage, "save", side_effect=OSError):
        response = reporter_client.post(UPLOAD_URL, upload_fields())
    assert response.status_code == 503
    assert "could not be stored" in response.json()["errors"]["image"][0]["message"]
    assert not Photo.objects.exists()


def test_the_body_editor_offers_uploads_only_to_users_who_may_add_photos(reporter_client, reporter):
    page = reporter_client.get(reverse("admin:articles_article_add")).content.decode()
    assert f'data-photo-upload-url="{UPLOAD_URL}"' in page
    reporter.groups.clear()
    reporter.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_article", "change_article", "view_article"])
    )
    page = reporter_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "data-photo-upload-url" not in page


# --- Phone thumbnails -------------------------------------------------------------------

PHONE_SOURCE = '<source media="(max-width: 39.99em)"'


def phone_sources(html, photo):
    """The phone-only <source> elements of `photo` in a page."""
    square = photo.fallback_for("1:1")
    return [
        tag
        for tag in re.findall(r"<source [^>]*>", html)
        if tag.startswith(PHONE_SOURCE)
        and f"/photos/renditions/{photo.pk}/1x1-" in tag
        and f'width="{square["width"]}" height="{square["height"]}"' in tag
    ]


def test_listing_cards_give_phones_the_square_crop_with_its_size(client, section):
    photo = PhotoFactory(dimensions=(1600, 900), focal_x=0.8)
    ArticleFactory(section=section, hero_photo=photo)

    html = client.get(section.get_absolute_url()).content.decode()

    webp, jpeg = phone_sources(html, photo)
    assert 'type="image/webp"' in webp and 'sizes="6.5rem"' in webp
    assert photo.srcset("JPEG", "1:1") in jpeg and "16x9-" not in webp + jpeg
    # Everyone else still gets the 16:9 crop, at its own fixed size.
    wide = photo.fallback_for("16:9")
    assert f'<img src="{wide["url"]}"' in html
    assert f'width="{wide["width"]}" height="{wide["height"]}"' in html


def test_only_the_cards_shown_as_phone_thumbnails_get_the_square_crop(client, section):
    lead_photo, must_read_photo = PhotoFactory(), PhotoFactory()
    ArticleFactory(
        section=section,
        hero_photo=must_read_photo,
        is_must_read=True,
        published_at=timezone.now() - timedelta(hours=2),
    )
    lead = ArticleFactory(section=section, hero_photo=lead_photo)  # the newest: the lead

    home = client.get("/").content.decode()
    assert len(phone_sources(home, must_read_photo)) == 2
    assert phone_sources(home, lead_photo) == []  # a lead is 16:9 on phones too
    # More articles under a story (earlier ones) shows thumbnails on phones.
    story = client.get(lead.get_absolute_url()).content.decode()
    more = story[story.index('class="more-articles"') :]
    assert len(phone_sources(more, must_read_photo)) == 2
