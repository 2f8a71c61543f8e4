"""The comment counts on a list's cards in a real browser: a list kept from before an
approval (an approval purges no list) still shows the new count, brought up to date by
js/comment-counts.js from its block's counts (comments.counts); without JavaScript,
the count of the render."""

import pytest

from comments import services
from comments.models import ReaderComment
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

Status = ReaderComment.Status


@pytest.fixture
def stories(settings, section):
    settings.PAGE_CACHE_SECONDS = 600  # the lists as the caches keep them
    talked_about = factories.ArticleFactory(headline="Harbour wall repaired", section=section)
    quiet = factories.ArticleFactory(headline="Library hours extended", section=section)
    factories.ReaderCommentFactory(article=talked_about)
    waiting = [
        factories.ReaderCommentFactory(article=story, status=Status.PENDING)
        for story in (talked_about, quiet)
    ]
    return talked_about, quiet, waiting


def counts_shown(page, *stories):
    return [
        page.locator(f"a.card__comments[data-story='{story.pk}']").first.evaluate(
            "link => link.hidden ? null : link.textContent"
        )
        for story in stories
    ]


def test_a_kept_list_shows_the_counts_of_now(make_page, stories, section):
    talked_about, quiet, waiting = stories
    url = section.get_absolute_url()
    page = make_page()
    kept = page.goto(url).text()
    page.wait_for_load_state("networkidle")
    assert counts_shown(page, talked_about, quiet) == ["1 comment", None]

    services.comments_moderate(comments=waiting, status=Status.PUBLIC, by=None)

    # The list as a cache in front kept it, from before the approval.
    page.route(f"**{url}", lambda route: route.fulfill(body=kept, content_type="text/html"))
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.reload()
    page.locator(f"a.card__comments[data-story='{quiet.pk}']:not([hidden])").wait_for()
    assert counts_shown(page, talked_about, quiet) == ["2 comments", "1 comment"]
    assert page.locator(f"a.card__comments[data-story='{quiet.pk}']").first.get_attribute(
        "href"
    ) == (quiet.get_absolute_url() + "#comments")
    # One request for each block of story numbers the page's cards name.
    blocks = set(
        page.locator("a.card__comments").evaluate_all(
            "links => links.map(link => link.dataset.commentCounts)"
        )
    )
    assert len([url for url in asked if "/comment-counts/" in url]) == len(blocks)


def test_without_javascript_a_list_shows_the_counts_of_its_render(make_page, stories, section):
    talked_about, quiet, _waiting = stories
    page = make_page(java_script_enabled=False)
    page.goto(section.get_absolute_url())
    assert counts_shown(page, talked_about, quiet) == ["1 comment", None]
