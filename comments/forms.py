import time
import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_comments.forms import CommentSecurityForm

from .models import ReaderComment

NAME_MAX_LENGTH = 50
EMAIL_MAX_LENGTH = 254
# Control and format characters (Unicode categories Cc and Cf): bidi overrides and
# isolates (U+202A-U+202E, U+2066-U+2069), zero-width spaces and joiners (U+200B-U+200D),
# the word joiner (U+2060), the byte-order mark (U+FEFF)...
INVISIBLE_CATEGORIES = {"Cc", "Cf"}


def without_invisible(value: str) -> str:
    """The text with runs of whitespace made one space and control and format
    characters taken out: what is left is what a reader sees, in the order typed.

    A right-to-left override would turn a name around and everything shown after it
    on the line (the date, the permalink); a zero-width space makes two names that look
    the same. Letters and combining marks of every script stay.
    """
    return "".join(
        character
        for character in " ".join(value.split())
        if unicodedata.category(character) not in INVISIBLE_CATEGORIES
    )


REPLY_MISSING = _("The comment you are replying to is not available. Post it as a new comment.")


def signed_hour():
    """The time a blank form is signed with: now, rounded down to the hour."""
    return int(time.time()) // 3600 * 3600


class CommentForm(CommentSecurityForm):
    """Name, email and comment, with the target and time signed by django-contrib-comments.

    Messages are the reader's: what is wrong and what to do, shown next to the field.
    The honeypot is not a validation error: a bot that fills it is told its comment
    awaits moderation, and it is discarded.
    """

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Shown with your comment. Up to %(limit)d characters.")
        % {"limit": NAME_MAX_LENGTH},
        error_messages={
            "required": _("Please enter your name here"),
            "max_length": _("Please shorten your name to %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("Never shown publicly."),
        error_messages={
            "required": _("Please enter your email address here"),
            "invalid": _("You have entered an incorrect email address!"),
            "max_length": _("Please use an email address of at most %(limit_value)d characters."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=settings.COMMENT_MAX_LENGTH,
        help_text=_("Up to %(limit)d characters. Comments are read by a moderator first.")
        % {"limit": settings.COMMENT_MAX_LENGTH},
        error_messages={
            "required": _("Please enter your comment!"),
            "max_length": _(
                "Please shorten your comment to %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    notify = forms.BooleanField(
        required=False,
        label=_("Notify me by e-mail when my comment is published and when someone replies to it"),
        help_text=_("We first e-mail you a link to confirm; every e-mail has a link to stop them."),
    )
    honeypot = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Bounded: django-contrib-comments subtracts the timestamp from time.time(), and an
    # integer too big for a float would raise OverflowError there instead of failing.
    timestamp = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**53)
    reply_to = forms.IntegerField(
        required=False,
        min_value=1,
        # parent_id is a 32-bit column: a larger number would fail in the database.
        max_value=2**31 - 1,
        error_messages=dict.fromkeys(["invalid", "min_value", "max_value"], REPLY_MISSING),
        widget=forms.HiddenInput,
    )

    def generate_security_data(self):
        """The signed target and time, with the time rounded down to the hour.

        The form is part of the article page: a timestamp that changed every second
        would change the page's HTML, and so its ETag, every second.
        """
        timestamp = signed_hour()
        return {
            "content_type": str(self.target_object._meta),
            "object_pk": str(self.target_object._get_pk_val()),
            "timestamp": str(timestamp),
            "security_hash": self.initial_security_hash(timestamp),
        }

    def clean_name(self):
        """Invisible characters are taken out rather than refused: the reader cannot see
        them to remove them, and what is left is the name they meant to give."""
        name = without_invisible(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(self.fields["name"].error_messages["required"])
        return name

    def clean_reply_to(self):
        """Replies only to a public comment of this article, within the thread depth."""
        parent_id = self.cleaned_data.get("reply_to")
        if not parent_id:
            return None
        parent = (
            ReaderComment.objects.for_article(self.target_object.pk)
            .public()
            .filter(pk=parent_id)
            .first()
        )
        if parent is None:
            raise forms.ValidationError(REPLY_MISSING, code="reply_missing")
        if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            raise forms.ValidationError(
                _("This conversation is as deep as it goes: reply to an earlier comment."),
                code="reply_too_deep",
            )
        return parent

    def has_tampered_target(self):
        return (
            "security_hash" in self.errors
            or "content_type" in self.errors
            or "object_pk" in self.errors
        )


class DataRequestForm(forms.Form):
    """A commenter asks for their data: we mail a link to the address they give."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("The address you commented with. We e-mail a link to it."),
        error_messages={
            "required": _("Please enter your email address here"),
            "invalid": _("Please enter an e-mail address such as ada@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase my comments and everything stored under my address"),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
