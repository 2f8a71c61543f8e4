"""Where a request's CPU time goes: SQL, the ORM, templates and the rest, for bench/pages.py.

A stack of categories, timed with this thread's CPU clock (time.thread_time: other
engineers' processes and other threads do not count). Entering a category pauses the
one it was entered from, so each CPU nanosecond is charged to exactly one of them and
the parts add up to the request's total:

- ``sql``: inside the database driver (``connection.execute_wrapper``): the query sent,
  the rows read. On SQLite the database engine runs in this thread and counts here; a
  PostgreSQL server's own CPU is another process's and is not counted;
- ``orm``: compiling querysets into SQL and reading rows into model instances,
  prefetches included (``QuerySet._fetch_all`` and ``SQLCompiler.execute_sql``), less
  their SQL; and most of building them: the clone every queryset method makes
  (``QuerySet._chain``), filters (``Query.add_q``) and annotations
  (``QuerySet._annotate``), the rest of a method's own work (order_by's, values()'s)
  staying with its caller;
- ``templates``: ``django.template.base.Template.render``, includes and template tags
  included, less the SQL and ORM work they start (a lazy queryset built and read by a
  template counts as ORM);
- ``other``: the rest: middleware, URL routing, views' own Python, the response.

The patches are on while :func:`instrumented` is entered, in this process only.
"""

import contextlib
import time
from collections import Counter
from functools import wraps

from django.db import connection
from django.db.models.query import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query
from django.template.base import Template

CATEGORIES = ("sql", "orm", "templates", "other")


class Stopwatch:
    """CPU seconds per category, charged to the innermost category entered."""

    def __init__(self):
        self.seconds = Counter()
        self.wall_sql = 0.0
        self._stack = ["other"]
        self._since = time.thread_time()

    def _switch(self):
        now = time.thread_time()
        self.seconds[self._stack[-1]] += now - self._since
        self._since = now

    @contextlib.contextmanager
    def charging(self, category):
        self._switch()
        self._stack.append(category)
        try:
            yield
        finally:
            self._switch()
            self._stack.pop()

    def reset(self):
        self.seconds.clear()
        self.wall_sql = 0.0
        self._stack = ["other"]
        self._since = time.thread_time()

    def read(self):
        """The seconds per category since the last reset, in milliseconds."""
        self._switch()
        return {category: self.seconds[category] * 1000 for category in CATEGORIES}


def _charged(stopwatch, category, function):
    @wraps(function)
    def wrapper(*args, **kwargs):
        with stopwatch.charging(category):
            return function(*args, **kwargs)

    return wrapper


@contextlib.contextmanager
def instrumented():
    """Yield a Stopwatch that the ORM, the templates and the default connection charge."""
    stopwatch = Stopwatch()

    def sql(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            with stopwatch.charging("sql"):
                return execute(sql, params, many, context)
        finally:
            stopwatch.wall_sql += time.perf_counter() - start

    patched = [
        (QuerySet, "_chain", "orm"),
        (QuerySet, "_annotate", "orm"),
        (Query, "add_q", "orm"),
        (QuerySet, "_fetch_all", "orm"),
        (SQLCompiler, "execute_sql", "orm"),
        (Template, "render", "templates"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patched]
    for owner, name, category in patched:
        setattr(owner, name, _charged(stopwatch, category, getattr(owner, name)))
    try:
        with connection.execute_wrapper(sql):
            yield stopwatch
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
