"""Read the demo newsroom's content files (described in content/README.md)."""

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"
FRONT_MATTER = "+++"


@dataclass(frozen=True)
class Photo:
    palette: str
    alt: str
    caption: str
    credit: str


@dataclass(frozen=True)
class Correction:
    kind: str
    text: str
    hours_after: int


@dataclass(frozen=True)
class Story:
    slug: str
    section: str
    headline: str
    standfirst: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    status: str
    hours_ago: int | None = None  # before loading; negative: scheduled; None: unpublished
    must_read: bool = False
    dateline: str = ""
    agency: str = ""
    photo: Photo | None = None
    corrections: tuple[Correction, ...] = field(default=())
    coverage: str = ""  # "live" or "closed": its entries are in live/<slug>.toml
    # A sensitive story's flags (articles.models.Article).
    hide_ads: bool = False
    keep_out_of_promotion: bool = False
    hide_social_image: bool = False
    allow_comments: bool = True
    blocks: tuple[dict, ...] = ()  # [[block]] tables: photos, galleries, quotes, tables…


@dataclass(frozen=True)
class LiveEntry:
    minutes: int  # after the story's publication
    text: str
    title: str = ""
    authors: tuple[str, ...] = ()
    key_event: bool = False
    pinned: bool = False

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(block.split()) for block in re.split(r"\n\s*\n", self.text.strip())]


@dataclass(frozen=True)
class Comment:
    article: str
    name: str
    email: str
    text: str
    status: str
    reply_to: int | None = None  # index in comments() of the comment this one answers


def _toml(name: str) -> dict:
    with (CONTENT / name).open("rb") as file:
        return tomllib.load(file)


@cache
def sections() -> tuple[dict[str, str], ...]:
    """The sections' slug, name and description, in navigation order."""
    return tuple(_toml("sections.toml")["section"])


@cache
def authors() -> tuple[dict[str, str], ...]:
    return tuple(_toml("authors.toml")["author"])


@cache
def tags() -> tuple[dict[str, str], ...]:
    return tuple(_toml("tags.toml")["tag"])


@cache
def fronts() -> tuple[dict, ...]:
    """The curated fronts: blocks with their hand-picked cards (see content/README.md)."""
    return tuple(_toml("fronts.toml")["front"])


@cache
def stories() -> tuple[Story, ...]:
    """Every story, in the order of the files' names."""
    return tuple(read_story(path) for path in sorted((CONTENT / "stories").glob("*.md")))


def read_story(path: Path) -> Story:
    """A story file: `NN-slug.md`, TOML front matter between `+++` lines, then the body's
    paragraphs separated by blank lines (a paragraph's lines are joined with spaces)."""
    text = path.read_text(encoding="utf-8")
    opening, front_matter, body = text.split(FRONT_MATTER + "\n", 2)
    if opening:
        raise ValueError(f"{path.name} must start with a {FRONT_MATTER} line")
    data = tomllib.loads(front_matter)
    paragraphs = [
        " ".join(line.strip() for line in block.splitlines())
        for block in re.split(r"\n\s*\n", body.strip())
    ]
    photo = data.pop("photo", None)
    return Story(
        slug=path.stem.split("-", 1)[1],
        paragraphs=tuple(paragraphs),
        authors=tuple(data.pop("authors")),
        tags=tuple(data.pop("tags")),
        photo=Photo(**photo) if photo else None,
        corrections=tuple(Correction(**c) for c in data.pop("corrections", [])),
        blocks=tuple(data.pop("block", [])),
        **data,
    )


@cache
def comments() -> tuple[Comment, ...]:
    """Every comment, thread after thread; in comments.toml `reply_to` counts from 1
    within the thread, here it is the index in this list."""
    result = []
    for thread in _toml("comments.toml")["thread"]:
        start = len(result)
        for data in thread["comment"]:
            reply_to = data.pop("reply_to", None)
            result.append(
                Comment(
                    article=thread["article"],
                    reply_to=None if reply_to is None else start + reply_to - 1,
                    **data,
                )
            )
    return tuple(result)


def live_entries(slug: str) -> tuple[LiveEntry, ...]:
    """The entries of the live story `slug`, oldest first (live/<slug>.toml)."""
    entries = _toml(f"live/{slug}.toml")["entry"]
    return tuple(
        LiveEntry(**{**data, "authors": tuple(data.get("authors", ()))}) for data in entries
    )
