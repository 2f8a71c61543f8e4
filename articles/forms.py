from django import forms
from django.utils.translation import gettext_lazy as _

from .blocks import missing_photo_ids
from .images import validate_image
from .models import Photo


def clean_body_blocks(body: str) -> str:
    """A body whose photo and gallery blocks name photos the library has (a story's or
    a live entry's), or a message saying which it lacks."""
    if missing := missing_photo_ids(body):
        raise forms.ValidationError(
            _(
                "The photo library has no photo numbered %(numbers)s. Check the numbers "
                "in the photo and gallery blocks; your text is kept below."
            ),
            code="missing_photo",
            params={"numbers": ", ".join(map(str, missing))},
        )
    return body


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _("Please shorten your search to %(limit_value)d characters.")
        },
    )


class PhotoImageField(forms.ImageField):
    """Newsroom's upload checks before Django's, whose single message fits no case well.

    Django calls a decompression bomb or a huge upload "not an image or a corrupted
    image"; validate_image says what is wrong and what to do about it.
    """

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)


class PhotoUploadForm(forms.ModelForm):
    """A new photo uploaded from inside the body editor, to go into the story as an
    inline photo block. The focal point is the centre until an editor moves it."""

    class Meta:
        model = Photo
        fields = ["image", "alt_text", "is_decorative", "caption", "credit"]
        field_classes = {"image": PhotoImageField}

    def clean(self):
        cleaned_data = super().clean()
        # The model's constraint says the same, but next to no field.
        if not cleaned_data.get("is_decorative") and not cleaned_data.get("alt_text"):
            self.add_error(
                "alt_text", _("Describe the picture in the alt text, or mark it as decorative.")
            )
        return cleaned_data
