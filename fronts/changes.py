"""What a front's version changes from the one before, in editors' words, one short line
per change: blocks added, removed, renamed, moved or given another layout, size or
backfill; stories added, removed or moved; what a card shows instead of its story.

Pure functions on layouts (fronts.pages), given the names they mention, so that a
version's summary is read once, when it is published, and never costs a page a query.
"""

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.text import Truncator

from .models import Backfill, Layout
from .pages import ContainerLayout

NAME_LENGTH = 60  # a headline quoted in a line is cut after this many characters
MAX_LINES = 12  # then "and N more changes"


@dataclass(frozen=True)
class Names:
    """The headlines, sections and tags a summary may name, by id."""

    headlines: dict[int, str]
    sections: dict[int, str]
    tags: dict[int, str]

    def story(self, article_id: int) -> str:
        return quoted(self.headlines.get(article_id, f"story {article_id}"))


def quoted(text: str) -> str:
    return f"“{Truncator(text).chars(NAME_LENGTH)}”"


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def moved_items(before: Sequence[Any], after: Sequence[Any]) -> list[Any]:
    """The items of `after` that moved, in its order: those outside the longest run that
    kept its order (so one story moved to the top is the one move, not every story it
    passed). Items in only one of the two are left out."""
    common = set(before) & set(after)
    old_place = {item: index for index, item in enumerate(before) if item in common}
    sequence = [item for item in after if item in common]
    # Longest increasing subsequence of old places, by patience sorting (n log n).
    tails: list[int] = []  # index into sequence of the smallest tail of each length
    previous: list[int | None] = [None] * len(sequence)
    for index, item in enumerate(sequence):
        low = bisect_left(tails, old_place[item], key=lambda at: old_place[sequence[at]])
        previous[index] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    kept: set[Any] = set()
    at = tails[-1] if tails else None
    while at is not None:
        kept.add(sequence[at])
        at = previous[at]
    return [item for item in sequence if item not in kept]


def _match_blocks(before: list[ContainerLayout], after: list[ContainerLayout]) -> dict[int, int]:
    """Which block of `after` (by index) each block of `before` became: the same draft
    block (its id), else one of the same title (a restored version's blocks are new)."""
    matched: dict[int, int] = {}
    by_id = {block["id"]: index for index, block in enumerate(after) if block.get("id")}
    for old, block in enumerate(before):
        if block.get("id") in by_id:
            matched[old] = by_id[block["id"]]
    taken = set(matched.values())
    for old, block in enumerate(before):
        if old in matched:
            continue
        for new, other in enumerate(after):
            if new not in taken and other["title"] == block["title"]:
                matched[old] = new
                taken.add(new)
                break
    return matched


def _rule(block: ContainerLayout, names: Names) -> str:
    match block["backfill"]:
        case Backfill.NONE:
            return "no backfill"
        case Backfill.SECTION:
            return f"latest in {names.sections.get(block['section_id'], 'a section')}"
        case Backfill.TAG:
            return f"latest tagged {names.tags.get(block['tag_id'], 'a tag')}"
        case rule:
            return str(Backfill(rule).label).lower()


def _block_settings(old: ContainerLayout, new: ContainerLayout, names: Names) -> list[str]:
    changed = []
    if old["layout"] != new["layout"]:
        changed.append(
            f"{str(Layout(new['layout']).label).lower()} "
            f"(was {str(Layout(old['layout']).label).lower()})"
        )
    if old["max_cards"] != new["max_cards"]:
        changed.append(f"up to {new['max_cards']} stories (was {old['max_cards']})")
    if (old["backfill"], old["section_id"], old["tag_id"]) != (
        new["backfill"],
        new["section_id"],
        new["tag_id"],
    ):
        changed.append(f"backfill {_rule(new, names)} (was {_rule(old, names)})")
    return changed


def _overrides(
    article_id: int, old: dict[str, Any], new: dict[str, Any], names: Names
) -> list[str]:
    story = names.story(article_id)
    lines = []
    if old["kicker"] != new["kicker"]:
        lines.append(
            f"kicker '{new['kicker']}' on {story}"
            if new["kicker"]
            else f"kicker '{old['kicker']}' taken off {story}"
        )
    if old["headline"] != new["headline"]:
        lines.append(
            f"headline {quoted(new['headline'])} on {story}"
            if new["headline"]
            else f"{story} shows its own headline again"
        )
    for field, what in (("standfirst", "standfirst"), ("photo_id", "photo")):
        if old[field] != new[field]:
            lines.append(
                f"{what} changed on {story}"
                if new[field]
                else f"{story} shows its own {what} again"
            )
    return lines


NO_OVERRIDES = {"headline": "", "standfirst": "", "photo_id": None, "kicker": ""}


def describe_changes(
    before: list[ContainerLayout] | None, after: list[ContainerLayout], names: Names
) -> list[str]:
    """What `after` changes from `before` (None: the first version), one line each."""
    if before is None:
        picked = sum(len(block["cards"]) for block in after)
        blocks = f"{len(after)} block{'' if len(after) == 1 else 's'}"
        lines = [f"first version: {blocks}, {picked} picked"]
        lines += [
            f"picked {', '.join(names.story(card['article_id']) for card in block['cards'])} "
            f"for {block['title']}"
            for block in after
            if block["cards"]
        ]
        return _capped(lines + _card_overrides(after, names, {}))
    new_of = _match_blocks(before, after)
    lines = _block_lines(before, after, new_of, names) + _story_lines(before, after, new_of, names)
    return _capped(lines or ["no change from the version before"])


def _block_lines(
    before: list[ContainerLayout],
    after: list[ContainerLayout],
    new_of: dict[int, int],
    names: Names,
) -> list[str]:
    """Blocks added, removed, renamed, moved, or with another layout, size or backfill."""
    old_of = {new: old for old, new in new_of.items()}
    lines = [
        f"block “{block['title']}” added" for new, block in enumerate(after) if new not in old_of
    ]
    lines += [
        f"block “{block['title']}” removed" for old, block in enumerate(before) if old not in new_of
    ]
    for new, block in enumerate(after):
        if new in old_of and before[old_of[new]]["title"] != block["title"]:
            lines.append(f"block “{before[old_of[new]]['title']}” renamed “{block['title']}”")
    old_sequence = [new_of[old] for old in sorted(new_of)]
    new_sequence = sorted(old_of)
    for new in moved_items(old_sequence, new_sequence):
        direction = _direction(old_sequence.index(new), new_sequence.index(new))
        lines.append(f"block “{after[new]['title']}” moved {direction} to {ordinal(new + 1)}")
    for new, block in enumerate(after):
        if new in old_of and (changed := _block_settings(before[old_of[new]], block, names)):
            lines.append(f"“{block['title']}”: " + ", ".join(changed))
    return lines


def _story_lines(
    before: list[ContainerLayout],
    after: list[ContainerLayout],
    new_of: dict[int, int],
    names: Names,
) -> list[str]:
    """Stories added, removed, moved to another block or within theirs; overrides."""
    old_cards = _cards(before)
    new_cards = _cards(after)
    lines = []
    for block in after:
        if added := [
            card["article_id"] for card in block["cards"] if card["article_id"] not in old_cards
        ]:
            lines.append(f"added {', '.join(map(names.story, added))} to {block['title']}")
    for block in before:
        if removed := [
            card["article_id"] for card in block["cards"] if card["article_id"] not in new_cards
        ]:
            lines.append(f"removed {', '.join(map(names.story, removed))} from {block['title']}")
    old_of = {new: old for old, new in new_of.items()}
    for new, block in enumerate(after):
        stayed = []
        for card in block["cards"]:
            article_id = card["article_id"]
            if article_id not in old_cards:
                continue
            old_block = old_cards[article_id][0]
            if new_of.get(old_block) == new:
                stayed.append(article_id)
            else:
                lines.append(
                    f"{names.story(article_id)} moved from {before[old_block]['title']} "
                    f"to {block['title']}"
                )
        if new not in old_of:
            continue
        old_order = [
            card["article_id"]
            for card in before[old_of[new]]["cards"]
            if card["article_id"] in stayed
        ]
        for article_id in moved_items(old_order, stayed):
            direction = _direction(old_order.index(article_id), stayed.index(article_id))
            place = ordinal(new_cards[article_id][1] + 1)
            lines.append(
                f"{names.story(article_id)} moved {direction} to {place} in {block['title']}"
            )
    return lines + _card_overrides(after, names, old_cards)


def _cards(layout: list[ContainerLayout]) -> dict[int, tuple[int, int, dict[str, Any]]]:
    """Each picked story's block, place in it, and card."""
    return {
        card["article_id"]: (index, place, card)
        for index, block in enumerate(layout)
        for place, card in enumerate(block["cards"])
    }


def _card_overrides(
    after: list[ContainerLayout],
    names: Names,
    old_cards: dict[int, tuple[int, int, dict[str, Any]]],
) -> list[str]:
    lines = []
    for block in after:
        for card in block["cards"]:
            old = (
                old_cards[card["article_id"]][2]
                if card["article_id"] in old_cards
                else NO_OVERRIDES
            )
            lines += _overrides(card["article_id"], old, card, names)
    return lines


def _direction(old_place: int, new_place: int) -> str:
    return "up" if new_place < old_place else "down"


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    hidden = len(lines) - (MAX_LINES - 1)
    return [*lines[: MAX_LINES - 1], f"and {hidden} more changes"]


def mentioned(
    layouts: Sequence[list[ContainerLayout] | None],
) -> tuple[set[int], set[int], set[int]]:
    """The stories, sections and tags a summary of these layouts may name."""
    stories, sections, tags = set(), set(), set()
    for layout in layouts:
        for block in layout or []:
            stories |= {card["article_id"] for card in block["cards"]}
            if block.get("section_id"):
                sections.add(block["section_id"])
            if block.get("tag_id"):
                tags.add(block["tag_id"])
    return stories, sections, tags
