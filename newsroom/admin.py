"""The admin site, and admin mixins any app's ModelAdmin may use; they know no app's
models."""

import math

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest, FieldDoesNotExist, FieldError, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, connections, models
from django.db.models.constants import LOOKUP_SEP
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

STORAGE_FAILED = _(
    "The file could not be stored (the disk may be full). Nothing was saved; your other "
    "changes are below. Please try again in a moment."
)


class SaveFailureAdminMixin:
    """A save that fails after the form was valid becomes a form error, not a 500.

    Two editors saving the same slug at once both pass the form's uniqueness check, and
    the service's own check or the database refuses the second: the form is checked
    again, now sees the other article, and says so next to the slug. A full disk
    refusing an upload is shown next to the file field. Either way the page comes back
    with what was typed.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, ValidationError, OSError) as error:
            if request.method != "POST" or hasattr(request, "save_failure"):
                raise
            request.save_failure = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        failure = getattr(request, "save_failure", None)
        if not isinstance(failure, OSError):
            return form

        class FormAfterStorageFailure(form):
            def clean(self):
                cleaned_data = super().clean()
                field = next(
                    (n for n, f in self.fields.items() if isinstance(f, forms.FileField)), None
                )
                self.add_error(field, STORAGE_FAILED)
                return cleaned_data

        return FormAfterStorageFailure


class FormWithUserAdminMixin:
    """The admin's form gets the signed-in user: what they may do shapes the form."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class FormWithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return FormWithUser


# Lookups that take one part of a date: no valid value has more than four digits, and
# the admin's date hierarchy builds a datetime from them, which overflows past a C int.
DATE_PART_LOOKUPS = {
    "year", "iso_year", "quarter", "month", "week", "week_day", "iso_week_day", "day",
    "hour", "minute", "second",
}  # fmt: skip
YEAR_LOOKUPS = {"year", "iso_year"}


def compared_field(field):
    """The field a value compared with `field` is read by: a relation's (forward or
    reverse) target, followed to the end. FieldError for a relation over several
    columns."""
    while getattr(field, "target_field", None) is not None:
        field = field.target_field
    return field


def value_fits(field, value):
    """Whether `field` can be compared with `value` as the admin received it: the field
    (a relation's target: compared_field) reads it and its validators pass (PostgreSQL
    answers an inet column compared with "x" with an error, not with no rows). Integers
    in ASCII digits only: int() reads an Arabic-Indic one as 1, another row."""
    field = compared_field(field)
    if isinstance(field, models.IntegerField) and not value.isascii():
        return False
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


def lookup_value_fits(model, lookup, value):
    """Whether a changelist's `?lookup=value` is one the database can be asked: a date
    part is up to four ASCII digits; a value compared with a field as it is (`?field=`,
    `?field__exact=`), and each of a list's (`?field__in=a,b`), fits the field. Other
    lookups are Django's to read."""
    field, parts = None, lookup.split(LOOKUP_SEP)
    while parts:
        try:
            field = model._meta.pk if parts[0] == "pk" else model._meta.get_field(parts[0])
        except FieldDoesNotExist:
            break
        parts.pop(0)
        if not (field.is_relation and parts):
            continue
        if field.related_model is None:  # a generic relation: the lookup is Django's to read
            return True
        model = field.related_model
    if parts and parts[0] in DATE_PART_LOOKUPS:
        if not (value.isascii() and value.isdigit() and len(value) <= 4):
            return False
        # A year lookup compares with the bounds of that year, as dates: there is no year 0.
        return parts[0] not in YEAR_LOOKUPS or int(value) >= 1
    try:
        compared = compared_field(field)
    except FieldError:  # a relation over several columns: Django's to read
        return True
    if not hasattr(compared, "run_validators"):
        return True
    if parts == ["in"]:  # the admin splits the values at commas
        return all(value_fits(compared, item) for item in value.split(","))
    if parts not in ([], ["exact"]):
        return True
    return value_fits(compared, value)


class StrictLookupsAdminMixin:
    """Filters and selections the database would refuse answer 400, not 500 (mixed into
    every ModelAdmin by NewsroomAdminSite).

    Django asks lookup_allowed() about each changelist parameter before filtering and
    answers a refusal with 400 (DisallowedModelAdminLookup is a SuspiciousOperation);
    the rows ticked for an action are checked here before Django filters by them.
    NUL, which no text column takes, is refused for every admin page in
    RefuseNulMiddleware.
    """

    def lookup_allowed(self, lookup, value, request):
        return super().lookup_allowed(lookup, value, request) and lookup_value_fits(
            self.model, lookup, value
        )

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(value_fits(self.model._meta.pk, value) for value in selected):
            raise BadRequest("Unknown rows selected.")
        return super().response_action(request, queryset)


class NewsroomAdminSite(admin.AdminSite):
    """The admin site (newsroom.apps.NewsroomAdminConfig makes it admin.site).

    Every ModelAdmin registered on it, ours and other apps' (auth, axes), refuses
    lookups the database would refuse (StrictLookupsAdminMixin): the rule holds for an
    admin added tomorrow without anyone remembering it.
    """

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, StrictLookupsAdminMixin):
            admin_class = type(admin_class.__name__, (StrictLookupsAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


class ReadOnlyAdminMixin:
    """Rows that are only read in the admin (a log, a report): nobody adds, changes or
    deletes them there. For ModelAdmins and inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CappedCountPaginator(Paginator):
    """A changelist's paginator for lists of millions (stories, comments): its count
    never reads a big table whole, and it offers no page past COUNT_UP_TO rows (each
    would OFFSET through that many). Subclass it for another cap.

    The unfiltered list of a table bigger than the cap is counted, on PostgreSQL, by
    the planner's estimate of its rows (pg_class.reltuples, kept by ANALYZE and
    autovacuum; the PostgreSQL wiki's "Count estimate"), shown "about 1,234,567". Any
    other list is counted exactly up to the cap (a LIMIT in the counting subquery) and
    shown "5,000+" past it, as GitLab's lists and our search's count are. Set
    show_full_result_count = False beside it, or the changelist counts the whole table
    once more.
    """

    COUNT_UP_TO = 10_000
    capped = False  # counted exactly, and more rows than the cap

    @cached_property
    def estimated(self) -> bool:
        return self._estimate is not None

    @cached_property
    def _estimate(self) -> int | None:
        query = self.object_list.query
        if query.where or query.combinator or query.is_sliced:
            return None
        estimate = table_row_estimate(self.object_list.model, using=self.object_list.db)
        return estimate if estimate is not None and estimate > self.COUNT_UP_TO else None

    @cached_property
    def count(self) -> int:
        if self.estimated:
            return self._estimate
        counted = self.object_list.order_by().values("pk")[: self.COUNT_UP_TO + 1].count()
        self.capped = counted > self.COUNT_UP_TO
        return min(counted, self.COUNT_UP_TO)

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, math.ceil(self.COUNT_UP_TO / self.per_page))

    @property
    def count_label(self) -> str:
        """The count as the changelist shows it (templates/admin/_capped_pagination.html)."""
        grouped = number_format(self.count, force_grouping=True)
        if self.estimated:
            return _("about %(count)s") % {"count": grouped}
        if self.capped:
            return _("%(count)s+") % {"count": grouped}
        return str(self.count)


def table_row_estimate(model, *, using: str) -> int | None:
    """How many rows PostgreSQL's statistics say the model's table holds (kept by
    autovacuum's ANALYZE); None elsewhere, or before the table was first analysed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None
