"""The ad report: impressions, clicks and CTR per creative, placement or day, and what was
not counted and why; also as CSV."""

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
from django.utils.translation import ngettext_lazy

from .models import DailyStat

NO_CTR = "—"
# What was not counted, for each kind of count and by why: the page's column title, and
# how the CSV's columns and the page say each why. DailyStat's counts are
# f"{kind}_filtered_{why}" (ads.services.stat_record).
NOT_COUNTED = {
    "impressions": _("Impressions not counted"),
    "clicks": _("Clicks not counted"),
}
REASONS = {
    "repeats": (
        _("repeats"),
        ngettext_lazy("%(count)d repeat", "%(count)d repeats", "count"),
    ),
    "bots": (
        _("bots"),
        ngettext_lazy("%(count)d bot", "%(count)d bots", "count"),
    ),
    "cross_site": (
        _("cross-site"),
        ngettext_lazy("%(count)d cross-site", "%(count)d cross-site", "count"),
    ),
    "expired": (
        _("old pages"),
        ngettext_lazy("%(count)d from an old page", "%(count)d from old pages", "count"),
    ),
}
FILTERED_FIELDS = {
    f"{kind}_filtered_{reason}": (kind, reason) for kind in NOT_COUNTED for reason in REASONS
}


def filtered_display(filtered):
    """{"repeats": 12, "bots": 3, ...} as "12 repeats, 3 bots"; "—" for none."""
    parts = [str(REASONS[reason][1] % {"count": n}) for reason, n in filtered.items() if n]
    return ", ".join(parts) or "—"


def filtered_texts(filtered):
    """{"impressions": {"repeats": 0, ...}, "clicks": {"repeats": 12, "bots": 3, ...}} as
    {"impressions": "—", "clicks": "12 repeats, 3 bots"}."""
    return {kind: filtered_display(counts) for kind, counts in filtered.items()}


def filtered_by_kind(counts):
    """DailyStat's not-counted sums ({"clicks_filtered_bots": 3, ...}) by kind and why:
    {"impressions": {"repeats": 0, ...}, "clicks": {"repeats": 0, "bots": 3, ...}}."""
    filtered = {kind: {} for kind in NOT_COUNTED}
    for field, (kind, reason) in FILTERED_FIELDS.items():
        filtered[kind][reason] = counts[field]
    return filtered


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
# The rows the report's page shows; the CSV has every row.
REPORT_ROWS_SHOWN = 500


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
    # Each {"cells": [(text, url)], "impressions", "clicks", "ctr", "filtered",
    # "filtered_text"}; the row's "filtered" and "filtered_text" are shaped as below.
    # The first `shown` rows of the page's report; all of them in the CSV's.
    rows: list
    impressions: int
    clicks: int
    # Not counted, by kind and why: {"impressions": {"repeats": 12, ...}, "clicks": {...}}.
    filtered: dict
    total_rows: int  # the groups in the period, shown or not

    @property
    def ctr(self):
        return ctr_display(self.clicks, self.impressions)

    @property
    def filtered_text(self):
        """{"impressions": "—", "clicks": "12 repeats, 3 bots"}"""
        return filtered_texts(self.filtered)

    @property
    def cut(self) -> bool:
        return len(self.rows) < self.total_rows


def build_report(*, start, end, group_by, shown=None):
    """Impressions, clicks, CTR and what was not counted of each, per group between two
    days (both included): the totals of every group, the rows of the first `shown`
    (all without it). A year by creative and day is ~9,000 rows, whose formatting and
    rendering took most of a second: the page shows the first, the CSV has them all."""
    grouping = GROUPINGS[group_by]
    keys = list(dict.fromkeys([*grouping.fields, *grouping.order]))
    stats = list(
        DailyStat.objects.filter(date__range=(start, end))
        .values(*keys)
        .annotate(
            impressions=Sum("impressions"),
            clicks=Sum("clicks"),
            **{field: Sum(field) for field in FILTERED_FIELDS},
        )
        .order_by(*grouping.order)
    )
    rows = []
    for stat in stats[:shown]:
        filtered = filtered_by_kind(stat)
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
                "filtered": filtered,
                "filtered_text": filtered_texts(filtered),
            }
        )
    return Report(
        headers=[str(header) for header in grouping.headers],
        rows=rows,
        impressions=sum(stat["impressions"] for stat in stats),
        clicks=sum(stat["clicks"] for stat in stats),
        filtered=filtered_by_kind(
            {field: sum(stat[field] for stat in stats) for field in FILTERED_FIELDS}
        ),
        total_rows=len(stats),
    )


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def not_counted_cells(filtered):
    """A row's not-counted figures in the CSV's order: impressions' whys, then clicks'."""
    return [filtered[kind][reason] for kind, reason in FILTERED_FIELDS.values()]


def report_csv(report, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte order mark makes Excel read the file as UTF-8 rather than the local code page.
    response.write("\ufeff")
    writer = csv.writer(response)
    totals_label = [str(_("Total"))] + [""] * (len(report.headers) - 1)
    lines = [
        [
            *report.headers,
            str(_("Impressions")),
            str(_("Clicks")),
            str(_("CTR")),
            *(
                f"{NOT_COUNTED[kind]}: {REASONS[reason][0]}"
                for kind, reason in FILTERED_FIELDS.values()
            ),
        ],
        *(
            [
                *(text for text, _url in row["cells"]),
                row["impressions"],
                row["clicks"],
                row["ctr"],
                *not_counted_cells(row["filtered"]),
            ]
            for row in report.rows
        ),
        [
            *totals_label,
            report.impressions,
            report.clicks,
            report.ctr,
            *not_counted_cells(report.filtered),
        ],
    ]
    for line in lines:
        writer.writerow([csv_safe(cell) for cell in line])
    return response
