"""The desk's endpoints: the autosave heartbeat (JSON) and discarding a draft."""

import json

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .desk import editors_present, read_token


def error(status, message):
    return JsonResponse({"error": message}, status=status)


@never_cache
@require_POST
def autosave(request):
    """A heartbeat from an editing page: `{"token": …, "data": {…}}`, data optional.

    Stores the form data, if sent, as the user's draft of the object the token names,
    and answers who else has it open. Staff only; Django's CSRF check applies (the page
    sends the token in X-CSRFToken).
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return error(403, _("Sign in to the admin again: your session has ended."))
    length = request.headers.get("Content-Length", "")
    limit = settings.EDITING_DRAFT_MAX_BYTES
    if not length.isdigit() or int(length) > limit:
        return error(413, _("The text is too long to autosave; save it now."))
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return error(400, _("Not JSON."))
    if not isinstance(payload, dict) or not isinstance(payload.get("token"), str):
        return error(400, _("A token is needed."))
    data = payload.get("data")
    if data is not None and services.as_form_data(data) is None:
        return error(400, _("The data must be a form's fields and their text."))
    key = read_token(payload["token"], user=user)
    if key is None:
        return error(403, _("Reload the page: this form's token is not yours or has expired."))
    session = services.edit_session_beat(user=user, key=key, data=data)
    return JsonResponse(
        {
            "saved_at": session.saved_at.isoformat() if session.saved_at else None,
            "editors": [
                {
                    "name": editor.name,
                    "since": editor.since.isoformat(),
                    "since_time": f"{timezone.localtime(editor.since):%H:%M}",
                }
                for editor in editors_present(key=key, user=user)
            ],
        }
    )


@staff_member_required
@never_cache
@require_http_methods(["GET", "POST"])
def discard(request):
    """Asks, then forgets the user's draft and goes back to the form."""
    params = request.POST if request.method == "POST" else request.GET
    key = read_token(params.get("token", ""), user=request.user)
    next_url = params.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if key is None:
        return HttpResponseRedirect(next_url)
    if request.method == "POST":
        services.edit_session_discard(user=request.user, key=key)
        return HttpResponseRedirect(next_url)
    draft = services.draft_of(user=request.user, key=key)
    context = {
        **admin.site.each_context(request),
        "title": _("Discard your unsaved text?"),
        "draft": draft,
        "token": params["token"],
        "next": next_url,
    }
    return TemplateResponse(request, "admin/editing/discard.html", context)
