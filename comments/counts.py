"""Comment counts on lists, kept apart from the lists.

A card on a front or a list says how many comments its story has. Were the count part
of each list, an approved comment (one a second on a news day) would purge the home
page, the story's section, its tags', its authors' and the Latest page, each rendered
again at its next read. Instead a list carries the counts as of its render and the
reader's browser brings them up to date (static/js/comment-counts.js) from a small
document per block of story numbers, which an approval purges alone. The Guardian's
pages do the same: their script gathers the discussions a page shows
(``data-discussion-id``) and asks the discussion API's ``getCommentCounts`` once.

A block is a fixed range of story ids, so these documents are bounded by the stories
there are (a made-up block is a 404) and one list of recent stories needs one or two.
"""

from dataclasses import dataclass
from datetime import datetime

from articles.models import Article
from newsroom.links import reverse_kept

BLOCK_SIZE = 1000


def counts_block(article_id: int) -> int:
    return article_id // BLOCK_SIZE


def counts_cache_key(block: int) -> str:
    """The key of a block's counts document: purged with each thread of the block."""
    return f"comment-counts-{block}"


def thread_cache_key(article_id: int) -> str:
    """The key of a story's thread and count on its own page (Article.comments_cache_key)."""
    return f"comments-{article_id}"


def comments_cache_keys(article_id: int) -> set[str]:
    """The keys of what shows a story's comments: its thread and count on its own page,
    and its count on lists (its block's counts)."""
    return {thread_cache_key(article_id), counts_cache_key(counts_block(article_id))}


def counts_url(article_id: int) -> str:
    return reverse_kept("comment-counts", args=[counts_block(article_id)])


def block_counts(block: int) -> dict[int, int] | None:
    """The public comment count of every story of `block` that has comments, by id;
    None when the block holds no story at all.

    Stories that are not public are left in: a count says nothing of a story, and a
    card only asks for the stories its page shows."""
    ids = (block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE - 1)
    counts = dict(
        Article.objects.filter(pk__range=ids, comment_count__gt=0).values_list(
            "pk", "comment_count"
        )
    )
    if not counts and not Article.objects.filter(pk__range=ids).exists():
        return None
    return counts


@dataclass(frozen=True)
class ThreadCount:
    count: int
    changed_at: datetime | None  # when the count last changed: None before any comment


def thread_count(article_id: int) -> ThreadCount:
    """A story's public comment count as stored now, for the heading over its thread on
    its own page: read with the thread, not with the story, so that an approval has the
    page read its thread again and not its story (articles.pages.story_for_page). A page
    that has just read the story's row takes the count from it instead (Story.read_now)."""
    count, changed_at = (
        Article.objects.filter(pk=article_id)
        .values_list("comment_count", "comments_changed_at")
        .get()
    )
    return ThreadCount(count, changed_at)
