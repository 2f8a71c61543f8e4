from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.forms import clean_body_blocks
from editing.forms import EditGuardFormMixin

from .models import LiveEntry


class LiveEntryAdminForm(EditGuardFormMixin, forms.ModelForm):
    """An entry's own admin form, refusing a save over a newer version."""

    edit_compared_fields = ("title", "body")

    def clean_body(self):
        return clean_body_blocks(self.cleaned_data["body"])


class LiveEntryForm(EditGuardFormMixin, forms.ModelForm):
    """The live desk's compact form: what the entry says; the button pressed says
    whether it is published or kept as a draft. A save over a version someone else
    saved since the form was opened is refused, with the differences."""

    edit_compared_fields = ("title", "body")

    class Meta:
        model = LiveEntry
        fields = ["title", "body", "authors", "is_key_event", "is_pinned", "published_at"]
        help_texts = {"published_at": _("Leave as it is to post it now.")}

    def __init__(self, *args, article, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.article = article
        self.fields["published_at"].required = False
        self.fields["authors"].widget.attrs["size"] = 4
        if user is not None and user.has_perm("articles.add_photo"):
            # The body editor's "Upload a photo" button posts here (static/js/body-blocks.js).
            self.fields["body"].widget.attrs["data-photo-upload-url"] = reverse(
                "admin:articles_photo_upload"
            )

    def clean_body(self):
        return clean_body_blocks(self.cleaned_data["body"])
