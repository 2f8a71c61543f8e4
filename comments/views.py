"""Readers post and report comments. Both answer without JavaScript, with readable pages.

These views need no CSRF token, so article pages carrying the form stay cacheable:
a post carries no one's authority (it is never tied to the logged-in user, whose
session is ignored here), the target and time are signed, cross-site browser posts
are refused by their Origin header, and everything is rate-limited and moderated.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.pages import article_page_context
from newsroom.clients import client_hash, client_ip, client_network

from . import services
from .forms import CommentForm
from .models import ReaderComment
from .moderation import closed_reason
from .throttle import seconds_to_wait

MESSAGES = {
    "cross_site": _("This form was sent from another website."),
    "no_target": _(
        "We could not tell which article this comment was for. "
        "Open the article and post your comment again."
    ),
    "tampered": _(
        "This form was changed or damaged on the way. Open the article and post your comment again."
    ),
    "expired": _(
        "This page was open for a long time. Please check your comment and post it again."
    ),
    "too_fast": _(
        "Several comments were just posted from here or with this email address. "
        "Please wait a moment and post again; your comment is below."
    ),
    "reports_too_fast": _("You have reported several comments in a short time. Try again later."),
}


def _error(request, status, title, message, *, text=""):
    """A readable 4xx page; what the reader wrote is shown back so nothing is lost."""
    return render(
        request,
        "comments/error.html",
        {"title": title, "message": message, "text": text},
        status=status,
    )


def _cross_site(request):
    """Browsers name the site a form was posted from in Origin; refuse other sites."""
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin not in {
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }


def _target(request):
    """The published article the form was for, or None."""
    object_pk = request.POST.get("object_pk", "")
    # ASCII digits only: str.isdigit() is also true for "²", which int() refuses.
    if not (object_pk.isascii() and object_pk.isdigit()) or len(object_pk) > 18:
        return None
    return Article.objects.published().select_related("section").filter(pk=int(object_pk)).first()


def _render_article_with_form(request, article, form):
    """The article page again, showing the form's errors (all the page's data, now)."""
    article = Article.objects.for_detail().get(pk=article.pk)
    context = {**article_page_context(article), "comment_form": form}
    return render(request, "articles/article_detail.html", context, status=400)


def _refreshed_form(article, data):
    """The reader's words in a form with new signed data, for a page left open too long."""
    fresh = {**data.dict(), **CommentForm(article).generate_security_data()}
    form = CommentForm(article, data=fresh)
    form.is_valid()
    form.add_error(None, MESSAGES["expired"])
    return form


@csrf_exempt
@require_POST
@never_cache
def post_comment(request):
    text = request.POST.get("comment", "")
    if _cross_site(request):
        return _error(request, 403, _("Comment not sent"), MESSAGES["cross_site"], text=text)
    if request.POST.get("content_type") != "articles.article":
        # Only article pages carry the form, and content_type is signed with it.
        return _error(request, 400, _("Comment not sent"), MESSAGES["tampered"], text=text)
    article = _target(request)
    if article is None:
        return _error(request, 400, _("Comment not sent"), MESSAGES["no_target"], text=text)
    if reason := closed_reason(article):
        return _error(request, 403, _("Comments are closed"), reason, text=text)
    form = CommentForm(article, data=request.POST)
    if not form.is_valid():
        if form.has_tampered_target():
            return _error(request, 400, _("Comment not sent"), MESSAGES["tampered"], text=text)
        if "timestamp" in form.errors:
            form = _refreshed_form(article, request.POST)
        return _render_article_with_form(request, article, form)
    data = form.cleaned_data
    outcome = services.comment_post(
        article=article,
        name=data["name"],
        email=data["email"],
        text=data["comment"],
        parent=data["reply_to"],
        honeypot=data["honeypot"],
        client=client_network(request),
        ip_address=client_ip(request),
        request=request,
    )
    if outcome.result == services.PostResult.TOO_FAST:
        response = _error(request, 429, _("Please wait a moment"), MESSAGES["too_fast"], text=text)
        response["Retry-After"] = str(outcome.retry_after)
        return response
    # Stored now or already, or discarded: the reader is told it was received either way.
    return _posted(article, outcome.comment)


def _posted(article, comment):
    """Back to the article, where the reader is told what became of the comment."""
    if comment is not None and comment.status == ReaderComment.Status.PUBLIC:
        return HttpResponseRedirect(f"{article.get_absolute_url()}?comment=published#c{comment.pk}")
    return HttpResponseRedirect(f"{article.get_absolute_url()}?comment=pending#comment-status")


@csrf_exempt
@require_POST
@never_cache
def report_comment(request, pk):
    if _cross_site(request):
        return _error(request, 403, _("Report not sent"), MESSAGES["cross_site"])
    comment = get_object_or_404(ReaderComment.objects.public(), pk=pk)
    article = get_object_or_404(Article.objects.published(), pk=comment.object_pk)
    if wait := seconds_to_wait(
        [("report", settings.COMMENTS_REPORT_RATE, client_network(request))]
    ):
        response = _error(request, 429, _("Please wait a moment"), MESSAGES["reports_too_fast"])
        response["Retry-After"] = str(wait)
        return response
    services.comment_report(comment=comment, reporter_hash=client_hash(request))
    return HttpResponseRedirect(f"{article.get_absolute_url()}?reported={comment.pk}#c{comment.pk}")
