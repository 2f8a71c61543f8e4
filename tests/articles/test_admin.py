"""The editors' admin, driven through its real views as a reporter or an editor would."""

import errno
from datetime import UTC, datetime, timedelta
from io import BytesIO
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles import services
from articles.models import Article, Photo
from tests.admin_pages import form_data, form_errors, logged_in
from tests.articles.test_images import GPS_IFD, encode, gps_exif, make_image, png_declaring
from tests.factories import ArticleFactory, AuthorFactory, ReaderCommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")
PHOTO_ADD_URL = reverse("admin:articles_photo_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_fields(section, **changes):
    """The fields a reporter fills in for a new story."""
    return {
        "headline": "Ferry timetable changes",
        "slug": "ferry-timetable-changes",
        "standfirst": "Fewer crossings on Sundays from March.",
        "body": "<p>The operator announced the change on Monday.</p>",
        "section": str(section.pk),
        "status": Article.Status.DRAFT,
        **changes,
    }


def add_article(client, section, **changes):
    data = form_data(client.get(ADD_URL), **article_fields(section, **changes))
    return client.post(ADD_URL, data)


def change_article(client, article, **changes):
    url = change_url(article)
    return client.post(url, form_data(client.get(url), **changes))


def action_choices(client):
    action_form = client.get(CHANGELIST_URL).context["action_form"]
    return [] if action_form is None else [name for name, _ in action_form.fields["action"].choices]


def run_action(client, action, articles):
    return client.post(
        CHANGELIST_URL,
        {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles], "index": 0},
    )


def media_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


# conftest's editor_client and reporter_client are the one `client` fixture logged in; here
# an editor, a reporter and a reader often act in the same test, each with their own client.
@pytest.fixture
def as_editor(editor):
    return logged_in(editor)


@pytest.fixture
def as_reporter(reporter):
    return logged_in(reporter)


@pytest.fixture
def own_draft(as_reporter, section):
    """A draft the reporter filed through the admin."""
    assert add_article(as_reporter, section).status_code == 302
    return Article.objects.get(slug="ferry-timetable-changes")


# --- Roles -----------------------------------------------------------------------------


def test_the_roles_exist_as_groups(db):
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Reporter",
        "Editor",
        "Moderator",
        "Ad manager",
        "Live editor",
        "Front editor",
    }


# --- Reporters -------------------------------------------------------------------------


def test_add_page_has_byline_and_correction_inlines(as_reporter):
    response = as_reporter.get(ADD_URL)

    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["bylines", "corrections"]
    html = response.content.decode()
    for prefix in prefixes:
        for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            assert f'name="{prefix}-{field}"' in html


def test_reporter_adds_a_draft_and_submits_it_for_review(as_reporter, reporter, section):
    author = AuthorFactory(name="Ada Reyes", user=reporter)
    data = form_data(as_reporter.get(ADD_URL), **article_fields(section))
    data.update({"bylines-0-author": str(author.pk), "bylines-0-position": "0"})

    response = as_reporter.post(ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="ferry-timetable-changes")
    assert article.status == Article.Status.DRAFT
    assert article.created_by == reporter
    assert article.body == "<p>The operator announced the change on Monday.</p>"
    assert article.byline_authors == [author]

    response = change_article(as_reporter, article, status=Article.Status.REVIEW)

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert not article.is_public


def test_reporter_who_publishes_gets_the_form_back_with_a_message(as_reporter, section):
    response = add_article(as_reporter, section, status=Article.Status.PUBLISHED)

    assert response.status_code == 200
    errors = form_errors(response)
    assert "Only editors can publish" in errors["status"][0]
    html = response.content.decode()
    assert "Only editors can publish" in html
    form = response.context["adminform"].form
    assert form["headline"].value() == "Ferry timetable changes"
    assert form["standfirst"].value() == "Fewer crossings on Sundays from March."
    assert form["body"].value() == "<p>The operator announced the change on Monday.</p>"
    assert 'value="Ferry timetable changes"' in html
    assert "Fewer crossings on Sundays from March." in html
    assert "&lt;p&gt;The operator announced the change on Monday.&lt;/p&gt;" in html
    assert not Article.objects.exists()


def test_reporter_cannot_publish_their_own_draft(as_reporter, own_draft):
    response = change_article(
        as_reporter, own_draft, status=Article.Status.PUBLISHED, headline="Now live?"
    )

    assert response.status_code == 200
    assert "Only editors can publish" in form_errors(response)["status"][0]
    assert response.context["adminform"].form["headline"].value() == "Now live?"
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT
    assert own_draft.headline == "Ferry timetable changes"


def test_reporter_cannot_schedule_either(as_reporter, own_draft):
    later = timezone.localtime() + timedelta(days=1)
    response = change_article(
        as_reporter,
        own_draft,
        status=Article.Status.PUBLISHED,
        published_at_0=later.date().isoformat(),
        published_at_1="09:00:00",
    )

    assert response.status_code == 200
    assert "Only editors can publish" in form_errors(response)["status"][0]
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT
    assert own_draft.published_at is None


def test_reporter_neither_sees_nor_changes_another_users_article(as_reporter, section):
    other = ArticleFactory(section=section, status=Article.Status.DRAFT, headline="Not yours")

    listing = as_reporter.get(CHANGELIST_URL)
    assert other not in listing.context["cl"].result_list
    assert "Not yours" not in listing.content.decode()

    response = as_reporter.get(change_url(other))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert response["Location"] == reverse("admin:index")

    response = as_reporter.post(change_url(other), {"headline": "Mine now"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    other.refresh_from_db()
    assert other.headline == "Not yours"

    history = as_reporter.get(reverse("admin:articles_article_history", args=[other.pk]))
    assert history.status_code == 302


def test_reporter_sees_articles_they_are_credited_on(as_reporter, reporter, section):
    credited = ArticleFactory(
        section=section,
        status=Article.Status.DRAFT,
        authors=[AuthorFactory(name="Ada Reyes", user=reporter)],
    )

    listing = as_reporter.get(CHANGELIST_URL)

    assert list(listing.context["cl"].result_list) == [credited]
    assert as_reporter.get(change_url(credited)).status_code == 200


def test_reporter_cannot_change_a_published_article(as_reporter, own_draft, editor):
    services.article_publish(article=own_draft, by=editor)

    page = as_reporter.get(change_url(own_draft))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False  # shown read-only

    response = as_reporter.post(
        change_url(own_draft), form_data(page, headline="Quietly rewritten")
    )

    assert response.status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.headline == "Ferry timetable changes"
    assert own_draft.is_public


def test_reporter_cannot_revert_another_users_article(as_editor, as_reporter, section):
    assert add_article(as_editor, section, headline="Editor's first take").status_code == 302
    article = Article.objects.get()
    assert change_article(as_editor, article, headline="Editor's final take").status_code == 302
    first = Version.objects.get_for_object(article).order_by("pk").first()
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    data = form_data(as_editor.get(revision_url))

    assert as_reporter.get(revision_url)["Location"] == reverse("admin:index")
    response = as_reporter.post(revision_url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    article.refresh_from_db()
    assert article.headline == "Editor's final take"


def test_a_story_reverted_keeps_the_comments_posted_since_in_its_count(as_editor, section):
    assert add_article(as_editor, section, headline="Editor's first take").status_code == 302
    article = Article.objects.get()
    first = Version.objects.get_for_object(article).get()  # no comment yet
    ReaderCommentFactory.create_batch(2, article=article)
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    data = form_data(as_editor.get(revision_url), headline="Editor's first take, again")

    assert as_editor.post(revision_url, data).status_code == 302

    article.refresh_from_db()
    assert article.headline == "Editor's first take, again"
    assert article.comment_count == 2


def test_a_story_saved_as_partly_loaded_keeps_the_rest(editor, section):
    article = ArticleFactory(section=section, body="<p>The full text.</p>")
    partly = Article.objects.only("pk", "headline", "section").get(pk=article.pk)
    partly.headline = "A new headline"
    partly.save()

    article.refresh_from_db()
    assert (article.headline, article.body) == ("A new headline", "<p>The full text.</p>")
    copy = Article.objects.get(pk=article.pk)
    copy.pk, copy.slug = None, "a-copy"
    copy._state.adding = True
    copy.save()
    assert Article.objects.count() == 2


def test_reporter_cannot_unpublish_by_reverting_to_a_draft_version(
    as_reporter, own_draft, as_editor
):
    response = change_article(as_editor, own_draft, status=Article.Status.PUBLISHED)
    assert response.status_code == 302, form_errors(response)
    own_draft.refresh_from_db()
    assert own_draft.is_public
    draft_version = Version.objects.get_for_object(own_draft).order_by("pk").first()
    revision_url = reverse("admin:articles_article_revision", args=[own_draft.pk, draft_version.pk])
    data = form_data(as_editor.get(revision_url))
    assert data["status"] == Article.Status.DRAFT

    response = as_reporter.post(revision_url, data)

    assert response.status_code == 403
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.PUBLISHED


def test_only_editors_may_recover_deleted_articles(as_reporter, as_editor, section):
    assert add_article(as_editor, section, status=Article.Status.PUBLISHED).status_code == 302
    article = Article.objects.get()
    article.delete()
    deleted = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])

    data = form_data(as_editor.get(recover_url))

    assert as_reporter.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    assert as_reporter.post(recover_url, data).status_code == 403
    assert not Article.objects.exists()

    assert as_editor.post(recover_url, data).status_code == 302
    assert Article.objects.get().is_public


# --- Editors ---------------------------------------------------------------------------


def test_editor_publishes_a_draft(as_editor, client, section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None)

    response = change_article(as_editor, draft, status=Article.Status.PUBLISHED)

    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at <= timezone.now()
    assert draft.is_public
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_editor_schedules_an_article_that_appears_at_its_time(as_editor, client, section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None)
    at = (timezone.localtime() + timedelta(days=1)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )

    response = change_article(
        as_editor,
        draft,
        status=Article.Status.PUBLISHED,
        published_at_0=at.date().isoformat(),
        published_at_1="09:30:00",
    )

    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert draft.published_at == at
    assert draft.is_scheduled
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert client.get(draft.get_absolute_url()).status_code == 404
    listing = as_editor.get(CHANGELIST_URL)
    assert "Scheduled" in listing.content.decode()
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_bulk_publish_actions_are_offered_to_editors_only(as_editor, as_reporter, own_draft):
    assert {"publish_selected", "unpublish_selected"} <= set(action_choices(as_editor))
    reporter_actions = action_choices(as_reporter)
    assert "publish_selected" not in reporter_actions
    assert "unpublish_selected" not in reporter_actions


def test_reporter_cannot_run_the_publish_action(as_reporter, own_draft):
    run_action(as_reporter, "publish_selected", [own_draft])

    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.DRAFT


def test_editor_publishes_and_unpublishes_in_bulk(as_editor, section):
    drafts = ArticleFactory.create_batch(
        2, section=section, status=Article.Status.DRAFT, published_at=None
    )
    untouched = ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None)

    response = run_action(as_editor, "publish_selected", drafts)

    assert response.status_code == 302
    assert set(Article.objects.published()) == set(drafts)
    messages = [str(m) for m in as_editor.get(CHANGELIST_URL).context["messages"]]
    assert "2 articles published." in messages

    run_action(as_editor, "unpublish_selected", drafts)

    assert not Article.objects.published().exists()
    for article in [*drafts, untouched]:
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT


def test_publish_now_action_publishes_a_scheduled_article_now(as_editor, section):
    scheduled = ArticleFactory(section=section, published_at=timezone.now() + timedelta(days=2))

    run_action(as_editor, "publish_selected", [scheduled])

    scheduled.refresh_from_db()
    assert scheduled.is_public
    assert scheduled.published_at <= timezone.now()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Harbour tunnel opens to traffic", "Rates held", "Old news"}),
        ("?status__exact=draft", {"Rates held"}),
        ("?status__exact=published", {"Harbour tunnel opens to traffic", "Old news"}),
        ("?section__id__exact={section}", {"Harbour tunnel opens to traffic", "Rates held"}),
        ("?q=tunnel", {"Harbour tunnel opens to traffic"}),
        ("?published_at__year=2019", {"Old news"}),
        ("?published_at__year=2019&published_at__month=3", {"Old news"}),
        ("?published_at__year=2019&published_at__month=3&published_at__day=14", {"Old news"}),
        ("?bylines__author__id__exact={author}", {"Harbour tunnel opens to traffic"}),
        ("?is_must_read__exact=1", {"Old news"}),
        (
            "?published_at__gte=2019-01-01T00:00%2B00:00&published_at__lt=2020-01-01T00:00%2B00:00",
            {"Old news"},
        ),
        (
            "?status__exact=published&section__id__exact={section}&q=harbour",
            {"Harbour tunnel opens to traffic"},
        ),
    ],
)
def test_changelist_filters_searches_and_drills_down_by_date(as_editor, article, query, expected):
    ArticleFactory(section=article.section, status=Article.Status.DRAFT, headline="Rates held")
    ArticleFactory(
        headline="Old news",
        section=SectionFactory(name="Archive"),
        published_at=datetime(2019, 3, 14, 12, tzinfo=UTC),
        is_must_read=True,
        authors=[AuthorFactory(name="Bo Lind")],  # a related filter needs two choices to show
    )
    url = CHANGELIST_URL + query.format(
        section=article.section.pk, author=article.bylines.get().author.pk
    )

    response = as_editor.get(url)

    assert response.status_code == 200
    cl = response.context["cl"]
    assert {a.headline for a in cl.result_list} == expected
    # No date hierarchy (it reads every article's year); the date filter instead.
    assert cl.date_hierarchy is None
    published_at = str(Article._meta.get_field("published_at").verbose_name)
    assert {spec.title for spec in cl.filter_specs} >= {"status", "section", "author", published_at}
    html = response.content.decode()
    for headline in expected:
        assert headline in html


def test_changelist_search_matches_headline_standfirst_and_slug(as_editor, article):
    for query in ["Harbour tunnel", "summary of what happened", "tunnel-opens"]:
        response = as_editor.get(CHANGELIST_URL, {"q": query})
        assert list(response.context["cl"].result_list) == [article], query


# --- Photos ----------------------------------------------------------------------------


def upload_photo(client, image, **fields):
    data = form_data(client.get(PHOTO_ADD_URL), **{"alt_text": "Cranes at dusk", **fields})
    data["image"] = image
    return client.post(PHOTO_ADD_URL, data)


def jpeg_upload(name="cranes.jpg", **options):
    return SimpleUploadedFile(name, encode(make_image(), "JPEG", **options), "image/jpeg")


def test_photo_upload_stores_renditions_without_gps(as_editor, editor):
    response = upload_photo(as_editor, jpeg_upload(exif=gps_exif()))

    assert response.status_code == 302, form_errors(response)
    photo = Photo.objects.get()
    assert photo.created_by == editor
    assert (photo.width, photo.height) == (640, 480)
    assert photo.renditions
    assert {r["format"] for r in photo.renditions} == {"WEBP", "JPEG"}
    for rendition in photo.renditions:
        assert default_storage.exists(rendition["name"]), rendition
    with photo.image.open("rb") as stored:
        data = stored.read()
    image = Image.open(BytesIO(data))
    assert not image.getexif().get_ifd(GPS_IFD)
    assert not image.getexif()
    assert b"PhoneMaker" not in data


def test_reporter_may_upload_photos(as_reporter):
    response = upload_photo(as_reporter, jpeg_upload())

    assert response.status_code == 302, form_errors(response)
    assert Photo.objects.get().renditions


def truncated_jpeg():
    data = encode(make_image(), "JPEG")
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], "image/jpeg")


REFUSED_UPLOADS = {
    "text renamed .jpg": (
        lambda: SimpleUploadedFile("notes.jpg", b"Council meeting notes.\n" * 50, "image/jpeg"),
        "not an image",
    ),
    "truncated JPEG": (truncated_jpeg, "incomplete or damaged"),
    "decompression bomb": (
        lambda: SimpleUploadedFile("bomb.png", png_declaring(20_000, 20_000), "image/png"),
        "Resize it and upload it again",
    ),
    "oversized": (jpeg_upload, "larger than"),
}


@pytest.mark.parametrize("case", REFUSED_UPLOADS)
def test_bad_upload_is_refused_next_to_the_image_field(as_editor, media_root, settings, case):
    make_upload, message = REFUSED_UPLOADS[case]
    if case == "oversized":
        settings.PHOTO_MAX_UPLOAD_BYTES = 10 * 1024

    response = upload_photo(as_editor, make_upload(), caption="Kept caption")

    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == ["image"]
    assert message in errors["image"][0]
    assert errors["image"][0].endswith(".")
    html = response.content.decode()
    assert message in html
    assert response.context["adminform"].form["caption"].value() == "Kept caption"
    assert not Photo.objects.exists()
    assert media_files(media_root) == []


def test_photo_needs_alt_text_unless_decorative(as_editor, media_root):
    response = upload_photo(as_editor, jpeg_upload(), alt_text="")

    assert response.status_code == 200
    assert "Describe the picture in the alt text" in str(form_errors(response))
    assert "Describe the picture in the alt text" in response.content.decode()
    assert not Photo.objects.exists()
    assert media_files(media_root) == []

    response = upload_photo(as_editor, jpeg_upload(), alt_text="", is_decorative="on")

    assert response.status_code == 302, form_errors(response)
    assert Photo.objects.get().is_decorative


def test_editing_a_photo_without_a_new_file_keeps_file_and_renditions(as_editor):
    assert upload_photo(as_editor, jpeg_upload()).status_code == 302
    photo = Photo.objects.get()
    url = reverse("admin:articles_photo_change", args=[photo.pk])

    response = as_editor.post(url, form_data(as_editor.get(url), caption="Cranes, at dusk"))

    assert response.status_code == 302, form_errors(response)
    edited = Photo.objects.get()
    assert edited.caption == "Cranes, at dusk"
    assert (edited.image.name, edited.renditions) == (photo.image.name, photo.renditions)


# --- History ---------------------------------------------------------------------------


def test_history_lists_versions_and_restores_an_old_headline(as_editor, section):
    assert add_article(as_editor, section, headline="Ferry fares rise").status_code == 302
    article = Article.objects.get()
    for headline in ["Ferry fares rise by 5%", "Ferry fares rise by 8%"]:
        response = change_article(as_editor, article, headline=headline)
        assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.headline == "Ferry fares rise by 8%"

    history = as_editor.get(reverse("admin:articles_article_history", args=[article.pk]))

    assert history.status_code == 200
    versions = Version.objects.get_for_object(article).order_by("pk")
    revision_urls = [
        reverse("admin:articles_article_revision", args=[article.pk, version.pk])
        for version in versions
    ]
    assert len(revision_urls) == 3
    assert [entry["url"] for entry in history.context["action_list"]] == revision_urls
    for url in revision_urls:
        assert f'href="{url}"' in history.content.decode()
    revision_url = revision_urls[0]

    page = as_editor.get(revision_url)
    assert page.context["adminform"].form["headline"].value() == "Ferry fares rise"
    article.refresh_from_db()
    assert article.headline == "Ferry fares rise by 8%"  # looking does not revert

    response = as_editor.post(revision_url, form_data(page))

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.headline == "Ferry fares rise"
    assert Version.objects.get_for_object(article).count() == 4


# --- Links on the change page ----------------------------------------------------------


def test_view_on_site_is_shown_only_for_published_articles(as_editor, article, section):
    page = as_editor.get(change_url(article))
    assert page.context["has_absolute_url"] is True
    assert f'<a href="{article.get_absolute_url()}" class="viewsitelink">' in page.content.decode()

    for status in (Article.Status.DRAFT, Article.Status.REVIEW, "scheduled"):
        if status == "scheduled":
            hidden = ArticleFactory(
                section=section, published_at=timezone.now() + timedelta(days=1)
            )
        else:
            hidden = ArticleFactory(section=section, status=status)
        page = as_editor.get(change_url(hidden))
        assert page.context["has_absolute_url"] is False, status
        assert "viewsitelink" not in page.content.decode(), status


def test_draft_change_page_offers_preview_and_share_links(as_editor, client, section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, headline="Draft story")

    html = as_editor.get(change_url(draft)).content.decode()

    preview_url = reverse("articles:preview", args=[draft.pk])
    assert f'href="{preview_url}"' in html
    start = html.index(f'value="{settings.SITE_URL}/preview/share/') + len('value="')
    share_url = html[start : html.index('"', start)]
    assert as_editor.get(preview_url).status_code == 200
    response = client.get(share_url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert b"Draft story" in response.content


def test_slug_change_of_published_article_redirects_old_address(as_editor, client, article):
    old_url = article.get_absolute_url()

    response = change_article(as_editor, article, slug="harbour-tunnel-opens-at-last")

    assert response.status_code == 302, form_errors(response)
    article.refresh_from_db()
    assert article.slug == "harbour-tunnel-opens-at-last"
    redirect = client.get(old_url)
    assert redirect.status_code == 301
    assert redirect["Location"] == article.get_absolute_url()
    assert client.get(redirect["Location"]).status_code == 200


# --- Failures after the form was valid -------------------------------------------------


def checks_that_miss_the_rival_once(*targets):
    """Patches that make each uniqueness check pass once, as when the other editor's
    article is committed just after that check ran."""
    patches = []
    for target in targets:
        real = target.validate_unique
        calls = []

        def first_call_sees_nothing(self, *args, _real=real, _calls=calls, **kwargs):
            _calls.append(1)
            if len(_calls) > 1:
                return _real(self, *args, **kwargs)
            return None

        patches.append(mock.patch.object(target, "validate_unique", first_call_sees_nothing))
    return patches


@pytest.mark.parametrize(
    "missed_by",
    ["the form", "the form and the service"],
    ids=["caught-by-the-service", "caught-by-the-database"],
)
def test_two_editors_saving_the_same_slug_at_once_get_a_form_error_not_a_500(
    as_editor, section, missed_by
):
    ArticleFactory(section=section, slug="harbour-tunnel", headline="Rival story")
    from articles.admin import ArticleAdminForm

    targets = [ArticleAdminForm] + ([Article] if missed_by != "the form" else [])
    patches = checks_that_miss_the_rival_once(*targets)
    for patch in patches:
        patch.start()
    try:
        response = add_article(as_editor, section, slug="harbour-tunnel", headline="Mine")
    finally:
        for patch in patches:
            patch.stop()

    assert response.status_code == 200
    assert "already exists" in str(form_errors(response)["slug"])
    assert response.context["adminform"].form["headline"].value() == "Mine"
    assert list(Article.objects.values_list("headline", flat=True)) == ["Rival story"]


def test_a_full_disk_during_an_upload_gives_a_form_error_and_leaves_no_files(as_editor, media_root):
    def disk_full(name, content):
        raise OSError(28, "No space left on device")

    with mock.patch.object(default_storage, "_save", side_effect=disk_full):
        response = upload_photo(as_editor, jpeg_upload(), caption="Cranes at dusk")

    assert response.status_code == 200
    errors = form_errors(response)
    assert "could not be stored" in str(errors["image"])
    assert response.context["adminform"].form["caption"].value() == "Cranes at dusk"
    assert not Photo.objects.exists()
    assert media_files(media_root) == []


class DiskFillingUp:
    """Stands in for a disk that fills up while the `failing`th file of an upload is
    written: that file's first half is written, then the write fails with ENOSPC, as a
    full disk's does (what was written stays on disk unless someone removes it)."""

    def __init__(self, failing):
        self.failing = failing
        self.files = 0
        self.real_save = default_storage._save

    def save(self, name, content):
        self.files += 1
        if self.files == self.failing:
            content = self.half_then_full(content.read())
        return self.real_save(name, content)

    @staticmethod
    def half_then_full(data):
        class Content:
            def chunks(self):
                yield data[: len(data) // 2]
                raise OSError(errno.ENOSPC, "No space left on device")

        return Content()


@pytest.mark.parametrize(
    "failing", [1, 2, 3], ids=["original", "first-rendition", "last-rendition"]
)
def test_a_disk_filling_up_in_the_middle_of_a_file_leaves_no_partial_files(
    as_editor, media_root, failing
):
    disk = DiskFillingUp(failing)
    with mock.patch.object(default_storage, "_save", side_effect=disk.save):
        response = upload_photo(as_editor, jpeg_upload(), caption="Cranes at dusk")

    assert response.status_code == 200
    assert "could not be stored" in str(form_errors(response)["image"])
    assert disk.files == failing
    assert not Photo.objects.exists()
    assert media_files(media_root) == []  # nor a temporary file


def test_a_file_that_cannot_be_removed_does_not_stop_the_others_being_removed(
    as_editor, media_root, caplog
):
    real_delete = default_storage.delete
    refused = []

    def delete_all_but_the_original(name):
        if name.startswith("photos/20"):
            refused.append(name)
            raise OSError(errno.EIO, "Input/output error")
        real_delete(name)

    disk = DiskFillingUp(failing=3)
    with (
        mock.patch.object(default_storage, "_save", side_effect=disk.save),
        mock.patch.object(default_storage, "delete", side_effect=delete_all_but_the_original),
    ):
        response = upload_photo(as_editor, jpeg_upload())

    assert "could not be stored" in str(form_errors(response)["image"])
    assert [path.relative_to(media_root).as_posix() for path in media_files(media_root)] == refused
    assert f"Could not remove {refused[0]}" in caplog.text


def test_a_disk_failing_half_way_through_the_renditions_leaves_no_files(as_editor, media_root):
    real_save = default_storage._save
    calls = []

    def fail_on_the_third_file(name, content):
        calls.append(name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_save(name, content)

    with mock.patch.object(default_storage, "_save", side_effect=fail_on_the_third_file):
        response = upload_photo(as_editor, jpeg_upload())

    assert response.status_code == 200
    assert len(calls) >= 3
    assert not Photo.objects.exists()
    assert media_files(media_root) == []
