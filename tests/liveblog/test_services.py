import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from liveblog import services
from liveblog.models import LiveEntry, LiveEntryRemoval
from tests.factories import ArticleFactory, LiveEntryFactory, UserFactory

pytestmark = pytest.mark.django_db


def draft(article, **fields):
    return LiveEntry(article=article, body="<p>Flooding on Quay Street.</p>", **fields)


def test_a_reporter_drafts_entries_but_cannot_publish_them(live, reporter):
    entry = services.live_entry_save(entry=draft(live["article"]), by=reporter)
    assert entry.status == LiveEntry.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.live_entry_publish(entry=entry, by=reporter)
    entry.status = LiveEntry.Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        services.live_entry_save(entry=entry, by=reporter)


@pytest.mark.parametrize("role", ["Editor", "Live editor"])
def test_editors_and_live_editors_publish_entries(live, role):
    user = UserFactory(groups=[role])
    entry = services.live_entry_save(entry=draft(live["article"]), by=user)
    services.live_entry_publish(entry=entry, by=user)
    entry.refresh_from_db()
    assert entry.status == LiveEntry.Status.PUBLISHED


def test_every_entry_change_is_a_version(live, editor):
    entry = services.live_entry_save(entry=draft(live["article"], title="First"), by=editor)
    entry.title = "First, corrected"
    services.live_entry_save(entry=entry, by=editor)
    services.live_entry_publish(entry=entry, by=editor)
    versions = Version.objects.get_for_object(entry)
    assert [v.field_dict["title"] for v in versions] == [
        "First, corrected",
        "First, corrected",
        "First",
    ]
    assert versions[0].revision.user == editor


def test_the_body_is_sanitised_on_save(live, editor):
    entry = draft(live["article"])
    entry.body = '<p onclick="steal()">Text</p><script>alert(1)</script>'
    services.live_entry_save(entry=entry, by=editor)
    entry.refresh_from_db()
    assert entry.body == "<p>Text</p>"


def test_pinning_an_entry_unpins_the_one_pinned_before(live, editor):
    entry = live["entries"][3]
    entry.is_pinned = True
    services.live_entry_save(entry=entry, by=editor)
    assert list(LiveEntry.objects.filter(is_pinned=True)) == [entry]


def test_the_database_refuses_two_pinned_entries_in_one_article(live):
    second = LiveEntryFactory.build(article=live["article"], is_pinned=True)
    with pytest.raises(ValidationError, match="Another entry of this article is pinned"):
        second.full_clean()
    # Pinned entries of different articles are fine.
    LiveEntryFactory(article=ArticleFactory(), is_pinned=True)


def test_deleting_a_public_entry_leaves_a_removal_for_polling_readers(live, editor):
    entry = live["entries"][0]
    pk = entry.pk
    services.live_entry_delete(entry=entry, by=editor)
    assert not LiveEntry.objects.filter(pk=pk).exists()
    assert LiveEntryRemoval.objects.get().entry_id == pk


def test_a_reporter_may_delete_a_draft_but_not_a_published_entry(live, reporter):
    entry = services.live_entry_save(entry=draft(live["article"]), by=reporter)
    services.live_entry_delete(entry=entry, by=reporter)
    assert not LiveEntryRemoval.objects.exists()
    with pytest.raises(PermissionDenied):
        services.live_entry_delete(entry=live["entries"][0], by=reporter)
