from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article

from . import services
from .models import MODERATE_PERMISSION, ReaderComment


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported by readers"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        return queryset


@admin.register(ReaderComment)
class ReaderCommentAdmin(admin.ModelAdmin):
    """The moderators' queue: newest first, with what a moderator needs to decide."""

    list_display = [
        "excerpt", "user_name", "user_email", "ip_address", "submit_date",
        "article_link", "in_reply_to", "history", "report_count", "status", "decide",
    ]  # fmt: skip
    list_filter = ["status", ReportedFilter, "submit_date"]
    search_fields = ["comment", "user_name", "user_email", "ip_address"]
    ordering = ["-submit_date"]
    date_hierarchy = "submit_date"
    list_per_page = 50
    actions = ["approve", "reject", "mark_spam"]
    fields = [
        "user_name", "user_email", "ip_address", "submit_date", "comment",
        "status", "report_count", "moderated_by", "moderated_at",
    ]  # fmt: skip
    readonly_fields = fields

    # A moderator's decisions, for the buttons of the "decide" column (one click per
    # comment) and the bulk actions alike: each sets a status through comments_moderate.
    DECISIONS = {
        "approve": (ReaderComment.Status.PUBLIC, _("Approve"), _("approved")),
        "reject": (ReaderComment.Status.REMOVED, _("Reject"), _("removed")),
        "spam": (ReaderComment.Status.SPAM, _("Spam"), _("marked as spam")),
    }

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_decide" in request.POST:
            return self.decide_view(request)
        return super().changelist_view(request, extra_context)

    def decide_view(self, request):
        """Approve, reject or mark as spam the one comment whose button was pressed."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        decision, _sep, pk = request.POST["_decide"].partition(":")
        if decision not in self.DECISIONS or not pk.isdigit():
            return HttpResponseBadRequest("Unknown decision.")
        comment = get_object_or_404(ReaderComment, pk=int(pk))
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
        history = ReaderComment.objects.history_by_email(c.user_email for c in page)
        for comment in page:
            comment.parent_comment = parents.get(comment.parent_id)
            comment.article = articles.get(int(comment.object_pk))
            comment.email_history = history.get(
                comment.user_email.lower(), {"approved": 0, "rejected": 0}
            )
        return changelist

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.comment).chars(160)

    @admin.display(description=_("article"))
    def article_link(self, obj):
        """The article as readers see it: moderators may not open the articles admin."""
        article = obj.article
        if article is None:
            return "—"
        headline = Truncator(article.headline).chars(60)
        if not article.is_public:
            return headline
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), headline)

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, obj):
        parent = obj.parent_comment
        if parent is None:
            return "—"
        return format_html("{}: “{}”", parent.user_name, Truncator(parent.comment).chars(80))

    @admin.display(description=_("before: approved / rejected"))
    def history(self, obj):
        row = obj.email_history
        approved = row["approved"] - (obj.status == ReaderComment.Status.PUBLIC)
        rejected = row["rejected"] - (
            obj.status in (ReaderComment.Status.REMOVED, ReaderComment.Status.SPAM)
        )
        return f"{approved} / {rejected}"

    @admin.display(description=_("decide"))
    def decide(self, obj):
        return format_html_join(
            " ",
            '<button type="submit" class="button" name="_decide" value="{}:{}">{}</button>',
            (
                (decision, obj.pk, label)
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
