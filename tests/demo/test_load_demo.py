"""`manage.py load_demo` builds the newsroom its content files describe, once."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils.html import escape

from ads.models import Advertiser, Creative, Placement
from articles.models import Article, Author, Byline, Correction, Photo, Section, Tag
from comments.models import ReaderComment
from demo import reader
from demo.accounts import DEMO_ACCOUNTS
from demo.ads import ADVERTISERS, HOUSE
from demo.management.commands.load_demo import Command
from newsroom import roles

pytestmark = pytest.mark.django_db

MODELS = (Section, Author, Tag, Article, Byline, Correction, Photo, ReaderComment)
MODELS += (Advertiser, Creative, Creative.placements.through, get_user_model(), Group)


@pytest.fixture
def quick_photos(settings):
    settings.PHOTO_RENDITION_WIDTHS = (480,)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def expected_comments():
    """(article, name, email, text, status, text replied to) of the comments on live
    stories: the others have no page to show them on, so they are not stored."""
    live = {story.slug for story in reader.stories() if is_live(story)}
    entries = reader.comments()
    rows = []
    for c in entries:
        if c.article in live:
            parent = entries[c.reply_to].text if c.reply_to is not None else None
            rows.append((c.article, c.name, c.email, c.text, c.status, parent))
    return Counter(rows)


def stored_comments():
    comments = list(ReaderComment.objects.all())
    texts = {comment.pk: comment.comment for comment in comments}
    slugs = dict(Article.objects.values_list("pk", "slug"))
    rows = []
    for c in comments:
        parent = texts[c.parent_id] if c.parent_id != c.pk else None
        rows.append(
            (slugs[int(c.object_pk)], c.user_name, c.user_email, c.comment, c.status, parent)
        )
    return Counter(rows)


def body(story):
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in story.paragraphs)


def is_live(story):
    return story.status == Article.Status.PUBLISHED and story.hours_ago >= 0


def test_load_demo_builds_the_newsroom_of_its_files_once(client, quick_photos):
    stories = reader.stories()
    call_command("load_demo", stdout=StringIO())

    assert len(stories) >= 40
    assert Section.objects.count() == len(reader.sections())
    assert Author.objects.count() == len(reader.authors())
    assert Tag.objects.count() == len(reader.tags())
    assert Counter(Article.objects.values_list("status", flat=True)) == Counter(
        story.status for story in stories
    )
    assert Article.objects.published().count() == sum(map(is_live, stories))
    assert 0 < Article.objects.published().count() < len(stories), "scheduled ones wait"
    assert Article.objects.must_read().count() == sum(
        story.must_read and is_live(story) for story in stories
    )
    assert Byline.objects.count() == sum(len(story.authors) for story in stories)
    assert Correction.objects.count() == sum(len(story.corrections) for story in stories)
    assert Photo.objects.count() == sum(story.photo is not None for story in stories)
    sanitize = Article._meta.get_field("body").sanitize  # as saving the article does
    assert {(a.slug, a.headline, a.standfirst, a.body) for a in Article.objects.all()} == {
        (story.slug, story.headline, story.standfirst, sanitize(body(story))) for story in stories
    }
    assert stored_comments() == expected_comments()
    assert set(ReaderComment.objects.values_list("status", flat=True)) >= {
        ReaderComment.Status.PUBLIC,
        ReaderComment.Status.PENDING,
        ReaderComment.Status.REMOVED,
    }

    placements = Placement.objects.count()
    assert Advertiser.objects.count() == len({name for name, *_ in [*ADVERTISERS, HOUSE]})
    assert Creative.objects.count() == 2 * placements + 2, "one and a house ad each, 2 more"
    assert Creative.objects.live().count() == 2 * placements
    staff = get_user_model().objects.filter(is_staff=True)
    assert staff.count() == len(DEMO_ACCOUNTS)
    assert set(staff.values_list("groups__name", flat=True)) - {None} == {
        roles.REPORTER,
        roles.EDITOR,
        roles.MODERATOR,
        roles.AD_MANAGER,
    }

    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "0 new articles, 0 new comments, 0 new ads" in out.getvalue()

    untouched = Article.objects.published().filter(corrections__isnull=True).first()
    response = client.get(untouched.get_absolute_url())
    assert response.status_code == 200
    assert b"Updated <time" not in response.content, "demo articles look freshly edited"


def test_the_demo_password_comes_from_settings(settings):
    settings.DEMO_PASSWORD = "from-the-settings"
    options = Command().create_parser("manage.py", "load_demo").parse_args([])
    assert options.password == "from-the-settings"
