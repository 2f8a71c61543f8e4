"""manage.py prune_media: files no row refers to are found, and removed only when asked."""

import os
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import CreativeFactory, PhotoFactory

pytestmark = pytest.mark.django_db

TWO_DAYS = 2 * 24 * 3600


def leave(media_root, name, data=b"", *, age=TWO_DAYS):
    """A file as a failed upload would leave it, `age` seconds old."""
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    then = time.time() - age
    os.utime(path, (then, then))
    return name


def stored(media_root):
    return sorted(
        path.relative_to(media_root).as_posix() for path in media_root.rglob("*") if path.is_file()
    )


def prune(*args):
    out = StringIO()
    call_command("prune_media", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def media_with_orphans(media_root):
    """A photo with its renditions and an ad image, all old, and what failed uploads left."""
    photo = PhotoFactory()
    creative = CreativeFactory()
    in_use = [photo.image.name, *(r["name"] for r in photo.renditions), creative.image.name]
    for name in stored(media_root):
        leave(media_root, name, (media_root / name).read_bytes())  # made two days old
    orphans = [
        leave(media_root, "photos/2026/12/cranes.jpg"),  # the 0-byte original
        leave(media_root, "photos/renditions/999/800w.jpg", b"\xff\xd8" * 6000),
        leave(media_root, "photos/renditions/999/.upload-k2j3h4", b"RIFF" * 100),
    ]
    young = leave(media_root, "photos/renditions/1000/480w.webp", b"RIFF", age=60)
    return {"in_use": in_use, "orphans": orphans, "young": young}


def test_prune_media_lists_orphans_and_removes_nothing_by_default(media_root, media_with_orphans):
    before = stored(media_root)

    output = prune()

    listed = [line.split()[1] for line in output.splitlines() if line.startswith("orphaned")]
    assert sorted(listed) == sorted(media_with_orphans["orphans"])
    assert "photos/renditions/999/800w.jpg  (12000 bytes)" in output
    assert "3 orphaned files" in output and "nothing removed (run with --delete)" in output
    assert stored(media_root) == before


def test_prune_media_delete_removes_old_orphans_only(media_root, media_with_orphans):
    output = prune("--delete")

    assert "Removed 3 files" in output
    assert stored(media_root) == sorted(
        [*media_with_orphans["in_use"], media_with_orphans["young"]]
    )


def test_prune_media_spares_files_younger_than_the_grace_period(media_root, media_with_orphans):
    prune("--delete", "--grace-hours", "72")

    assert set(media_with_orphans["orphans"]) <= set(stored(media_root))


def test_prune_media_refuses_a_grace_period_under_an_hour(media_root):
    with pytest.raises(CommandError, match="at least 1"):
        prune("--delete", "--grace-hours", "0.5")


def test_prune_media_with_nothing_uploaded_yet_finds_nothing(media_root):
    assert "0 orphaned files" in prune()
