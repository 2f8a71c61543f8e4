"""Site search: PostgreSQL full-text search with ranking and highlighted excerpts, and a
plain substring fallback on SQLite, behind one queryset method and one excerpt function."""

import html
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

SEARCH_CONFIG = "english"
MAX_TERMS = 8
EXCERPT_CHARS = 240
# Private-use characters mark matches, so highlighting survives escaping untouched.
MARK_START, MARK_END = "\ue000", "\ue001"


def search_terms(query: str) -> list[str]:
    return [term for term in re.split(r"\W+", query.lower()) if term][:MAX_TERMS]


class StripTags(Func):
    """The text of an HTML column, for PostgreSQL's headline builder."""

    function = "regexp_replace"
    template = "%(function)s(%(expressions)s, '<[^>]*>', ' ', 'g')"


# Generated and GIN-indexed by PostgreSQL (migration 0004), not a model field.
STORED_VECTOR = RawSQL('"articles_article"."search_vector"', [], output_field=SearchVectorField())


def search_articles(queryset, query: str):
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.alias(search=STORED_VECTOR)
            .filter(search=search_query)
            .annotate(
                rank=SearchRank(STORED_VECTOR, search_query),
                search_excerpt=SearchHeadline(
                    StripTags("body"),
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=40,
                    min_words=20,
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    matches = Q()
    for term in terms:
        matches &= (
            Q(headline__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        )
    return (
        queryset.filter(matches)
        .annotate(
            rank=Case(
                When(headline__icontains=terms[0], then=Value(2)),
                When(standfirst__icontains=terms[0], then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by(F("rank").desc(), "-published_at", "-pk")
    )


def _fallback_excerpt(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    positions = [pos for term in terms if (pos := lowered.find(term)) >= 0]
    start = max(min(positions, default=0) - EXCERPT_CHARS // 3, 0)
    snippet = text[start : start + EXCERPT_CHARS]
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    snippet = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", snippet)
    return ("…" if start else "") + snippet + ("…" if start + EXCERPT_CHARS < len(text) else "")


def excerpt_html(article, query: str) -> str:
    """A passage of the article around the query, matches in <mark>, everything else escaped."""
    excerpt = getattr(article, "search_excerpt", None)
    if excerpt is None:
        text = html.unescape(strip_tags(article.body)) or article.standfirst
        excerpt = _fallback_excerpt(" ".join(text.split()), search_terms(query))
    else:
        excerpt = html.unescape(excerpt)
    # Everything but our own private-use match markers is escaped.
    escaped = escape(excerpt).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(escaped)  # noqa: S308  # nosec B308 B703
