from django import template
from django.conf import settings
from django.utils.functional import SimpleLazyObject

from comments.forms import CommentForm, without_invisible
from comments.models import COMMENT_RULES_KEY, ReaderComment
from comments.moderation import closed_reason
from comments.threads import OLDEST, Cursor, thread_page
from newsroom.cachekeys import shows, shows_real_page

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


def _as_int(value):
    # ASCII digits only: str.isdigit() is also true for "²", which int() refuses.
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


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
    page = SimpleLazyObject(lambda: thread_page(article_id=article.pk, cursor=cursor or Cursor()))
    # One value, naming a page there is: then caches may keep it (see shows_real_page).
    if (
        request is not None
        and cursor is not None
        and len(query.getlist("comments")) == 1
        and page.is_real
    ):
        shows_real_page(request, "comments")
    form = context.get("comment_form")  # a posted form coming back with its errors
    wanted = _as_int(form.data.get("reply_to") if form is not None else query.get("reply_to"))
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
    if form is None:
        form = CommentForm(article)
    # The reply_to field is written from `reply_to` alone: a reply target that was refused
    # is dropped, so posting again makes a new comment instead of failing again.
    form_errors = [
        *form.non_field_errors(),
        *(error for field in form.hidden_fields() for error in field.errors),
    ]
    return {
        "article": article,
        "tree": SimpleLazyObject(lambda: build_tree(page.comments)),
        "page": page,
        "cursor": cursor or Cursor(),
        "article_url": article.get_absolute_url(),
        # Kept by the comments' services as they change (services.article_comment_count_add).
        "count": article.comment_count,
        "form": form,
        "form_errors": form_errors,
        "reply_to": reply_to,
        "reply_to_on_page": reply_to_on_page,
        "closed_reason": closed_reason(article) if not context.get("is_preview") else None,
        "is_preview": context.get("is_preview", False),
        "outcome": query.get("comment"),
        "reported": _as_int(query.get("reported")),
        "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
    }
