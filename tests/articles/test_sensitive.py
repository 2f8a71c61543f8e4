"""Sensitive stories: each flag does its one thing in every place the story appears, and
nothing else (a matrix of flags by places), and the places a story must stay in keep it.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ads.placements import REGISTRY
from articles import services
from articles.models import Article, HourlyViews, view_hour
from tests.admin_pages import logged_in
from tests.articles.test_feeds import head_tags, json_ld, rss_channel, sitemap_locations
from tests.articles.test_most_read import most_read_list
from tests.factories import (
    ArticleFactory,
    CreativeFactory,
    LiveEntryFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

FLAGS = {
    "no-advertising": {"hide_ads": True},
    "kept-out-of-promotion": {"keep_out_of_promotion": True},
    "no-social-image": {"hide_social_image": True},
    "comments-off": {"allow_comments": False},
}
BODY = "".join(f"<p>Paragraph {n} of what the family told us.</p>" for n in range(1, 10))
AD_SLOT = re.compile(r'<aside class="ad-slot')


@pytest.fixture
def world(db):
    """The story under test in the Harbour section, with a photo, a live twin, readers'
    views, an older and a newer story beside it, and an ad in every placement."""
    CreativeFactory(placements=[key for key, *_rest in REGISTRY])
    section = SectionFactory(name="Harbour", slug="harbour")
    photo = PhotoFactory(dimensions=(400, 225), alt_text="Flowers left on the quay")
    now = timezone.now()

    def story(headline, hours_ago, **fields):
        return ArticleFactory(
            headline=headline,
            section=section,
            hero_photo=photo,
            body=BODY,
            published_at=now - timedelta(hours=hours_ago),
            **fields,
        )

    earlier = story("Ferry timetable changes for winter", 5)
    subject = story("Fisherman lost off Kestrel Point named by family", 3)
    live = story("Kestrel Point search: live", 2, coverage=Article.Coverage.LIVE)
    for minute in range(21):  # one more than a page: older entries exist
        LiveEntryFactory(article=live, published_at=now - timedelta(minutes=90 - minute))
    later = story("Quay repairs start on Monday", 1)
    for article, views in ((subject, 50), (live, 40), (earlier, 10)):
        HourlyViews.objects.create(article=article, hour=view_hour(now), views=views)
    return {"subject": subject, "live": live, "later": later, "earlier": earlier}


def flag(world, flags):
    """Set `flags` on the story and its live twin, as an editor saving them would."""
    for article in (world["subject"], world["live"]):
        for name, value in flags.items():
            setattr(article, name, value)
        article.save()


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def has_ads(html):
    """Any trace of advertising: a slot, an impression beacon, in-article ads, ads.js."""
    return bool(
        AD_SLOT.search(html)
        or "data-impression" in html
        or "ads.js" in html
        or "Advertisement" in html
    )


def has_social_image(html):
    tags = head_tags(html).meta
    return "og:image" in tags or tags.get("twitter:card") == "summary_large_image"


# Each place the story appears, and what is observed there: True when the flag's
# restriction is in force.
def story_page_without_ads(client, world):
    return not has_ads(page(client, world["subject"].get_absolute_url()))


def live_page_without_ads(client, world):
    return not has_ads(page(client, world["live"].get_absolute_url()))


def older_live_entries_without_ads(client, world):
    html = page(client, world["live"].get_absolute_url())
    older = re.search(r'href="([^"]+)" rel="next"', html).group(1)
    return not has_ads(page(client, older))


def story_page_without_in_article_ads(client, world):
    return "ad-slot--in-article" not in page(client, world["subject"].get_absolute_url())


def left_out_of_more_articles(client, world):
    html = page(client, world["later"].get_absolute_url())
    more = html.split('id="more-heading"', 1)[1].split("</section>", 1)[0]
    assert world["earlier"].headline in more  # the block is there, with another story
    return world["subject"].headline not in more


def left_out_of_most_read_on_home(client, world):
    shown = most_read_list(page(client, "/"))
    assert world["earlier"].headline in shown
    return world["subject"].headline not in shown


def left_out_of_most_read_beside_a_story(client, world):
    shown = most_read_list(page(client, world["earlier"].get_absolute_url()))
    return world["subject"].headline not in shown


def left_out_of_home_backfill(client, world):
    """The lead and the section blocks, the home page's automatic choices."""
    html = page(client, "/")
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return world["subject"].headline not in main


def story_page_without_social_image(client, world):
    html = page(client, world["subject"].get_absolute_url())
    return not has_social_image(html) and "image" not in json_ld(html)


def live_page_without_social_image(client, world):
    return not has_social_image(page(client, world["live"].get_absolute_url()))


def story_page_without_comment_form(client, world):
    html = page(client, world["subject"].get_absolute_url())
    return 'class="comment-form"' not in html and "Comments are closed." in html


def live_page_without_comment_form(client, world):
    return 'class="comment-form"' not in page(client, world["live"].get_absolute_url())


PLACES = {
    "no-advertising": [
        story_page_without_ads,
        story_page_without_in_article_ads,
        live_page_without_ads,
        older_live_entries_without_ads,
    ],
    "kept-out-of-promotion": [
        left_out_of_more_articles,
        left_out_of_most_read_on_home,
        left_out_of_most_read_beside_a_story,
        left_out_of_home_backfill,
    ],
    "no-social-image": [story_page_without_social_image, live_page_without_social_image],
    "comments-off": [story_page_without_comment_form, live_page_without_comment_form],
}
MATRIX = [
    pytest.param(set_flag, place, id=f"{set_flag or 'no-flag'}-{place.__name__}")
    for set_flag in [None, *FLAGS]
    for places in PLACES.values()
    for place in places
]


@pytest.mark.parametrize(("set_flag", "place"), MATRIX)
def test_each_flag_restricts_its_own_places_and_no_other(client, world, set_flag, place):
    if set_flag is not None:
        flag(world, FLAGS[set_flag])

    restricted = place(client, world)

    assert restricted == (set_flag is not None and place in PLACES[set_flag])


def listed_on_section_page(client, world):
    return world["subject"].headline in page(client, "/harbour/")


def listed_in_latest(client, world):
    return world["subject"].headline in page(client, "/latest/")


def listed_in_home_latest(client, world):
    html = page(client, "/")
    return world["subject"].headline in html.split('<main id="main"', 1)[1]


def listed_in_feeds(client, world):
    titles = [item.findtext("title") for item in rss_channel(client, "/feeds/").iter("item")]
    section = rss_channel(client, "/feeds/sections/harbour/").iter("item")
    return world["subject"].headline in titles and world["subject"].headline in [
        item.findtext("title") for item in section
    ]


def listed_in_news_sitemap(client, world):
    url = world["subject"].get_absolute_url()
    return any(
        location.endswith(url) for location in sitemap_locations(client, "/news-sitemap.xml")
    )


def found_by_search(client, world):
    return world["subject"].headline in page(client, "/search/?q=Fisherman")


@pytest.mark.parametrize("set_flag", [None, *FLAGS])
@pytest.mark.parametrize(
    "place",
    [
        listed_on_section_page,
        listed_in_latest,
        listed_in_home_latest,
        listed_in_feeds,
        listed_in_news_sitemap,
        found_by_search,
    ],
    ids=lambda place: place.__name__,
)
def test_a_sensitive_story_stays_where_readers_look_for_it(client, world, set_flag, place):
    if set_flag is not None:
        flag(world, FLAGS[set_flag])

    assert place(client, world)


def test_safe_for_promotion_leaves_out_only_stories_kept_out(world):
    flag(world, {"keep_out_of_promotion": True})

    promotable = set(Article.objects.published().safe_for_promotion())

    assert promotable == {world["earlier"], world["later"]}


def test_an_editor_may_still_pick_a_story_kept_out_of_promotion_as_must_read(client, world):
    flag(world, {"keep_out_of_promotion": True, "is_must_read": True})

    html = page(client, "/")

    must_read = html.split('<section class="must-read', 1)[1].split("</section>", 1)[0]
    assert world["subject"].headline in must_read


# --- Caches and the admin ----------------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.mark.parametrize("set_flag", list(FLAGS))
def test_setting_a_flag_purges_every_cached_page_showing_the_story(
    client, world, editor, page_cache_on, set_flag, django_capture_on_commit_callbacks
):
    urls = ["/", world["subject"].get_absolute_url(), world["later"].get_absolute_url()]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    subject = Article.objects.get(pk=world["subject"].pk)
    for name, value in FLAGS[set_flag].items():
        setattr(subject, name, value)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=subject, by=editor)

    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "miss", url


def test_a_story_kept_out_leaves_the_most_read_list_kept_in_the_cache_at_once(
    client, world, editor, page_cache_on, django_capture_on_commit_callbacks
):
    assert world["subject"].headline in most_read_list(page(client, "/"))
    subject = Article.objects.get(pk=world["subject"].pk)
    subject.keep_out_of_promotion = True

    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=subject, by=editor)

    assert most_read_list(page(client, "/")) == [world["live"].headline, world["earlier"].headline]


def test_the_admin_groups_the_flags_and_filters_by_them(editor, world):
    flag(world, {"hide_ads": True})
    as_editor = logged_in(editor)
    changelist = reverse("admin:articles_article_changelist")

    form_page = as_editor.get(reverse("admin:articles_article_change", args=[world["later"].pk]))
    no_ads = as_editor.get(changelist, {"sensitive": "no-ads"}).context["cl"].result_list
    any_flag = as_editor.get(changelist, {"sensitive": "any"}).context["cl"].result_list
    no_comments = as_editor.get(changelist, {"sensitive": "no-comments"}).context["cl"]

    html = form_page.content.decode()
    assert "Sensitive story" in html
    for field in ("hide_ads", "keep_out_of_promotion", "hide_social_image", "allow_comments"):
        assert f'name="{field}"' in html
    assert "No ad slots anywhere on the story" in html
    assert set(no_ads) == set(any_flag) == {world["subject"], world["live"]}
    assert list(no_comments.result_list) == []
