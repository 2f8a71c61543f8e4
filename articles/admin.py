import logging

from csp.constants import NONCE
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from js_asset import Media
from reversion.admin import VersionAdmin

from editing.admin import EditDeskAdminMixin
from editing.forms import EditGuardFormMixin
from newsroom.admin import CappedCountPaginator, FormWithUserAdminMixin, SaveFailureAdminMixin
from newsroom.links import absolute_url

from . import services
from .forms import PhotoImageField, PhotoUploadForm, clean_body_blocks
from .models import Article, Author, BreakingNews, Byline, Correction, Photo, Section, Tag
from .previews import preview_token
from .search import matching

logger = logging.getLogger(__name__)


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


class ArticleAdminForm(EditGuardFormMixin, forms.ModelForm):
    """Refuses, with a message next to the status, what the user may not do with it,
    and a save over a version someone else saved since the form was opened."""

    edit_compared_fields = ("headline", "standfirst", "body")

    # Not stored as such: ticking it on a save moves the story's significant_update_at
    # (services.article_save), so it is unticked again on the next edit.
    significant_update = forms.BooleanField(
        label=_("significant update"),
        required=False,
        help_text=_(
            "Tick when this change matters to readers (new facts, a changed outcome): the "
            "story then shows “Updated” with the time of this save, and search engines and "
            "feeds are told. Leave it unticked for a typo or a style fix. Only for a story "
            "already published."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        body = self.fields.get("body")  # none on a read-only page
        if body is not None and user is not None and user.has_perm("articles.add_photo"):
            # The body editor's "Upload a photo" button posts here (static/js/body-blocks.js).
            body.widget.attrs["data-photo-upload-url"] = reverse("admin:articles_photo_upload")

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

    def clean_body(self):
        return clean_body_blocks(self.cleaned_data["body"])

    def clean(self):
        cleaned_data = super().clean()
        # article_save() stamps the time as well, but the form checks the "a published
        # article needs a publish time" constraint before the service ever runs.
        if cleaned_data.get("status") == Article.Status.PUBLISHED and not cleaned_data.get(
            "published_at"
        ):
            cleaned_data["published_at"] = timezone.now()
        return cleaned_data


class SensitiveStoryFilter(admin.SimpleListFilter):
    title = _("sensitive story")
    parameter_name = "sensitive"
    flags = {
        "no-ads": (_("No advertising"), Q(hide_ads=True)),
        "no-promotion": (_("Kept out of promotion"), Q(keep_out_of_promotion=True)),
        "no-social-image": (_("No social image"), Q(hide_social_image=True)),
        "no-comments": (_("Comments off"), Q(allow_comments=False)),
    }

    def lookups(self, request, model_admin):
        return [
            ("any", _("Any of these")),
            *((value, label) for value, (label, _condition) in self.flags.items()),
        ]

    def queryset(self, request, queryset):
        if self.value() == "any":
            any_flag = Q()
            for _label, condition in self.flags.values():
                any_flag |= condition
            return queryset.filter(any_flag)
        if self.value() in self.flags:
            return queryset.filter(self.flags[self.value()][1])
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    """Articles by an author, through an EXISTS on their bylines: a join would repeat an
    article per byline, and the changelist would then DISTINCT whole rows. Its choices
    are the authors with a byline, each found through the bylines' author index, not by
    reading every article (RelatedOnlyFieldListFilter). Django's own parameter name, so
    addresses made for the old filter still work."""

    title = _("author")
    parameter_name = "bylines__author__id__exact"

    def lookups(self, request, model_admin):
        credited = Byline.objects.filter(author=OuterRef("pk"))
        return Author.objects.filter(Exists(credited)).order_by("name").values_list("pk", "name")

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        bylines = Byline.objects.filter(article=OuterRef("pk"), author_id=self.value())
        return queryset.filter(Exists(bylines))


class ArticleChangeList(ChangeList):
    """The article list reads no body: it shows none, and at ~600 words a story the
    bodies would be most of what a page of the list reads."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).defer("body")


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (in order)")


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0


class ArticlePaginator(CappedCountPaginator):
    # Editors find a story by searching or filtering, not by paging through thousands.
    COUNT_UP_TO = 5_000


@admin.register(Article)
class ArticleAdmin(EditDeskAdminMixin, SaveFailureAdminMixin, FormWithUserAdminMixin, VersionAdmin):
    form = ArticleAdminForm
    desk_full_height = True
    list_display = [
        "headline",
        "section",
        "status_label",
        "published_at",
        "author_names",
        "is_must_read",
        "comment_count",
        "views",
    ]
    # No date hierarchy: it lists the years by reading every article's date. The date
    # filter's choices (today, past 7 days, this month, this year) cost no query, and
    # ?published_at__year=&published_at__month= addresses still filter.
    list_filter = [
        "status",
        "section",
        AuthorFilter,
        ("published_at", admin.DateFieldListFilter),
        "is_must_read",
        SensitiveStoryFilter,
    ]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]  # how get_search_results searches
    search_help_text = _(
        "Words of the headline, standfirst or text (every word must match), an exact slug "
        "or an article's number."
    )
    # One count, of the list shown; the unfiltered list is counted by estimate.
    show_full_result_count = False
    paginator = ArticlePaginator
    # Half Django's 100: each row is ~1.5 ms of the admin's rendering (a 100-row page
    # took ~180 ms at a million stories), and an editor searches or filters rather than
    # scrolls. The moderation queue shows 50 too.
    list_per_page = 50
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags", "hero_photo", "social_image"]
    inlines = [BylineInline, CorrectionInline]
    readonly_fields = ["hero_thumbnail", "preview_links", "significant_update_at", "updated_at"]
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
                    "coverage",
                    "preview_links",
                    "significant_update",
                    "significant_update_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Sensitive story"),
            {
                "fields": [
                    "hide_ads",
                    "keep_out_of_promotion",
                    "hide_social_image",
                    "allow_comments",
                ],
                "description": _(
                    "For a death, an attack, a court case or anything readers should not meet "
                    "beside an ad or a “you may also like”. Each box does one thing, "
                    "everywhere the story appears."
                ),
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
            .with_recent_views()
        )

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def lookup_allowed(self, lookup, value, request):
        # AuthorFilter reads the parameter Django's related filter used, which Django
        # allows only for a filter on that field.
        return lookup == AuthorFilter.parameter_name or super().lookup_allowed(
            lookup, value, request
        )

    def get_search_results(self, request, queryset, search_term):
        """The site search's full-text match (GIN-indexed on PostgreSQL, not LIKE
        '%…%' over every row), or an exact slug or article number. A slug typed in part
        is searched as its words."""
        term = search_term.strip()
        if not term:
            return queryset, False
        exact = Q(slug=term)
        if term.isascii() and term.isdigit() and len(term) < 19:
            exact |= Q(pk=int(term))
        words = term.replace("-", " ")
        return matching(queryset, words) | queryset.filter(exact), False

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
        services.article_save(
            article=obj,
            by=request.user,
            significant_update=form.cleaned_data.get("significant_update", False),
        )
        # article_save asked the providers about the body's embeds.
        for warning in services.article_embed_warnings(article=obj):
            messages.warning(request, warning)

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

    @admin.display(
        description=_("views, last %(hours)d h") % {"hours": settings.MOST_READ_HOURS},
        ordering="recent_views",
    )
    def views(self, obj):
        """Readers' views over Most read's period (settings.MOST_READ_HOURS)."""
        return obj.recent_views

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


class PhotoAdminForm(forms.ModelForm):
    class Meta:
        field_classes = {"image": PhotoImageField}
        # Typed as numbers without JavaScript; with it, set by a click on the picture.
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.001})
            for name in ("focal_x", "focal_y")
        }


class LicenceFilter(admin.SimpleListFilter):
    """Photos whose licence ends soon, so editors can renew or replace them, and those
    already shown as placeholders."""

    title = _("licence")
    parameter_name = "licence"
    ENDING_DAYS = 30

    def lookups(self, request, model_admin):
        return [
            ("ending", _("Licence ends within %(days)s days") % {"days": self.ENDING_DAYS}),
            ("ended", _("Licence ended")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "ending":
            return queryset.licence_ending_within(self.ENDING_DAYS)
        if self.value() == "ended":
            return queryset.licence_ended()
        return queryset


@admin.register(Photo)
class PhotoAdmin(SaveFailureAdminMixin, admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = [
        "thumbnail", "__str__", "credit", "width", "height", "licence_ends_at", "is_licensed",
        "created_at",
    ]  # fmt: skip
    list_filter = [LicenceFilter]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = [
        "thumbnail", "focal_picker", "width", "height", "rendition_list", "created_by",
    ]  # fmt: skip
    fields = [
        "image",
        "thumbnail",
        "alt_text",
        "is_decorative",
        "caption",
        "credit",
        "licence_ends_at",
        "focal_picker",
        "focal_x",
        "focal_y",
        "width",
        "height",
        "rendition_list",
        "created_by",
    ]

    class Media:
        js = ["js/focal_point.js"]
        css = {"all": ["css/focal_point.css"]}

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return photo_thumbnail(obj)

    @admin.display(boolean=True, description=_("licensed"))
    def is_licensed(self, obj):
        return obj.is_licensed

    @admin.display(description=_("focal point"))
    def focal_picker(self, obj):
        """The picture to click on the point of interest (static/js/focal_point.js)."""
        if not obj.image:
            return _("Upload the photo first; then click its point of interest here.")
        image = obj.fallback
        return format_html(
            '<div class="focal-picker" data-focal-picker>'
            '<img src="{}" alt="" width="{}" height="{}">'
            '<span class="focal-picker__mark" hidden></span></div>'
            '<p class="help">{}</p>',
            image["url"],
            image["width"],
            image["height"],
            _(
                "Click the point of interest (a face, say) once: every crop keeps it in "
                "frame. Without JavaScript, type it below."
            ),
        )

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

    def get_urls(self):
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="articles_photo_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request):
        """A photo uploaded from the body editor's dialog (static/js/body-blocks.js): its
        number as JSON, or the form's errors for the dialog to show beside the fields.
        The admin's sign-in and CSRF checks apply; the add permission is needed."""
        if request.method != "POST":
            return JsonResponse({"error": _("Upload with POST.")}, status=405)
        if not self.has_add_permission(request):
            return JsonResponse({"error": _("You may not add photos.")}, status=403)
        form = PhotoUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        try:
            photo = services.photo_save(photo=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        except OSError:
            logger.exception("Storing a photo uploaded from the body editor failed")
            message = _("The photo could not be stored (the disk may be full). Try again soon.")
            return JsonResponse({"errors": {"image": [{"message": message}]}}, status=503)
        return JsonResponse({"id": photo.pk, "caption": photo.caption}, status=201)


class BreakingNewsForm(forms.ModelForm):
    url = forms.URLField(
        label=_("link"),
        required=False,
        assume_scheme="https",
        help_text=BreakingNews._meta.get_field("url").help_text,
    )

    class Meta:
        model = BreakingNews
        fields = ["text", "url", "is_live", "ends_at"]

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if ends_at <= timezone.now():
            raise forms.ValidationError(
                _("The end must be in the future; “End now” takes a banner down.")
            )
        return ends_at


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """Adding a banner puts it up at once and ends the one up before it (one step to
    replace it); "End now" takes it down early. Every public page shows it at once."""

    form = BreakingNewsForm
    list_display = ["text", "is_live", "starts_at", "ends_at", "is_up"]
    actions = ["end_selected"]

    @admin.display(boolean=True, description=_("up now"))
    def is_up(self, banner):
        return banner.is_showing

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
        else:
            services.breaking_news_publish(banner=obj, by=request.user)

    @admin.action(description=_("End selected banners now"), permissions=["change"])
    def end_selected(self, request, queryset):
        for banner in queryset:
            services.breaking_news_end(banner=banner, by=request.user)
        self.message_user(request, _("The banners are down."), messages.SUCCESS)
