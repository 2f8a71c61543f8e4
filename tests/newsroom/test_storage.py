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
    "",
]


@pytest.mark.parametrize("base_url", ["/media/", "/media", "https://cdn.example.com/m/"])
@pytest.mark.parametrize("name", NAMES)
def test_a_media_url_is_the_one_django_would_build(tmp_path, base_url, name):
    ours = MediaStorage(location=tmp_path, base_url=base_url)
    django = FileSystemStorage(location=tmp_path, base_url=base_url)
    assert ours.url(name) == django.url(name)
