"""The ad report: impressions, clicks and CTR per creative, placement or day, also as CSV."""

import csv
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import Sum
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DailyStat

NO_CTR = "—"


def ctr_display(clicks, impressions):
    """Clicks per impression as a percentage with two decimals; "—" without impressions."""
    if not impressions:
        return NO_CTR
    ctr = (Decimal(100 * clicks) / impressions).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{ctr}%"


@dataclass(frozen=True)
class Grouping:
    label: str
    headers: list  # column titles
    fields: list  # the values() fields shown, one per header
    order: list


GROUPINGS = {
    "creative": Grouping(
        _("Creative"),
        [_("Advertiser"), _("Creative")],
        ["creative__advertiser__name", "creative__name"],
        ["creative__advertiser__name", "creative__name", "creative_id"],
    ),
    "placement": Grouping(_("Placement"), [_("Placement")], ["placement__name"], ["placement_id"]),
    "day": Grouping(_("Day"), [_("Day")], ["date"], ["date"]),
    "creative-day": Grouping(
        _("Creative and day"),
        [_("Day"), _("Advertiser"), _("Creative")],
        ["date", "creative__advertiser__name", "creative__name"],
        ["date", "creative__advertiser__name", "creative__name", "creative_id"],
    ),
}
REPORT_DAYS = 30


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    group_by = forms.ChoiceField(
        label=_("Group by"), choices=[(key, g.label) for key, g in GROUPINGS.items()]
    )

    @classmethod
    def from_query(cls, query):
        """Bound to the query string, with the last 30 days by creative for what is missing."""
        today = timezone.localdate()
        data = {
            "start": (today - timedelta(days=REPORT_DAYS - 1)).isoformat(),
            "end": today.isoformat(),
            "group_by": "creative",
        }
        data.update({key: query[key] for key in data if query.get(key)})
        return cls(data)

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("“From” must not be after “To”."), code="range")
        return cleaned_data


@dataclass
class Report:
    headers: list
    rows: list  # {"cells": [(text, url)], "impressions", "clicks", "ctr"}
    impressions: int
    clicks: int

    @property
    def ctr(self):
        return ctr_display(self.clicks, self.impressions)


def build_report(*, start, end, group_by):
    """Impressions, clicks and CTR per group between two days (both included)."""
    grouping = GROUPINGS[group_by]
    keys = list(dict.fromkeys([*grouping.fields, *grouping.order]))
    stats = (
        DailyStat.objects.filter(date__range=(start, end))
        .values(*keys)
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
        .order_by(*grouping.order)
    )
    rows = []
    for stat in stats:
        cells = []
        for field in grouping.fields:
            value = stat[field]
            text = value.isoformat() if field == "date" else str(value)
            url = None
            if field == "creative__name":
                url = reverse("admin:ads_creative_change", args=[stat["creative_id"]])
            cells.append((text, url))
        rows.append(
            {
                "cells": cells,
                "impressions": stat["impressions"],
                "clicks": stat["clicks"],
                "ctr": ctr_display(stat["clicks"], stat["impressions"]),
            }
        )
    return Report(
        headers=[str(header) for header in grouping.headers],
        rows=rows,
        impressions=sum(row["impressions"] for row in rows),
        clicks=sum(row["clicks"] for row in rows),
    )


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def report_csv(report, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte order mark makes Excel read the file as UTF-8 rather than the local code page.
    response.write("\ufeff")
    writer = csv.writer(response)
    totals_label = [str(_("Total"))] + [""] * (len(report.headers) - 1)
    lines = [
        [*report.headers, str(_("Impressions")), str(_("Clicks")), str(_("CTR"))],
        *(
            [*(text for text, _url in row["cells"]), row["impressions"], row["clicks"], row["ctr"]]
            for row in report.rows
        ),
        [*totals_label, report.impressions, report.clicks, report.ctr],
    ]
    for line in lines:
        writer.writerow([csv_safe(cell) for cell in line])
    return response
