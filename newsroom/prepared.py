"""Reads whose SQL Django compiles once per process, then runs with each call's values.

Building a queryset and compiling it to SQL costs the app server more CPU than the
database takes to answer the small reads of a page (about 1 ms of ORM against 0.1 ms of
SQL for a story's bylines): most of what a story page nobody has read costs (make
bench's ORM column). A PreparedRead is written as an ORM queryset, built by a function
of the values that change between calls; the first call for a shape (the database, and
the length of each list of values) builds it with stand-in values, compiles it, and
keeps the SQL; later calls put their own values in the stand-ins' places and have
Django's own iterable turn the rows into model instances (or tuples).

SQLAlchemy keeps compiled statements the same way (its compiled cache); Django has no
such thing. The rule that makes it safe: every value that may change between calls is
an argument of the build function, never read inside it (such as timezone.now()), and
so is every id read from the database (a content type's), which is the same on every
call but not on every database the process may meet (tests make theirs again). The
first compile is made twice with different stand-ins, and a shape whose SQL or other
parameters differ between the two is refused; that catches the time, not an id.
"""

import copy
import datetime
from collections.abc import Callable, Sequence
from itertools import count
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet, Value
from django.db.models.query import ModelIterable, ValuesListIterable

# Stand-ins, each unlike any real value: ids no row has, strings no slug holds, times
# long before the archive.
_STAND_IN_INT = -(2**62)
_STAND_IN_TEXT = "\ue000stand-in-"
_STAND_IN_TIME = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


class PreparedReadError(Exception):
    """The build function reads a changing value itself, or a value changes the SQL."""


def _stand_in(value: Any, serial: Callable[[], int]) -> Any:
    if isinstance(value, bool):
        raise TypeError("a prepared read takes ints, strings, times and lists of ints")
    if isinstance(value, int):
        return _STAND_IN_INT + serial()
    if isinstance(value, str):
        return f"{_STAND_IN_TEXT}{serial()}"
    if isinstance(value, datetime.datetime):
        return _STAND_IN_TIME + datetime.timedelta(microseconds=serial())
    if isinstance(value, list | tuple):
        return [_stand_in(element, serial) for element in value]
    raise TypeError(f"a prepared read cannot take {type(value).__name__} values")


def _stand_ins(values: Sequence[Any], first: int) -> list[Any]:
    """A stand-in for each value, numbered from `first`."""
    serial = count(first).__next__
    return [_stand_in(value, serial) for value in values]


def _flat(values: Sequence[Any]) -> list[Any]:
    """The values, each list's elements in its place."""
    return [
        element
        for value in values
        for element in (value if isinstance(value, list | tuple) else [value])
    ]


def _shape(value: Any) -> Any:
    return len(value) if isinstance(value, list | tuple) else type(value)


class _Compiled:
    """One shape's SQL: the queryset and compiler that made it, its parameters with the
    stand-ins, and where each value goes."""

    def __init__(self, queryset, compiler, sql: str, params: list, places: list[list[int]]):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.places = places  # for each flat value, the parameters it fills

    def compiler_for(self, values: list[Any], connection):
        params = list(self.params)
        ops = connection.ops
        for value, places in zip(values, self.places, strict=True):
            if isinstance(value, datetime.datetime):
                value = ops.adapt_datetimefield_value(value)
            for place in places:
                params[place] = value
        run = copy.copy(self.compiler)
        run.connection = connection  # this thread's, not the first caller's
        run.as_sql = lambda *args, **kwargs: (self.sql, params)
        return run


class _Run:
    """What Django's iterables read of a queryset, for one run of compiled SQL."""

    def __init__(self, queryset: QuerySet, db: str, compiler):
        self.model = queryset.model
        self.db = db
        self.query = self
        self._compiler = compiler
        self._known_related_objects: dict = {}
        self._fields = queryset._fields

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class PreparedRead:
    """A read written as `build(*values, **literals)`, a queryset of model instances or
    of values_list() tuples, whose SQL is compiled once per shape: call it with the
    values (ints, strings, aware datetimes, lists of ints) and the literals (what shapes
    the SQL itself, such as a LIMIT: part of the shape, each a hashable) to get its rows
    as a list."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled | None] = {}
        self._model = None

    def __call__(self, *values: Any, **literals: Any) -> list:
        shape = (*map(_shape, values), *sorted(literals.items()))
        if self._model is None:  # the same for every shape; the router asks for it
            self._model = self.build(*_stand_ins(values, 1), **literals).model
        db = router.db_for_read(self._model)
        if (shape, db) not in self._compiled:
            self._compiled[shape, db] = self._compile(values, literals, db)
        compiled = self._compiled[shape, db]
        if compiled is None:
            return list(self.build(*values, **literals).using(db))
        queryset = compiled.queryset
        run = _Run(queryset, db, compiled.compiler_for(_flat(values), connections[db]))
        iterable = ValuesListIterable if queryset._fields is not None else ModelIterable
        rows = list(iterable(run))
        if rows and hasattr(queryset, "read_together"):
            queryset.read_together(rows)
        return rows

    def _compile(self, values: tuple, literals: dict, db: str) -> _Compiled | None:
        """None for a shape that matches nothing (`pk__in=[]`): Django answers it
        without a query, as it is then."""
        connection = connections[db]
        compiled = []
        for first in (1, 1_000_000):
            stand_ins = _stand_ins(values, first)
            queryset = self.build(*stand_ins, **literals)
            if queryset._fields is not None and queryset._iterable_class is not ValuesListIterable:
                raise PreparedReadError("a prepared read returns instances or values_list()")
            compiler = queryset.query.get_compiler(using=db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                return None
            expected = [
                connection.ops.adapt_datetimefield_value(value)
                if isinstance(value, datetime.datetime)
                else value
                for value in _flat(stand_ins)
            ]
            places = [[i for i, param in enumerate(params) if param == v] for v in expected]
            if not all(places):
                raise PreparedReadError(f"a value of {self.build} is not a parameter of its SQL")
            compiled.append(_Compiled(queryset, compiler, sql, list(params), places))
        first, second = compiled
        filled = {place for places in first.places for place in places}
        if (
            first.sql != second.sql
            or first.places != second.places
            or any(
                first.params[i] != second.params[i]
                for i in range(len(first.params))
                if i not in filled
            )
        ):
            raise PreparedReadError(f"{self.build} reads a changing value of its own")
        return first


def earliest(queryset: QuerySet, **minimums) -> QuerySet:
    """`queryset.aggregate(**minimums)` as a read a PreparedRead takes: one row of the
    minimums (a values_list), with no GROUP BY, as aggregate() sends it."""
    return (
        queryset.order_by()
        .annotate(whole=Value(1))  # grouped by a constant: no GROUP BY at all
        .values("whole")
        .annotate(**minimums)
        .values_list(*minimums)
    )


def soonest(rows: list[tuple]) -> Any:
    """The earliest time of an `earliest` read's row, or None if it has none (or there is
    no row: a read Django answers without a query)."""
    return min(filter(None, rows[0] if rows else ()), default=None)
