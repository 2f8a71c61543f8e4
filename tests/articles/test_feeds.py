"""What feed readers and search engines get: RSS, sitemaps, JSON-LD and social meta tags.

Every test parses the real output (XML or JSON) rather than searching it for substrings.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import services
from articles.models import Article, Byline
from articles.previews import preview_token
from articles.sitemaps import INDEXED_SITEMAPS
from articles.sitemaps import index as sitemap_index
from newsroom.cachekeys import Purge, purge_now
from newsroom.pagecache import next_change
from tests.articles.test_views import hidden_articles
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    TagFactory,
)
from tests.queries import count_queries

pytestmark = pytest.mark.django_db

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
DC_NS = "{http://purl.org/dc/elements/1.1/}"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def get_xml(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def rss_channel(client, url, **headers):
    root = get_xml(client, url, **headers)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    return root.find("channel")


def rss_items(client, url):
    return rss_channel(client, url).findall("item")


def item_titles(client, url):
    return [item.findtext("title") for item in rss_items(client, url)]


def sitemap_locations(client, url, **headers):
    root = get_xml(client, url, **headers)
    return [element.text for element in root.iter(f"{SITEMAP_NS}loc")]


def json_ld(html):
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


class HeadTags(HTMLParser):
    """Collects <meta property|name=… content=…> and <link rel=canonical> from a page."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.canonical = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs["content"])
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])


def head_tags(html):
    parser = HeadTags()
    parser.feed(html)
    return parser


@pytest.fixture
def hidden(article):
    """A draft, an article in review and a scheduled one, filed like `article`."""
    return hidden_articles(article.section, article.tags.get(), article.bylines.get().author)


def feed_urls(article):
    return [
        "/feeds/",
        f"/feeds/sections/{article.section.slug}/",
        f"/feeds/authors/{article.bylines.get().author.slug}/",
        f"/feeds/tags/{article.tags.get().slug}/",
    ]


# --- RSS -------------------------------------------------------------------------------


def test_site_feed_describes_the_site_with_absolute_links(client, article):
    channel = rss_channel(client, "/feeds/")

    assert channel.findtext("title") == settings.SITE_NAME
    assert channel.findtext("link") == absolute("/")
    assert channel.findtext("description") == settings.SITE_DESCRIPTION
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == absolute("/feeds/")


@pytest.mark.parametrize(
    ("kind", "slug", "title", "link"),
    [
        ("sections", "city", "City — Newsroom", "/city/"),
        ("authors", "ada-reyes", "Ada Reyes — Newsroom", "/authors/ada-reyes/"),
        ("tags", "transport", "Transport — Newsroom", "/tags/transport/"),
    ],
)
def test_filtered_feed_is_titled_and_linked_to_its_page(client, article, kind, slug, title, link):
    channel = rss_channel(client, f"/feeds/{kind}/{slug}/")

    assert channel.findtext("title") == title
    assert channel.findtext("link") == absolute(link)
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == absolute(f"/feeds/{kind}/{slug}/")


def test_feed_item_has_title_link_date_author_and_category(client, article):
    (item,) = rss_items(client, "/feeds/")

    assert item.findtext("title") == "Harbour tunnel opens to traffic"
    assert item.findtext("link") == absolute(article.get_absolute_url())
    assert item.findtext("description") == article.standfirst
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.published_at.replace(
        microsecond=0
    )
    assert item.findtext(f"{DC_NS}creator") == "Ada Reyes"
    assert [category.text for category in item.findall("category")] == ["City"]


def test_feed_author_credits_every_byline_and_the_agency(client, section):
    ArticleFactory(
        section=section,
        authors=[AuthorFactory(name="Ada Reyes"), AuthorFactory(name="Bo Lind")],
        agency="AFP",
    )

    (item,) = rss_items(client, "/feeds/")

    assert item.findtext(f"{DC_NS}creator") == "Ada Reyes, Bo Lind, AFP"


def test_feed_lists_newest_first(client, section):
    now = timezone.now()
    for hours, headline in [(5, "Oldest"), (1, "Newest"), (3, "Middle")]:
        ArticleFactory(
            section=section, headline=headline, published_at=now - timedelta(hours=hours)
        )

    items = rss_items(client, "/feeds/")

    assert [item.findtext("title") for item in items] == ["Newest", "Middle", "Oldest"]
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert dates == sorted(dates, reverse=True)


def test_feeds_leave_out_drafts_articles_in_review_and_scheduled_ones(client, article, hidden):
    for url in feed_urls(article):
        assert item_titles(client, url) == [article.headline], url


def test_filtered_feeds_list_only_their_own_articles(client, article):
    other = ArticleFactory(
        section=SectionFactory(name="Sport"),
        authors=[AuthorFactory(name="Bo Lind")],
        tags=[TagFactory(name="Football")],
    )

    for url in feed_urls(article)[1:]:
        assert item_titles(client, url) == [article.headline], url
    assert set(item_titles(client, "/feeds/")) == {article.headline, other.headline}


@pytest.mark.parametrize("kind", ["sections", "authors", "tags"])
def test_feed_for_unknown_slug_is_404(client, article, kind):
    assert client.get(f"/feeds/{kind}/no-such-thing/").status_code == 404


def test_feed_guid_survives_headline_slug_and_section_changes(client, article, editor):
    (before,) = rss_items(client, "/feeds/")
    old_link = before.findtext("link")

    article.headline = "Harbour tunnel opening delayed"
    article.slug = "harbour-tunnel-delayed"
    article.section = SectionFactory(name="Transport")
    services.article_save(article=article, by=editor)
    (after,) = rss_items(client, "/feeds/")

    assert after.findtext("title") == "Harbour tunnel opening delayed"
    assert after.findtext("link") != old_link
    assert after.findtext("guid") == before.findtext("guid")
    assert after.find("guid").get("isPermaLink") == "false"


def test_feed_guids_differ_between_articles(client, article):
    ArticleFactory(section=article.section)

    guids = [item.findtext("guid") for item in rss_items(client, "/feeds/")]

    assert len(guids) == len(set(guids)) == 2


# --- Items kept in the shared cache ----------------------------------------------------


@pytest.fixture
def items_kept(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]


@pytest.mark.parametrize("url", ["/feeds/", "section", "tag", "author"])
def test_a_feed_is_the_same_with_its_items_read_or_kept(client, newsroom, items_kept, url):
    url = {
        "section": lambda: f"/feeds/sections/{newsroom['sections'][0].slug}/",
        "tag": lambda: f"/feeds/tags/{newsroom['tags'][0].slug}/",
        "author": lambda: f"/feeds/authors/{newsroom['authors'][0].slug}/",
    }.get(url, lambda: url)()
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        read = client.get(url)
    for when in ("being kept", "kept"):
        response = client.get(url)
        assert response.content == read.content, when
        assert set(response["xkey"].split()) == set(read["xkey"].split()), when
        assert response["Last-Modified"] == read["Last-Modified"], when


def test_a_feed_made_anew_reads_the_ids_of_the_stories_whose_items_are_kept(
    client, newsroom, items_kept, editor, django_capture_on_commit_callbacks
):
    client.get("/feeds/")  # read and kept, with the next scheduled change
    assert count_queries(client, "/feeds/") == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=ArticleFactory(status=Article.Status.DRAFT), by=editor)
    next_change()  # worked out again after the publish, as any page would

    # The ids, then the new story's row and its bylines; the other items are kept.
    assert count_queries(client, "/feeds/") == 3
    assert count_queries(client, "/feeds/") == 1


def test_a_kept_item_is_served_until_a_key_it_shows_is_purged(client, article, items_kept):
    client.get("/feeds/")
    Article.objects.filter(pk=article.pk).update(headline="Changed behind the cache's back")
    assert item_titles(client, "/feeds/") == [article.headline]

    purge_now(Purge(hard={f"article-{article.pk}"}))

    assert item_titles(client, "/feeds/") == ["Changed behind the cache's back"]


def edit_the_story(article, editor):
    article.standfirst = "A new summary."
    services.article_save(article=article, by=editor)


def rename_its_section(article, editor):
    article.section.name = "Harbour and City"
    article.section.save()


def rename_its_author(article, editor):
    author = article.bylines.get().author
    author.name = "Ada Reyes-Lind"
    author.save()


def add_an_author(article, editor):
    Byline.objects.create(article=article, author=AuthorFactory(name="Bo Lind"), position=1)


def caption_its_photo(article, editor):
    article.hero_photo.caption = "The tunnel's mouth at dawn"
    services.photo_save(photo=article.hero_photo)


def end_its_photo_s_licence(article, editor):
    article.hero_photo.licence_ends_at = timezone.now()
    services.photo_save(photo=article.hero_photo)


@pytest.mark.parametrize(
    "change",
    [
        edit_the_story,
        rename_its_section,
        rename_its_author,
        add_an_author,
        caption_its_photo,
        end_its_photo_s_licence,
    ],
)
def test_a_kept_item_is_read_again_when_what_it_shows_changes(
    client, article, items_kept, editor, django_capture_on_commit_callbacks, change
):
    article.hero_photo = PhotoFactory(caption="The tunnel", credit="Harbour Authority")
    article.save()
    before = client.get("/feeds/").content  # read and kept

    with django_capture_on_commit_callbacks(execute=True):
        change(article, editor)

    kept = client.get("/feeds/").content
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        read = client.get("/feeds/").content
    assert kept == read
    assert read != before


# --- Sitemaps --------------------------------------------------------------------------


def indexed_sitemaps(article):
    month = timezone.localtime(article.published_at)
    return [absolute(f"/sitemap-articles-{month:%Y-%m}.xml")] + [
        absolute(f"/sitemap-{name}.xml") for name in INDEXED_SITEMAPS
    ]


def test_sitemap_index_lists_the_months_and_the_other_sitemaps_on_site_url(client, article):
    root = get_xml(client, "/sitemap.xml")

    assert root.tag == f"{SITEMAP_NS}sitemapindex"
    assert sitemap_locations(client, "/sitemap.xml") == indexed_sitemaps(article)


def test_sitemap_index_view_puts_locations_on_site_url_whatever_the_host(rf, article):
    request = rf.get("/sitemap.xml", HTTP_HOST="localhost")

    response = sitemap_index(request)
    response.render()

    root = ET.fromstring(response.content)
    assert [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")] == indexed_sitemaps(article)
    lastmod = root.find(f"{SITEMAP_NS}sitemap/{SITEMAP_NS}lastmod")
    assert datetime.fromisoformat(lastmod.text) == article.modified_at.replace(microsecond=0)


def test_each_sitemap_in_the_index_answers(client, article):
    locations = sitemap_locations(client, "/sitemap.xml")

    assert len(locations) == 1 + len(INDEXED_SITEMAPS)
    for location in locations:
        path = urlsplit(location).path
        assert client.get(path).status_code == 200, path


def test_article_sitemap_lists_only_published_articles_with_lastmod(client, article, hidden):
    root = get_xml(client, "/sitemap-articles.xml")

    urls = root.findall(f"{SITEMAP_NS}url")
    assert [url.findtext(f"{SITEMAP_NS}loc") for url in urls] == [
        absolute(article.get_absolute_url())
    ]
    # A full W3C datetime in the site's time zone, to the second: news changes hourly.
    lastmod = urls[0].findtext(f"{SITEMAP_NS}lastmod")
    expected = timezone.localtime(article.modified_at).replace(microsecond=0).isoformat()
    assert lastmod == expected


def test_news_sitemap_lists_recent_published_articles_with_publication_data(client, article):
    ArticleFactory(section=article.section, published_at=timezone.now() - timedelta(days=3))

    root = get_xml(client, "/news-sitemap.xml")

    (url,) = root.findall(f"{SITEMAP_NS}url")
    assert url.findtext(f"{SITEMAP_NS}loc") == absolute(article.get_absolute_url())
    news = url.find(f"{NEWS_NS}news")
    publication = news.find(f"{NEWS_NS}publication")
    assert publication.findtext(f"{NEWS_NS}name") == settings.SITE_NAME
    assert publication.findtext(f"{NEWS_NS}language") == "en"
    published = datetime.fromisoformat(news.findtext(f"{NEWS_NS}publication_date"))
    assert published == article.published_at
    assert published.tzinfo is not None
    assert news.findtext(f"{NEWS_NS}title") == "Harbour tunnel opens to traffic"


def test_news_sitemap_leaves_out_old_draft_and_scheduled_articles(client, article, hidden):
    ArticleFactory(
        headline="Three days old",
        section=article.section,
        published_at=timezone.now() - timedelta(days=3),
    )

    titles = [
        element.text for element in get_xml(client, "/news-sitemap.xml").iter(f"{NEWS_NS}title")
    ]

    assert titles == [article.headline]


def test_news_sitemap_escapes_headlines(client, section):
    ArticleFactory(section=section, headline="Fish & chips <prices> rise")

    root = get_xml(client, "/news-sitemap.xml")

    assert root.find(f".//{NEWS_NS}title").text == "Fish & chips <prices> rise"


def test_author_and_tag_sitemaps_list_only_those_with_published_articles(client, article, hidden):
    draft_only_author = AuthorFactory(name="Cy Draft")
    draft_only_tag = TagFactory(name="Embargoed")
    ArticleFactory(
        section=article.section,
        status=Article.Status.DRAFT,
        authors=[draft_only_author],
        tags=[draft_only_tag],
    )
    AuthorFactory(name="Di Idle")
    TagFactory(name="Unused")

    assert sitemap_locations(client, "/sitemap-authors.xml") == [absolute("/authors/ada-reyes/")]
    assert sitemap_locations(client, "/sitemap-tags.xml") == [absolute("/tags/transport/")]


def test_section_sitemap_lists_every_section(client, article):
    SectionFactory(name="Sport")

    assert sorted(sitemap_locations(client, "/sitemap-sections.xml")) == [
        absolute("/city/"),
        absolute("/sport/"),
    ]


def test_unknown_sitemap_section_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
    ],
)
def test_absolute_urls_use_site_url_not_the_request_host(client, article, url):
    response = client.get(url, HTTP_HOST="localhost")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    links = [
        element.text or element.get("href")
        for element in root.iter()
        if element.tag in {"link", f"{SITEMAP_NS}loc", "{http://www.w3.org/2005/Atom}link"}
    ]
    assert links
    for link in links:
        assert link.startswith(f"{settings.SITE_URL}/"), link


# --- JSON-LD ---------------------------------------------------------------------------


def test_article_page_describes_the_article_as_news_article(client, article):
    html = client.get(article.get_absolute_url()).content.decode()

    data = json_ld(html)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Harbour tunnel opens to traffic"
    assert data["mainEntityOfPage"] == absolute(article.get_absolute_url())
    assert datetime.fromisoformat(data["datePublished"]) == article.published_at
    assert datetime.fromisoformat(data["dateModified"]) == article.published_at
    assert data["author"] == [
        {"@type": "Person", "name": "Ada Reyes", "url": absolute("/authors/ada-reyes/")}
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == settings.SITE_NAME
    assert data["articleSection"] == "City"
    assert data["keywords"] == ["Transport"]
    assert "image" not in data


def test_json_ld_dates_are_iso_8601_with_time_zone(client, article):
    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    for key in ("datePublished", "dateModified"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)", data[key])


def test_json_ld_lists_every_author_in_byline_order(client, section):
    article = ArticleFactory(
        section=section, authors=[AuthorFactory(name="Bo Lind"), AuthorFactory(name="Ada Reyes")]
    )

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    assert [(a["name"], a["url"]) for a in data["author"]] == [
        ("Bo Lind", absolute("/authors/bo-lind/")),
        ("Ada Reyes", absolute("/authors/ada-reyes/")),
    ]


def test_json_ld_credits_the_agency_when_there_is_no_byline(client, section):
    article = ArticleFactory(section=section, agency="AFP")

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    assert data["author"] == [{"@type": "Organization", "name": "AFP"}]


def test_json_ld_lists_the_hero_photo_in_16_9_4_3_and_1_1_at_1200_pixels(client, section):
    photo = PhotoFactory(dimensions=(2400, 1600))
    article = ArticleFactory(section=section, hero_photo=photo)

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    assert [(image["width"], image["height"]) for image in data["image"]] == [
        (1200, 675),
        (1200, 900),
        (1200, 1200),
    ]
    for image in data["image"]:
        assert image["@type"] == "ImageObject"
        assert image["url"].startswith(f"{settings.SITE_URL}/media/photos/renditions/")
        stored = urlsplit(image["url"]).path.removeprefix(settings.MEDIA_URL)
        with Image.open(photo.image.storage.open(stored)) as stored_image:
            assert stored_image.size == (image["width"], image["height"])


def test_json_ld_lists_the_largest_crop_a_small_photo_allows_never_upscaled(client, section):
    photo = PhotoFactory(dimensions=(1600, 900))
    article = ArticleFactory(section=section, hero_photo=photo)

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    # 900 pixels high: the square crop is 900 wide, the others reach 1200.
    assert [(image["width"], image["height"]) for image in data["image"]] == [
        (1200, 675),
        (1200, 900),
        (900, 900),
    ]


def test_headline_cannot_close_the_json_ld_script(client, section):
    headline = "Tunnel </script><script>alert(1)</script> & more"
    article = ArticleFactory(section=section, headline=headline, slug="tunnel-script")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "</script><script>" not in html
    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"] == headline


@pytest.mark.parametrize("how", ["staff preview", "share link"])
def test_draft_previews_have_no_json_ld(client, editor, section, how):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, headline="Draft story")
    if how == "staff preview":
        client.force_login(editor)
        url = reverse("articles:preview", args=[draft.pk])
    else:
        url = reverse("articles:preview-share", args=[preview_token(draft)])

    response = client.get(url)

    assert response.status_code == 200
    assert b"Draft story" in response.content
    assert b"application/ld+json" not in response.content


# --- OpenGraph, Twitter and canonical --------------------------------------------------


def test_article_page_has_canonical_and_social_tags(client, section):
    photo = PhotoFactory(dimensions=(1600, 900), alt_text="Cranes at dusk")
    article = ArticleFactory(
        section=section,
        headline="Harbour tunnel opens",
        standfirst="Commuters save twenty minutes.",
        hero_photo=photo,
    )
    canonical = absolute(article.get_absolute_url())

    tags = head_tags(client.get(article.get_absolute_url()).content.decode())

    assert tags.canonical == [canonical]
    assert tags.meta["og:type"] == "article"
    assert tags.meta["og:site_name"] == settings.SITE_NAME
    assert tags.meta["og:title"] == "Harbour tunnel opens"
    assert tags.meta["og:description"] == "Commuters save twenty minutes."
    assert tags.meta["og:url"] == canonical
    assert tags.meta["og:image"] == absolute(photo.social_fallback["url"])
    assert "/1.91x1-" in tags.meta["og:image"]  # the social card's own crop
    assert tags.meta["og:image:width"] == "1200"
    assert tags.meta["og:image:height"] == "628"
    assert tags.meta["og:image:alt"] == "Cranes at dusk"
    assert tags.meta["twitter:card"] == "summary_large_image"
    assert tags.meta["twitter:title"] == "Harbour tunnel opens"
    assert tags.meta["twitter:description"] == "Commuters save twenty minutes."
    assert tags.meta["description"] == "Commuters save twenty minutes."
    published = datetime.fromisoformat(tags.meta["article:published_time"])
    assert published == article.published_at


def test_social_image_and_search_description_take_precedence(client, section):
    hero, social = PhotoFactory(), PhotoFactory()
    article = ArticleFactory(
        section=section, hero_photo=hero, social_image=social, seo_description="For sharing."
    )

    tags = head_tags(client.get(article.get_absolute_url()).content.decode())

    assert tags.meta["og:image"] == absolute(social.social_fallback["url"])
    assert tags.meta["og:description"] == "For sharing."
    assert tags.meta["twitter:description"] == "For sharing."


def test_article_without_photo_gets_a_small_twitter_card_and_no_og_image(client, article):
    tags = head_tags(client.get(article.get_absolute_url()).content.decode())

    assert tags.meta["twitter:card"] == "summary"
    assert "og:image" not in tags.meta


def test_canonical_url_ignores_the_request_host(client, article):
    response = client.get(article.get_absolute_url(), HTTP_HOST="localhost")

    tags = head_tags(response.content.decode())

    assert tags.canonical == [absolute(article.get_absolute_url())]
    assert tags.meta["og:url"] == absolute(article.get_absolute_url())


def test_listing_pages_name_their_canonical_address_page_by_page(client, article, settings):
    author = article.bylines.get().author
    tag = article.tags.get()
    for thing in (article.section, tag, author):
        url = thing.get_absolute_url()
        assert head_tags(client.get(url).content.decode()).canonical == [
            f"{settings.SITE_URL}{url}"
        ]
    ArticleFactory.create_batch(25, section=article.section, standfirst="More from the council.")
    url = article.section.get_absolute_url()
    page_two = head_tags(client.get(f"{url}?page=2").content.decode())
    assert page_two.canonical == [f"{settings.SITE_URL}{url}?page=2"]
