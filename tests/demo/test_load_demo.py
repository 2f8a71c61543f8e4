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
from demo.accounts import DEMO_ACCOUNTS, create_accounts
from demo.ads import ADVERTISERS, HOUSE
from demo.management.commands.load_demo import Command
from fronts.models import Card, Front, FrontVersion
from liveblog.models import LiveEntry
from newsroom import roles

pytestmark = pytest.mark.django_db

MODELS = (Section, Author, Tag, Article, Byline, Correction, Photo, ReaderComment)
MODELS += (Advertiser, Creative, Creative.placements.through, get_user_model(), Group)
MODELS += (LiveEntry, LiveEntry.authors.through, Front, FrontVersion, Card)


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


def block_photos(story):
    """Photos a story's blocks add: one per photo, each of a gallery, an embed's thumbnail."""
    return sum(
        len(block.get("photos", ())) + (block["kind"] in ("photo", "embed"))
        for block in story.blocks
    )


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
    assert Photo.objects.count() == sum(
        (story.photo is not None) + block_photos(story) for story in stories
    )
    sanitize = Article._meta.get_field("body").sanitize  # as saving the article does
    with_blocks = {story.slug for story in stories if story.blocks}
    assert {
        (a.slug, a.headline, a.standfirst, a.body)
        for a in Article.objects.exclude(slug__in=with_blocks)
    } == {
        (story.slug, story.headline, story.standfirst, sanitize(body(story)))
        for story in stories
        if not story.blocks
    }
    for article in Article.objects.filter(slug__in=with_blocks):
        assert article.body == sanitize(article.body), "blocks written as the editor writes them"
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
        roles.LIVE_EDITOR,
        roles.FRONT_EDITOR,
    }

    # The home front, curated: a lead with its own headline, a "Live" story, and
    # backfilled section blocks, each story once.
    assert FrontVersion.objects.count() == Front.objects.count() == len(reader.fronts())
    home = client.get("/")
    cards = [card for block in home.context["front"].containers for card in block.cards]
    lead = cards[0]
    assert lead.pinned and lead.headline != lead.article.headline
    assert lead.headline in home.content.decode()
    assert any(card.kicker == "Live" and card.article.is_live_coverage for card in cards)
    assert any(not card.pinned for card in home.context["front"].containers[-1].cards)
    assert len({card.article.pk for card in cards}) == len(cards)

    running = Article.objects.get(coverage=Article.Coverage.LIVE)
    assert running.live_entries.count() == 25
    assert running.live_entries.filter(is_key_event=True).count() == 2
    assert running.live_entries.filter(is_pinned=True).count() == 1
    # All of them public now, the newest a few minutes old: coverage in progress.
    assert LiveEntry.objects.published().filter(article=running).count() == 25
    page = client.get(running.get_absolute_url()).content.decode()
    assert '<span class="live__label">Live</span>' in page and "data-live-updates" in page
    assert page.count('class="live-entry live-entry--pinned') == 1
    summary = page[
        page.index("data-live-key-events") : page.index(
            "</nav>", page.index("data-live-key-events")
        )
    ]
    for key_event in running.live_entries.filter(is_key_event=True):
        assert escape(key_event.title) in summary
    closed = Article.objects.get(coverage=Article.Coverage.CLOSED)
    assert closed.coverage_ended_at is not None
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "This live coverage has ended" in page and "Everyone ashore" in page

    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "0 new articles, 0 new comments, 0 new ads" in out.getvalue()
    assert "0 new fronts" in out.getvalue()

    untouched = Article.objects.published().filter(corrections__isnull=True).first()
    response = client.get(untouched.get_absolute_url())
    assert response.status_code == 200
    assert b"Updated <time" not in response.content, "demo articles look freshly edited"


def test_the_demo_password_comes_from_settings(settings):
    settings.DEMO_PASSWORD = "from-the-settings"
    options = Command().create_parser("manage.py", "load_demo").parse_args([])
    assert options.password == "from-the-settings"


def test_every_demo_account_signs_in_with_its_password_alone_in_development(settings, client):
    from newsroom.settings import dev

    settings.MFA_REQUIRED_ROLES = dev.MFA_REQUIRED_ROLES
    create_accounts("demo-password")
    for username, _, _ in DEMO_ACCOUNTS:
        response = client.post(
            "/admin/login/",
            {"username": username, "password": "demo-password", "next": "/admin/"},
        )
        assert response["Location"] == "/admin/", username
        assert client.get("/admin/").status_code == 200, username
        client.post("/admin/logout/")


def test_the_demo_has_a_sensitive_story_kept_off_promotion_ads_and_comments(client, quick_photos):
    call_command("load_demo", stdout=StringIO())
    story = Article.objects.get(slug="tributes-to-kestrel-bay-harbor-pilot")

    html = client.get(story.get_absolute_url()).content.decode()

    assert story.hide_ads and story.keep_out_of_promotion and story.hide_social_image
    assert not story.allow_comments
    assert 'class="ad-slot' not in html and 'property="og:image"' not in html
    assert "Comments are closed." in html
    assert story not in Article.objects.safe_for_promotion()
    assert story.headline not in client.get("/").content.decode().split("</main>")[0]


def test_the_demo_has_a_story_using_each_block(client, quick_photos):
    kinds = {block["kind"] for story in reader.stories() for block in story.blocks}
    assert kinds == {"photo", "gallery", "heading", "pull_quote", "fact_box", "table", "embed"}
    call_command("load_demo", stdout=StringIO())
    story = next(story for story in reader.stories() if story.blocks)
    page = client.get(Article.objects.get(slug=story.slug).get_absolute_url()).content.decode()
    for marker in (
        'class="body-photo body-photo--full"',
        'class="body-photo body-photo--inset"',
        'class="gallery"',
        'class="pull-quote"',
        'class="fact-box"',
        'class="table-figure"',
        "Load content from YouTube",
    ):
        assert marker in page, marker
