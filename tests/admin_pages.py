"""Filling in admin forms as a browser would: what each field sends as the page shows it."""

from django import forms
from django.test import Client


def field_data(bound):
    """What a browser sends for one bound field, as the admin page shows it."""
    widget, value = bound.field.widget, bound.value()
    if isinstance(widget, forms.MultiWidget):  # the split date and time
        values = value if isinstance(value, list | tuple) else widget.decompress(value)
        return {
            f"{bound.html_name}{suffix}": "" if part is None else str(part)
            for suffix, part in zip(widget.widgets_names, values, strict=True)
        }
    if isinstance(widget, forms.CheckboxInput):
        return {bound.html_name: "on"} if value else {}
    if isinstance(widget, forms.ClearableFileInput):
        return {}
    if isinstance(bound.field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return {bound.html_name: [str(item) for item in value or []]}
    return {bound.html_name: "" if value is None else str(value)}


def form_data(response, **changes):
    """The form on an admin page, with its inlines' management forms, filled in as shown.

    Inline prefixes and management form values come from the page itself rather than
    being guessed, so adding an inline to the admin does not break the tests.
    """
    assert response.status_code == 200
    context = response.context
    forms_on_page = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms_on_page:
        for bound in form:
            data.update(field_data(bound))
    data.update(changes)
    return data


def form_errors(response):
    return response.context["adminform"].form.errors


def logged_in(user):
    """A client of its own, signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client
