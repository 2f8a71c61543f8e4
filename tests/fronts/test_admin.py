"""The front editor: find, add, reorder (plain forms that work without JavaScript),
override, publish and restore; who may."""

import pytest
from django.urls import reverse

from articles.models import Article
from fronts.models import Card, Front, FrontVersion
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def editor_url(front):
    return reverse("admin:fronts_front_editor", args=[front.pk])


@pytest.fixture
def picked(home_front, block):
    top = block()
    a, b = ArticleFactory(headline="Story A"), ArticleFactory(headline="Story B")
    for position, story in enumerate([a, b]):
        Card.objects.create(container=top, front=home_front, article=story, position=position)
    return top


def order(container):
    return [card.article.headline for card in container.cards.all()]


def test_reporters_cannot_change_fronts_but_editors_and_front_editors_can(
    client, home_front, reporter, editor
):
    client.force_login(reporter)
    assert client.get(editor_url(home_front)).status_code == 403
    front_editor = UserFactory(username="fronts", groups=["Front editor"])
    for user in (editor, front_editor):
        client.force_login(user)
        assert client.get(editor_url(home_front)).status_code == 200
    # A front editor does only this: no stories to edit.
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


def test_the_editor_finds_a_story_and_adds_it(editor_client, home_front, picked):
    story = ArticleFactory(headline="Ferry strike called off")
    response = editor_client.get(editor_url(home_front), {"q": "ferry"})
    assert [s.headline for s in response.context["results"]] == ["Ferry strike called off"]
    response = editor_client.post(
        editor_url(home_front), {"action": "add", "article": story.pk, "container": picked.pk}
    )
    assert response.status_code == 302
    assert order(picked) == ["Story A", "Story B", "Ferry strike called off"]


def test_adding_a_story_twice_says_where_it_is(editor_client, home_front, picked, block):
    other = block("Second")
    story = picked.cards.first().article
    response = editor_client.post(
        editor_url(home_front), {"action": "add", "article": story.pk, "container": other.pk}
    )
    assert response.status_code == 400
    assert "already in “Top stories”" in response.content.decode()


def test_up_and_down_buttons_reorder_without_javascript(editor_client, home_front, picked):
    b = picked.cards.get(article__headline="Story B")
    html = editor_client.get(editor_url(home_front)).content.decode()
    assert 'aria-label="Move “Story B” up"' in html
    editor_client.post(editor_url(home_front), {"action": "move", "card": b.pk, "to": 0})
    assert order(picked) == ["Story B", "Story A"]
    editor_client.post(editor_url(home_front), {"action": "move", "card": b.pk, "to": 1})
    assert order(picked) == ["Story A", "Story B"]


def test_a_bad_override_is_refused_next_to_the_card_with_the_text_kept(
    editor_client, home_front, picked
):
    card = picked.cards.first()
    response = editor_client.post(
        editor_url(home_front),
        {"action": "update", "card": card.pk, f"card-{card.pk}-headline": "Kept text",
         f"card-{card.pk}-photo": "999999", f"card-{card.pk}-kicker": "Live"},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and 'value="Kept text"' in html
    card.refresh_from_db()
    assert card.headline == ""


def test_publish_then_restore(editor_client, editor, home_front, picked):
    response = editor_client.post(editor_url(home_front), {"action": "publish", "at": ""})
    assert response.status_code == 302
    version = FrontVersion.objects.get()
    assert version.created_by == editor and "Story A" in version.summary
    picked.cards.all().delete()
    editor_client.post(editor_url(home_front), {"action": "restore", "version": version.pk})
    assert order(picked.front.containers.get()) == ["Story A", "Story B"]


def test_a_time_in_the_past_is_refused(editor_client, home_front, picked):
    response = editor_client.post(
        editor_url(home_front), {"action": "publish", "at": "2001-01-01T09:00"}
    )
    assert response.status_code == 400
    assert "Choose a time to come" in response.content.decode()
    assert not FrontVersion.objects.exists()


def test_adding_a_front_lays_out_its_draft_as_the_page_is(editor_client, section):
    response = editor_client.post(reverse("admin:fronts_front_add"), {"section": section.pk,
        "containers-TOTAL_FORMS": "0", "containers-INITIAL_FORMS": "0"})  # fmt: skip
    front = Front.objects.get(section=section)
    assert response.status_code == 302 and response["Location"] == editor_url(front)
    assert [c.title for c in front.containers.all()] == ["Top in City", "More City"]


def blocks(front):
    return [container.title for container in front.containers.all()]


def block_post(container, **fields):
    prefix = f"block-{container.pk}" if container else "new-block"
    data = {"title": "Opinion", "layout": "list", "max_cards": "3", "backfill": "latest",
            "backfill_section": "", "backfill_tag": ""}  # fmt: skip
    data.update(fields)
    post = {f"{prefix}-{name}": value for name, value in data.items()}
    if container:
        post["block"] = container.pk
    return post


@pytest.fixture
def three_blocks(home_front, block):
    return [block(title) for title in ("Top stories", "Business", "Sport")]


def test_blocks_are_added_changed_and_removed_in_the_editor(
    editor_client, home_front, three_blocks
):
    url = editor_url(home_front)
    response = editor_client.post(url, {"action": "add_block", **block_post(None)})
    assert response.status_code == 302
    assert blocks(home_front) == ["Top stories", "Business", "Sport", "Opinion"]
    opinion = home_front.containers.get(title="Opinion")
    assert (opinion.layout, opinion.max_cards, opinion.backfill) == ("list", 3, "latest")

    business = three_blocks[1]
    section = SectionFactory(name="Money")
    response = editor_client.post(url, {"action": "update_block", **block_post(
        business, title="Money", layout="grid-3", max_cards="6", backfill="section",
        backfill_section=section.pk)})  # fmt: skip
    assert response.status_code == 302
    business.refresh_from_db()
    assert (business.title, business.layout, business.max_cards, business.backfill_section) == (
        "Money", "grid-3", 6, section,
    )  # fmt: skip

    ArticleFactory(headline="Picked in Sport")
    Card.objects.create(container=three_blocks[2], front=home_front,
                        article=Article.objects.get(headline="Picked in Sport"))  # fmt: skip
    response = editor_client.post(url, {"action": "remove_block", "block": three_blocks[2].pk})
    assert response.status_code == 302
    assert blocks(home_front) == ["Top stories", "Money", "Opinion"]
    assert not Card.objects.exists(), "its picks go with it"
    html = editor_client.get(url).content.decode()
    assert "Block removed: Sport" in html


def test_up_and_down_buttons_reorder_blocks_without_javascript(
    editor_client, home_front, three_blocks
):
    url = editor_url(home_front)
    sport = three_blocks[2]
    html = editor_client.get(url).content.decode()
    assert 'aria-label="Move block “Sport” up"' in html
    editor_client.post(url, {"action": "move_block", "block": sport.pk, "to": 1})
    assert blocks(home_front) == ["Top stories", "Sport", "Business"]
    editor_client.post(url, {"action": "move_block", "block": sport.pk, "to": 0})
    assert blocks(home_front) == ["Sport", "Top stories", "Business"]
    editor_client.post(url, {"action": "move_block", "block": sport.pk, "to": 99})
    assert blocks(home_front) == ["Top stories", "Business", "Sport"]
    assert (
        editor_client.post(url, {"action": "move_block", "block": sport.pk, "to": "-1"}).status_code
        == 403
    )


def test_a_bad_block_is_refused_in_the_page_with_what_was_typed_kept(
    editor_client, home_front, three_blocks
):
    url = editor_url(home_front)
    response = editor_client.post(url, {"action": "add_block", **block_post(
        None, title="Local news", backfill="section", max_cards="40")})  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Local news"' in html
    assert "Ensure this value is less than or equal to 12" in html
    response = editor_client.post(url, {"action": "add_block", **block_post(
        None, title="Local news", backfill="section")})  # fmt: skip
    assert response.status_code == 400
    assert "Choose the section to backfill from" in response.content.decode()
    response = editor_client.post(url, {"action": "update_block", **block_post(
        three_blocks[0], title="")})  # fmt: skip
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert blocks(home_front) == ["Top stories", "Business", "Sport"]


def test_block_changes_are_a_draft_until_published(
    client, editor, editor_client, home_front, three_blocks
):
    from fronts import services

    ArticleFactory(headline="Story")
    services.front_publish(front=home_front, by=editor)
    editor_client.post(
        editor_url(home_front), {"action": "move_block", "block": three_blocks[2].pk, "to": 0}
    )
    assert [c.title for c in client.get("/").context["front"].containers] == ["Top stories"]
    services.front_publish(front=home_front, by=editor)
    assert [c.title for c in client.get("/").context["front"].containers] == ["Sport"]


def test_a_fronts_admin_page_leads_to_its_editor(editor_client, home_front):
    response = editor_client.get(reverse("admin:fronts_front_change", args=[home_front.pk]))
    assert response.status_code == 302 and response["Location"] == editor_url(home_front)
