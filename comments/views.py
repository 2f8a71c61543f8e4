"""Readers post and report comments. Both answer without JavaScript, with readable pages.

These views need no CSRF token, so article pages carrying the form stay cacheable:
a post carries no one's authority (it is never tied to the logged-in user, whose
session is ignored here), the target and time are signed, cross-site browser posts
are refused by their Origin header, and everything is rate-limited and moderated.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.blocks import allow_frames
from articles.models import Article
from articles.pages import article_page_context
from newsroom.cachekeys import shows
from newsroom.clients import client_hash, client_ip, client_network, is_own_origin

from . import services
from .counts import block_counts, counts_cache_key
from .forms import CommentForm, DataRequestForm, ErasureForm
from .links import LinkPurpose, LinkRefused, address_from_link
from .models import ReaderComment
from .moderation import closed_reason
from .threads import comment_path
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
    "banned": _("You can't comment on this site."),
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


def comment_counts(request, block):
    """The comment counts of a block of stories, for the cards of lists (comments.counts):
    kept by the caches until a comment of the block is approved or taken down."""
    counts = block_counts(block)
    if counts is None:
        raise Http404("No such stories.")
    shows(request, counts_cache_key(block))
    response = JsonResponse({"counts": {str(pk): count for pk, count in counts.items()}})
    response["X-Robots-Tag"] = "noindex"
    return response


def _cross_site(request):
    """Browsers name the site a form was posted from in Origin; refuse other sites."""
    origin = request.headers.get("Origin")
    return origin is not None and not is_own_origin(request, origin)


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
    response = render(request, "articles/article_detail.html", context, status=400)
    return allow_frames(request, response, context["body"])


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
        notify=data["notify"],
    )
    if outcome.result == services.PostResult.TOO_FAST:
        response = _error(request, 429, _("Please wait a moment"), MESSAGES["too_fast"], text=text)
        response["Retry-After"] = str(outcome.retry_after)
        return response
    if outcome.result == services.PostResult.BANNED and settings.COMMENTS_TELL_BANNED:
        return _error(request, 403, _("Comment not sent"), MESSAGES["banned"], text=text)
    # Stored now or already, discarded or banned: the reader is told it was received.
    return _posted(article, outcome.comment)


def _posted(article, comment):
    """Back to the article, where the reader is told what became of the comment."""
    if comment is not None and comment.status == ReaderComment.Status.PUBLIC:
        url = comment_path(comment, article.get_absolute_url(), {"comment": "published"})
        return HttpResponseRedirect(url)
    return HttpResponseRedirect(f"{article.get_absolute_url()}?comment=pending#comment-status")


@never_cache
def comment_permalink(request, pk):
    """A comment's lasting address (in e-mails, the admin, reports): the page of its
    story that holds its thread now, scrolled to it. A comment not (or no longer)
    public leads to where its thread is, and shows nothing of it."""
    comment = get_object_or_404(ReaderComment, pk=pk)
    article = get_object_or_404(
        Article.objects.published().select_related("section"), pk=comment.object_pk
    )
    return HttpResponseRedirect(comment_path(comment, article.get_absolute_url()))


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
    return HttpResponseRedirect(
        comment_path(comment, article.get_absolute_url(), {"reported": comment.pk})
    )


# --- Commenters' own pages: notices and their data, reached by signed e-mail links ------

LINK_MESSAGES = {
    True: _(
        "This link has expired. Links in our e-mails work for a limited time: "
        "ask for a new one, or post a comment with “Notify me” ticked."
    ),
    False: _(
        "This link does not work: it may have been cut short or changed, or the data "
        "it was for is no longer stored. Copy the whole link from the e-mail."
    ),
}


def _commenter_page(request, title, message, *, status=200, **context):
    context = {"title": title, "message": message, **context}
    response = render(request, "comments/commenter_page.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _address_or_refusal(request, token, purpose):
    """(address, None) for a good link; (None, a readable 4xx page) for a refused one."""
    try:
        return address_from_link(token, purpose), None
    except LinkRefused as refused:
        status = 410 if refused.expired else 400
        message = LINK_MESSAGES[refused.expired]
        return None, _commenter_page(request, _("This link does not work"), message, status=status)


@never_cache
def notices_confirm(request, token):
    """The double opt-in's link: a button, so a mail scanner opening links confirms nothing."""
    address, refusal = _address_or_refusal(request, token, LinkPurpose.CONFIRM)
    if refusal:
        return refusal
    if request.method == "POST":
        services.commenter_notify_confirm(address=address)
        return _commenter_page(
            request,
            _("Thank you: notices are on"),
            _(
                "We will e-mail you when your comments are published and when someone "
                "replies to them. Every e-mail has a link to stop them."
            ),
        )
    return _commenter_page(
        request,
        _("Hear about your comments"),
        _("Confirm that you want an e-mail when your comments are published or replied to."),
        button=_("Yes, notify me"),
    )


@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no cookie and no token
@never_cache
def notices_unsubscribe(request, token):
    """One-click unsubscribe (a POST with List-Unsubscribe=One-Click) and the plain link
    in every e-mail (a page with a button, so opening a link stops nothing)."""
    address, refusal = _address_or_refusal(request, token, LinkPurpose.UNSUBSCRIBE)
    if refusal:
        return refusal
    if request.method == "POST":
        services.commenter_unsubscribe(address=address)
        return _commenter_page(
            request,
            _("You will get no more e-mails about your comments"),
            _("To hear about a comment again, tick “Notify me” when you post it."),
        )
    return _commenter_page(
        request,
        _("Stop e-mails about your comments?"),
        _("You will no longer hear when your comments are published or replied to."),
        button=_("Stop the e-mails"),
    )


@never_cache
def data_request(request):
    """A commenter asks for their data; the link goes to the address, never on screen."""
    form = DataRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        rate = settings.COMMENTS_DATA_REQUEST_RATE
        if wait := seconds_to_wait(
            [("data-client", rate, client_network(request)), ("data-email", rate, email.casefold())]
        ):
            form.add_error(
                None, _("Several links were asked for just now. Please try again in an hour.")
            )
            response = _data_request_page(request, form, status=429)
            response["Retry-After"] = str(wait)
            return response
        services.commenter_data_request(email=email)
        return _commenter_page(
            request,
            _("Check your e-mail"),
            _(
                "If we hold comments or other data under %(email)s, we have e-mailed a link "
                "to it. The link works for %(hours)d hours."
            )
            % {"email": email, "hours": settings.COMMENTS_DATA_LINK_MAX_AGE // 3600},
        )
    return _data_request_page(request, form, status=400 if form.is_bound else 200)


def _data_request_page(request, form, *, status):
    context = {
        "title": _("Your comments and your data"),
        "message": _(
            "Enter the e-mail address you commented with. We e-mail a link to it: from "
            "there you can download everything we store under that address, or have it "
            "erased."
        ),
        "form": form,
    }
    return render(request, "comments/data_request.html", context, status=status)


@never_cache
def data_page(request, token):
    """What the data link opens: download everything, or erase it."""
    address, refusal = _address_or_refusal(request, token, LinkPurpose.DATA)
    if refusal:
        return refusal
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erasure = services.commenter_erase(email=address.email)
        return _commenter_page(
            request,
            _("Your data is erased"),
            _(
                "%(deleted)d comment(s) deleted; %(kept)d kept as “comment removed at the "
                "author’s request”, without your name or words, because others replied."
            )
            % {"deleted": erasure.deleted, "kept": erasure.kept},
        )
    context = {"title": _("Your comments and your data"), "form": form, "token": token}
    return render(request, "comments/data_page.html", context, status=400 if form.is_bound else 200)


@never_cache
def data_export(request, token):
    """Everything stored under the link's address, as a JSON download."""
    address, refusal = _address_or_refusal(request, token, LinkPurpose.DATA)
    if refusal:
        return refusal
    data = services.commenter_data_export(email=address.email)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
    return response
