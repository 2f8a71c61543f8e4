import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from newsroom.roles import (
    AD_MANAGER,
    EDITOR,
    FRONT_EDITOR,
    LIVE_EDITOR,
    MODERATOR,
    REPORTER,
    role_table,
)

# Editors and front editors alike curate the fronts.
FRONTS = (
    "fronts.add_card", "fronts.add_container", "fronts.add_front",
    "fronts.change_card", "fronts.change_container", "fronts.change_front",
    "fronts.delete_card", "fronts.delete_container", "fronts.delete_front",
    "fronts.publish_front", "fronts.view_card", "fronts.view_container",
    "fronts.view_front", "fronts.view_frontversion",
)  # fmt: skip

# The groups as a fresh database had them when the migrations still created them
# (dumped before the roles became one table): the table must give the same, plus the
# breaking-news banner for editors.
EXPECTED = {
    REPORTER: (
        "articles.add_article", "articles.add_byline", "articles.add_photo",
        "articles.add_tag", "articles.change_article", "articles.change_byline",
        "articles.change_photo", "articles.delete_byline", "articles.view_article",
        "articles.view_author", "articles.view_byline", "articles.view_correction",
        "articles.view_photo", "articles.view_section", "articles.view_tag",
        "liveblog.add_liveentry", "liveblog.change_liveentry", "liveblog.delete_liveentry",
        "liveblog.view_liveentry",
    ),
    EDITOR: (
        "articles.add_article", "articles.add_author", "articles.add_breakingnews",
        "articles.add_byline", "articles.add_correction", "articles.add_photo",
        "articles.add_section",
        "articles.add_tag", "articles.change_article", "articles.change_author",
        "articles.change_breakingnews", "articles.change_byline",
        "articles.change_correction", "articles.change_photo",
        "articles.change_section", "articles.change_tag", "articles.delete_article",
        "articles.delete_author", "articles.delete_breakingnews", "articles.delete_byline",
        "articles.delete_correction",
        "articles.delete_photo", "articles.delete_section", "articles.delete_tag",
        "articles.publish_article", "articles.view_article",
        "articles.view_articleslugredirect", "articles.view_author",
        "articles.view_breakingnews", "articles.view_byline",
        "articles.view_correction", "articles.view_photo", "articles.view_section",
        "articles.view_tag", "comments.view_moderationevent",
        *FRONTS,
        "liveblog.add_liveentry", "liveblog.change_liveentry", "liveblog.delete_liveentry",
        "liveblog.publish_liveentry", "liveblog.view_liveentry",
    ),
    MODERATOR: (
        "comments.add_commentban", "comments.add_commentpolicy",
        "comments.change_commentban", "comments.change_commentpolicy",
        "comments.change_moderationrules", "comments.change_readercomment",
        "comments.delete_commentpolicy", "comments.moderate_readercomment",
        "comments.view_commentban", "comments.view_commentpolicy",
        "comments.view_commentreport", "comments.view_moderationevent",
        "comments.view_moderationrules", "comments.view_readercomment",
    ),
    AD_MANAGER: (
        "ads.add_adstxt", "ads.add_advertiser", "ads.add_creative", "ads.add_placement",
        "ads.change_adstxt", "ads.change_advertiser", "ads.change_creative",
        "ads.change_placement", "ads.delete_adstxt", "ads.delete_advertiser",
        "ads.delete_creative", "ads.delete_placement", "ads.enter_html_creative",
        "ads.view_adstxt", "ads.view_advertiser", "ads.view_creative", "ads.view_dailystat",
        "ads.view_placement",
    ),
    LIVE_EDITOR: (
        "liveblog.add_liveentry", "liveblog.change_liveentry", "liveblog.delete_liveentry",
        "liveblog.publish_liveentry", "liveblog.view_liveentry",
    ),
    FRONT_EDITOR: FRONTS,
}  # fmt: skip


def held(name):
    group = Group.objects.get(name=name)
    return tuple(
        sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        )
    )


def permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def migrate():
    call_command("migrate", verbosity=0)


def test_role_table_gathers_each_apps_permissions_into_the_roles():
    table = role_table()

    assert {name: role.permissions for name, role in table.items()} == EXPECTED
    assert all(role.description for role in table.values())


@pytest.mark.django_db
def test_migrate_gives_each_group_exactly_its_roles_permissions():
    # The test database was made by `migrate` from zero, on SQLite or PostgreSQL.
    assert set(Group.objects.values_list("name", flat=True)) == set(EXPECTED)
    for name, permissions in EXPECTED.items():
        assert held(name) == permissions, name


@pytest.mark.django_db
def test_a_permission_taken_from_a_role_by_hand_comes_back_on_migrate():
    Group.objects.get(name=EDITOR).permissions.remove(permission("articles.publish_article"))

    migrate()

    assert held(EDITOR) == EXPECTED[EDITOR]


@pytest.mark.django_db
def test_a_permission_added_to_a_role_by_hand_is_taken_away_on_migrate():
    Group.objects.get(name=REPORTER).permissions.add(permission("articles.publish_article"))

    migrate()

    assert held(REPORTER) == EXPECTED[REPORTER]


@pytest.mark.django_db
def test_a_deleted_role_group_is_made_again_on_migrate():
    Group.objects.filter(name=MODERATOR).delete()

    migrate()

    assert held(MODERATOR) == EXPECTED[MODERATOR]


@pytest.mark.django_db
def test_groups_that_are_not_roles_are_left_alone_by_migrate():
    desk = Group.objects.create(name="Night desk")
    desk.permissions.add(permission("articles.publish_article"))

    migrate()

    assert held("Night desk") == ("articles.publish_article",)


@pytest.mark.django_db(transaction=True)
def test_migrating_articles_to_zero_and_back_keeps_the_roles():
    call_command("migrate", "articles", "zero", verbosity=0)
    migrate()

    for name, permissions in EXPECTED.items():
        assert held(name) == permissions, name
