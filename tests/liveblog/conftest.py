import pytest

from articles.models import Article
from liveblog import services
from liveblog.models import LiveEntry
from tests import factories


@pytest.fixture
def live(db):
    """A live article with 25 entries a minute apart (two key events), one pinned."""
    from datetime import timedelta

    from django.utils import timezone

    article = factories.ArticleFactory(headline="Storm Idris live", coverage=Article.Coverage.LIVE)
    start = timezone.now() - timedelta(hours=1)
    entries = [
        factories.LiveEntryFactory(
            article=article,
            title=f"Update {i}",
            published_at=start + timedelta(minutes=i),
            is_key_event=i in (4, 21),
        )
        for i in range(25)
    ]
    pinned = factories.LiveEntryFactory(
        article=article, title="Where to get help", is_pinned=True, published_at=start
    )
    return {"article": article, "entries": entries, "pinned": pinned}


@pytest.fixture
def live_editor(db):
    return factories.UserFactory(username="live-editor", groups=["Live editor"])


def change_entry(change, *, live, by):
    """Make one change readers see to the live fixture's coverage: "publish" a new
    entry, or "edit", "unpublish" or "delete" its newest one."""
    entry = live["entries"][-1]
    if change == "publish":
        new = LiveEntry(article=live["article"], body="<p>Later.</p>")
        services.live_entry_save(entry=new, by=by)
        services.live_entry_publish(entry=new, by=by)
    elif change == "edit":
        entry.title = "Corrected"
        services.live_entry_save(entry=entry, by=by)
    elif change == "unpublish":
        services.live_entry_unpublish(entry=entry, by=by)
    else:
        services.live_entry_delete(entry=entry, by=by)
