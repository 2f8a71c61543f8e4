"""The editing desk on a ModelAdmin's change form: autosave, presence, restore, and
the end of the user's session when they save."""

from django import forms

from . import services
from .desk import draft_to_restore, edit_key, open_desk
from .forms import draft_data, restore_draft

DESK_MEDIA = forms.Media(js=["js/desk.js"], css={"all": ["css/desk.css"]})


class EditDeskAdminMixin:
    """For a ModelAdmin whose form uses editing.forms.EditGuardFormMixin.

    `desk_count_field` is the field whose words are counted; `desk_full_height` makes
    its editor the page's full-height writing surface.
    """

    change_form_template = "admin/editing/change_form.html"
    desk_count_field = "body"
    desk_full_height = False

    @property
    def media(self):
        return super().media + DESK_MEDIA

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        draft = draft_to_restore(request, key=edit_key(self.model, obj.pk if obj else None))
        if draft is None:
            return form_class

        class FormFromDraft(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if not self.is_bound:
                    restore_draft(self, draft.data)

        return FormFromDraft

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """Restoring a draft brings back its inline rows (bylines, corrections) as typed:
        added, changed and marked for removal. They are bound to the draft's data, as a
        POST would bind them, so a row the draft left half-filled shows its error now."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        draft = draft_to_restore(request, key=edit_key(self.model, obj.pk if obj else None))
        if draft is not None and f"{prefix}-TOTAL_FORMS" in draft.data:
            kwargs["data"] = draft_data(draft.data)
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["edit_desk"] = open_desk(
            request,
            key=edit_key(self.model, obj.pk if obj else None),
            count_field=self.desk_count_field,
            full_height=self.desk_full_height,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # After a successful save (save_model is often the ModelAdmin's own, calling a service).
    def response_add(self, request, obj, post_url_continue=None):
        services.edit_session_end(user=request.user, key=edit_key(self.model))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        services.edit_session_end(user=request.user, key=edit_key(self.model, obj.pk))
        return super().response_change(request, obj)
