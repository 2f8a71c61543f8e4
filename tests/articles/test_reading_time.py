"""Readers are told a long story's reading time and word count, above the body."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Twenty words, in two paragraphs with markup.
PARAGRAPHS = (
    "<p>The harbour tunnel carried its <strong>first</strong> cars at dawn after six years.</p>"
    "<p>Drivers queued from four; crossing takes four minutes.</p>"
)


def test_a_long_story_says_its_reading_time_and_words_above_the_body(client, settings):
    settings.READING_TIME_MIN_WORDS = 600
    settings.READING_WORDS_PER_MINUTE = 230
    article = ArticleFactory(body=PARAGRAPHS * 35)  # 700 words

    assert article.reading_time == {"words": 700, "minutes": 4}
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<p class="article__reading-time">4 min read · 700 words</p>' in html
    assert html.index("article__reading-time") < html.index('class="article__body"')


def test_words_in_two_paragraphs_or_around_markup_are_counted_apart(settings):
    settings.READING_TIME_MIN_WORDS = 1
    article = ArticleFactory.build(body="<p>one</p><p>two <em>three</em></p><ul><li>four</li></ul>")
    assert article.reading_time["words"] == 4


def test_a_short_story_or_a_live_page_says_nothing(client, settings):
    settings.READING_TIME_MIN_WORDS = 600
    short = ArticleFactory(body=PARAGRAPHS * 29)  # 580 words
    live = ArticleFactory(body=PARAGRAPHS * 40, coverage=Article.Coverage.LIVE)
    for article in (short, live):
        assert article.reading_time is None
        assert "min read" not in client.get(article.get_absolute_url()).content.decode()


def test_thousands_are_grouped(client, settings):
    settings.READING_TIME_MIN_WORDS = 600
    article = ArticleFactory(body=PARAGRAPHS * 60)
    assert "6 min read · 1,200 words" in client.get(article.get_absolute_url()).content.decode()
