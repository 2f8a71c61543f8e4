"""The moderators' side of a commenter's data: export and erasure from the comment
queue, as actions on the commenters of the selected comments; each is audited
(ModerationEvent EXPORT, ERASE) by the services."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ReaderComment


def _commenter_emails(queryset) -> list[str]:
    return sorted({comment.user_email.casefold() for comment in queryset if comment.user_email})


class CommenterDataActions:
    """Admin actions for ReaderCommentAdmin (see its `actions`)."""

    @admin.action(description=_("Export the commenters' data (JSON)"), permissions=["moderate"])
    def export_commenters(self, request, queryset):
        exports = [
            services.commenter_data_export(email=email, by=request.user)
            for email in _commenter_emails(queryset)
        ]
        response = JsonResponse(
            {"commenters": exports}, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
        )
        response["Content-Disposition"] = 'attachment; filename="commenters.json"'
        return response

    @admin.action(
        description=_("Erase the commenters' data (at their request)"), permissions=["moderate"]
    )
    def erase_commenters(self, request, queryset):
        """Erase everything stored under each selected comment's address, after a
        confirmation page that says what each loses."""
        emails = _commenter_emails(queryset)
        if "confirm" in request.POST:
            erasures = [services.commenter_erase(email=email, by=request.user) for email in emails]
            self.message_user(
                request,
                _(
                    "Erased %(commenters)d commenter(s): %(deleted)d comment(s) deleted, "
                    "%(kept)d kept as “removed at the author’s request” for their replies."
                )
                % {
                    "commenters": len(emails),
                    "deleted": sum(erasure.deleted for erasure in erasures),
                    "kept": sum(erasure.kept for erasure in erasures),
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase these commenters' data?"),
            "opts": self.model._meta,
            "commenters": [
                (email, ReaderComment.objects.by_email(email).count()) for email in emails
            ],
            "selected": [comment.pk for comment in queryset],
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/comments/readercomment/erase_commenters.html", context
        )
