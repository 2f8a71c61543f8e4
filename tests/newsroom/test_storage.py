"""The media storage's URLs (newsroom.storage.MediaStorage): Django's, built faster."""

import pytest
from django.core.files.storage import FileSystemStorage

from newsroom.storage import MediaStorage

NAMES = [
    "photos/renditions/12/16x9-500-500-960w.webp",
    "photos/2026/12/harbour wall.jpg",
    "photos/2026/12/café & co?.jpg",
    "photos/a:b#c%20d.jpg",
    "/photos/leading-slash.jpg",
    "photos/./here.jpg",
    "photos/../up.jpg",
    "photos/.upload-x1y2",
    "photos//twice.jpg",
    "",
]


@pytest.mark.parametrize(
    "base_url",
    [
        "/media/",
        "/media",
        "https://cdn.example.com/m/",
        "https://cdn.example.com",
        "/media/?v=2",
        "/media/./x/../",
    ],
)
@pytest.mark.parametrize("name", NAMES)
def test_a_media_url_is_the_one_django_would_build(tmp_path, base_url, name):
    ours = MediaStorage(location=tmp_path, base_url=base_url)
    django = FileSystemStorage(location=tmp_path, base_url=base_url)
    assert ours.url(name) == django.url(name)


def test_the_default_storage_builds_media_urls_as_django_would(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ours, django = MediaStorage(), FileSystemStorage()
    assert ours.url(NAMES[0]) == django.url(NAMES[0]) == f"/media/{NAMES[0]}"


def test_a_media_url_follows_media_url_when_it_changes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ours, django = MediaStorage(), FileSystemStorage()
    assert ours.url(NAMES[0]) == f"/media/{NAMES[0]}"
    settings.MEDIA_URL = "/media/?v=2"
    assert ours.url(NAMES[0]) == django.url(NAMES[0])
