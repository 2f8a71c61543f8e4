"""Every write on fronts: the draft's cards, publishing a version, restoring one."""

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles.models import Article, Section, Tag

from .changes import Names, describe_changes, mentioned
from .models import Backfill, Card, Container, Front, FrontVersion, Layout
from .pages import ContainerLayout, default_home_layout, draft_layout

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _staff(by: "User | AnonymousUser | None") -> "User | None":
    """Who to record as having made a change: None for the demo's loader."""
    return by if by is not None and by.is_authenticated else None


def _draft_changed(front: Front, by: "User | AnonymousUser | None") -> None:
    front.draft_changed_at = timezone.now()
    front.draft_changed_by = _staff(by)
    front.save(update_fields=["draft_changed_at", "draft_changed_by"])


@transaction.atomic
def front_draft_replace(
    *, front: Front, layout: list[ContainerLayout], by: "User | AnonymousUser | None"
) -> Front:
    """Replace the front's draft with `layout` (a version's, or the demo's), leaving out
    cards whose story is gone."""
    front.containers.all().delete()
    existing = set(
        Article.objects.filter(
            pk__in=[card["article_id"] for container in layout for card in container["cards"]]
        ).values_list("pk", flat=True)
    )
    for position, data in enumerate(layout):
        container = Container(
            front=front,
            position=position,
            title=data["title"],
            layout=data["layout"],
            max_cards=data["max_cards"],
            backfill=data["backfill"],
            backfill_section_id=data["section_id"],
            backfill_tag_id=data["tag_id"],
        )
        container.full_clean(exclude=["backfill_section", "backfill_tag"])
        container.save()
        Card.objects.bulk_create(
            Card(
                container=container,
                front=front,
                article_id=card["article_id"],
                position=card_position,
                headline=card["headline"],
                standfirst=card["standfirst"],
                photo_id=card["photo_id"],
                kicker=card["kicker"],
            )
            for card_position, card in enumerate(data["cards"])
            if card["article_id"] in existing
        )
    _draft_changed(front, by)
    return front


def default_section_layout(section: Section) -> list[ContainerLayout]:
    """A new section front: a lead with the next four, then a grid of the next eight."""
    rule = {"backfill": Backfill.SECTION, "section_id": section.pk, "tag_id": None, "cards": []}
    return [
        {"title": f"Top in {section.name}", "layout": Layout.LEAD, "max_cards": 5, **rule},
        {"title": f"More {section.name}", "layout": Layout.GRID_4, "max_cards": 8, **rule},
    ]


@transaction.atomic
def front_create(*, front: Front, by: "User | AnonymousUser | None") -> Front:
    """Save a new front for the home page (no section) or a section, its draft laid out
    as the page is without one; readers see nothing new until it is published."""
    section = front.section
    front.full_clean()
    front.save()
    layout = (
        default_home_layout(Section.objects.all())
        if section is None
        else default_section_layout(section)
    )
    return front_draft_replace(front=front, layout=layout, by=by)


@transaction.atomic
def card_add(*, container: Container, article: Article, by: "User | AnonymousUser | None") -> Card:
    """Pick `article` for `container`, after its other picks. A story is picked once per
    front (a ValidationError says where it is already)."""
    already = (
        Card.objects.filter(front_id=container.front_id, article=article)
        .select_related("container")
        .first()
    )
    if already is not None:
        raise ValidationError(
            f"“{article.headline}” is already in “{already.container.title}” on this front."
        )
    last = container.cards.aggregate(last=Max("position"))["last"]
    card = Card(
        container=container,
        front_id=container.front_id,
        article=article,
        position=0 if last is None else last + 1,
    )
    card.full_clean()
    card.save()
    _draft_changed(container.front, by)
    return card


@transaction.atomic
def card_move(*, card: Card, to: int, by: "User | AnonymousUser | None") -> Card:
    """Move `card` to place `to` (from 0) among its container's cards; the others keep
    their order around it. A place past the end is the last one."""
    cards = list(card.container.cards.select_for_update().exclude(pk=card.pk))
    cards.insert(max(0, min(to, len(cards))), card)
    for position, each in enumerate(cards):
        each.position = position
    Card.objects.bulk_update(cards, ["position"])
    _draft_changed(card.container.front, by)
    return card


@transaction.atomic
def card_update(*, card: Card, by: "User | AnonymousUser | None") -> Card:
    """Save the card's overrides (headline, standfirst, photo, kicker), as validated by
    its form."""
    card.full_clean()
    card.save()
    _draft_changed(card.container.front, by)
    return card


@transaction.atomic
def card_remove(*, card: Card, by: "User | AnonymousUser | None") -> None:
    """Take the story off the draft; the container's backfill takes its place."""
    front = card.container.front
    card.delete()
    _draft_changed(front, by)


@transaction.atomic
def container_add(*, container: Container, by: "User | AnonymousUser | None") -> Container:
    """Add `container` (a new block, as validated by its form) to its front's draft,
    after the other blocks."""
    last = container.front.containers.aggregate(last=Max("position"))["last"]
    container.position = 0 if last is None else last + 1
    container.full_clean()
    container.save()
    _draft_changed(container.front, by)
    return container


@transaction.atomic
def container_update(*, container: Container, by: "User | AnonymousUser | None") -> Container:
    """Save the block's title, layout, size and backfill rule, as validated by its form."""
    container.full_clean()
    container.save()
    _draft_changed(container.front, by)
    return container


@transaction.atomic
def container_move(
    *, container: Container, to: int, by: "User | AnonymousUser | None"
) -> Container:
    """Move the block to place `to` (from 0) among its front's blocks; the others keep
    their order around it. A place past the end is the last one."""
    containers = list(container.front.containers.select_for_update().exclude(pk=container.pk))
    containers.insert(max(0, min(to, len(containers))), container)
    for position, each in enumerate(containers):
        each.position = position
    Container.objects.bulk_update(containers, ["position"])
    _draft_changed(container.front, by)
    return container


@transaction.atomic
def container_remove(*, container: Container, by: "User | AnonymousUser | None") -> None:
    """Take the block off the draft, with its picks (they may be picked again elsewhere)."""
    front = container.front
    container.delete()
    _draft_changed(front, by)


def _summary(before: list[ContainerLayout] | None, after: list[ContainerLayout]) -> str:
    """What a version changes from the one before, in editors' words, a line each
    (fronts.changes); the names it gives are read in three queries at most."""
    stories, sections, tags = mentioned([before, after])
    names = Names(
        headlines=dict(Article.objects.filter(pk__in=stories).values_list("pk", "headline"))
        if stories
        else {},
        sections=dict(Section.objects.filter(pk__in=sections).values_list("pk", "name"))
        if sections
        else {},
        tags=dict(Tag.objects.filter(pk__in=tags).values_list("pk", "name")) if tags else {},
    )
    return "\n".join(describe_changes(before, after, names))


@transaction.atomic
def front_publish(
    *, front: Front, by: "User | AnonymousUser | None", at: datetime | None = None
) -> FrontVersion:
    """Publish the front's draft as a new version: readers see it from `at` (now if
    None) until a later one goes live. Its cache key is purged on commit, and a version
    for later ends the cached pages by itself when its time comes
    (FrontsConfig.next_public_change)."""
    layout = draft_layout(front)
    previous = front.versions.order_by("-published_at", "-pk").only("layout").first()
    version = FrontVersion(
        front=front,
        layout=layout,
        published_at=at or timezone.now(),
        created_by=_staff(by),
        summary=_summary(previous.layout if previous else None, layout),
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def front_version_restore(*, version: FrontVersion, by: "User | AnonymousUser | None") -> Front:
    """Make `version` the front's draft again, to be published (or edited first).
    Stories deleted since are left out."""
    front = Front.objects.select_for_update().get(pk=version.front_id)
    return front_draft_replace(front=front, layout=version.layout, by=by)
