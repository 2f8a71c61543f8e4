"""Uploads on the local disk, never left half-written; static files' URLs, remembered."""

import os
import tempfile
from functools import cache, lru_cache
from urllib.parse import urljoin

from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from whitenoise.storage import CompressedManifestStaticFilesStorage

# More than the static files the templates name (a few dozen).
REMEMBERED_STATIC_URLS = 512


class _WrittenFile:
    """A complete file on disk, which FileSystemStorage._save moves into place by name."""

    def __init__(self, path):
        self.path = path

    def temporary_file_path(self):
        return self.path


class MediaStorage(FileSystemStorage):
    """FileSystemStorage whose files appear whole or not at all.

    Django's writes a file in place under its final name, and when a write fails (a
    full disk) leaves what it got: a 0-byte original, a truncated rendition. Here the
    file is written under a temporary name in the same directory, and only renamed to
    its own (atomic within one file system) once complete; if writing fails, the
    temporary file is removed. A process killed mid-write can still leave a temporary
    ".upload-" file: `manage.py prune_media` finds those. (In S3 an object appears only
    once its upload completes, so the S3 storage needs none of this.)
    """

    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        # Created 0600; FILE_UPLOAD_PERMISSIONS (0644 by default) is applied once it is moved.
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                for chunk in content.chunks():
                    file.write(chunk.encode() if isinstance(chunk, str) else chunk)
            # Moved by rename, finding a free name as Django always does.
            return super()._save(name, _WrittenFile(temporary))
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)

    def url(self, name):
        """FileSystemStorage.url without its urljoin where the join only concatenates: a
        base URL ending in "/" with no query, and a name with no "." or ".." segment and
        no empty one, as every stored name is (quoted, it has no scheme, query or
        fragment). A cold list page asks for a hundred URLs of renditions, and urljoin
        was a tenth of its CPU (make bench --profile unread)."""
        path = filepath_to_uri(name) if name is not None else None
        base = self.base_url
        if (
            path is None
            or not joins_by_concatenation(base)
            or "/." in f"/{path}"
            or "//" in path.lstrip("/")
        ):
            return super().url(name)
        return base + path.lstrip("/")


@cache
def joins_by_concatenation(base_url):
    """Whether urljoin(base_url, name) is base_url + name for a plain relative name. By
    the URL, not kept on the storage: its base_url follows MEDIA_URL when a setting
    changes (Django's storages drop it then), and this must follow too."""
    return base_url is not None and urljoin(base_url, "a/b") == f"{base_url}a/b"


class RememberedURLs:
    """A static files storage whose url() is worked out once per name: every page
    writes a few ({% static %}), each about 40 microseconds (a manifest's lookup, a
    quote and a urljoin), for an answer that does not change while the storage lives.
    Django makes a new storage when a setting it reads changes, and the remembered
    URLs go with the old one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remembered_url = lru_cache(maxsize=REMEMBERED_STATIC_URLS)(super().url)

    def url(self, name, *args, **kwargs):
        """Remembered when asked as {% static %} asks; otherwise (a manifest's
        `force=True`) worked out."""
        if args or kwargs:
            return super().url(name, *args, **kwargs)
        return self._remembered_url(name)


class StaticStorage(RememberedURLs, StaticFilesStorage):
    """Django's StaticFilesStorage (development and tests), its URLs remembered."""


class ManifestStaticStorage(RememberedURLs, CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed names (production), their URLs remembered."""
