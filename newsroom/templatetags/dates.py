from datetime import date

from django import template

from newsroom.markup import day_label

register = template.Library()


@register.filter
def day(value: date | None, format_string: str) -> str:
    """``{{ today|day:"l, F j, Y" }}``: ``{{ today|date:"l, F j, Y" }}`` for a date, kept
    for each day, format and language (markup.day_label). Every page writes today's date
    line three times, and Django's filter formats it anew each time. Nothing for no
    date, as the date filter."""
    return day_label(value, format_string) if value else ""
