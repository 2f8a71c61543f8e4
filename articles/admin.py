from csp.constants import NONCE
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from reversion.admin import VersionAdmin

from newsroom.admin import FormWithUserAdminMixin, SaveFailureAdminMixin
from newsroom.links import absolute_url

from . import services
from .images import validate_image
from .models import Article, Author, Byline, Correction, Photo, Section, Tag
from .previews import preview_token


def photo_thumbnail(photo, width=120):
    if photo is None or not photo.image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" style="height:auto">',
        photo.fallback["url"],
        photo.alt,
        width,
    )


# The <style> element Tiptap (inside django-prose-editor) adds for ProseMirror's base CSS.
# Its hash changes only with the django-prose-editor version (Chromium's CSP report names
# the new one). Without it the editor runs, but without ProseMirror's base CSS
# (white-space: pre-wrap, so typed spaces collapse; the gap cursor).
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class ArticleAdminForm(forms.ModelForm):
    """Refuses, with a message next to the status, what the user may not do with it."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_status(self):
        status = self.cleaned_data["status"]
        old_status = self.initial.get("status") if self.instance.pk else None
        if services.changes_publication(old_status, status) and not services.can_publish(self.user):
            raise forms.ValidationError(
                _(
                    "Only editors can publish, schedule or unpublish. Save it as “In review” "
                    "and an editor will publish it; your text is kept below."
                ),
                code="publish_forbidden",
            )
        return status

    def clean(self):
        cleaned_data = super().clean()
        # article_save() stamps the time as well, but the form checks the "a published
        # article needs a publish time" constraint before the service ever runs.
        if cleaned_data.get("status") == Article.Status.PUBLISHED and not cleaned_data.get(
            "published_at"
        ):
            cleaned_data["published_at"] = timezone.now()
        return cleaned_data


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (in order)")


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0


@admin.register(Article)
class ArticleAdmin(SaveFailureAdminMixin, FormWithUserAdminMixin, VersionAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "section",
        "status_label",
        "published_at",
        "author_names",
        "is_must_read",
        "comment_count",
    ]
    list_filter = [
        "status",
        "section",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "is_must_read",
    ]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags", "hero_photo", "social_image"]
    inlines = [BylineInline, CorrectionInline]
    readonly_fields = ["hero_thumbnail", "preview_links", "updated_at"]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (_("Photo"), {"fields": ["hero_photo", "hero_thumbnail"]}),
        (_("Filing"), {"fields": ["section", "tags", "agency", "dateline"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "is_must_read",
                    "must_read_until",
                    "allow_comments",
                    "preview_links",
                    "updated_at",
                ]
            },
        ),
        (
            _("Search and social"),
            {"fields": ["seo_description", "social_image"], "classes": ["collapse"]},
        ),
    ]

    def render_change_form(self, request, context, *args, **kwargs):
        # django-prose-editor loads through an inline <script type="importmap">, which
        # script-src 'self' refuses: it gets this response's nonce. Only this page's
        # policy changes; the public pages' stays as strict as it is.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = {"script-src": [NONCE], "style-src": [PROSE_EDITOR_STYLE_HASH]}
        return response

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .editable_by(request.user)
            .prefetch_related("bylines__author")
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or services.can_publish(request.user):
            return True
        return obj.status != Article.Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            return services.can_publish(request.user) and super().has_delete_permission(
                request, obj
            )
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        # The form refuses forbidden status changes with a message; the service is the backstop.
        services.article_save(article=obj, by=request.user)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # reversion writes the old version to the database first and only then runs the
        # change form, whose checks would judge the old version (a draft the reporter may
        # edit) or find nothing (someone else's article, which is not an error for it, so
        # the revert was kept). Judge the article as it stands instead.
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST" and not self.has_change_permission(request, article):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted article comes back as it was, possibly published.
        if not self.has_publish_permission(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return _("Scheduled")
        return obj.get_status_display()

    @admin.display(description=_("authors"))
    def author_names(self, obj):
        return ", ".join(byline.author.name for byline in obj.bylines.all())

    @admin.display(description=_("hero photo preview"))
    def hero_thumbnail(self, obj):
        return photo_thumbnail(obj.hero_photo, width=240)

    @admin.display(description=_("preview"))
    def preview_links(self, obj):
        if obj.pk is None:
            return _("Save the article to preview it.")
        share_url = reverse("articles:preview-share", kwargs={"token": preview_token(obj)})
        return format_html(
            '<a href="{}" target="_blank">{}</a><br>{} <input type="text" readonly size="60" '
            'value="{}" aria-label="{}"><br><small>{}</small>',
            reverse("articles:preview", kwargs={"pk": obj.pk}),
            _("Preview with the public design"),
            _("Share link for reviewers without an account:"),
            absolute_url(share_url),
            _("Share link"),
            ngettext(
                "Anyone with the link can read this version for %d day.",
                "Anyone with the link can read this version for %d days.",
                settings.PREVIEW_LINK_MAX_AGE // 86400,
            )
            % (settings.PREVIEW_LINK_MAX_AGE // 86400),
        )

    @admin.action(description=_("Publish selected articles now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        now = timezone.now()
        for article in queryset:
            # "Now" includes articles scheduled for later; a past publish time is kept.
            at = now if article.published_at and article.published_at > now else None
            services.article_publish(article=article, by=request.user, at=at)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        for article in queryset:
            services.article_unpublish(article=article, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%d article unpublished.", "%d articles unpublished.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Section)
class SectionAdmin(VersionAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(VersionAdmin):
    list_display = ["name", "slug", "user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["photo"]
    raw_id_fields = ["user"]


class PhotoImageField(forms.ImageField):
    """Newsroom's upload checks before Django's, whose single message fits no case well.

    Django calls a decompression bomb or a huge upload "not an image or a corrupted
    image"; validate_image says what is wrong and what to do about it.
    """

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)


class PhotoAdminForm(forms.ModelForm):
    class Meta:
        field_classes = {"image": PhotoImageField}


@admin.register(Photo)
class PhotoAdmin(SaveFailureAdminMixin, admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["thumbnail", "width", "height", "rendition_list", "created_by"]
    fields = [
        "image",
        "thumbnail",
        "alt_text",
        "is_decorative",
        "caption",
        "credit",
        "width",
        "height",
        "rendition_list",
        "created_by",
    ]

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return photo_thumbnail(obj)

    @admin.display(description=_("renditions"))
    def rendition_list(self, obj):
        return (
            format_html_join(
                ", ", "{} {}×{}", ((r["format"], r["width"], r["height"]) for r in obj.renditions)
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        services.photo_save(photo=obj, by=request.user)
