from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from comments.counts import ThreadCount, thread_count
from comments.forms import CommentForm, signed_hour, without_invisible
from comments.models import COMMENT_RULES_KEY, ReaderComment
from comments.moderation import closed_reason
from comments.threads import OLDEST, Cursor, thread_page
from newsroom.cachekeys import shows, shows_changed_at, shows_real_page
from newsroom.markup import NOTHING, day_label, format_markup

register = template.Library()

# For plain-text e-mail, which has no <bdi>: names stored before names were cleaned may
# still hold a direction override.
register.filter("without_invisible", without_invisible)


def build_tree(comments):
    """Nest comments (in thread order) under their parents: [{comment, children}, ...].

    A reply whose parent is not public any more is shown at the top level.
    """
    nodes = {comment.pk: {"comment": comment, "children": []} for comment in comments}
    roots = []
    for comment in comments:
        parent = nodes.get(comment.parent_id) if comment.parent_id != comment.pk else None
        (parent["children"] if parent else roots).append(nodes[comment.pk])
    return roots


# The thread as readers see it: a comment, its replies nested under it. Written here
# rather than by a template included once a comment (newsroom.markup): a page of 50
# threads holds ~111 comments. Every value is escaped as format_html escapes (see
# format_markup), bar the comment's text, which linebreaks escapes.
COMMENT_HTML = """
<li class="comment comment--level-{level}" id="c{id}">
  <article aria-labelledby="c{id}-author">
    <header class="comment__header">
      <span class="comment__author" id="c{id}-author"><bdi>{name}</bdi></span>
      <a class="comment__permalink" href="#c{id}"><time datetime="{datetime}">{date}</time></a>
    </header>
    <div class="comment__body">{body}</div>
    <footer class="comment__actions">{reply}{report}
    </footer>
  </article>"""
ERASED_HTML = """
<li class="comment comment--level-{level}" id="c{id}">
  <p class="comment__erased">Comment removed at the author’s request.</p>"""
REPLY_HTML = (
    '\n      <a href="{query}reply_to={id}#comment-form" class="comment__reply">Reply'
    '<span class="visually-hidden"> to <bdi>{name}</bdi></span></a>'
)
REPORT_HTML = (
    '\n      <form class="comment__report" method="post" action="{url}">'
    '\n        <button type="submit" class="link-button">Report'
    '<span class="visually-hidden"> comment by <bdi>{name}</bdi></span></button>'
    "\n      </form>"
)
REPORTED_HTML = (
    '\n      <span class="comment__reported" role="status">'
    "Thank you. A moderator will look at this comment.</span>"
)
REPLIES_OPEN = """
<ol class="comment-list comment-list--replies">"""
REPLIES_CLOSE = """
</ol>"""
ITEM_CLOSE = """
</li>"""


REPORTED = format_markup(REPORTED_HTML)


@register.simple_tag
def comment_thread(tree, *, cursor, reported, replies_below):
    """The items of a page's thread (see build_tree), replies nested under their parent.

    `cursor` is the page's query ("" on the first page), kept by the reply links;
    `reported` the comment just reported, if any; a comment at a level below
    `replies_below` gets a reply link."""
    # Reversed once a page, not once a comment (it costs as much as the rest of one):
    # comment 0's address, split where its number is.
    report_before, report_after = reverse("comments:report", kwargs={"pk": 0}).rsplit("0", 1)
    reply_query = format_markup("{cursor}&amp;", cursor=cursor) if cursor else format_markup("?")
    zone = timezone.get_current_timezone()
    parts = []

    def write(nodes):
        for node in nodes:
            comment = node["comment"]
            if comment.erased_at is not None:
                parts.append(format_markup(ERASED_HTML, id=comment.pk, level=comment.level))
            else:
                # As {{ submit_date|date:"c" }} and {{ submit_date|date:"M j, Y, H:i" }}.
                local = comment.submit_date.astimezone(zone)
                values = {"id": comment.pk, "name": comment.user_name}
                parts.append(
                    format_markup(
                        COMMENT_HTML,
                        **values,
                        level=comment.level,
                        datetime=local.isoformat(),
                        date=f"{day_label(local.date(), 'M j, Y')}, {local:%H:%M}",
                        body=linebreaks_filter(comment.comment),
                        reply=format_markup(REPLY_HTML, query=reply_query, **values)
                        if comment.level < replies_below
                        else NOTHING,
                        report=REPORTED
                        if comment.pk == reported
                        else format_markup(
                            REPORT_HTML,
                            url=f"{report_before}{comment.pk}{report_after}",
                            name=comment.user_name,
                        ),
                    )
                )
            if node["children"]:
                parts.append(REPLIES_OPEN)
                write(node["children"])
                parts.append(REPLIES_CLOSE)
            parts.append(ITEM_CLOSE)

    write(tree)
    # format_markup's output and constants only.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def _as_int(value):
    # ASCII digits only: str.isdigit() is also true for "²", which int() refuses.
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _thread_count(request, article, *, read_now):
    """The thread's count, its change noted for the page's Last-Modified (a thread kept
    rendered brings its render's time instead: newsroom.fragments). Taken from the
    article's row when the page has just read it, else read on its own."""
    if read_now:
        count = ThreadCount(article.comment_count, article.comments_changed_at)
    else:
        count = thread_count(article.pk)
    shows_changed_at(request, count.changed_at)
    return count


def _thread_page(article, cursor, count):
    """A page of the thread; the first is read with the count the page shows, which
    says whether the whole thread fits on it (threads.thread_page)."""
    known = count.count if cursor.start is None else None
    return thread_page(article_id=article.pk, cursor=cursor, count=known)


@register.inclusion_tag("comments/_section.html", takes_context=True)
def article_comments(context, article):
    """A page of the public thread (``?comments=<cursor>``, see comments.threads), the
    stored count, and the form (or why comments are closed)."""
    request = context.get("request")
    query = request.GET if request else {}
    if request is not None:
        shows(request, article.comments_cache_key, COMMENT_RULES_KEY)
    cursor = Cursor.parse(query.get("comments", OLDEST))
    # Read only when shown: a thread kept rendered (the "comments" fragment) needs no
    # query, and the first page, the one nearly every reader gets, asks nothing more.
    count = SimpleLazyObject(
        lambda: _thread_count(request, article, read_now=context.get("article_read_now"))
    )
    page = SimpleLazyObject(lambda: _thread_page(article, cursor or Cursor(), count))
    # One value, naming a page there is: then caches may keep it (see shows_real_page).
    if (
        request is not None
        and cursor is not None
        and len(query.getlist("comments")) == 1
        and (cursor.start is None or page.is_real)
    ):
        shows_real_page(request, "comments")
    posted = context.get("comment_form")  # a posted form coming back with its errors
    wanted = _as_int(posted.data.get("reply_to") if posted is not None else query.get("reply_to"))
    reply_to = None
    reply_to_on_page = False
    if wanted is not None:
        reply_to = next((comment for comment in page.comments if comment.pk == wanted), None)
        reply_to_on_page = reply_to is not None
        if reply_to is None:
            # A reply to a comment on another page (the form came back with its errors).
            reply_to = (
                ReaderComment.objects.for_article(article.pk).public().filter(pk=wanted).first()
            )
    if reply_to is not None and reply_to.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
        reply_to = None
    # A blank form is made only if it is rendered: the blank form of the hour is kept
    # rendered (the "comment-form" fragment), and making one (its signature) cost a
    # tenth of a story page whose parts are kept.
    form = posted if posted is not None else SimpleLazyObject(lambda: CommentForm(article))
    # The reply_to field is written from `reply_to` alone: a reply target that was refused
    # is dropped, so posting again makes a new comment instead of failing again.
    form_errors = (
        [
            *posted.non_field_errors(),
            *(error for field in posted.hidden_fields() for error in field.errors),
        ]
        if posted is not None
        else []
    )
    closed = closed_reason(article) if not context.get("is_preview") else None
    return {
        "article": article,
        "tree": SimpleLazyObject(lambda: build_tree(page.comments)),
        "page": page,
        "cursor": cursor or Cursor(),
        "article_url": article.get_absolute_url(),
        # Kept by the comments' services as they change (services.article_comment_count_add).
        "thread_count": count,
        "form": form,
        "posted": posted is not None,
        "signed_hour": signed_hour(),
        "form_errors": form_errors,
        "reply_to": reply_to,
        "reply_to_on_page": reply_to_on_page,
        "closed_reason": closed,
        # Comments at this level or deeper get no reply link: none at all when closed.
        "replies_below": 0 if closed else settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
        "is_preview": context.get("is_preview", False),
        "outcome": query.get("comment"),
        "reported": _as_int(query.get("reported")),
        "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
    }
