from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsroom.links import absolute_url

from . import services
from .forms import (
    CardAddForm,
    CardForm,
    CardMoveForm,
    ContainerForm,
    ContainerMoveForm,
    PublishForm,
    StorySearchForm,
)
from .models import Card, Container, Front, FrontVersion
from .pages import assemble, draft_layout, recent_views_of
from .previews import front_preview_token

PUBLISH_PERMISSION = "fronts.publish_front"


@admin.register(Front)
class FrontAdmin(admin.ModelAdmin):
    """The list of fronts and a new one's page here; its blocks and stories in the
    front editor (editor_view), where a front's own page leads."""

    list_display = ["__str__", "draft_changed_at", "draft_changed_by", "editor_link"]
    list_select_related = ["section", "draft_changed_by"]
    fields = ["section"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not (object_id.isascii() and object_id.isdigit()):
            raise Http404
        return redirect("admin:fronts_front_editor", front_id=object_id)

    @admin.display(description=_("Stories"))
    def editor_link(self, front):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:fronts_front_editor", args=[front.pk]), _("Edit")
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.front_create(front=obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:fronts_front_editor", front_id=obj.pk)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:front_id>/editor/", view(self.editor_view), name="fronts_front_editor"),
            *super().get_urls(),
        ]

    def editor_view(self, request, front_id):
        """Add, change, order and remove blocks; pick stories and order them (buttons
        that work without JavaScript, and drag and drop on top), override what cards
        show; preview, publish and restore."""
        front = get_object_or_404(Front.objects.select_related("section"), pk=front_id)
        if not self.has_change_permission(request, front):
            raise PermissionDenied
        search = StorySearchForm(request.GET)
        add_form = CardAddForm(front=front)
        publish_form = PublishForm()
        new_block_form = None
        card_forms, block_forms = {}, {}
        if request.method == "POST":
            action = request.POST.get("action", "")
            handler = getattr(self, f"_action_{action}", None)
            if handler is None:
                raise PermissionDenied
            outcome = handler(request, front)
            if not isinstance(outcome, dict):
                return outcome  # done: back to the editor
            # The form with errors, as typed, beside the card or control it belongs to.
            add_form = outcome.get("add_form", add_form)
            publish_form = outcome.get("publish_form", publish_form)
            card_forms = outcome.get("card_forms", card_forms)
            block_forms = outcome.get("block_forms", block_forms)
            new_block_form = outcome.get("new_block_form", new_block_form)
        cards = (
            Card.objects.filter(front=front)
            .select_related("photo")
            .prefetch_related(Prefetch("article", queryset=Article.objects.with_card_data()))
        )
        for card in cards:
            card_forms.setdefault(card.pk, CardForm(instance=card, prefix=f"card-{card.pk}"))
        containers = list(front.containers.select_related("backfill_section", "backfill_tag"))
        rule_choices = ContainerForm.rule_choices()
        if new_block_form is None:
            new_block_form = ContainerForm(prefix="new-block", rule_choices=rule_choices)
        for container in containers:
            block_forms.setdefault(
                container.pk,
                ContainerForm(
                    instance=container, prefix=f"block-{container.pk}", rule_choices=rule_choices
                ),
            )
        # What the draft shows below each block's picks, as the preview would.
        backfilled = {container.pk: [] for container in containers}
        for shown in assemble(draft_layout(front)).containers:
            backfilled[containers[shown.index].pk] = [
                shown_card.article for shown_card in shown.cards if not shown_card.pinned
            ]
        views = recent_views_of(
            [card.article_id for card in cards]
            + [article.pk for articles in backfilled.values() for article in articles]
        )
        cards_of = {container.pk: [] for container in containers}
        for card in cards:
            cards_of[card.container_id].append(
                (card, card_forms[card.pk], views.get(card.article_id, 0))
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Front editor: %s") % front,
            "opts": self.opts,
            "front": front,
            "containers": [
                (
                    container,
                    block_forms[container.pk],
                    cards_of[container.pk],
                    [(article, views.get(article.pk, 0)) for article in backfilled[container.pk]],
                )
                for container in containers
            ],
            "views_hours": settings.MOST_READ_HOURS,
            "search": search,
            "results": search.results(),
            "add_form": add_form,
            "new_block_form": new_block_form,
            "publish_form": publish_form,
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
            "versions": front.versions.select_related("created_by")[:20],
            "preview_url": reverse("fronts:preview", args=[front.pk]),
            "share_url": absolute_url(
                reverse("fronts:preview-share", args=[front_preview_token(front)])
            ),
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "admin/fronts/editor.html", context, status=status)

    def _done(self, request, front, message):
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:fronts_front_editor", front_id=front.pk)

    def _card(self, request, front):
        pk = request.POST.get("card", "")
        if not (pk.isascii() and pk.isdigit()):
            raise PermissionDenied
        return get_object_or_404(
            Card.objects.select_related("container__front"), front=front, pk=pk
        )

    def _action_add(self, request, front):
        form = CardAddForm(request.POST, front=front)
        if form.is_valid():
            try:
                card = services.card_add(
                    container=form.cleaned_data["container"],
                    article=form.cleaned_data["article"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return self._done(request, front, _("Added: %s") % card.article)
        return {"add_form": form}

    def _action_move(self, request, front):
        card = self._card(request, front)
        form = CardMoveForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied
        services.card_move(card=card, to=form.cleaned_data["to"], by=request.user)
        return self._done(request, front, _("Moved: %s") % card.article)

    def _action_remove(self, request, front):
        card = self._card(request, front)
        services.card_remove(card=card, by=request.user)
        return self._done(request, front, _("Removed: %s") % card.article)

    def _action_update(self, request, front):
        card = self._card(request, front)
        form = CardForm(request.POST, instance=card, prefix=f"card-{card.pk}")
        if form.is_valid():
            services.card_update(card=form.save(commit=False), by=request.user)
            return self._done(request, front, _("Saved: %s") % card.article)
        return {"card_forms": {card.pk: form}}

    def _block(self, request, front):
        pk = request.POST.get("block", "")
        if not (pk.isascii() and pk.isdigit()):
            raise PermissionDenied
        return get_object_or_404(Container.objects.select_related("front"), front=front, pk=pk)

    def _action_add_block(self, request, front):
        form = ContainerForm(
            request.POST,
            instance=Container(front=front),
            prefix="new-block",
            rule_choices=ContainerForm.rule_choices(),
        )
        if form.is_valid():
            container = services.container_add(container=form.save(commit=False), by=request.user)
            return self._done(request, front, _("Block added: %s") % container)
        return {"new_block_form": form}

    def _action_update_block(self, request, front):
        container = self._block(request, front)
        form = ContainerForm(
            request.POST,
            instance=container,
            prefix=f"block-{container.pk}",
            rule_choices=ContainerForm.rule_choices(),
        )
        if form.is_valid():
            services.container_update(container=form.save(commit=False), by=request.user)
            return self._done(request, front, _("Block saved: %s") % container)
        return {"block_forms": {container.pk: form}}

    def _action_move_block(self, request, front):
        container = self._block(request, front)
        form = ContainerMoveForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied
        services.container_move(container=container, to=form.cleaned_data["to"], by=request.user)
        return self._done(request, front, _("Block moved: %s") % container)

    def _action_remove_block(self, request, front):
        container = self._block(request, front)
        services.container_remove(container=container, by=request.user)
        return self._done(request, front, _("Block removed: %s") % container)

    def _action_publish(self, request, front):
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        form = PublishForm(request.POST)
        if form.is_valid():
            version = services.front_publish(
                front=front, by=request.user, at=form.cleaned_data["at"]
            )
            return self._done(request, front, _("Published: %s") % version)
        return {"publish_form": form}

    def _action_restore(self, request, front):
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        pk = request.POST.get("version", "")
        if not (pk.isascii() and pk.isdigit()):
            raise PermissionDenied
        version = get_object_or_404(FrontVersion, front=front, pk=pk)
        services.front_version_restore(version=version, by=request.user)
        return self._done(
            request,
            front,
            _("The draft is now the version of %s: publish it to show it.") % version,
        )
