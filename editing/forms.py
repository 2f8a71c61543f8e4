"""The edit-conflict guard on a ModelForm, and filling a form from a restored draft."""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from reversion.models import Version

from .desk import user_name

VERSION_FIELD = "edit_version"
BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|figcaption|tr)>|<br\s*/?>", re.IGNORECASE)


def text_lines(value: Any, *, html: bool) -> list[str]:
    """A field's value as lines of text to compare; rich text a paragraph per line."""
    text = str(value or "")
    if html:
        text = strip_tags(BLOCK_END.sub("\n", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class EditConflict:
    by: str
    at: Any
    diff_html: SafeString


def version_token(instance: Any, field: str) -> str:
    value = getattr(instance, field, None)
    return value.isoformat() if value is not None else ""


class EditGuardFormMixin:
    """Refuses a save over a version saved by someone else since the form was opened.

    The form carries the version it was opened on (`edit_version`, hidden, rendered by
    the editing partial). If the stored object has changed since, the form is invalid:
    the user's text stays in it, the differences are shown (`edit_conflict`), and the
    hidden version becomes the current one, so saving again after reading them replaces
    the other version knowingly. A POST without the field (a script, not the page) is
    not checked.
    """

    edit_version_field = "updated_at"
    edit_compared_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflict: EditConflict | None = None
        self.fields[VERSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput,
            required=False,
            initial=version_token(self.instance, self.edit_version_field),
        )

    def clean(self):
        cleaned_data = super().clean()
        opened_on = cleaned_data.get(VERSION_FIELD)
        if not (opened_on and self.instance.pk):
            return cleaned_data
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        current = version_token(stored, self.edit_version_field) if stored else ""
        if stored is None or opened_on == current:
            return cleaned_data
        self.edit_conflict = self._conflict(stored)
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = current
        raise ValidationError(
            _(
                "%(name)s saved this at %(time)s, after you opened it, so your changes were "
                "not saved. They are kept below; the differences are shown. Take what you "
                "need, or save again to replace their version with yours."
            ),
            code="edit_conflict",
            params={
                "name": self.edit_conflict.by,
                "time": f"{timezone.localtime(self.edit_conflict.at):%H:%M:%S}",
            },
        )

    def _conflict(self, stored) -> EditConflict:
        # Who: the latest version's author (every save through a service makes one).
        version = Version.objects.get_for_object(stored).select_related("revision__user").first()
        user = version.revision.user if version else None
        by = user_name(user) if user else str(_("Someone"))
        at = getattr(stored, self.edit_version_field)
        tables = []
        for name in self.edit_compared_fields:
            html = isinstance(stored._meta.get_field(name), ProseEditorField)
            theirs = text_lines(getattr(stored, name), html=html)
            typed = self.cleaned_data.get(name, self.data.get(self.add_prefix(name)))
            yours = text_lines(typed, html=html)
            if theirs == yours:
                continue
            table = difflib.HtmlDiff(wrapcolumn=60).make_table(
                theirs,
                yours,
                fromdesc=escape(_("Saved by %(name)s") % {"name": by}),
                todesc=escape(_("Your text")),
                context=True,
                numlines=1,
            )
            label = escape(self.fields[name].label or name)
            tables.append(f'<h3 class="edit-desk__diff-field">{label}</h3>{table}')
        # difflib escapes the compared text (&, <, >) and the descriptions are escaped above.
        diff_html = mark_safe("".join(tables))  # noqa: S308  # nosec B308 B703
        return EditConflict(by=by, at=at, diff_html=diff_html)


def draft_data(data: dict[str, str | list[str]]) -> MultiValueDict:
    """A draft (names to a string or a list of strings) as a form reads a POST."""
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})


def restore_draft(form: forms.BaseForm, data: dict[str, str | list[str]]) -> None:
    """Show `data` (a draft, as the page sent it) as the unbound form's values.

    Each field reads its value as it would from a POST; a value it refuses is shown as
    typed if it is text, else the stored one stays. The draft's `edit_version` comes
    back too: saving it over a newer version is refused like any other stale save.
    """
    posted = draft_data(data)
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = field.widget.value_from_datadict(posted, MultiValueDict(), form.add_prefix(name))
        try:
            form.initial[name] = field.clean(value)
        except ValidationError:
            if isinstance(value, str):
                form.initial[name] = value
