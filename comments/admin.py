from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article, Section
from newsroom.admin import CappedCountPaginator, ReadOnlyAdminMixin, value_fits

from . import services
from .commenter_admin import CommenterDataActions
from .models import (
    HISTORY_COUNTED,
    MODERATE_PERMISSION,
    CommentBan,
    CommentPolicy,
    ModerationEvent,
    ModerationReason,
    ModerationRules,
    ReaderComment,
)
from .moderation import Effect, initial_rules, policy_dry_run, rules_dry_run

REJECTED = {ReaderComment.Status.REMOVED, ReaderComment.Status.SPAM}


def history_figure(count: int, *, this_one: bool = False) -> int | str:
    """A count from history_by_email as shown (less the comment on the card, when it is
    one of them): "1,000+" once it reached the bound."""
    return f"{HISTORY_COUNTED:,}+" if count >= HISTORY_COUNTED else count - this_one


def change_summary_html(event, *, limit=None):
    summary = event.change_summary(limit=limit)
    return format_html('<div style="white-space: pre-wrap">{}</div>', summary)


class NewestEventsFormSet(BaseGenericInlineFormSet):
    """An object's newest ModerationEventInline.SHOWN events, oldest of them first: a
    comment has a few, but nothing bounds them (a ban changed every week, a comment
    reported and approved again and again). The whole of it is in the log."""

    def get_queryset(self):
        if not hasattr(self, "_newest"):
            events = super().get_queryset().order_by("-at", "-pk")
            self._newest = list(reversed(events[: ModerationEventInline.SHOWN]))
        return self._newest


class ModerationEventInline(ReadOnlyAdminMixin, GenericTabularInline):
    """The audit trail of the object on its own admin page: its newest SHOWN events,
    oldest first."""

    model = ModerationEvent
    formset = NewestEventsFormSet
    ct_field = "target_type"
    ct_fk_field = "target_id"
    fields = ["at", "action", "by", "change"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("history")
    SHOWN = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    @admin.display(description=_("what changed"))
    def change(self, obj):
        return change_summary_html(obj)


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported by readers"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        return queryset


class HeldForFilter(admin.SimpleListFilter):
    """The comments one rule fired on. Not a filter across the relation, which would
    make the list DISTINCT over whole rows; the parameter keeps that filter's name, so
    links to it still work."""

    title = _("held for")
    parameter_name = "moderation_reasons__rule"

    def lookups(self, request, model_admin):
        return ModerationReason.Rule.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() not in ModerationReason.Rule.values:
            raise BadRequest("Unknown rule.")
        return queryset.held_for(self.value())


class SectionFilter(admin.SimpleListFilter):
    """The comments on one section's stories; each section with how many wait in it."""

    title = _("section")
    parameter_name = "section"

    def lookups(self, request, model_admin):
        if self.value() is not None and not value_fits(Section._meta.pk, self.value()):
            raise BadRequest("Unknown section.")
        pending = model_admin.pending_by_section(request)
        return [
            (str(section.pk), f"{section.name} ({pending.get(section.pk, 0)} pending)")
            for section in Section.objects.order_by("name")
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.in_section(int(self.value()))


class ArticleFilter(admin.SimpleListFilter):
    """The comments on one story: listed are those with comments waiting, most first,
    and the one chosen."""

    title = _("story")
    parameter_name = "article"
    LISTED = 20

    def lookups(self, request, model_admin):
        chosen = self.value()
        if chosen is not None and not value_fits(Article._meta.pk, chosen):
            raise BadRequest("Unknown story.")
        pending = model_admin.pending_by_article(request)
        busiest = sorted(pending, key=lambda pk: (-pending[pk], pk))[: self.LISTED]
        ids = list(dict.fromkeys([*busiest, *([int(chosen)] if chosen else [])]))
        headlines = Article.objects.in_bulk(ids)
        # The chosen story is listed even without a headline (deleted since), so that
        # the filter stays on and shows its empty result rather than every comment.
        return [
            (
                str(pk),
                f"{Truncator(headlines[pk].headline).chars(50) if pk in headlines else f'#{pk}'}"
                f" ({pending.get(pk, 0)})",
            )
            for pk in ids
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.for_article(int(self.value()))


class CommenterFilter(admin.SimpleListFilter):
    """A commenter's history: every comment from one e-mail address, whatever became of
    it. Chosen from a card; not listed in the sidebar."""

    title = _("commenter")
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [(self.value(), self.value())] if self.value() else []

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.by_email(self.value())


@admin.register(ReaderComment)
class ReaderCommentAdmin(CommenterDataActions, admin.ModelAdmin):
    """The moderators' queue: each comment a card with what a moderator needs to decide
    (its text, who, when, the story and the comment it answers, why it was held) and the
    decisions beside it; keyboard shortcuts in static/js/moderation.js."""

    list_display = ["card", "decide"]
    # A card links to the comment's own page from its time: its text is not a link.
    list_display_links = None
    list_filter = [
        "status", SectionFilter, ArticleFilter, ReportedFilter, HeldForFilter,
        "submit_date", CommenterFilter,
    ]  # fmt: skip
    # Searched by ReaderCommentQuerySet.search (get_search_results), each kind of term
    # through an index; the field named here only shows the search box.
    search_fields = ["user_email"]
    search_help_text = _(
        "An e-mail address or an IP address finds that commenter's comments; other words "
        "find names that start with them, and the words in the newest comments' text."
    )
    # Newest first by key, the order comments arrive in: the pending queue is read
    # from its own index (comments_pending_idx) in either direction.
    ordering = ["-pk"]
    # No date hierarchy (its row would push a card off the screen, and it reads the
    # first and last date of everything listed); the "date submitted" filter's ranges
    # (today, past 7 days, this month, this year) stay.
    list_per_page = 50
    paginator = CappedCountPaginator
    show_full_result_count = False
    actions = ["approve", "reject", "mark_spam", "ban_and_remove"]
    actions += ["export_commenters", "erase_commenters"]  # CommenterDataActions
    fields = [
        "commenter", "user_email", "ip_address", "submit_date", "comment",
        "status", "why", "report_count", "moderated_by", "moderated_at",
    ]  # fmt: skip
    inlines = [ModerationEventInline]

    def get_readonly_fields(self, request, obj=None):
        """Moderators may correct the text (kept in the history); nothing else is edited here."""
        if self.has_moderate_permission(request):
            return [field for field in self.fields if field != "comment"]
        return self.fields

    def save_model(self, request, obj, form, change):
        services.comment_edit(comment=obj, text=form.cleaned_data["comment"], by=request.user)

    # A moderator's decisions, for the buttons of the "decide" column (one click per
    # comment) and the bulk actions alike: each sets a status through comments_moderate.
    DECISIONS = {
        "approve": (ReaderComment.Status.PUBLIC, _("Approve"), _("approved")),
        "reject": (ReaderComment.Status.REMOVED, _("Reject"), _("removed")),
        "spam": (ReaderComment.Status.SPAM, _("Spam"), _("marked as spam")),
    }

    class Media:
        css = {"all": ["css/moderation.css"]}
        js = ["js/moderation.js"]

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_decide" in request.POST:
            return self.decide_view(request)
        services.moderators_alert_if_overdue()
        oldest = ReaderComment.objects.oldest_pending()
        pending = self.pending_by_section(request)
        email = request.GET.get(CommenterFilter.parameter_name)
        context = {
            "title": _("Comments to moderate"),
            "oldest_pending": oldest,
            "pending_count": sum(pending.values()),
            "pending_more": ReaderComment.objects.has_more_pending(),
            "pending_by_section": [
                (section, pending[section.pk])
                for section in Section.objects.filter(pk__in=pending).order_by("name")
            ],
            "commenter": email,
            "commenter_counts": (
                {
                    kind: history_figure(count)
                    for kind, count in ReaderComment.objects.history_by_email([email])
                    .get(email.strip().lower(), {})
                    .items()
                }
                if email
                else None
            ),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_ordering(self, request):
        """Newest first by date while the list is filtered by date: the range and the
        order are then read from one index (submit_date's), as far as the page goes.
        Ordered by key, the planner walks the newest keys expecting the range among
        them, and reads millions of rows when it is not. Comments arrive in order, so
        it is the same order."""
        if any(param.startswith("submit_date__") for param in request.GET):
            return ["-submit_date"]
        return super().get_ordering(request)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def pending_by_article(self, request) -> dict[int, int]:
        """How many comments wait on each story (by its pk); counted once per request."""
        if not hasattr(request, "pending_by_article"):
            request.pending_by_article = ReaderComment.objects.pending_by_article()
        return request.pending_by_article

    def pending_by_section(self, request) -> dict[int, int]:
        """How many comments wait in each section (by its pk); counted once per request."""
        if hasattr(request, "pending_by_section"):
            return request.pending_by_section
        by_article = self.pending_by_article(request)
        sections = Article.objects.filter(pk__in=by_article).values_list("pk", "section_id")
        counts: dict[int, int] = {}
        for article_id, section_id in sections:
            counts[section_id] = counts.get(section_id, 0) + by_article[article_id]
        request.pending_by_section = counts
        return counts

    def decide_view(self, request):
        """Approve, reject or mark as spam the one comment whose button was pressed."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        decision, _sep, pk = request.POST["_decide"].partition(":")
        # value_fits: a number in ASCII digits within the column's range. str.isdigit()
        # is also true for "²", which int() refuses, and for Arabic-Indic digits, which
        # int() reads as another comment's number.
        if decision not in self.DECISIONS or not value_fits(ReaderComment._meta.pk, pk):
            raise BadRequest("Unknown decision.")
        comment = get_object_or_404(ReaderComment, pk=pk)
        self._moderate(request, [comment], decision)
        return HttpResponseRedirect(request.get_full_path())

    def get_changelist_instance(self, request):
        """Load each page's articles, parents and commenters' history in three queries."""
        changelist = super().get_changelist_instance(request)
        page = changelist.result_list
        parents = ReaderComment.objects.in_bulk({c.parent_id for c in page if c.parent_id != c.pk})
        articles = Article.objects.select_related("section").in_bulk(
            {int(c.object_pk) for c in page}
        )
        history = ReaderComment.objects.history_by_email(
            (c.user_email for c in page), kinds=("approved", "rejected")
        )
        for comment in page:
            comment.parent_comment = parents.get(comment.parent_id)
            comment.article = articles.get(int(comment.object_pk))
            comment.email_history = history.get(
                comment.user_email.lower(), {"approved": 0, "rejected": 0}
            )
        return changelist

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("moderation_reasons")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("why"))
    def why(self, obj):
        """Every rule that fired on the comment, and readers' reports that sent it back."""
        reasons = obj.moderation_reasons.all()
        return format_html_join(", ", "{}", ((str(r),) for r in reasons)) or "—"

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    @admin.display(description=_("name"), ordering="user_name")
    def commenter(self, obj):
        """The name the reader typed, isolated: whatever its direction, it cannot turn
        the columns beside it around."""
        return format_html("<bdi>{}</bdi>", obj.user_name)

    def has_ban_permission(self, request):
        return self.has_moderate_permission(request) and request.user.has_perm(
            "comments.add_commentban"
        )

    @admin.display(description=_("comment"), ordering="pk")
    def card(self, obj):
        """The comment as a card: its text large; who, when, where and why small."""
        history = obj.email_history
        return render_to_string(
            "admin/comments/readercomment/_card.html",
            {
                "comment": obj,
                "reasons": obj.moderation_reasons.all(),
                # What the commenter's other comments became: this one is not counted.
                "approved_before": history_figure(
                    history["approved"], this_one=obj.status == ReaderComment.Status.PUBLIC
                ),
                "rejected_before": history_figure(
                    history["rejected"],
                    this_one=obj.status in REJECTED,
                ),
                "history_query": urlencode({CommenterFilter.parameter_name: obj.user_email}),
            },
        )

    @admin.display(description=_("decide"))
    def decide(self, obj):
        return format_html_join(
            " ",
            '<button type="submit" class="button decide-{}" name="_decide" value="{}:{}">'
            "{}</button>",
            (
                (decision, decision, obj.pk, label)
                for decision, (status, label, _done) in self.DECISIONS.items()
                if status != obj.status
            ),
        )

    def _moderate(self, request, comments, decision):
        status, _label, done = self.DECISIONS[decision]
        count = services.comments_moderate(comments=list(comments), status=status, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d comment %(done)s.", "%(count)d comments %(done)s.", count)
            % {"count": count, "done": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, "approve")

    @admin.action(description=_("Reject (remove) selected comments"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, "reject")

    @admin.action(description=_("Mark selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, "spam")

    @admin.action(
        description=_("Ban the commenters and remove everything they posted"),
        permissions=["ban"],
    )
    def ban_and_remove(self, request, queryset):
        """Ban the e-mail of each selected comment and remove all their public and pending
        comments, after a confirmation page that says how many each one loses."""
        emails = sorted({c.user_email.casefold() for c in queryset})
        form = BanAndRemoveForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            days = form.cleaned_data["days"]
            ends_at = timezone.now() + timedelta(days=days) if days else None
            removed = sum(
                services.commenter_ban_and_remove(
                    email=email, reason=form.cleaned_data["reason"], ends_at=ends_at,
                    by=request.user,
                )[1]
                for email in emails
            )  # fmt: skip
            self.message_user(
                request,
                _("Banned %(emails)s; %(count)d comment(s) removed.")
                % {"emails": ", ".join(emails), "count": removed},
                messages.SUCCESS,
            )
            return None
        visible = ReaderComment.objects.filter(
            status__in=[ReaderComment.Status.PUBLIC, ReaderComment.Status.PENDING]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ban and remove everything from these commenters?"),
            "opts": self.model._meta,
            "form": form,
            "commenters": [(email, visible.by_email(email).count()) for email in emails],
            "selected": [c.pk for c in queryset],
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/comments/readercomment/ban_and_remove.html", context
        )


class BanAndRemoveForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why: other moderators read it."),
    )
    days = forms.IntegerField(
        min_value=1,
        required=False,
        label=_("Ban for (days)"),
        help_text=_("Empty for a ban without end."),
    )


class ActiveBanFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("In force")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        active = CommentBan.objects.active()
        if self.value() == "yes":
            return queryset.filter(pk__in=active)
        if self.value() == "no":
            return queryset.exclude(pk__in=active)
        return queryset


@admin.register(CommentBan)
class CommentBanAdmin(admin.ModelAdmin):
    """Bans by e-mail, domain or network; moderators set and lift them, never delete."""

    list_display = ["value", "kind", "reason", "ends_at", "in_force", "created_by", "created_at"]
    list_filter = ["kind", ActiveBanFilter]
    list_select_related = ["created_by"]
    search_fields = ["value", "reason"]
    fields = ["kind", "value", "reason", "ends_at", "created_by", "created_at"]
    actions = ["lift"]
    inlines = [ModerationEventInline]

    def get_readonly_fields(self, request, obj=None):
        # What a ban covers is fixed once set: a different one is a new ban.
        if obj is None:
            return ["created_by", "created_at"]
        return ["kind", "value", "created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(boolean=True, description=_("in force"))
    def in_force(self, obj):
        return obj.is_active

    def save_model(self, request, obj, form, change):
        services.comment_ban_save(ban=obj, by=request.user)

    @admin.action(description=_("Lift the selected bans now"), permissions=["change"])
    def lift(self, request, queryset):
        for ban in queryset:
            services.comment_ban_lift(ban=ban, by=request.user)
        self.message_user(request, _("Bans lifted."), messages.SUCCESS)


class DeciderFilter(admin.SimpleListFilter):
    """Who decided: listed are the people who may moderate, and the one chosen (who may
    have left since). Not the distinct deciders of every event, which
    RelatedOnlyFieldListFilter reads from the whole log; the parameter keeps that
    filter's name, so links to it still work."""

    title = _("by")
    parameter_name = "by__id__exact"

    def lookups(self, request, model_admin):
        chosen = self.value()
        if chosen is not None and not value_fits(ModerationEvent._meta.get_field("by"), chosen):
            raise BadRequest("Unknown person.")
        moderators = (
            get_user_model()
            .objects.with_perm(
                MODERATE_PERMISSION,
                # The permission as has_perm finds it; django-axes' backend grants none.
                backend="django.contrib.auth.backends.ModelBackend",
            )
            .values("pk")
        )
        people = get_user_model().objects.filter(
            Q(pk__in=moderators) | Q(pk=chosen) if chosen else Q(pk__in=moderators)
        )
        return [(str(user.pk), str(user)) for user in people.order_by("username")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(by_id=int(self.value()))


@admin.register(ModerationEvent)
class ModerationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The moderation log: every decision, read-only, filtered by action, person and date."""

    list_display = ["at", "action", "by", "target_repr", "change"]
    list_filter = ["action", DeciderFilter, "at"]
    list_select_related = ["by"]
    # Searched by ModerationEventQuerySet.search (get_search_results), each kind of term
    # through an index; the field named here only shows the search box.
    search_fields = ["target_repr"]
    search_help_text = _(
        "A comment's number finds every decision about it; an e-mail address, every "
        "decision about that commenter's comments; other words find the newest "
        "decisions whose subject (a commenter's name and comment, a ban, the rules) "
        "contains them."
    )
    # Grows by one row a decision: no date hierarchy (the first and last date of what is
    # listed, read each time); the "at" filter's ranges stay, and no whole-table count.
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = ["at", "action", "by", "target_repr", "full_change"]
    readonly_fields = fields
    list_per_page = 100

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    @admin.display(description=_("what changed"))
    def change(self, obj):
        return change_summary_html(obj, limit=120)

    @admin.display(description=_("what changed"))
    def full_change(self, obj):
        return change_summary_html(obj)


# --- The rules moderators edit: no deploy needed ----------------------------------------


class DryRunAdminMixin:
    """ "Preview the effect" beside Save: what the form's changes, not saved, would have
    done to the last comments they cover (held, blocked, released or refused), with a
    button that saves what was shown. The admin names the dry run (`dry_run`) and what
    it covers (`preview_scope`)."""

    change_form_template = "admin/comments/dry_run_change_form.html"
    preview_template = "admin/comments/dry_run_preview.html"
    PREVIEW_COMMENTS = 1000

    def dry_run(self, proposed, *, limit):
        raise NotImplementedError

    def preview_scope(self, proposed) -> str:
        return _("the last %(count)d comments") % {"count": self.PREVIEW_COMMENTS}

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("add/preview/", preview, name=self._url_name("preview_add")),
            path("<path:object_id>/preview/", preview, name=self._url_name("preview")),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add and self.has_add_permission(request):
            context["preview_url"] = reverse(f"admin:{self._url_name('preview_add')}")
        elif not add and self.has_change_permission(request, obj):
            context["preview_url"] = reverse(f"admin:{self._url_name('preview')}", args=[obj.pk])
        context["preview_comments"] = self.PREVIEW_COMMENTS
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request, object_id=None):
        """The form's data, not saved: what it would have done differently. Its page
        posts the same data back to the form, to be saved."""
        obj = self.get_object(request, object_id) if object_id else None
        if request.method != "POST" or (object_id and obj is None):
            return redirect(f"admin:{self._url_name('changelist')}")
        if not (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        ):
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, instance=obj)
        changes, scope = [], ""
        if form.is_valid():
            proposed = form.save(commit=False)
            changes = self.dry_run(proposed, limit=self.PREVIEW_COMMENTS)
            scope = self.preview_scope(proposed)
        form_page = (
            reverse(f"admin:{self._url_name('add')}")
            if obj is None
            else reverse(f"admin:{self._url_name('change')}", args=[obj.pk])
        )
        fields = self.get_fields(request, obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("What these rules would have done"),
            "form": form,
            "scope": scope,
            "by_effect": [
                (effect, [c for c in changes if c.effect == effect]) for effect in Effect
            ],
            "posted": [
                (name, value)
                for name, values in request.POST.lists()
                if name in fields
                for value in values
            ],
            "change_url": form_page,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.preview_template, context)


@admin.register(ModerationRules)
class ModerationRulesAdmin(DryRunAdminMixin, admin.ModelAdmin):
    """The site's one set of rules: the list opens it; "Preview the effect" shows what a
    change would have done to the last comments before it is saved."""

    fields = ["hold_words", "block_words", "max_links", "premoderation", "close_after_days"]

    def dry_run(self, proposed, *, limit):
        return rules_dry_run(proposed=proposed, limit=limit)

    def save_model(self, request, obj, form, change):
        services.moderation_rules_save(rules=obj, by=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if not ModerationRules.objects.filter(pk=1).exists():
            rules = initial_rules()
            rules.pk = 1
            rules.save()
        return redirect("admin:comments_moderationrules_change", 1)


@admin.register(CommentPolicy)
class CommentPolicyAdmin(DryRunAdminMixin, admin.ModelAdmin):
    """A section's or an article's own rules over the site's; "Preview the effect" shows
    what a new or changed one would have done to the last comments on its stories."""

    list_display = ["__str__", "premoderation", "comments", "close_after_days"]
    list_select_related = ["section", "article"]
    fields = ["section", "article", "premoderation", "comments", "close_after_days"]
    # Moderators may not open the articles admin, which an autocomplete would ask.
    raw_id_fields = ["article"]

    def dry_run(self, proposed, *, limit):
        return policy_dry_run(proposed=proposed, limit=limit)

    def preview_scope(self, proposed) -> str:
        where = (
            _("the story “%(story)s”") % {"story": proposed.article.headline}
            if proposed.article_id
            else _("the stories of %(section)s") % {"section": proposed.section.name}
        )
        return _("%(last)s on %(where)s") % {
            "last": super().preview_scope(proposed),
            "where": where,
        }

    def save_model(self, request, obj, form, change):
        services.moderation_rules_save(rules=obj, by=request.user)

    def delete_model(self, request, obj):
        services.comment_policy_delete(policy=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for policy in queryset:
            services.comment_policy_delete(policy=policy, by=request.user)
