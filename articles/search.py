"""Site search: PostgreSQL full-text search with ranking and highlighted excerpts, and a
plain substring fallback on SQLite, behind one matching rule, one bounded ranking and one
excerpt function.

A search ranks the newest SEARCH_CANDIDATES stories that match, never every match: a
common word matches most of a ten-year archive, and ranking (or counting) all of them
reads each one's vector from TOAST. Readers of a news site want recent stories first, so
the newest matches are the ones worth ranking; past the cap the page says "1,000+".
"""

import html
import re
from functools import cached_property
from operator import itemgetter

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Expression, Func, IntegerField, Q, Value, When
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

SEARCH_CONFIG = "english"
SEARCH_CANDIDATES = 1_000
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


class StoredVector(Expression):
    """The article's search_vector column: generated and GIN-indexed by PostgreSQL
    (migration 0004), not a model field. Named through the query's own alias for the
    table, which is another one inside a subquery."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.search_vector", []


STORED_VECTOR = StoredVector()


def _full_text_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def matching(queryset, query: str):
    """The articles of `queryset` that match `query`: through the stored, GIN-indexed
    vector on PostgreSQL; with every term in the headline, standfirst or body on SQLite."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.alias(search=STORED_VECTOR).filter(search=_full_text_query(query))
    matches = Q()
    for term in terms:
        matches &= (
            Q(headline__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        )
    return queryset.filter(matches)


def _relevance(query: str):
    if connection.vendor == "postgresql":
        # Weighted by where a word is: headline (A), standfirst (B), body (C).
        return SearchRank(STORED_VECTOR, _full_text_query(query))
    first = search_terms(query)[0]
    return Case(
        When(headline__icontains=first, then=Value(2)),
        When(standfirst__icontains=first, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


class SearchResults:
    """The newest SEARCH_CANDIDATES articles of `queryset` that match `query`, most
    relevant first, for a Paginator: the ranking is one query over the candidates' ids,
    and a page's articles (with their highlighted excerpts) are read when it is sliced.

    The candidates are the newest matches: the database walks the stories newest first
    and stops at the cap for a common word, or takes the few matches of a rare one from
    the GIN index; either way it ranks at most SEARCH_CANDIDATES vectors.
    """

    cap_label = f"{SEARCH_CANDIDATES:,}"

    def __init__(self, queryset, query: str):
        self.queryset = queryset
        self.query = query

    def newest_matches(self):
        """The ids of the newest matches, one more than the cap to tell whether there
        are more."""
        return (
            matching(self.queryset, self.query)
            .order_by("-published_at", "-pk")
            .values("pk")[: SEARCH_CANDIDATES + 1]
        )

    def candidates(self):
        """The one query of the ranking: (pk, published_at, relevance) of the newest
        matches. Relevance is computed outside the subquery that finds them, so that
        it is computed for them alone: inside, PostgreSQL would rank every match the
        GIN index returns before sorting them by date."""
        return (
            self.queryset.model._default_manager.filter(pk__in=self.newest_matches())
            .annotate(relevance=_relevance(self.query))
            .order_by()
            .values_list("pk", "published_at", "relevance")
        )

    @cached_property
    def _ranked(self) -> tuple[list[int], bool]:
        if not search_terms(self.query):
            return [], False
        candidates = sorted(self.candidates(), key=itemgetter(1, 0), reverse=True)
        capped = len(candidates) > SEARCH_CANDIDATES
        candidates = candidates[:SEARCH_CANDIDATES]
        # A stable sort: equally relevant stories stay newest first.
        candidates.sort(key=itemgetter(2), reverse=True)
        return [pk for pk, _published_at, _relevance in candidates], capped

    @property
    def capped(self) -> bool:
        """More stories match than were ranked: the count shown is a floor."""
        return self._ranked[1]

    @property
    def count_label(self) -> str:
        return f"{len(self):,}+" if self.capped else f"{len(self):,}"

    def __len__(self) -> int:
        return len(self._ranked[0])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self._ranked[0][index]
        if not ids:
            return []
        articles = self.queryset.filter(pk__in=ids)
        if connection.vendor == "postgresql":
            # The excerpt is made in the database for this page's rows alone, so the
            # body itself never leaves it.
            articles = articles.defer("body").annotate(
                search_excerpt=SearchHeadline(
                    StripTags("body"),
                    _full_text_query(self.query),
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=40,
                    min_words=20,
                )
            )
        by_pk = {article.pk: article for article in articles}
        # An article unpublished since the ranking is left out.
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def __iter__(self):
        return iter(self[:])


def search_articles(queryset, query: str) -> SearchResults:
    return SearchResults(queryset, query)


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
