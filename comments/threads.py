"""A story's thread, a page at a time.

A page holds up to settings.COMMENTS_THREADS_PER_PAGE threads (a top-level comment with
its replies), oldest or newest first. It is named by a cursor, ``?comments=<cursor>``:
the order alone for the first page (``oldest``, the default, or ``newest``), or the
order and the thread the page starts at (``oldest-812``). Threads are numbered in the
order they were posted (django-comments-xtd's ``thread_id`` is the top-level comment's
id), so a page is a range of thread ids read from the index, never an OFFSET, and a
page starting at a thread keeps holding it whatever is posted or removed around it.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from newsroom.prepared import PreparedRead

from .models import ReaderComment

OLDEST = "oldest"
NEWEST = "newest"
CURSOR = re.compile(r"(oldest|newest)(?:-([0-9]{1,10}))?")
# The first `room` public comments of an article's thread (its content type and
# object_pk), in thread order: the one read of a thread that fits on its first page, as
# most do (_first_page_of_whole_thread), prepared so that a story page read anew
# compiles no SQL. The content type is a value, not kept in the SQL: a database made
# again (a test's flush) gives it another id.
THREAD_START = PreparedRead(
    lambda article_type_id, object_pk, *, newest_first, room: ReaderComment.objects.filter(
        content_type_id=article_type_id, object_pk=object_pk
    ).thread(newest_first=newest_first)[:room]
)


@dataclass(frozen=True)
class Cursor:
    newest_first: bool = False
    start: int | None = None  # the thread the page starts at; None: the first page

    @classmethod
    def parse(cls, value: str | None) -> "Cursor | None":
        """The cursor a ``?comments=`` value names, or None if it names none."""
        match = CURSOR.fullmatch(value or "")
        if match is None:
            return None
        order, start = match.groups()
        return cls(newest_first=order == NEWEST, start=int(start) if start else None)

    @property
    def order(self) -> str:
        return NEWEST if self.newest_first else OLDEST

    def __str__(self) -> str:
        return self.order if self.start is None else f"{self.order}-{self.start}"

    def query(self) -> str:
        """The page's query string ("" for the default first page), with its "?"."""
        if self == Cursor():
            return ""
        return "?" + urlencode({"comments": str(self)})


@dataclass(frozen=True)
class ThreadPage:
    cursor: Cursor
    comments: list[ReaderComment]  # the page's threads, each in thread order
    previous: Cursor | None  # the page before, if any
    next: Cursor | None  # the page after, if any
    # The cursor names a thread that starts a page: false for a made-up or stale one,
    # which is answered but never kept by a cache (a cache holds real pages only).
    is_real: bool


def thread_page(*, article_id: int, cursor: Cursor, count: int | None = None) -> ThreadPage:
    """One page of an article's public thread: three queries at most, whatever its size,
    and one for the first page of a thread whose stored `count` (comments.counts) says
    it fits on a page, as most do."""
    size = settings.COMMENTS_THREADS_PER_PAGE
    whole = (
        _first_page_of_whole_thread(article_id, cursor, count)
        if cursor.start is None and count is not None and count <= size
        else None
    )
    if whole is not None:
        return whole
    comments = ReaderComment.objects.for_article(article_id)
    ahead = comments.thread_ids(
        newest_first=cursor.newest_first, start=cursor.start, limit=size + 1
    )
    shown = ahead[:size]
    following = Cursor(cursor.newest_first, ahead[size]) if len(ahead) > size else None
    previous = None
    if cursor.start is not None:
        # The threads before this page, nearest first: the page before starts N back,
        # or is the first page when there are N or fewer.
        behind = comments.thread_ids(
            newest_first=not cursor.newest_first,
            start=cursor.start,
            limit=size + 1,
            inclusive=False,
        )
        if behind:
            previous = Cursor(cursor.newest_first, behind[size - 1] if len(behind) > size else None)
    return ThreadPage(
        cursor=cursor,
        comments=list(comments.thread(shown, newest_first=cursor.newest_first)) if shown else [],
        previous=previous,
        next=following,
        is_real=cursor.start is None or (bool(shown) and shown[0] == cursor.start),
    )


def _first_page_of_whole_thread(article_id: int, cursor: Cursor, count: int) -> ThreadPage | None:
    """The first page, from every public comment of the thread read in one query; None
    if the thread holds more than its count leaves room for (then it is read a page at
    a time). The count leaves out the places kept for erased comments and may have been
    read before an approval: a page of room is left for those, and a thread that
    fills the room is not taken for whole."""
    size = settings.COMMENTS_THREADS_PER_PAGE
    room = count + size + 1
    article_type = ContentType.objects.get_by_natural_key("articles", "article")
    everything = THREAD_START(
        article_type.pk, str(article_id), newest_first=cursor.newest_first, room=room
    )
    if len(everything) == room:
        return None
    thread_ids = list(dict.fromkeys(comment.thread_id for comment in everything))
    shown = set(thread_ids[:size])
    return ThreadPage(
        cursor=cursor,
        comments=[comment for comment in everything if comment.thread_id in shown],
        previous=None,
        next=Cursor(cursor.newest_first, thread_ids[size]) if len(thread_ids) > size else None,
        is_real=True,
    )


def comment_cursor(comment: ReaderComment) -> Cursor:
    """The cursor of the page that holds `comment`, oldest first: the first page if its
    thread is among the first N, else the page its thread starts."""
    size = settings.COMMENTS_THREADS_PER_PAGE
    before = ReaderComment.objects.for_article(comment.object_pk).thread_ids(
        newest_first=True, start=comment.thread_id, limit=size, inclusive=False
    )
    return Cursor(start=comment.thread_id) if len(before) >= size else Cursor()


def comment_path(
    comment: ReaderComment, article_url: str, extra: dict[str, str | int] | None = None
) -> str:
    """The address, on the story at `article_url`, of the page holding `comment`,
    scrolled to it; `extra` is added to the query (``{"comment": "published"}``)."""
    cursor = comment_cursor(comment)
    query: dict[str, str | int] = {"comments": str(cursor)} if cursor != Cursor() else {}
    query.update(extra or {})
    return f"{article_url}{'?' + urlencode(query) if query else ''}#c{comment.pk}"
