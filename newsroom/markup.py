"""Markup written in Python where the template engine costs too much: inside loops that
a cold page runs dozens of times (a list's cards, a thread's comments). The template
engine's few microseconds a tag (an include, a reversed URL, a filter, an escape through
format_html each) made up most of such a page's render (make bench: "CPU, no
fragments" and "a page nobody has read")."""

import html
from datetime import date
from functools import lru_cache

from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def format_markup(template, **values):
    """format_html at a fifth of its cost: SafeString values as they are, every other
    value escaped (html.escape, as django.utils.html.escape)."""
    escaped = {
        key: value if isinstance(value, SafeString) else html.escape(str(value))
        for key, value in values.items()
    }
    return mark_safe(template.format_map(escaped))  # noqa: S308  # nosec B308 B703


NOTHING = format_markup("")
NEWLINE = format_markup("\n")


def day_label(day: date, format_string: str) -> str:
    """{{ day|date:format_string }} ("M j"): Django's format, with the month's name in
    the active language, kept for each day, format and language; a list writes a date
    on each of its cards, and Django's formatter costs as much as the rest of a date."""
    return _day_label(day, format_string, get_language())


@lru_cache(maxsize=2048)
def _day_label(day: date, format_string: str, language: str | None) -> str:
    return dateformat.format(day, format_string)
