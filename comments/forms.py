import time

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_comments.forms import CommentSecurityForm

from .models import ReaderComment

NAME_MAX_LENGTH = 50
EMAIL_MAX_LENGTH = 254
REPLY_MISSING = _("The comment you are replying to is not available. Post it as a new comment.")


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
        timestamp = int(time.time()) // 3600 * 3600
        return {
            "content_type": str(self.target_object._meta),
            "object_pk": str(self.target_object._get_pk_val()),
            "timestamp": str(timestamp),
            "security_hash": self.initial_security_hash(timestamp),
        }

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
