from csp.constants import NONCE
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from reversion.admin import VersionAdmin

from articles.admin import PROSE_EDITOR_STYLE_HASH
from articles.models import Article
from articles.services import body_embed_warnings
from editing.admin import EditDeskAdminMixin
from editing.desk import draft_to_restore, edit_key, open_desk
from editing.forms import restore_draft
from editing.services import edit_session_end

from . import services
from .forms import LiveEntryAdminForm, LiveEntryForm
from .models import LiveEntry

DESK_ENTRIES = 30  # the latest entries listed under the desk's form


@admin.register(LiveEntry)
class LiveEntryAdmin(EditDeskAdminMixin, VersionAdmin):
    """Entries one by one (with their history); the live desk posts them in a hurry."""

    form = LiveEntryAdminForm

    list_display = ["__str__", "article", "published_at", "status", "is_key_event", "is_pinned"]
    list_filter = ["status", "is_key_event", "is_pinned"]
    list_select_related = ["article"]
    search_fields = ["title", "article__headline"]
    raw_id_fields = ["article"]
    autocomplete_fields = ["authors"]
    date_hierarchy = "published_at"
    change_list_template = "admin/liveblog/liveentry/change_list.html"

    def get_urls(self):
        desk = self.admin_site.admin_view
        return [
            path("desk/", desk(self.desk_index_view), name="liveblog_desk_index"),
            path("desk/<int:article_id>/", desk(self.desk_view), name="liveblog_desk"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        desk = {"desk_url": reverse("admin:liveblog_desk_index")}
        return super().changelist_view(request, {**desk, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        services.live_entry_save(entry=obj, by=request.user)

    def delete_model(self, request, obj):
        services.live_entry_delete(entry=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            services.live_entry_delete(entry=entry, by=request.user)

    def _require_desk(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied

    def desk_index_view(self, request):
        """The articles with live coverage running, each with its desk."""
        self._require_desk(request)
        articles = Article.objects.filter(coverage=Article.Coverage.LIVE).order_by("-published_at")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Live desk"),
            "opts": self.opts,
            "articles": articles,
        }
        return TemplateResponse(request, "admin/liveblog/desk_index.html", context)

    def desk_view(self, request, article_id):
        """Post, edit, publish and delete an article's entries without leaving the page:
        plain forms, which work without JavaScript."""
        self._require_desk(request)
        article = get_object_or_404(Article.objects.exclude(coverage=""), pk=article_id)
        entries = LiveEntry.objects.filter(article=article)
        editing = None
        if pk := request.POST.get("entry") or request.GET.get("edit"):
            if not (pk.isascii() and pk.isdigit()):
                raise Http404("No such entry.")
            editing = get_object_or_404(entries, pk=pk)
        if request.method == "POST" and "action" in request.POST:
            return self._desk_action(request, article, editing)
        key = edit_key(LiveEntry, editing.pk if editing else None, within=f"article-{article.pk}")
        form = LiveEntryForm(
            request.POST or None, instance=editing, article=article, user=request.user
        )
        if draft := draft_to_restore(request, key=key):
            restore_draft(form, draft.data)
        if request.method == "POST" and form.is_valid():
            entry = form.save(commit=False)
            entry.published_at = form.cleaned_data["published_at"] or timezone.now()
            if "publish" in request.POST:
                entry.status = LiveEntry.Status.PUBLISHED
            elif "draft" in request.POST:
                entry.status = LiveEntry.Status.DRAFT
            services.live_entry_save(
                entry=entry, authors=form.cleaned_data["authors"], by=request.user
            )
            edit_session_end(user=request.user, key=key)
            self.message_user(request, _("Entry saved: %s") % entry, messages.SUCCESS)
            for warning in body_embed_warnings(body=entry.body):
                self.message_user(request, warning, messages.WARNING)
            return redirect("admin:liveblog_desk", article_id=article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Live desk: %s") % article.headline,
            "opts": self.opts,
            "article": article,
            "form": form,
            "editing": editing,
            "edit_desk": open_desk(request, key=key),
            "entries": entries.prefetch_related("authors")[:DESK_ENTRIES],
            "can_publish": services.can_publish_entries(request.user),
            "media": Media.from_media(self.media + form.media, nonce=request.csp_nonce),
        }
        response = TemplateResponse(request, "admin/liveblog/desk.html", context)
        # django-prose-editor's importmap needs this response's nonce (as articles.admin).
        response._csp_update = {"script-src": [NONCE], "style-src": [PROSE_EDITOR_STYLE_HASH]}
        return response

    def _desk_action(self, request, article, entry):
        actions = {
            "publish": services.live_entry_publish,
            "unpublish": services.live_entry_unpublish,
            "delete": services.live_entry_delete,
        }
        action = actions.get(request.POST["action"])
        if action is None or entry is None:
            raise PermissionDenied
        action(entry=entry, by=request.user)
        self.message_user(request, _("Done: %s") % entry, messages.SUCCESS)
        return redirect("admin:liveblog_desk", article_id=article.pk)
