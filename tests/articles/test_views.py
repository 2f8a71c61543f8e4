import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from newsroom import links
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def hidden_articles(section, tag, author):
    """A draft, an article in review and a scheduled one, all of which readers must not see."""
    common = {"section": section, "tags": [tag], "authors": [author], "is_must_read": True}
    return [
        ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT, **common),
        ArticleFactory(headline="Secret review", status=Article.Status.REVIEW, **common),
        ArticleFactory(
            headline="Secret scheduled",
            published_at=timezone.now() + timedelta(hours=3),
            **common,
        ),
    ]


@pytest.fixture
def visible_and_hidden(article):
    tag, author = article.tags.get(), article.bylines.get().author
    return article, hidden_articles(article.section, tag, author)


PUBLIC_PAGES = [
    lambda a: "/",
    lambda a: "/latest/",
    lambda a: a.get_absolute_url(),
    lambda a: a.section.get_absolute_url(),
    lambda a: a.tags.get().get_absolute_url(),
    lambda a: a.bylines.get().author.get_absolute_url(),
    lambda a: "/search/?q=secret",
    lambda a: "/search/?q=harbour",
    lambda a: "/feeds/",
    lambda a: reverse("articles:section-feed", args=[a.section.slug]),
    lambda a: reverse("articles:tag-feed", args=[a.tags.get().slug]),
    lambda a: reverse("articles:author-feed", args=[a.bylines.get().author.slug]),
    lambda a: "/sitemap-articles.xml",
    lambda a: "/news-sitemap.xml",
]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_unpublished_articles_never_appear_on_public_pages(client, visible_and_hidden, page):
    article, hidden = visible_and_hidden
    response = client.get(page(article))
    assert response.status_code == 200
    content = response.content.decode()
    for secret in hidden:
        assert secret.headline not in content
        assert secret.slug not in content


@pytest.mark.parametrize("status", ["draft", "review", "scheduled"])
def test_a_tag_of_no_published_story_has_no_page_nor_feed(client, section, status):
    """Tags made for stories not yet out answer 404, like a slug never used, so the
    names of planned stories cannot be probed."""
    later = timezone.now() + timedelta(days=1)
    fields = (
        {"status": "published", "published_at": later}
        if status == "scheduled"
        else {"status": status, "published_at": None}
    )
    planned = TagFactory(name="Merger talks", slug="merger-talks")
    ArticleFactory(section=section, tags=[planned], **fields)
    unused = TagFactory(name="Unused", slug="unused")
    for tag in (planned, unused):
        assert client.get(f"/tags/{tag.slug}/").status_code == 404
        assert client.get(f"/feeds/tags/{tag.slug}/").status_code == 404
    ArticleFactory(section=section, tags=[planned])
    assert client.get("/tags/merger-talks/").status_code == 200
    assert client.get("/feeds/tags/merger-talks/").status_code == 200


def test_unpublished_article_pages_answer_404(client, visible_and_hidden):
    _, hidden = visible_and_hidden
    for secret in hidden:
        assert client.get(secret.get_absolute_url()).status_code == 404


def test_article_page_shows_the_story(client, section):
    photo = PhotoFactory(caption="Cranes at dusk", credit="AFP", dimensions=(1600, 900))
    author = AuthorFactory(name="Ada Reyes")
    article = ArticleFactory(
        section=section,
        headline="Harbour tunnel opens",
        standfirst="Commuters save twenty minutes.",
        body="<p>First paragraph.</p>",
        hero_photo=photo,
        authors=[author],
        agency="Coastline Press",
        dateline="PORT ALDER",
        tags=[TagFactory(name="Transport")],
    )
    CorrectionFactory(article=article, text="The tunnel is 2km long, not 3km.")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<h1" in html and "Harbour tunnel opens" in html
    assert "Commuters save twenty minutes." in html
    assert f'href="{author.get_absolute_url()}"' in html
    assert "Coastline Press" in html
    assert "PORT ALDER" in html
    assert "Cranes at dusk" in html and "AFP" in html
    assert re.search(r'<source type="image/webp" srcset="[^"]+ 480w, [^"]+ 800w', html)
    assert re.search(r'<img src="[^"]+\.jpg"[^>]* width="1200" height="675"', html)
    assert "The tunnel is 2km long, not 3km." in html
    assert ">Transport</a>" in html


def test_article_page_lists_earlier_stories_on_its_subject_and_its_browser_the_latest(
    client, article, settings
):
    """More articles are earlier stories of the same section, newest first: stories
    published later never change them; the Latest list, which they do change, is
    filled in in the browser from a list of its own (so publishing a story purges that
    list and no other story's page)."""
    hours = [timedelta(hours=n) for n in range(1, 7)]
    earlier = [
        ArticleFactory(section=article.section, published_at=article.published_at - h)
        for h in hours
    ]
    later = [
        ArticleFactory(section=article.section, published_at=timezone.now() - h / 100)
        for h in hours
    ]
    ArticleFactory(published_at=article.published_at - hours[0])  # another section
    settings.SURROGATE_KEY_HEADERS = [("xkey", " ")]
    response = client.get(article.get_absolute_url())
    assert response.context["more_articles"] == earlier[:4]
    html = response.content.decode()
    assert 'data-latest-list="/latest/sidebar/"' in html
    assert 'href="/latest/"' in html  # without JavaScript
    assert later[0].headline not in html
    assert "latest" not in response["xkey"].split()
    assert 'src="/static/js/latest.js"' in html
    listed = client.get("/latest/sidebar/")
    assert listed.context["articles"][: len(later)] == later
    assert "latest" in listed["xkey"].split()


def test_a_story_page_keeps_none_of_its_own_addresses(client, section):
    """The addresses every page writes are remembered (newsroom.links.reverse_kept), a
    story's own are not: there are a million, which would push the others out."""
    author = AuthorFactory()
    stories = [ArticleFactory(section=section, authors=[author]) for _ in range(3)]
    client.get(stories[0].get_absolute_url())
    remembered = links._reversed.cache_info().currsize
    for story in stories[1:]:
        assert client.get(story.get_absolute_url()).status_code == 200
    assert links._reversed.cache_info().currsize == remembered


@pytest.mark.parametrize(
    "change",
    [
        {"slug": "renamed-story"},
        {"section": "other"},
        {"published_at": timezone.now() - timedelta(days=9)},
    ],
)
def test_changed_address_answers_301_to_the_new_one(client, article, editor, change):
    old_url = article.get_absolute_url()
    if change.get("section") == "other":
        change = {"section": SectionFactory(name="Politics")}
    for field, value in change.items():
        setattr(article, field, value)
    services.article_save(article=article, by=editor)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_wrong_date_in_address_redirects_to_canonical(client, article):
    kwargs = {**article.url_kwargs(), "year": 2001}
    response = client.get(reverse("articles:detail", kwargs=kwargs))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_old_slug_of_unpublished_article_is_404(client, article, editor):
    old_url = article.get_absolute_url()
    article.slug = "moved"
    services.article_save(article=article, by=editor)
    services.article_unpublish(article=article, by=editor)
    assert client.get(old_url).status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "1.5", "%00", "9" * 40])
def test_search_pagination_never_fails(client, article, page):
    """Listings answer 404 to a page they do not have (tests/articles/test_listing_pages.py)."""
    ArticleFactory.create_batch(25, section=article.section, standfirst="The council met.")
    response = client.get(f"/search/?q=council&page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.num_pages == 2
    # Django's get_page(): a number out of range shows the last page, not a number the
    # first.
    expected = 1 if page in ("abc", "1.5", "%00") else 2
    assert response.context["page_obj"].number == expected


def test_search_page_shows_highlighted_excerpt(client, section):
    ArticleFactory(
        section=section,
        headline="Harbour dredging begins",
        body="<p>Dredgers arrived at dawn. The harbour will be closed for a week.</p>",
    )
    response = client.get("/search/", {"q": "harbour"})
    html = response.content.decode()
    assert "1 result for" in html
    assert re.search(r"<mark>harbour</mark>", html, re.IGNORECASE)


def test_search_escapes_what_the_reader_typed(client, article):
    response = client.get("/search/", {"q": '<script>alert("x")</script>'})
    assert response.status_code == 200
    assert b'<script>alert("x")' not in response.content


@pytest.mark.parametrize("query", ["\x00", "a" * 201, "tram\x00works"])
def test_search_refuses_bad_input_with_a_message(client, article, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_anonymous_pages_set_no_cookie_and_are_cacheable(client, article):
    # At midday: within 60 s of midnight, the date line would bound s-maxage instead.
    midday = timezone.localtime().replace(hour=12, minute=0) + timedelta(days=1)
    for url in ["/", article.get_absolute_url(), article.section.get_absolute_url(), "/feeds/"]:
        with time_machine.travel(midday):
            response = client.get(url)
        assert not response.cookies, url
        assert "public" in response["Cache-Control"], url
        assert "s-maxage=60" in response["Cache-Control"], url
        assert "max-age=0" in response["Cache-Control"], url
        assert response.has_header("ETag"), url
    assert client.get(article.get_absolute_url()).has_header("Last-Modified")


def test_matching_etag_answers_304(client, article):
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304


def test_logged_in_pages_are_private(editor_client, article):
    response = editor_client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"]


def test_home_page_has_date_line_lead_must_read_latest_and_sections(client, newsroom, settings):
    response = client.get("/")
    html = response.content.decode()
    today = timezone.localdate()
    assert today.strftime("%A, %B ") + str(today.day) + today.strftime(", %Y") in html
    assert response.context["front"].lead is not None
    assert "Must read" in html and "Latest" in html
    blocks = [c for c in response.context["front"].containers if c.backfill == "section"]
    assert [block.section for block in blocks] == newsroom["sections"]
    for block in blocks:
        assert 1 <= len(block.cards) <= 4


def test_preview_is_for_staff_who_may_edit(client, reporter, editor, section):
    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, headline="Draft story")
    url = reverse("articles:preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(reporter)
    assert client.get(url).status_code == 404  # not theirs
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert b"Draft story" in response.content
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_share_link_shows_draft_without_account_until_it_expires(client, section, settings):
    from articles.previews import preview_token

    draft = ArticleFactory(section=section, status=Article.Status.DRAFT, headline="Shared draft")
    url = reverse("articles:preview-share", args=[preview_token(draft)])
    response = client.get(url)
    assert response.status_code == 200 and b"Shared draft" in response.content
    assert "no-cache" in response["Cache-Control"]
    settings.PREVIEW_LINK_MAX_AGE = -1
    assert client.get(url).status_code == 404
    assert client.get(url[:-3] + "xyz/").status_code == 404


def test_404_page_is_styled(client, db):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert b"We can\xe2\x80\x99t find that page" in response.content


def test_500_page_is_styled_and_needs_no_database(rf, django_assert_num_queries):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"/static/css/site.css" in response.content


def test_robots_txt_lists_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_the_navigation_marks_the_section_being_read(client, article):
    other = SectionFactory(name="Business", slug="business")
    for url in (article.section.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
        assert current == [article.section.get_absolute_url()], url
    assert 'aria-current="page"' not in client.get("/").content.decode()
    assert other.get_absolute_url() in client.get("/latest/").content.decode()
