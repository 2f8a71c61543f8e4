"""The storages' URLs (newsroom.storage): Django's and WhiteNoise's, built faster."""

import json

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import FileSystemStorage
from django.templatetags.static import static
from whitenoise.storage import CompressedManifestStaticFilesStorage

from newsroom.storage import ManifestStaticStorage, MediaStorage, StaticStorage

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


def manifest_storages(tmp_path, storage_class):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.5e1f2a.css"}, "version": "1.1"})
    )
    return storage_class(location=tmp_path, base_url="/static/")


def test_a_static_url_is_the_one_whitenoise_would_build(settings, tmp_path):
    settings.DEBUG = False
    ours = manifest_storages(tmp_path, ManifestStaticStorage)
    theirs = manifest_storages(tmp_path, CompressedManifestStaticFilesStorage)
    for _ in range(2):
        assert ours.url("css/site.css") == theirs.url("css/site.css")
    assert ours.url("css/site.css") == "/static/css/site.5e1f2a.css"
    assert ours.url("css/site.css", force=True) == theirs.url("css/site.css", force=True)
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        ours.url("css/missing.css")


def test_a_static_url_is_worked_out_once(settings, tmp_path):
    settings.DEBUG = False
    storage = manifest_storages(tmp_path, ManifestStaticStorage)
    looked_up = []
    stored_name = storage.stored_name
    storage.stored_name = lambda name: looked_up.append(name) or stored_name(name)
    urls = {storage.url("css/site.css") for _ in range(3)}
    assert urls == {"/static/css/site.5e1f2a.css"}
    assert looked_up == ["css/site.css"]


def test_a_static_url_follows_static_url_when_it_changes(settings):
    assert static("css/site.css") == "/static/css/site.css"
    assert isinstance(staticfiles_storage._wrapped, StaticStorage)
    settings.STATIC_URL = "/assets/"
    assert static("css/site.css") == "/assets/css/site.css"
