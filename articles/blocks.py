"""The story body as readers see it: the sanitised HTML with its marker blocks (articles.body)
expanded into photos, galleries and embed placeholders.

Every photo of a body is read in one query and every embed in another, however many
blocks there are. A marker whose photo or embed is gone is left out (a photo) or shown
as a plain link (an embed), never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape

from django.http import HttpRequest, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .embeds import provider_named
from .models import Embed, Photo

# The sanitiser serialises every element the same way (attributes in double quotes,
# their values escaped), so the empty marker elements it kept can be found by pattern.
MARKER = re.compile(r'<(figure|div)((?: [a-z-]+="[^"<>]*")+)></\1>')
ATTRIBUTE = re.compile(r' ([a-z-]+)="([^"]*)"')
GALLERY_PHOTO_SIZES = "(min-width: 60em) 42em, 100vw"
SIZES = {"full": "(min-width: 60em) 42em, 100vw", "inset": "(min-width: 40em) 20em, 100vw"}


@dataclass
class Marker:
    start: int
    end: int
    attributes: dict[str, str]

    @property
    def photo_ids(self) -> list[int]:
        value = self.attributes.get("data-photo") or self.attributes.get("data-gallery") or ""
        return [int(part) for part in value.split() if part.isdigit()]

    @property
    def embed_url(self) -> str:
        return self.attributes.get("data-embed", "")


@dataclass
class Body:
    html: SafeString
    has_blocks: bool = False  # photos, galleries or embeds, which story-blocks.js enhances
    photos: list[Photo] = field(default_factory=list)
    embeds: list[Embed] = field(default_factory=list)
    frame_hosts: set[str] = field(default_factory=set)


def markers(html: str) -> list[Marker]:
    found = []
    for match in MARKER.finditer(html):
        attributes = {name: unescape(value) for name, value in ATTRIBUTE.findall(match[2])}
        if {"data-photo", "data-gallery", "data-embed"} & attributes.keys():
            found.append(Marker(match.start(), match.end(), attributes))
    return found


def missing_photo_ids(html: str) -> list[int]:
    """Photo numbers the body's photo and gallery blocks name that the library lacks."""
    named = sorted({pk for marker in markers(html) for pk in marker.photo_ids})
    found = set(Photo.objects.filter(pk__in=named).values_list("pk", flat=True))
    return [pk for pk in named if pk not in found]


def embed_urls(html: str) -> list[str]:
    """The embeds' addresses in a body, each once, in order."""
    return list(dict.fromkeys(marker.embed_url for marker in markers(html) if marker.embed_url))


def expand_body(html: str) -> Body:
    """The body with its blocks rendered; the photos and embeds it shows and the frame
    hosts its embeds may load (for the page's cache keys and Content-Security-Policy)."""
    return expand_bodies([html])[0]


def expand_bodies(htmls: list[str]) -> list[Body]:
    """Several bodies expanded at once (a live page's entries): every photo they show
    is read in one query and every embed in another, however many bodies there are."""
    found = [markers(html) for html in htmls]
    every = [marker for body_markers in found for marker in body_markers]
    photo_ids = {pk for marker in every for pk in marker.photo_ids}
    photos = Photo.objects.in_bulk(photo_ids) if photo_ids else {}
    urls = {marker.embed_url for marker in every if marker.embed_url}
    embeds = {}
    if urls:
        embeds = {e.url: e for e in Embed.objects.filter(url__in=urls).select_related("thumbnail")}
    return [
        _expanded(html, body_markers, photos, embeds)
        for html, body_markers in zip(htmls, found, strict=True)
    ]


def _expanded(
    html: str, found: list[Marker], photos: dict[int, Photo], embeds: dict[str, Embed]
) -> Body:
    if not found:
        return Body(html=mark_safe(html))  # noqa: S308  # nosec B308 B703  # sanitised on save
    frame_hosts: set[str] = set()
    parts, position = [], 0
    for marker in found:
        parts.append(html[position : marker.start])
        parts.append(_render(marker, photos, embeds, frame_hosts))
        position = marker.end
    parts.append(html[position:])
    shown_photos = {pk: photos[pk] for marker in found for pk in marker.photo_ids if pk in photos}
    shown_embeds = [embeds[m.embed_url] for m in found if m.embed_url in embeds]
    thumbnails = [embed.thumbnail for embed in shown_embeds if embed.thumbnail is not None]
    return Body(
        # Between the blocks the body was sanitised on save; the blocks are rendered templates.
        html=mark_safe("".join(parts)),  # noqa: S308  # nosec B308 B703
        has_blocks=True,
        photos=list(dict.fromkeys([*shown_photos.values(), *thumbnails])),
        embeds=list(dict.fromkeys(shown_embeds)),
        frame_hosts=frame_hosts,
    )


def _render(
    marker: Marker, photos: dict[int, Photo], embeds: dict[str, Embed], frame_hosts: set[str]
) -> str:
    if "data-photo" in marker.attributes:
        photo = photos.get(marker.photo_ids[0]) if marker.photo_ids else None
        if photo is None:
            return ""
        layout = marker.attributes.get("data-layout", "full")
        layout = layout if layout in SIZES else "full"
        return render_to_string(
            "articles/blocks/_photo.html",
            {"photo": photo, "layout": layout, "sizes": SIZES[layout]},
        )
    if "data-gallery" in marker.attributes:
        shown = [photos[pk] for pk in marker.photo_ids if pk in photos]
        if not shown:
            return ""
        return render_to_string(
            "articles/blocks/_gallery.html", {"photos": shown, "sizes": GALLERY_PHOTO_SIZES}
        )
    embed = embeds.get(marker.embed_url)
    provider = provider_named(embed.provider) if embed is not None else None
    if embed is not None and provider is not None and embed.frame_url:
        frame_hosts.update(provider.frame_hosts)
    return render_to_string(
        "articles/blocks/_embed.html",
        {
            "url": marker.embed_url,
            "embed": embed,
            "provider_name": provider.name if provider is not None else "",
            "playable": bool(embed and provider and embed.frame_url),
        },
    )


def admit_frames(request: HttpRequest, hosts: Iterable[str]) -> None:
    """Note frame hosts that a part of the page (a live blog's entries) may load, for
    allow_frames to admit with the body's."""
    request.frame_hosts = {*getattr(request, "frame_hosts", ()), *hosts}  # type: ignore[attr-defined]


def allow_frames(request: HttpRequest, response: HttpResponseBase, body: Body) -> HttpResponseBase:
    """Admit the frame hosts of the body's embeds, and those the page's other parts
    noted (admit_frames), in this response's Content-Security-Policy only."""
    hosts = body.frame_hosts | getattr(request, "frame_hosts", set())
    if hosts:
        response._csp_update = {"frame-src": sorted(hosts)}  # type: ignore[attr-defined]
    return response
