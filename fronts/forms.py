from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Photo, Section, Tag

from .models import Card, Container


def pickable_stories():
    """Stories an editor may pick: published, or scheduled (they appear when live)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED)


class StorySearchForm(forms.Form):
    q = forms.CharField(label=_("Find stories"), required=False, max_length=200)

    def results(self):
        query = self.cleaned_data.get("q", "") if self.is_valid() else ""
        stories = (
            pickable_stories()
            .select_related("section")
            .with_recent_views()
            .order_by("-published_at", "-pk")
        )
        if query:
            stories = stories.filter(headline__icontains=query)
        return stories[:10]


class CardAddForm(forms.Form):
    article = forms.ModelChoiceField(queryset=pickable_stories(), widget=forms.HiddenInput)
    container = forms.ModelChoiceField(queryset=Container.objects.none(), label=_("Add to"))

    def __init__(self, *args, front, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["container"].queryset = front.containers.all()


class CardMoveForm(forms.Form):
    to = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ContainerForm(forms.ModelForm):
    """A block's title, layout, size and backfill rule, in the front editor."""

    class Meta:
        model = Container
        fields = ["title", "layout", "max_cards", "backfill", "backfill_section", "backfill_tag"]
        labels = {
            "max_cards": _("Up to"),
            "backfill_section": _("Section"),
            "backfill_tag": _("Tag"),
        }

    def __init__(self, *args, rule_choices, **kwargs):
        super().__init__(*args, **kwargs)
        # The editor shows a form per block: the sections and tags are read once for all.
        for name, choices in rule_choices.items():
            self.fields[name].widget.choices = choices

    @staticmethod
    def rule_choices() -> dict[str, list[tuple[object, str]]]:
        """The sections and tags a backfill may read, for every block's form: two queries."""
        blank = [("", "---------")]
        return {
            "backfill_section": blank + list(Section.objects.values_list("pk", "name")),
            "backfill_tag": blank + list(Tag.objects.order_by("name").values_list("pk", "name")),
        }


class ContainerMoveForm(forms.Form):
    to = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class CardForm(forms.ModelForm):
    photo = forms.ModelChoiceField(
        queryset=Photo.objects.all(),
        required=False,
        widget=forms.NumberInput,
        label=_("Photo number"),
        help_text=_("A photo's number in the photo library; empty for the story's own."),
    )

    class Meta:
        model = Card
        fields = ["headline", "standfirst", "photo", "kicker"]


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: at once. A time to come: readers see it then."),
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at is not None and at <= timezone.now():
            raise forms.ValidationError(_("Choose a time to come, or leave it empty."))
        return at
