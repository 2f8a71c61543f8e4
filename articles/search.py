"""Site search: PostgreSQL full-text search with ranking and highlighted excerpts, and a
plain substring fallback on SQLite, behind one matching rule, one bounded ranking and one
excerpt function.

A search ranks the newest SEARCH_CANDIDATES stories that match, never every match: a
common word matches most of a ten-year archive, and ranking (or counting) all of them
reads each one's vector from TOAST. Readers of a news site want recent stories first, so
the newest matches are the ones worth ranking; past the cap the page says "1,000+".

On PostgreSQL the newest matches are found in windows of recent time, widened until they
hold enough (issue 10): a GIN index (migration 0018) has, beside each story's words, the
week, month and year it was published in as lexemes of their own, so one bitmap scan
takes the word AND the window, and reads the heap rows of that window's matches alone.
Neither the walk down the date index (which tests every story's vector on the way, for
a word in a few percent of stories tens of thousands of them) nor the plain GIN index
(every match in ten years) is read for a word of middling frequency.
"""

import datetime
import html
import re
from functools import cached_property
from operator import itemgetter

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import FullResultSet
from django.db import connection, connections
from django.db.models import Case, Expression, IntegerField, Q, Value, When
from django.utils import timezone
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


class StoredVector(Expression):
    """The article's search_vector column: generated and GIN-indexed by PostgreSQL
    (migration 0004), not a model field. Named through the query's own alias for the
    table, which is another one inside a subquery."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(compiler.query.base_table)}.search_vector", []


STORED_VECTOR = StoredVector()


# The index of migration 0018 is on this expression, which a query must repeat exactly
# for PostgreSQL to use it: the stored vector, plus the UTC week (from Monday 1900-01-01),
# month (year * 12 + month - 1) and year of publication as lexemes. A space is in
# each, which the text parser never leaves in a lexeme, so no word of a story is one.
PERIOD_VECTOR_SQL = """({table}.search_vector || array_to_tsvector(array_remove(ARRAY[
    'week ' || ((timezone('UTC', {table}.published_at)::date - DATE '1900-01-01') / 7)::text,
    'month ' || (extract(year FROM timezone('UTC', {table}.published_at)) * 12
                 + extract(month FROM timezone('UTC', {table}.published_at)) - 1)::int::text,
    'year ' || extract(year FROM timezone('UTC', {table}.published_at))::int::text
], NULL)))"""
WEEKS_EPOCH = datetime.date(1900, 1, 1)  # a Monday
FIRST_WINDOW_WEEKS = 2  # this week and the last: 7 to 14 days
WEEKLY_UP_TO_WEEKS = 8  # wider windows start at the first of a month
WIDEST_WINDOW_DAYS = 3 * 365  # past it, the whole archive: the word is rare
WIDENINGS = 2
# Queries for the ranked newest matches, at most: the windows (the first also asks when
# the archive begins, for a widening), the whole archive.
MOST_PROBES = 1 + WIDENINGS + 1
HEADROOM = 1.3  # a widened window is sized for this many times the matches still wanted

# The queries of a search on PostgreSQL, as SQL: built by the ORM, each took the app
# server more CPU (~1 ms) than the database took to answer it. Each finds the newest
# stories searched (`searched`: the WHERE of the queryset searched) that `matches`, one
# more than the cap to tell whether there are more, and ranks them by relevance,
# weighted by where a word is: headline (A), standfirst (B), body (C). Relevance is
# computed outside the subquery that finds them, so that it is computed for them alone:
# inside, PostgreSQL would rank every match before sorting them by date.
NEWEST_RANKED_SQL = """SELECT ranked.id, {relevance}{archive_begins}
FROM {table} ranked
WHERE ranked.id IN (
    SELECT {table}.id FROM {table}
    WHERE {searched} AND {matches}
    ORDER BY {table}.published_at DESC, {table}.id DESC
    LIMIT %s
)
ORDER BY ranked.published_at DESC, ranked.id DESC"""
RELEVANCE_SQL = "ts_rank(ranked.search_vector, websearch_to_tsquery(%s::regconfig, %s))"
# Only if the subquery found more than SEARCH_CANDIDATES (else NULL): a window that
# holds fewer is widened, and its vectors are not read for nothing.
RELEVANCE_IF_CAPPED_SQL = f"CASE WHEN count(*) OVER () > %s THEN {RELEVANCE_SQL} END"
MATCHES_SQL = "{table}.search_vector @@ websearch_to_tsquery(%s::regconfig, %s)"
# The word and the window's periods, for one bitmap scan of the period index; the
# window's start repeated on published_at so that no plan could walk the date index
# past it.
MATCHES_IN_WINDOW_SQL = (
    "{table}.published_at >= %s AND "
    + PERIOD_VECTOR_SQL
    + " @@ (websearch_to_tsquery(%s::regconfig, %s) && %s::tsquery)"
)
# When the oldest story searched was published, from the date index: a column of the
# first window's rows, as a widening needs it (a query of its own cost a round trip).
ARCHIVE_BEGINS_SQL = (
    "(SELECT {table}.published_at FROM {table} WHERE {searched} ORDER BY 1 LIMIT 1)"
)

# What a result shows (templates/articles/search.html): its story's headline, address
# and section, and its times for the page's Last-Modified.
RESULT_FIELDS = ("id", "headline", "slug", "published_at", "updated_at", "section_id")
RESULT_SECTION_FIELDS = ("id", "name", "slug")
# A page of results on PostgreSQL, with each story's excerpt made by the database for
# the page's rows alone (the body itself never leaves it) and its section joined as
# select_related would: the ORM took ~1 ms of CPU to build the query and read its rows.
RESULTS_SQL = """SELECT {columns}, {section_columns},
    ts_headline(%s::regconfig, regexp_replace({table}.body, '<[^>]*>', ' ', 'g'),
                websearch_to_tsquery(%s::regconfig, %s), %s)
FROM {table} JOIN {section_table} ON {section_table}.id = {table}.section_id
WHERE {searched} AND {table}.id = ANY(%s)"""
EXCERPT_OPTIONS = f"StartSel='{MARK_START}', StopSel='{MARK_END}', MaxWords=40, MinWords=20"


def _week(day: datetime.date) -> int:
    return (day - WEEKS_EPOCH).days // 7


def _month(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def window_start(wanted: datetime.date, today: datetime.date) -> datetime.date:
    """The start of the window that reaches back to `wanted`: a Monday while that is
    recent, else the first of its month, so that a few periods cover the window."""
    monday = wanted - datetime.timedelta(days=wanted.weekday())
    if _week(today) - _week(monday) < WEEKLY_UP_TO_WEEKS:
        return monday
    return wanted.replace(day=1)


def window_periods(start: datetime.date, today: datetime.date) -> list[str]:
    """The lexemes of the periods that cover every day from `start` (a window_start) to
    `today`: weeks for a recent start, else its month to the end of its year and the
    years since (at most 12 + 3 for the widest window)."""
    if start.weekday() == 0 and _week(today) - _week(start) < WEEKLY_UP_TO_WEEKS:
        return [f"week {week}" for week in range(_week(start), _week(today) + 1)]
    if start.year == today.year:
        return [f"month {month}" for month in range(_month(start), _month(today) + 1)]
    months = range(_month(start), (start.year + 1) * 12)
    return [f"month {month}" for month in months] + [
        f"year {year}" for year in range(start.year + 1, today.year + 1)
    ]


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
    """On SQLite, which has no ranking: the first term in the headline, else in the
    standfirst, else neither."""
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

    The candidates are the newest matches (newest_matches: on PostgreSQL a few bounded
    queries, windows of recent time widened until they hold enough), then ranked: at
    most SEARCH_CANDIDATES + 1 vectors are read for the ranking.
    """

    cap_label = f"{SEARCH_CANDIDATES:,}"

    def __init__(self, queryset, query: str):
        self.queryset = queryset
        self.query = query

    def _newest_ranked(self, matches: str, params: list, *, if_capped=False, archive_begins=False):
        """(pk, relevance) of the newest stories searched that `matches` (SQL on the
        article table, with its `params`), newest first, one more than the cap
        (NEWEST_RANKED_SQL). `if_capped`: ranked only if there are more than the cap.
        `archive_begins`: each row ends with when the archive begins (ARCHIVE_BEGINS_SQL)."""
        relevance = RELEVANCE_IF_CAPPED_SQL if if_capped else RELEVANCE_SQL
        relevance_params = [SEARCH_CANDIDATES] if if_capped else []
        searched, searched_params = self._searched
        begins = ARCHIVE_BEGINS_SQL.format(table=self._table, searched=searched)
        sql = NEWEST_RANKED_SQL.format(
            relevance=relevance,
            archive_begins=f", {begins}" if archive_begins else "",
            table=self._table,
            searched=searched,
            matches=matches.format(table=self._table),
        )
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(
                sql,
                [
                    *relevance_params,
                    SEARCH_CONFIG,
                    self.query,
                    *(searched_params if archive_begins else []),
                    *searched_params,
                    *params,
                    SEARCH_CANDIDATES + 1,
                ],
            )
            return cursor.fetchall()

    def _in_window(self, start: datetime.date, today: datetime.date, *, archive_begins=False):
        """The newest matches published since `start`, ranked if there are more than
        the cap (and each with when the archive begins, if asked)."""
        since = datetime.datetime.combine(start, datetime.time(), tzinfo=datetime.UTC)
        # A tsquery of the periods' lexemes as they are, not parsed as words.
        periods = " | ".join(f"'{period}'" for period in window_periods(start, today))
        return self._newest_ranked(
            MATCHES_IN_WINDOW_SQL,
            [since, SEARCH_CONFIG, self.query, periods],
            if_capped=True,
            archive_begins=archive_begins,
        )

    def _in_archive(self):
        """The newest matches in the whole archive, through the plain GIN index, ranked."""
        return self._newest_ranked(MATCHES_SQL, [SEARCH_CONFIG, self.query])

    @cached_property
    def _table(self) -> str:
        return connections[self.queryset.db].ops.quote_name(self.queryset.model._meta.db_table)

    @cached_property
    def _searched(self) -> tuple[str, list]:
        """The WHERE of the queryset searched (published stories), as SQL on its table:
        a filter on its own columns, with no join."""
        query = self.queryset.query
        try:
            return query.get_compiler(self.queryset.db).compile(query.where)
        except FullResultSet:  # no condition
            return "TRUE", []

    def candidates(self) -> list[tuple[int, float]]:
        """(pk, relevance) of the newest matches, newest first, one more than the cap.

        On PostgreSQL, in windows back from today, each one query that finds the
        window's newest matches and ranks them if there are enough: the last two weeks
        (for a common word, the one query of the search); then, if they hold fewer, a
        window sized from the matches found so far to hold the rest (HEADROOM times
        over), at most WIDENINGS times; then, for a word that rare, the whole archive
        through the plain GIN index. So a query reads the heap rows of about
        SEARCH_CANDIDATES matches, not each story's vector, whatever the word's
        frequency, and ranks at most SEARCH_CANDIDATES + 1 stories; a search takes
        MOST_PROBES queries at most."""
        if connection.vendor != "postgresql":
            newest = matching(self.queryset, self.query).order_by("-published_at", "-pk")
            return list(
                self.queryset.model._default_manager.filter(
                    pk__in=newest.values("pk")[: SEARCH_CANDIDATES + 1]
                )
                .annotate(relevance=_relevance(self.query))
                .order_by("-published_at", "-pk")
                .values_list("pk", "relevance")
            )
        today = timezone.now().astimezone(datetime.UTC).date()
        start = window_start(today - datetime.timedelta(weeks=FIRST_WINDOW_WEEKS - 1), today)
        rows = self._in_window(start, today, archive_begins=True)
        ranked = [(pk, relevance) for pk, relevance, _begins in rows]
        # The day (UTC) the oldest story searched was published, if any matched.
        archive_begins = rows[0][2].astimezone(datetime.UTC).date() if rows else None
        for _widening in range(WIDENINGS):
            if len(ranked) > SEARCH_CANDIDATES or not ranked:
                break
            searched_days = (today - start).days + 1
            wanted_days = max(
                searched_days * (SEARCH_CANDIDATES + 1) * HEADROOM / len(ranked),
                searched_days + 7,
            )
            if wanted_days > WIDEST_WINDOW_DAYS:
                break
            start = window_start(today - datetime.timedelta(days=wanted_days), today)
            if archive_begins >= start:
                break  # the window would hold the whole archive: searched as one
            ranked = self._in_window(start, today)
        if len(ranked) > SEARCH_CANDIDATES:
            return ranked
        return self._in_archive()

    def newest_matches(self) -> list[int]:
        """The ids of the candidates, newest first."""
        return [pk for pk, _relevance in self.candidates()]

    @cached_property
    def _ranked(self) -> tuple[list[int], bool]:
        if not search_terms(self.query):
            return [], False
        candidates = self.candidates()
        capped = len(candidates) > SEARCH_CANDIDATES
        candidates = candidates[:SEARCH_CANDIDATES]
        # A stable sort: equally relevant stories stay newest first.
        candidates.sort(key=itemgetter(1), reverse=True)
        return [pk for pk, _relevance in candidates], capped

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
        if connection.vendor == "postgresql":
            articles = self._with_excerpts(ids)
        else:  # the excerpt is cut from the text here (excerpt_html)
            articles = (
                self.queryset.filter(pk__in=ids)
                .select_related("section")
                .only(*RESULT_FIELDS, "standfirst", "body", "section__name", "section__slug")
            )
        by_pk = {article.pk: article for article in articles}
        # An article unpublished since the ranking is left out.
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def __iter__(self):
        return iter(self[:])

    def _with_excerpts(self, ids: list[int]) -> list:
        """The articles `ids` with their sections and excerpts (RESULTS_SQL), each
        with RESULT_FIELDS alone."""
        db = self.queryset.db
        quote = connections[db].ops.quote_name
        model = self.queryset.model
        section_model = model._meta.get_field("section").related_model
        # In the models' own order, as from_db takes them.
        fields = [f.attname for f in model._meta.concrete_fields if f.attname in RESULT_FIELDS]
        section_fields = [
            f.attname for f in section_model._meta.concrete_fields
            if f.attname in RESULT_SECTION_FIELDS
        ]  # fmt: skip
        section_table = quote(section_model._meta.db_table)
        searched, searched_params = self._searched
        sql = RESULTS_SQL.format(
            columns=", ".join(f"{self._table}.{quote(name)}" for name in fields),
            section_columns=", ".join(f"{section_table}.{quote(name)}" for name in section_fields),
            table=self._table,
            section_table=section_table,
            searched=searched,
        )
        params = [SEARCH_CONFIG, SEARCH_CONFIG, self.query, EXCERPT_OPTIONS]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [*params, *searched_params, ids])
            rows = cursor.fetchall()
        articles = []
        for row in rows:
            article = model.from_db(db, fields, row[: len(fields)])
            section = row[len(fields) : -1]
            article.section = section_model.from_db(db, section_fields, section)
            article.search_excerpt = row[-1]
            articles.append(article)
        return articles


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
