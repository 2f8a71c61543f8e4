"""The ad manager's admin: advertisers, creatives, placements, ads.txt and the report."""

from urllib.parse import urlencode, urlsplit

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.admin import FormWithUserAdminMixin, ReadOnlyAdminMixin, SaveFailureAdminMixin

from . import services
from .models import AdsTxt, Advertiser, Creative, DailyStat, Placement
from .reports import REPORT_ROWS_SHOWN, ReportForm, build_report, ctr_display, report_csv
from .validators import validate_public_url

# --- Advertisers ------------------------------------------------------------------------


@admin.register(Advertiser)
class AdvertiserAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "creative_count"]
    search_fields = ["name", "contact_email"]
    # Said again here: the count's GROUP BY drops the model's ordering, and pages of the
    # list and the autocomplete would then be in no order.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(creative_count=Count("creatives"))

    @admin.display(description=_("creatives"), ordering="creative_count")
    def creative_count(self, obj):
        url = reverse("admin:ads_creative_changelist")
        return format_html(
            '<a href="{}?{}">{}</a>',
            url,
            urlencode({"advertiser__id__exact": obj.pk}),
            obj.creative_count,
        )


# --- Placements -------------------------------------------------------------------------


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Sizes, labels and rules are the ad manager's; the keys belong to the templates."""

    list_display = ["key", "name", "size", "label", "collapse_when_empty", "rules"]
    list_display_links = ["key", "name"]
    readonly_fields = ["key"]
    search_fields = ["key", "name"]
    fieldsets = [
        (None, {"fields": ["key", "name", "label", "collapse_when_empty"]}),
        (_("Size"), {"fields": [("width", "height"), ("mobile_width", "mobile_height")]}),
        (
            _("In-article rules"),
            {"fields": ["after_paragraph", "repeat_every", "clear_of_end", "min_paragraphs"]},
        ),
        (_("List pages"), {"fields": ["every_n_items"]}),
    ]

    def has_add_permission(self, request):
        # The registry in ads/placements.py creates them, for keys the templates use.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("size"))
    def size(self, obj):
        size = f"{obj.width}×{obj.height}"
        if obj.mobile_width or obj.mobile_height:
            mobile = f"{obj.mobile_width or obj.width}×{obj.mobile_height or obj.height}"
            size += _(", phones %(size)s") % {"size": mobile}
        return size

    @admin.display(description=_("in-article / list rules"))
    def rules(self, obj):
        rules = []
        if obj.after_paragraph:
            rules.append(_("after paragraph %d") % obj.after_paragraph)
        if obj.repeat_every:
            rules.append(_("then every %d") % obj.repeat_every)
        if obj.clear_of_end:
            rules.append(_("not in the last %d") % obj.clear_of_end)
        if obj.min_paragraphs:
            rules.append(_("only in articles of %d+ paragraphs") % obj.min_paragraphs)
        if obj.every_n_items:
            rules.append(_("every %d items") % obj.every_n_items)
        return "; ".join(str(rule) for rule in rules) or "—"


# --- Creatives --------------------------------------------------------------------------

HTML_FORBIDDEN = _(
    "Only ad managers may enter HTML snippets from ad networks. Choose “Image and link”, "
    "or ask an ad manager to enter the snippet; what you typed is kept below."
)
UNENCRYPTED_TARGET = _(
    "This address starts with http://: readers' clicks would travel unencrypted, where "
    "anyone on their network can read or change them. Use https:// if the advertiser's "
    "site has it; otherwise tick “I know this target is not encrypted” below."
)


class CreativeAdminForm(forms.ModelForm):
    class Meta:
        labels = {"html": _("HTML snippet"), "target_url": _("Target URL")}

    accept_unencrypted = forms.BooleanField(
        required=False,
        label=_("I know this target is not encrypted"),
        help_text=_("Needed only to save an http:// target."),
    )

    page_types = forms.MultipleChoiceField(
        choices=Creative.PageType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Page types"),
        help_text=Creative._meta.get_field("page_types").help_text,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_page_types(self):
        chosen = set(self.cleaned_data["page_types"])
        return [value for value in Creative.PageType.values if value in chosen]

    def clean(self):
        cleaned_data = super().clean()
        # creative_save() refuses too, with a 403; here the form comes back instead, so the
        # rest of what was typed is not lost.
        if self.user is not None and not self.user.has_perm("ads.enter_html_creative"):
            if cleaned_data.get("kind") == Creative.Kind.HTML:
                self.add_error("kind", forms.ValidationError(HTML_FORBIDDEN, code="html"))
            elif "html" in self.changed_data:
                # Kept for an image ad it would run once someone switched the kind.
                self.add_error("html", forms.ValidationError(HTML_FORBIDDEN, code="html"))
        target_url = cleaned_data.get("target_url") or ""
        if (
            "target_url" in self.changed_data
            and urlsplit(target_url).scheme.lower() == "http"
            and not cleaned_data.get("accept_unencrypted")
        ):
            self.add_error(
                "target_url", forms.ValidationError(UNENCRYPTED_TARGET, code="unencrypted")
            )
        return cleaned_data


class ScheduleFilter(admin.SimpleListFilter):
    title = _("schedule")
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live")),
            ("scheduled", _("Scheduled")),
            ("ended", _("Ended")),
            ("off", _("Off")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "live":
                return queryset.live(now)
            case "scheduled":
                return queryset.filter(is_active=True, starts_at__gt=now)
            case "ended":
                return queryset.filter(is_active=True, ends_at__lte=now)
            case "off":
                return queryset.filter(is_active=False)
        return queryset


def schedule_state(creative, now):
    """Live, Scheduled, Ended or Off, by the same rule as CreativeQuerySet.live()."""
    if not creative.is_active:
        return _("Off")
    if creative.starts_at and creative.starts_at > now:
        return _("Scheduled")
    if creative.ends_at and creative.ends_at <= now:
        return _("Ended")
    return _("Live")


def stat_total(field):
    """The sum of one DailyStat field for the creative of the outer query; 0 without stats."""
    totals = (
        DailyStat.objects.filter(creative=OuterRef("pk"))
        .order_by()
        .values("creative")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(totals), 0)


@admin.register(Creative)
class CreativeAdmin(SaveFailureAdminMixin, FormWithUserAdminMixin, admin.ModelAdmin):
    form = CreativeAdminForm
    list_display = [
        "thumbnail", "name", "advertiser", "kind", "priority", "weight", "schedule",
        "placement_names", "impressions", "clicks", "ctr",
    ]  # fmt: skip
    list_display_links = ["thumbnail", "name"]
    list_filter = [
        ScheduleFilter,
        ("advertiser", admin.RelatedOnlyFieldListFilter),
        "kind",
        "priority",
        "placements",
        "is_active",
    ]
    list_select_related = ["advertiser"]
    search_fields = ["name", "advertiser__name"]
    autocomplete_fields = ["advertiser"]
    # Not autocomplete: that would need view permission on sections, which ad managers lack.
    filter_horizontal = ["placements", "sections"]
    # The model field's own check too, so that an address Django's URL check also refuses
    # ("http://2130706433/") is explained rather than only called "not a valid URL".
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https", "validators": [validate_public_url]}
    }
    readonly_fields = ["preview", "created_by", "created_at"]
    actions = ["activate", "deactivate"]
    fieldsets = [
        (None, {"fields": ["name", "advertiser", "kind", "priority", "weight", "is_active"]}),
        (
            _("Image ad"),
            {"fields": ["image", "preview", "alt_text", "target_url", "accept_unencrypted"]},
        ),
        (_("HTML ad"), {"fields": ["html"]}),
        (_("Where"), {"fields": ["placements", "sections", "page_types"]}),
        (_("When"), {"fields": ["starts_at", "ends_at"]}),
        (_("Record"), {"fields": ["created_by", "created_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # Totals in the page's one query, as correlated subqueries rather than a join: the
        # count and filter queries can then leave them out instead of grouping every stat.
        return (
            super()
            .get_queryset(request)
            .annotate(
                total_impressions=stat_total("impressions"), total_clicks=stat_total("clicks")
            )
            .prefetch_related("placements")
        )

    def save_model(self, request, obj, form, change):
        services.creative_save(creative=obj, by=request.user)

    @admin.display(description=_("ad"))
    def thumbnail(self, obj):
        if obj.kind != Creative.Kind.IMAGE or not obj.image:
            return _("HTML") if obj.kind == Creative.Kind.HTML else "—"
        return format_html(
            '<img src="{}" alt="{}" width="96" style="height:auto">', obj.image.url, obj.alt_text
        )

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="{}" style="max-width:100%;height:auto">',
            obj.image.url,
            obj.alt_text,
            obj.image_width or "",
        )

    @admin.display(description=_("schedule"))
    def schedule(self, obj):
        return schedule_state(obj, timezone.now())

    @admin.display(description=_("placements"))
    def placement_names(self, obj):
        return format_html_join(", ", "{}", ((p.name,) for p in obj.placements.all())) or "—"

    @admin.display(description=_("impressions"), ordering="total_impressions")
    def impressions(self, obj):
        return obj.total_impressions

    @admin.display(description=_("clicks"), ordering="total_clicks")
    def clicks(self, obj):
        return obj.total_clicks

    @admin.display(description=_("CTR"))
    def ctr(self, obj):
        return ctr_display(obj.total_clicks, obj.total_impressions)

    def _set_active(self, request, queryset, *, active, done, not_done):
        # The plain rows: the list's annotations are no use here.
        count, refused = services.creatives_set_active(
            creatives=Creative.objects.filter(pk__in=queryset.values("pk")),
            active=active,
            by=request.user,
        )
        self.message_user(
            request,
            ngettext("%(count)d creative %(done)s.", "%(count)d creatives %(done)s.", count)
            % {"count": count, "done": done},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                _("%(not_done)s (open each to see why): %(names)s")
                % {"not_done": not_done, "names": ", ".join(refused)},
                messages.WARNING,
            )

    @admin.action(description=_("Activate selected creatives"), permissions=["change"])
    def activate(self, request, queryset):
        self._set_active(
            request, queryset, active=True, done=_("activated"), not_done=_("Not activated")
        )

    @admin.action(description=_("Deactivate selected creatives"), permissions=["change"])
    def deactivate(self, request, queryset):
        self._set_active(
            request, queryset, active=False, done=_("deactivated"), not_done=_("Not deactivated")
        )


# --- The report -------------------------------------------------------------------------


@admin.register(DailyStat)
class DailyStatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The report: the changelist is replaced by totals for a date range, also as CSV."""

    report_template = "admin/ads/dailystat/report.html"

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ReportForm.from_query(request.GET)
        report = csv_url = None
        if form.is_valid():
            params = {
                "start": form.cleaned_data["start"].isoformat(),
                "end": form.cleaned_data["end"].isoformat(),
                "group_by": form.cleaned_data["group_by"],
            }
            if request.GET.get("format") == "csv":
                filename = "ads-report-{group_by}-{start}-to-{end}.csv".format(**params)
                return report_csv(build_report(**form.cleaned_data), filename)
            report = build_report(**form.cleaned_data, shown=REPORT_ROWS_SHOWN)
            csv_url = "?" + urlencode({**params, "format": "csv"})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ad report"),
            "form": form,
            "report": report,
            "csv_url": csv_url,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.report_template, context)


# --- ads.txt ----------------------------------------------------------------------------


class AdsTxtAdminForm(forms.ModelForm):
    class Meta:
        model = AdsTxt
        fields = ["content"]
        widgets = {
            "content": forms.Textarea(
                attrs={"rows": 24, "cols": 100, "spellcheck": "false", "class": "vLargeTextField"}
            )
        }


@admin.register(AdsTxt)
class AdsTxtAdmin(admin.ModelAdmin):
    """One row, edited in place: the list goes straight to it."""

    form = AdsTxtAdminForm
    list_display = ["__str__", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AdsTxt.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        ads_txt = AdsTxt.objects.first()
        if ads_txt is not None and self.has_view_or_change_permission(request, ads_txt):
            return redirect("admin:ads_adstxt_change", ads_txt.pk)
        return super().changelist_view(request, extra_context)
