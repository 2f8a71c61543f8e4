"""Which stored media files nothing refers to any more, for `manage.py prune_media`.

Every FileField of every model counts, whatever its app, so a new upload field is safe
from pruning without anyone remembering to list it; an app keeping names elsewhere (a
photo's renditions, in JSON) declares them on its AppConfig as ``media_in_use()``.
"""

import posixpath
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone


def media_in_use() -> set[str]:
    """The storage names the database refers to."""
    names: set[str] = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.exclude(**{field.attname: ""})
                names.update(rows.values_list(field.attname, flat=True).iterator())
    for app_config in apps.get_app_configs():
        if hasattr(app_config, "media_in_use"):
            names.update(app_config.media_in_use())
    return names


def stored_names(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file in `storage`, walked through its directories (or S3 prefixes)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # nothing uploaded yet
        return
    for file in files:
        yield posixpath.join(directory, file)
    for child in directories:
        yield from stored_names(storage, posixpath.join(directory, child))


def orphaned_media(storage: Storage, *, grace: timedelta, now: datetime | None = None):
    """(name, size) of each stored file that nothing refers to and that is older than
    `grace`. A younger file may belong to an upload still in progress, whose rows are
    not committed yet (a photo's renditions are written inside its transaction)."""
    cutoff = (now or timezone.now()) - grace
    # Listed first, then the names in use: a file uploaded and referred to in between
    # is young, and so spared by the grace period rather than by luck.
    stored = [name for name in stored_names(storage) if storage.get_modified_time(name) < cutoff]
    in_use = media_in_use()
    return [(name, storage.size(name)) for name in stored if name not in in_use]
