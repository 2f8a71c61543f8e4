import pytest

from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    from ads.selection import forget_candidates

    forget_candidates()
    cache.clear()
    yield
    forget_candidates()
    cache.clear()


@pytest.fixture
def section(db):
    return factories.SectionFactory(name="City", slug="city")


@pytest.fixture
def article(section):
    return factories.ArticleFactory(
        headline="Harbour tunnel opens to traffic",
        section=section,
        authors=[factories.AuthorFactory(name="Ada Reyes")],
        tags=[factories.TagFactory(name="Transport")],
    )


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="editor", groups=["Editor"])


@pytest.fixture
def reporter(db):
    return factories.UserFactory(username="reporter", groups=["Reporter"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def newsroom(db):
    """A realistic front page: several sections, authors, tags, photos and corrections."""
    sections = [factories.SectionFactory(name=name) for name in ("City", "Politics", "Sport")]
    authors = factories.AuthorFactory.create_batch(4)
    tags = factories.TagFactory.create_batch(5)
    photos = factories.PhotoFactory.create_batch(3, dimensions=(960, 540))
    articles = []
    for i in range(24):
        article = factories.ArticleFactory(
            section=sections[i % 3],
            hero_photo=photos[i % 3],
            authors=authors[i % 4 : i % 4 + 2],
            tags=tags[i % 5 : i % 5 + 3],
            is_must_read=i % 7 == 0,
        )
        if i % 5 == 0:
            factories.CorrectionFactory(article=article)
        articles.append(article)
    return {"sections": sections, "authors": authors, "tags": tags, "articles": articles}
