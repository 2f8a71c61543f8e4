from django import template
from django.conf import settings

from comments.forms import CommentForm
from comments.models import ReaderComment
from comments.moderation import closed_reason
from newsroom.cachekeys import shows

register = template.Library()


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
    """The public thread, its count, and the form (or why comments are closed)."""
    request = context.get("request")
    query = request.GET if request else {}
    if request is not None:
        shows(request, article.comments_cache_key)
    comments = list(ReaderComment.objects.for_article(article.pk).thread())
    by_pk = {comment.pk: comment for comment in comments}
    form = context.get("comment_form")  # a posted form coming back with its errors
    wanted = form.data.get("reply_to") if form is not None else query.get("reply_to")
    reply_to = by_pk.get(_as_int(wanted))
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
        "tree": build_tree(comments),
        "count": len(comments),
        "form": form,
        "form_errors": form_errors,
        "reply_to": reply_to,
        "closed_reason": closed_reason(article) if not context.get("is_preview") else None,
        "is_preview": context.get("is_preview", False),
        "outcome": query.get("comment"),
        "reported": _as_int(query.get("reported")),
        "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
    }
