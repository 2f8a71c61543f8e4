"""What a front shows, assembled: its containers' picks, then their backfills, each story
once, in a fixed number of queries however many cards there are.

A layout is a front as data, the shape a published version keeps (FrontVersion.layout)
and the draft is read into for a preview, so both render the same way::

    [{"id": 3, "title": "Top stories", "layout": "lead", "max_cards": 5, "backfill": "top",
      "section_id": None, "tag_id": None,
      "cards": [{"article_id": 12, "headline": "", "standfirst": "", "photo_id": None,
                 "kicker": "Live"}]}]
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Value
from django.utils import timezone

from articles.models import (
    LATEST_KEY,
    LISTED,
    SECTIONS_KEY,
    Article,
    ArticleQuerySet,
    Photo,
    Section,
    Tag,
)
from newsroom.cachekeys import cache_key, remembered
from newsroom.prepared import PreparedRead

from .models import Backfill, Front, FrontVersion, Layout, front_cache_key

ContainerLayout = dict[str, Any]

HOME_SECTION_BLOCK_SIZE = 4  # stories per section block on the default home front
HOME_MUST_READ_COUNT = 4


@dataclass(frozen=True)
class ShownCard:
    article: Article
    headline: str
    standfirst: str
    photo: Photo | None
    kicker: str
    pinned: bool  # hand-picked, not backfilled


@dataclass(frozen=True)
class ShownContainer:
    title: str
    layout: str
    backfill: str
    cards: list[ShownCard]
    section: Section | None  # the section it backfills from: its heading links there
    index: int  # its place in the layout, empty containers counted (the editor's blocks)

    @property
    def lead(self) -> ShownCard:
        return self.cards[0]  # a container shown has a card

    @property
    def rest(self) -> list[ShownCard]:
        return self.cards[1:]

    @property
    def has_phone_thumbnails(self) -> bool:
        """Whether its cards' photos are square thumbnails on phones (static/css/site.css:
        a Must read block's or a list's, where the template names them so)."""
        return self.backfill == "must-read" or self.layout == "list"


@dataclass(frozen=True)
class ShownFront:
    containers: list[ShownContainer]  # none empty
    cache_keys: set[str]  # its lists and picks (layout_cache_keys): the page's surrogate keys
    published_at: datetime | None = None  # when its version went live, for Last-Modified

    @property
    def articles(self) -> list[Article]:
        """Every story the front shows, for the page's Last-Modified."""
        return [card.article for container in self.containers for card in container.cards]

    @property
    def lead(self) -> Article | None:
        """The front's first story, which the Latest list beside it leaves out."""
        return self.containers[0].lead.article if self.containers else None


def default_home_layout(sections: Iterable[Section]) -> list[ContainerLayout]:
    """The home page before editors curate it, as it always was: a lead (the newest story
    with a photo), the Must read picks, then the newest stories of each section."""

    def container(
        title: str, layout: str, max_cards: int, backfill: str, **rule: Any
    ) -> ContainerLayout:
        return {
            "title": title, "layout": layout, "max_cards": max_cards, "backfill": backfill,
            "section_id": rule.get("section_id"), "tag_id": None, "cards": [],
        }  # fmt: skip

    return [
        container("Top stories", Layout.SINGLE, 1, Backfill.TOP),
        container("Must read", Layout.GRID_4, HOME_MUST_READ_COUNT, Backfill.MUST_READ),
        *(
            container(
                section.name,
                Layout.GRID_4,
                HOME_SECTION_BLOCK_SIZE,
                Backfill.SECTION,
                section_id=section.pk,
            )
            for section in sections
        ),
    ]


def draft_layout(front: Front) -> list[ContainerLayout]:
    """The front's draft (its containers and cards) as a layout, in two queries. A
    block's id (its draft row's) tells a version's summary a block renamed from one
    removed and another added; layouts of the demo and the default have none."""
    containers = front.containers.prefetch_related("cards")
    return [
        {
            "id": container.pk,
            "title": container.title,
            "layout": container.layout,
            "max_cards": container.max_cards,
            "backfill": container.backfill,
            "section_id": container.backfill_section_id,
            "tag_id": container.backfill_tag_id,
            "cards": [
                {
                    "article_id": card.article_id,
                    "headline": card.headline,
                    "standfirst": card.standfirst,
                    "photo_id": card.photo_id,
                    "kicker": card.kicker,
                }
                for card in container.cards.all()
            ],
        }
        for container in containers
    ]


class LiveLayout(NamedTuple):
    """What readers see of a front: a published version's layout and when it went live
    (None: the home page's default layout, before any version)."""

    layout: list[ContainerLayout]
    published_at: datetime | None


def published_version(*, section_id: int | None) -> LiveLayout | None:
    """The version readers see on the home page (no section) or a section's page: the
    newest live now, or None when none was ever published. One query."""
    versions = (
        FrontVersion.objects.filter(front__section__isnull=True)
        if section_id is None
        else FrontVersion.objects.filter(front__section_id=section_id)
    )
    version = versions.live().only("layout", "published_at").first()
    return LiveLayout(version.layout, version.published_at) if version is not None else None


def _newest_of_each(pools: list[ArticleQuerySet], depth: int) -> Any:
    """(part, pk, published_at) of the newest `depth` stories of each pool, by pool
    (its part) and newest first, in one query: a UNION ALL of reads that each stop at
    the top of an index (ArticleQuerySet.newest), where ranking every story of every
    pool (ROW_NUMBER) read and sorted the whole archive."""
    parts = [
        pool.newest(depth)
        .annotate(part=Value(index))
        .values_list("part", "pk", "published_at")
        .order_by()
        for index, pool in enumerate(pools)
    ]
    return parts[0].union(*parts[1:], all=True).order_by("part", "-published_at", "-pk")


def _by_part(rows: list[tuple[int, int, Any]], parts: int) -> list[list[int]]:
    newest: list[list[int]] = [[] for _part in range(parts)]
    for index, pk, _published_at in rows:
        newest[index].append(pk)
    return newest


def _newest_first(queryset: Any, depth: int) -> Any:
    return queryset.order_by("-published_at", "-pk").values_list("pk")[:depth]


# The backfills' reads, prepared (newsroom.prepared: compiled once), as a front made
# anew is made after every story published. `depth`: how many of each at most.
NEWEST = PreparedRead(
    lambda now, *, depth: _newest_first(Article.objects.for_backfill(now=now), depth)
)
# The newest with a hero photo, then the newest without.
NEWEST_TOP = PreparedRead(
    lambda now, *, depth: _newest_of_each(
        [
            Article.objects.for_backfill(now=now).filter(hero_photo__isnull=False),
            Article.objects.for_backfill(now=now).filter(hero_photo__isnull=True),
        ],
        depth,
    )
)
# Must read is the editors' own pick (Article.is_must_read), so a story kept out of
# promotion that an editor marked Must read is shown, as on the article lists.
NEWEST_MUST_READ = PreparedRead(
    lambda now, *, depth: _newest_first(Article.objects.must_read(now=now), depth)
)
NEWEST_IN_SECTIONS = PreparedRead(
    lambda section_ids, now, *, depth: _newest_of_each(
        [Article.objects.for_backfill(now=now).filter(section=pk) for pk in section_ids], depth
    )
)
NEWEST_WITH_TAGS = PreparedRead(
    lambda tag_ids, now, *, depth: _newest_of_each(
        [Article.objects.for_backfill(now=now).filter(tags=pk) for pk in tag_ids], depth
    )
)
# The picks of a layout that are public now.
PUBLIC_PICKS = PreparedRead(
    lambda ids, now: Article.objects.published(now=now).filter(pk__in=ids).values_list("pk")
)


def _backfill_candidates(
    layout: list[ContainerLayout], depth: int, now: datetime
) -> dict[tuple[str, int | None], list[int]]:
    """The stories each backfill rule of the layout would pick, best first, at most
    `depth` per rule: one query per kind of rule, however many containers use it."""
    rules = {
        (container["backfill"], container.get("section_id") or container.get("tag_id"))
        for container in layout
        if container["backfill"]
    }
    kinds = {kind for kind, _param in rules}
    found: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    if Backfill.LATEST in kinds:
        found[(Backfill.LATEST, None)] = [pk for (pk,) in NEWEST(now, depth=depth)]
    if Backfill.TOP in kinds:
        with_photo, without = _by_part(NEWEST_TOP(now, depth=depth), 2)
        found[(Backfill.TOP, None)] = (with_photo + without)[:depth]
    if Backfill.MUST_READ in kinds:
        found[(Backfill.MUST_READ, None)] = [pk for (pk,) in NEWEST_MUST_READ(now, depth=depth)]
    if Backfill.MOST_READ in kinds:
        found[(Backfill.MOST_READ, None)] = list(
            Article.objects.for_backfill(now=now).most_read().values_list("pk", flat=True)[:depth]
        )
    for kind, read in ((Backfill.SECTION, NEWEST_IN_SECTIONS), (Backfill.TAG, NEWEST_WITH_TAGS)):
        params = sorted(param for rule, param in rules if rule == kind and param)
        if not params:
            continue
        newest = _by_part(read(params, now, depth=depth), len(params))
        for param, pks in zip(params, newest, strict=True):
            found[(kind, param)] = pks
    return found


def assemble(layout: list[ContainerLayout]) -> ShownFront:
    """The front a layout shows now, in a fixed number of queries (one for the picks
    still public, one per kind of backfill rule, two for the stories' cards, one for the
    photos picked instead of the stories' own).

    Each container shows its picks still public, in the editor's order, then its
    backfill up to its size. A story appears once: a story picked anywhere is left out
    of every backfill, and a story already shown above is left out of those below.
    """
    now = timezone.now()
    picked_ids = [card["article_id"] for container in layout for card in container["cards"]]
    public_picks = {pk for (pk,) in PUBLIC_PICKS(picked_ids, now)} if picked_ids else set()
    depth = len(picked_ids) + sum(container["max_cards"] for container in layout)
    candidates = _backfill_candidates(layout, depth, now)

    shown: set[int] = set(public_picks)
    slots: list[list[tuple[int, dict[str, Any] | None]]] = []
    placed: set[int] = set()
    for container in layout:
        cards: list[tuple[int, dict[str, Any] | None]] = []
        for card in container["cards"]:
            pk = card["article_id"]
            if pk in public_picks and pk not in placed and len(cards) < container["max_cards"]:
                placed.add(pk)
                cards.append((pk, card))
        rule = (container["backfill"], container.get("section_id") or container.get("tag_id"))
        for pk in candidates.get(rule, []) if container["backfill"] else []:
            if len(cards) >= container["max_cards"]:
                break
            if pk not in shown:
                shown.add(pk)
                cards.append((pk, None))
        slots.append(cards)

    ids = {pk for cards in slots for pk, _card in cards}
    articles = {article.pk: article for article in LISTED(sorted(ids), now)} if ids else {}
    photo_ids = {
        card["photo_id"] for cards in slots for _pk, card in cards if card and card["photo_id"]
    }
    photos = Photo.objects.in_bulk(photo_ids) if photo_ids else {}
    sections = {article.section_id: article.section for article in articles.values()}

    containers = []
    for index, (container, cards) in enumerate(zip(layout, slots, strict=True)):
        shown_cards = [
            _shown_card(articles[pk], card, photos) for pk, card in cards if pk in articles
        ]
        if shown_cards:
            section = (
                sections.get(container.get("section_id"))
                if container["backfill"] == (Backfill.SECTION)
                else None
            )
            containers.append(
                ShownContainer(
                    container["title"],
                    container["layout"],
                    container["backfill"],
                    shown_cards,
                    section,
                    index,
                )
            )
    return ShownFront(containers, layout_cache_keys(layout))


def _shown_card(
    article: Article, card: dict[str, Any] | None, photos: dict[int, Photo]
) -> ShownCard:
    if card is None:
        return ShownCard(article, article.headline, article.standfirst, None, "", pinned=False)
    return ShownCard(
        article,
        card["headline"] or article.headline,
        card["standfirst"] or article.standfirst,
        photos.get(card["photo_id"]) if card["photo_id"] else None,
        card["kicker"],
        pinned=True,
    )


def recent_views_of(article_ids: Iterable[int]) -> dict[int, int]:
    """Readers' views of each story over Most read's period, for the front editor: one
    query however many stories."""
    ids = set(article_ids)
    if not ids:
        return {}
    counted = Article.objects.filter(pk__in=ids).with_recent_views()
    return dict(counted.values_list("pk", "recent_views"))


def layout_cache_keys(layout: list[ContainerLayout]) -> set[str]:
    """What a change to which changes the front a layout shows: the lists its backfills
    read (a story published in them), and the stories picked, shown or not yet (a pick
    published from elsewhere, or taken down)."""
    # As cache_key names a story, without building one for each pick on every page.
    story = Article._meta.model_name
    keys = {f"{story}-{card['article_id']}" for c in layout for card in c["cards"]}
    for container in layout:
        match container["backfill"]:
            case Backfill.SECTION:
                keys.add(Section(pk=container["section_id"]).articles_cache_key)
            case Backfill.TAG:
                keys.add(Tag(pk=container["tag_id"]).articles_cache_key)
            case "":
                pass
            case _:
                keys.add(LATEST_KEY)
    return keys


class HomeFront:
    """The home page's front, assembled (its stories read) only when a template shows
    it: a page whose front is kept rendered (newsroom.fragments) reads its version alone.

    Its keys come from the layout: its backfills' lists and the front itself; a change
    to what a kept front shows purges them or the stories' own keys."""

    def __init__(self, layout: list[ContainerLayout], published_at: datetime | None) -> None:
        self.layout = layout
        self.published_at = published_at
        self.cache_keys = layout_cache_keys(layout) | {front_cache_key(None)}
        self._front: ShownFront | None = None

    @property
    def front(self) -> ShownFront:
        if self._front is None:
            self._front = replace(
                assemble(self.layout), cache_keys=self.cache_keys, published_at=self.published_at
            )
        return self._front

    @property
    def containers(self) -> list[ShownContainer]:
        return self.front.containers

    @property
    def lead(self) -> Article | None:
        return self.front.lead

    def read_so_far(self) -> list[Article]:
        """The stories shown, if the front was assembled, for the page's Last-Modified."""
        return self._front.articles if self._front is not None else []


def home_front(sections: Callable[[], list[Section]], *, seconds: int) -> HomeFront:
    """The home page's front: its published version, or the default layout (a block
    for each of `sections()`).

    Kept in the shared cache (cachekeys.remembered) for `seconds` at most, the page's
    kept_row_seconds, which end at the next scheduled change (a version published for
    later goes live on time), and until a version is published (the front's key) or, for
    the default layout, a section changes: a page whose parts are kept asks the database
    nothing."""
    key = front_cache_key(None)

    def live() -> LiveLayout:
        version = published_version(section_id=None)
        return version or LiveLayout(default_home_layout(sections()), None)

    version: LiveLayout = remembered(
        f"fronts:live:{key}",
        compute=live,
        keys_of=lambda live: {key} if live.published_at else {key, SECTIONS_KEY},
        seconds=seconds,
    )
    return HomeFront(version.layout, version.published_at)


def section_front(section: Section, *, seconds: int) -> ShownFront | None:
    """A section's published front, or None: the section page then lists its stories.

    Its version, and the front it shows, are kept for `seconds` at most, as the home
    page's (home_front). The front is assembled first, as every page of the list leaves
    its stories out: kept, a page whose parts are kept asks the database nothing for it,
    until what it shows changes (shown_front_keys)."""
    key = front_cache_key(section.pk)
    version: LiveLayout | None = remembered(
        f"fronts:live:{key}",
        compute=lambda: published_version(section_id=section.pk),
        keys_of=lambda _live: {key},
        seconds=seconds,
    )
    if version is None:
        return None

    def shown() -> ShownFront:
        front = assemble(version.layout)
        return replace(
            front, cache_keys=front.cache_keys | {key}, published_at=version.published_at
        )

    front: ShownFront = remembered(
        f"fronts:shown:{key}", compute=shown, keys_of=shown_front_keys, seconds=seconds
    )
    return front


def shown_front_keys(front: ShownFront) -> set[str]:
    """What an assembled front shows, to keep it by: its version, the lists its backfills
    read and its picks (front.cache_keys), its stories, their sections and photos."""
    cards = [card for container in front.containers for card in container.cards]
    photos = [photo for card in cards for photo in (card.photo, card.article.hero_photo)]
    return {
        *front.cache_keys,
        SECTIONS_KEY,
        *(cache_key(card.article) for card in cards),
        *(cache_key(photo) for photo in photos if photo is not None),
    }
