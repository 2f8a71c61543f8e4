import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Author, Correction, Photo, Section, Tag
from demo import reader
from demo.management.commands.load_demo import Command

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_photos(settings):
    settings.PHOTO_RENDITION_WIDTHS = (480,)


def test_load_demo_builds_a_newsroom_and_is_idempotent(client, quick_photos):
    call_command("load_demo", stdout=None)
    counts = [model.objects.count() for model in (Article, Section, Author, Tag, Photo, Correction)]
    assert counts[0] == len(reader.stories()) >= 40
    assert counts[1] == 5
    assert Article.objects.published().count() < counts[0]
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .exclude(pk__in=Article.objects.published())
        .exists()
    ), "some articles are scheduled for later"
    assert Article.objects.must_read().exists()
    assert counts[5] > 0
    users = get_user_model().objects.filter(is_staff=True)
    roles = {group for user in users for group in user.groups.values_list("name", flat=True)}
    assert roles == {"Reporter", "Editor", "Moderator", "Ad manager"}

    call_command("load_demo", stdout=None)
    assert [
        model.objects.count() for model in (Article, Section, Author, Tag, Photo, Correction)
    ] == counts
    assert get_user_model().objects.count() == users.count()

    untouched = Article.objects.published().filter(corrections__isnull=True).first()
    response = client.get(untouched.get_absolute_url())
    assert response.status_code == 200
    assert b"Updated <time" not in response.content, "demo articles look freshly edited"


def test_the_demo_password_comes_from_settings(settings):
    settings.DEMO_PASSWORD = "from-the-settings"
    options = Command().create_parser("manage.py", "load_demo").parse_args([])
    assert options.password == "from-the-settings"
