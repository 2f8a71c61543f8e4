"""Admin mixins any app's ModelAdmin may use; they know no app's models."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

STORAGE_FAILED = _(
    "The file could not be stored (the disk may be full). Nothing was saved; your other "
    "changes are below. Please try again in a moment."
)


class SaveFailureAdminMixin:
    """A save that fails after the form was valid becomes a form error, not a 500.

    Two editors saving the same slug at once both pass the form's uniqueness check, and
    the service's own check or the database refuses the second: the form is checked
    again, now sees the other article, and says so next to the slug. A full disk
    refusing an upload is shown next to the file field. Either way the page comes back
    with what was typed.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, ValidationError, OSError) as error:
            if request.method != "POST" or hasattr(request, "save_failure"):
                raise
            request.save_failure = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        failure = getattr(request, "save_failure", None)
        if not isinstance(failure, OSError):
            return form

        class FormAfterStorageFailure(form):
            def clean(self):
                cleaned_data = super().clean()
                field = next(
                    (n for n, f in self.fields.items() if isinstance(f, forms.FileField)), None
                )
                self.add_error(field, STORAGE_FAILED)
                return cleaned_data

        return FormAfterStorageFailure


class FormWithUserAdminMixin:
    """The admin's form gets the signed-in user: what they may do shapes the form."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class FormWithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return FormWithUser
