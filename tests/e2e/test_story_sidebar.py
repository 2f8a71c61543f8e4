"""The Latest list beside a story in a real browser: filled in from the list kept once
(js/latest.js), in place of the link the page comes with; without JavaScript, the link."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stories():
    story = factories.ArticleFactory(
        headline="Harbour wall repaired", published_at=timezone.now() - timedelta(hours=3)
    )
    newer = [
        factories.ArticleFactory(
            headline=f"Council news {n}", published_at=timezone.now() - timedelta(minutes=n)
        )
        for n in range(1, 4)
    ]
    return story, newer


def test_a_storys_latest_list_is_filled_in_by_the_browser(page, stories, settings):
    settings.PAGE_CACHE_SECONDS = 600  # the story's page as the caches keep it
    story, newer = stories
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(story.get_absolute_url())
    latest = page.locator("section.latest")
    latest.locator("ol.latest__list li").first.wait_for()
    items = latest.locator("ol.latest__list li a").all_inner_texts()
    assert items[:3] == [article.headline for article in newer]
    assert latest.locator("h2").text_content() == "Latest"
    assert page.locator("#latest-heading").count() == 1
    assert page.locator("section.latest").count() == 1
    assert latest.locator("a[href='/latest/']").count() == 1
    assert sum(url.endswith("/latest/sidebar/") for url in asked) == 1


def test_without_javascript_a_story_links_to_the_latest_page(make_page, stories):
    story, newer = stories
    page = make_page(java_script_enabled=False)
    page.goto(story.get_absolute_url())
    latest = page.locator("section.latest")
    assert latest.locator("li").count() == 0
    link = latest.locator("a[href='/latest/']")
    assert link.inner_text() == "All the latest news"
    link.click()
    assert page.locator(f"text={newer[0].headline}").count() >= 1
