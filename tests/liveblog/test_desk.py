"""The live desk: post, edit, publish and delete entries from one admin page, with
plain form POSTs that work without JavaScript."""

import pytest
from django.urls import reverse

from liveblog.models import LiveEntry
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def desk_url(article):
    return reverse("admin:liveblog_desk", args=[article.pk])


def post(client, article, **data):
    return client.post(desk_url(article), {"title": "", "body": "", **data})


def test_the_desk_shows_the_form_above_the_latest_entries(editor_client, live):
    response = editor_client.get(desk_url(live["article"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('name="publish"') < html.index("Latest entries") < html.index("Update 24")
    listed = [entry.pk for entry in response.context["entries"]]
    assert listed[:2] == [live["entries"][-1].pk, live["entries"][-2].pk]


def test_an_editor_posts_an_entry_that_readers_see_at_once(editor_client, client, live):
    author = AuthorFactory(name="Ada Reyes")
    response = post(
        editor_client,
        live["article"],
        title="Bridge closed",
        body="<p>The Quay Street bridge is closed.</p>",
        authors=[author.pk],
        is_key_event="on",
        publish="Publish",
    )
    assert response.status_code == 302 and response["Location"] == desk_url(live["article"])
    entry = LiveEntry.objects.get(title="Bridge closed")
    assert entry.status == LiveEntry.Status.PUBLISHED and entry.is_key_event
    assert list(entry.authors.all()) == [author]
    page = client.get(live["article"].get_absolute_url()).content.decode()
    assert "The Quay Street bridge is closed." in page and "Ada Reyes" in page


def test_a_reporter_saves_a_draft_but_may_not_publish(reporter_client, live):
    response = post(reporter_client, live["article"], body="<p>Draft.</p>", draft="Save draft")
    assert response.status_code == 302
    entry = LiveEntry.objects.get(body="<p>Draft.</p>")
    assert entry.status == LiveEntry.Status.DRAFT
    assert (
        post(reporter_client, live["article"], body="<p>Now.</p>", publish="1").status_code == 403
    )
    assert not LiveEntry.objects.filter(body="<p>Now.</p>").exists()
    html = reporter_client.get(desk_url(live["article"])).content.decode()
    assert 'name="publish"' not in html


def test_an_entry_is_edited_in_place(editor_client, live):
    entry = live["entries"][5]
    form = editor_client.get(desk_url(live["article"]), {"edit": entry.pk}).context["form"]
    assert form.instance == entry
    post(
        editor_client,
        live["article"],
        entry=entry.pk,
        title="Update 5, corrected",
        body=entry.body,
        publish="Publish",
    )
    entry.refresh_from_db()
    assert entry.title == "Update 5, corrected"
    assert LiveEntry.objects.count() == 26


@pytest.mark.parametrize(
    ("action", "left"), [("unpublish", LiveEntry.Status.DRAFT), ("delete", None)]
)
def test_entries_are_unpublished_or_deleted_from_the_desk(editor_client, live, action, left):
    entry = live["entries"][0]
    response = post(editor_client, live["article"], entry=entry.pk, action=action)
    assert response.status_code == 302
    stored = LiveEntry.objects.filter(pk=entry.pk).values_list("status", flat=True).first()
    assert stored == left


def test_the_desk_lists_running_coverage(editor_client, live):
    html = editor_client.get(reverse("admin:liveblog_desk_index")).content.decode()
    assert desk_url(live["article"]) in html
    changelist = editor_client.get(reverse("admin:liveblog_liveentry_changelist"))
    assert reverse("admin:liveblog_desk_index") in changelist.content.decode()


def test_people_without_entry_permissions_have_no_desk(client, live):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, groups=["Moderator"]))
    assert client.get(desk_url(live["article"])).status_code == 403


@pytest.mark.parametrize("edit", ["x", "١", "9" * 30, "1%00"])
def test_an_entry_the_desk_cannot_read_is_not_found(editor_client, live, edit):
    assert editor_client.get(desk_url(live["article"]), {"edit": edit}).status_code == 404
