"""The desk on the article form and the live desk: presence, restore, drafts ended by a
save, and a stale save refused with the differences and the user's text kept."""

import pytest
import time_machine
from django.urls import reverse

from articles import services as article_services
from articles.models import Article
from editing.desk import edit_key
from editing.models import EditSession
from editing.services import edit_session_beat
from liveblog.models import LiveEntry
from tests.admin_pages import form_data, form_errors, logged_in
from tests.factories import ArticleFactory, CorrectionFactory, LiveEntryFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


@pytest.fixture
def story(db):
    return ArticleFactory(
        headline="Ferry timetable changes",
        standfirst="Fewer crossings on Sundays.",
        body="<p>The operator announced the change on Monday.</p><p>Buses replace it.</p>",
        status=Article.Status.DRAFT,
        published_at=None,
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_second_editor_sees_who_has_the_story_open_and_since_when(ada, ben, story):
    with time_machine.travel("2026-12-06 10:42:00+00:00", tick=False):
        logged_in(ada).get(change_url(story))
    with time_machine.travel("2026-12-06 10:42:10+00:00", tick=False):
        html = logged_in(ben).get(change_url(story)).content.decode()

    assert "<strong>Ada Reyes</strong> has been editing this since" in html
    assert '<time datetime="2026-12-06T10:42:00+00:00">10:42</time>' in html
    # Ada, reloading, sees Ben; nobody sees themselves.
    with time_machine.travel("2026-12-06 10:42:20+00:00", tick=False):
        html = logged_in(ada).get(change_url(story)).content.decode()
    assert "<strong>Ben Okafor</strong>" in html and "<strong>Ada Reyes</strong>" not in html


def test_a_stale_save_is_refused_with_the_differences_and_the_text_kept(ada, ben, story):
    as_ada, as_ben = logged_in(ada), logged_in(ben)
    ben_form = form_data(as_ben.get(change_url(story)))
    ada_form = form_data(as_ada.get(change_url(story)))
    # Ada saves first.
    response = as_ada.post(
        change_url(story), {**ada_form, "headline": "Sunday ferries cut from March"}
    )
    assert response.status_code == 302, form_errors(response)

    ben_body = "<p>The operator announced the change on Monday.</p><p>Taxis replace it.</p>"
    response = as_ben.post(change_url(story), {**ben_form, "body": ben_body})

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Sunday ferries cut from March"
    assert "Buses replace it." in story.body
    form = response.context["adminform"].form
    assert form.errors["__all__"][0].startswith("Ada Reyes saved this at ")
    assert "your changes were not saved" in form.errors["__all__"][0]
    html = response.content.decode()
    assert "Taxis replace it." in html  # Ben's text, still in the form
    diff = form.edit_conflict.diff_html
    assert "Sunday&nbsp;ferries&nbsp;cut" in diff and "Ferry&nbsp;timetable" in diff
    assert ">Taxi</span>s" in diff and ">Bu</span>s" in diff  # the changed letters, marked
    assert diff in html

    # Having seen the differences, Ben may save again: his version replaces hers.
    response = as_ben.post(change_url(story), form_data(response))
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.body == ben_body and story.headline == "Ferry timetable changes"


def test_a_form_opened_before_a_publish_cannot_unpublish_the_story_silently(ada, story):
    client = logged_in(ada)
    opened = form_data(client.get(change_url(story)))  # status: draft
    article_services.article_publish(article=story, by=ada)

    response = client.post(change_url(story), opened)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [error.code for error in errors] == ["edit_conflict"]
    assert "their change is in other fields" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_diff_text_from_the_page_is_escaped(ada, ben, story):
    as_ada, as_ben = logged_in(ada), logged_in(ben)
    ben_form = form_data(as_ben.get(change_url(story)))
    as_ada.post(change_url(story), {**form_data(as_ada.get(change_url(story))), "headline": "B"})

    response = as_ben.post(
        change_url(story), {**ben_form, "headline": '<script>alert("x")</script>'}
    )

    diff = response.context["adminform"].form.edit_conflict.diff_html
    assert "<script>" not in diff and "&lt;script&gt;" in diff
    assert "<script>alert" not in response.content.decode()


def test_a_draft_is_offered_restored_and_removed_by_the_save(ada, story):
    client = logged_in(ada)
    opened = form_data(client.get(change_url(story)))
    key = edit_key(Article, story.pk)
    typed = {**opened, "standfirst": "Typed before the crash."}
    with time_machine.travel("2026-12-06 10:42:00+00:00", tick=False):
        edit_session_beat(user=ada, key=key, data=typed)

    html = client.get(change_url(story)).content.decode()
    assert "You have unsaved text from" in html and ">10:42</time>" in html
    assert "?restore_draft=1" in html

    restored = client.get(change_url(story), {"restore_draft": "1"})
    assert restored.context["adminform"].form["standfirst"].value() == "Typed before the crash."
    assert "is back in the form below" in restored.content.decode()

    response = client.post(change_url(story), form_data(restored))
    assert response.status_code == 302, form_errors(response)
    story.refresh_from_db()
    assert story.standfirst == "Typed before the crash."
    assert not EditSession.objects.filter(user=ada, key=key).exists()


def test_a_restored_draft_typed_before_someone_elses_save_is_still_refused(ada, ben, story):
    client = logged_in(ada)
    typed = {**form_data(client.get(change_url(story))), "standfirst": "Old draft."}
    edit_session_beat(user=ada, key=edit_key(Article, story.pk), data=typed)
    article_services.article_publish(article=story, by=ben)

    restored = client.get(change_url(story), {"restore_draft": "1"})
    response = client.post(change_url(story), form_data(restored))

    assert response.status_code == 200
    assert response.context["adminform"].form.edit_conflict.by == "Ben Okafor"


def test_a_new_storys_draft_is_restored_and_ended_by_adding_it(ada):
    section = SectionFactory(name="City", slug="city")
    client = logged_in(ada)
    typed = {**form_data(client.get(ADD_URL)), "headline": "Harbour lights", "slug": "lights"}
    typed["section"] = str(section.pk)
    edit_session_beat(user=ada, key=edit_key(Article), data=typed)

    restored = client.get(ADD_URL, {"restore_draft": "1"})
    form = restored.context["adminform"].form
    assert form["headline"].value() == "Harbour lights"
    assert str(form["section"].value()) == str(section.pk)

    response = client.post(ADD_URL, form_data(restored))
    assert response.status_code == 302, form_errors(response)
    assert Article.objects.get().headline == "Harbour lights"
    assert not EditSession.objects.exists()


def inline_values(response, prefix, field):
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    return [form[field].value() for form in formset.forms]


def test_a_restored_draft_brings_back_its_inline_rows(ada, story):
    correction = CorrectionFactory(article=story, text="The vote was in May.")
    client = logged_in(ada)
    typed = form_data(client.get(change_url(story)))
    typed.update(
        {
            "corrections-0-text": "The vote was in June.",  # changed
            "corrections-0-DELETE": "on",  # and then removed
            "corrections-1-text": "The board met on Tuesday.",  # added
            "corrections-1-kind": "update",
            "corrections-1-created_at_0": "2026-12-06",
            "corrections-1-created_at_1": "10:00:00",
            "corrections-1-article": str(story.pk),
            "corrections-TOTAL_FORMS": "2",
        }
    )
    edit_session_beat(user=ada, key=edit_key(Article, story.pk), data=typed)

    shown = client.get(change_url(story))
    assert inline_values(shown, "corrections", "text") == ["The vote was in May."]
    restored = client.get(change_url(story), {"restore_draft": "1"})
    assert inline_values(restored, "corrections", "text") == [
        "The vote was in June.",
        "The board met on Tuesday.",
    ]
    assert inline_values(restored, "corrections", "DELETE") == [True, False]

    response = client.post(change_url(story), form_data(restored))
    assert response.status_code == 302, form_errors(response)
    assert list(story.corrections.values_list("text", flat=True)) == ["The board met on Tuesday."]
    assert not story.corrections.filter(pk=correction.pk).exists()


def test_a_draft_without_inline_rows_leaves_them_as_stored(ada, story):
    """A draft holding only the main form's fields (a script's, say) restores those."""
    CorrectionFactory(article=story, text="The vote was in May.")
    client = logged_in(ada)
    edit_session_beat(user=ada, key=edit_key(Article, story.pk), data={"headline": "Typed"})

    restored = client.get(change_url(story), {"restore_draft": "1"})
    assert restored.context["adminform"].form["headline"].value() == "Typed"
    assert inline_values(restored, "corrections", "text") == ["The vote was in May."]


def test_one_users_draft_is_never_offered_to_another(ada, ben, story):
    edit_session_beat(user=ada, key=edit_key(Article, story.pk), data={"headline": "Ada's"})
    response = logged_in(ben).get(change_url(story), {"restore_draft": "1"})
    assert "unsaved text" not in response.content.decode()
    assert response.context["adminform"].form["headline"].value() == "Ferry timetable changes"


def test_the_article_form_loads_the_desk_and_a_full_height_body(ada, story):
    html = logged_in(ada).get(change_url(story)).content.decode()
    assert "/static/js/desk.js" in html and "/static/css/desk.css" in html
    assert 'data-count-field="body"' in html and "data-full-height" in html
    assert 'name="edit_version"' in html and 'name="edit_token"' in html


# --- The live desk ---------------------------------------------------------------------


@pytest.fixture
def live_entry(db):
    article = ArticleFactory(headline="Storm Idris live", coverage=Article.Coverage.LIVE)
    return LiveEntryFactory(article=article, title="Bridge closed", body="<p>Quay Street.</p>")


def desk_url(entry):
    return reverse("admin:liveblog_desk", args=[entry.article_id])


def desk_form(response):
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, list):
            data[bound.html_name] = [str(v) for v in value]
        elif value not in (None, False):
            data[bound.html_name] = "on" if value is True else str(value)
    return data


def test_a_stale_live_entry_save_on_the_desk_is_refused_with_the_text_kept(ada, ben, live_entry):
    as_ada, as_ben = logged_in(ada), logged_in(ben)
    opened = desk_form(as_ben.get(desk_url(live_entry), {"edit": live_entry.pk}))
    ada_form = desk_form(as_ada.get(desk_url(live_entry), {"edit": live_entry.pk}))
    html = as_ben.get(desk_url(live_entry), {"edit": live_entry.pk}).content.decode()
    assert "<strong>Ada Reyes</strong> has been editing this since" in html
    as_ada.post(
        desk_url(live_entry),
        {**ada_form, "entry": live_entry.pk, "body": "<p>Reopened.</p>", "draft": "1"},
    )

    response = as_ben.post(
        desk_url(live_entry),
        {**opened, "entry": live_entry.pk, "body": "<p>Closed until noon.</p>", "draft": "1"},
    )

    assert response.status_code == 200
    live_entry.refresh_from_db()
    assert live_entry.body == "<p>Reopened.</p>"
    assert "Ada Reyes saved this at" in response.content.decode()
    assert "Closed until noon." in response.content.decode()
    assert "Reopened." in response.context["form"].edit_conflict.diff_html


def test_the_desk_restores_a_new_entrys_draft_and_a_post_ends_it(ada, live_entry):
    client = logged_in(ada)
    key = edit_key(LiveEntry, within=f"article-{live_entry.article_id}")
    edit_session_beat(user=ada, key=key, data={"title": "Ferries stop", "body": "<p>All.</p>"})
    # Another article's desk offers nothing.
    other = ArticleFactory(coverage=Article.Coverage.LIVE)
    assert (
        "unsaved text"
        not in client.get(reverse("admin:liveblog_desk", args=[other.pk])).content.decode()
    )

    restored = client.get(desk_url(live_entry), {"restore_draft": "1"})
    assert restored.context["form"]["title"].value() == "Ferries stop"
    response = client.post(desk_url(live_entry), {**desk_form(restored), "draft": "1"})

    assert response.status_code == 302
    assert LiveEntry.objects.filter(title="Ferries stop", body="<p>All.</p>").exists()
    assert not EditSession.objects.filter(key=key).exists()


def test_the_entrys_own_admin_form_refuses_a_stale_save(ada, ben, live_entry):
    url = reverse("admin:liveblog_liveentry_change", args=[live_entry.pk])
    as_ben = logged_in(ben)
    opened = form_data(as_ben.get(url))
    live_entry.title = "Changed by Ada"
    live_entry.save()

    response = as_ben.post(url, {**opened, "title": "Ben's title"})

    assert response.status_code == 200
    live_entry.refresh_from_db()
    assert live_entry.title == "Changed by Ada"
