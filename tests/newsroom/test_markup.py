"""Markup written in Python says what Django's templates would have said."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from articles.templatetags.article_tags import card_html
from newsroom.markup import day_label
from tests.factories import ArticleFactory


def django_date(value, format_string):
    return Template("{{ value|date:format }}").render(
        Context({"value": value, "format": format_string})
    )


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_a_day_label_is_djangos_date_format_in_the_active_language(language):
    with translation.override(language):
        for day in (date(2026, 3, 7), date(2025, 12, 31), date(2024, 5, 1)):
            for format_string in ("M j", "M j, Y"):
                assert day_label(day, format_string) == django_date(day, format_string)
    with translation.override("fr"):
        assert day_label(date(2026, 12, 7), "M j") == "Déc 7"
    with translation.override("en"):
        assert day_label(date(2026, 12, 7), "M j") == "Dec 7"  # not the French kept before


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_day_filter_writes_what_the_date_filter_writes(language):
    day_filter = Template("{% load dates %}{{ value|day:format }}")
    with translation.override(language):
        for day in (date(2026, 12, 8), date(2027, 1, 1)):
            for format_string in ("Y-m-d", "l, F j, Y", "Y"):
                context = Context({"value": day, "format": format_string})
                assert day_filter.render(context) == django_date(day, format_string)
    for nothing in (None, ""):
        assert day_filter.render(Context({"value": nothing, "format": "Y"})) == ""


@pytest.mark.django_db
def test_a_cards_dates_are_djangos_filters_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    published = datetime(2026, 3, 7, 23, 45, 12, 345678, tzinfo=UTC)  # the 8th in Paris
    story = ArticleFactory(published_at=published)
    with timezone.override("Europe/Paris"):
        html = card_html(None, story)
        local = timezone.localtime(published)
        assert f'datetime="{django_date(local, "c")}">{django_date(local, "M j, H:i")}<' in html
    assert 'datetime="2026-03-08T00:45:12.345678+01:00">Mar 8, 00:45<' in html
