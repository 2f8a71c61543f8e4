"""Asking a provider about a post pasted into a story, over oEmbed (https://oembed.com/).

Only the provider's own endpoint, from settings.EMBED_PROVIDERS, is asked, with a
timeout and a size limit; a redirect to another host is refused. Nothing of the answer
is kept as HTML: the title and author are plain text (escaped when shown), and the
player's address is kept only if it is an https address on one of the provider's
`frame_hosts`. The thumbnail goes through the photo pipeline like any upload.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from http.client import HTTPMessage
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings

TITLE_LENGTH = 300
AUTHOR_LENGTH = 200


class EmbedError(Exception):
    """The provider could not be asked, or answered something unusable: why, for the editor."""


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    patterns: tuple[re.Pattern[str], ...]
    endpoint: str
    frame: str
    frame_hosts: frozenset[str]

    def match(self, url: str) -> re.Match[str] | None:
        for pattern in self.patterns:
            if found := pattern.fullmatch(url):
                return found
        return None


@dataclass(frozen=True)
class OEmbed:
    title: str
    author_name: str
    width: int
    height: int
    frame_url: str
    thumbnail_url: str


def providers() -> list[Provider]:
    return [
        Provider(
            key=key,
            name=config["name"],
            patterns=tuple(re.compile(pattern) for pattern in config["patterns"]),
            endpoint=config["endpoint"],
            frame=config.get("frame", ""),
            frame_hosts=frozenset(config["frame_hosts"]),
        )
        for key, config in settings.EMBED_PROVIDERS.items()
    ]


def provider_for(url: str) -> Provider | None:
    return next((provider for provider in providers() if provider.match(url)), None)


def provider_named(key: str) -> Provider | None:
    return next((provider for provider in providers() if provider.key == key), None)


class _SameHostRedirects(HTTPRedirectHandler):
    """Follow a redirect only to the host that was asked (http to https on it is fine)."""

    def redirect_request(
        self, req: Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> Request | None:
        if urlsplit(newurl).hostname != urlsplit(req.full_url).hostname:
            raise EmbedError(f"The provider sent us to another site ({urlsplit(newurl).hostname}).")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, limit: int) -> bytes:
    """GET `url` (http or https), at most `limit` bytes, within the embed timeout."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise EmbedError("Only web addresses can be fetched.")
    opener = build_opener(_SameHostRedirects)
    request = Request(url, headers={"User-Agent": f"{settings.SITE_NAME} oEmbed"})  # noqa: S310
    try:
        # The scheme is checked above; the address is a provider's from settings or
        # one its answer named, and the answer is only ever read as data.
        with opener.open(request, timeout=settings.EMBED_FETCH_TIMEOUT) as response:  # nosec B310
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise EmbedError("The provider's answer is too large.")
            data: bytes = response.read(limit + 1)
    except HTTPError as error:
        raise EmbedError(f"The provider answered {error.code}.") from error
    except (URLError, TimeoutError, OSError) as error:
        raise EmbedError("The provider could not be reached in time.") from error
    if len(data) > limit:
        raise EmbedError("The provider's answer is too large.")
    return data


def oembed_fetch(url: str, provider: Provider) -> OEmbed:
    """What `provider`'s endpoint says about `url`; raises EmbedError."""
    query = urlencode({"url": url, "format": "json"})
    data = fetch(f"{provider.endpoint}?{query}", limit=settings.EMBED_MAX_BYTES)
    try:
        answer = json.loads(data)
    except ValueError as error:
        raise EmbedError("The provider's answer is not oEmbed JSON.") from error
    if not isinstance(answer, dict):
        raise EmbedError("The provider's answer is not oEmbed JSON.")
    width, height = _size(answer)
    return OEmbed(
        title=_text(answer.get("title"), TITLE_LENGTH),
        author_name=_text(answer.get("author_name"), AUTHOR_LENGTH),
        width=width,
        height=height,
        frame_url=_frame_url(url, provider, answer.get("html")),
        thumbnail_url=_text(answer.get("thumbnail_url"), 1000),
    )


def _text(value: Any, length: int) -> str:
    """Plain text from an answer's field: any markup in it stays text, shown escaped."""
    return " ".join(value.split())[:length] if isinstance(value, str) else ""


def _size(answer: dict[str, Any]) -> tuple[int, int]:
    """The post's width and height, for its aspect ratio; 16:9 when not given."""
    try:
        width, height = int(answer.get("width") or 0), int(answer.get("height") or 0)
    except (TypeError, ValueError):
        return 16, 9
    if 0 < width <= 10_000 and 0 < height <= 10_000:
        return width, height
    return 16, 9


class _FirstFrame(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.src = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe" and not self.src:
            self.src = dict(attrs).get("src") or ""


def _frame_url(url: str, provider: Provider, html: Any) -> str:
    """The player's address: built from the post's id, or the answer's <iframe src> if
    it is https on one of the provider's frame hosts; "" (a link only) otherwise."""
    if provider.frame and (found := provider.match(url)) and found.groups():
        return provider.frame.format(id=found.group(1))
    if not isinstance(html, str):
        return ""
    parser = _FirstFrame()
    parser.feed(html[: settings.EMBED_MAX_BYTES])
    src = urlsplit(parser.src)
    if src.scheme == "https" and src.hostname in provider.frame_hosts and len(parser.src) <= 500:
        return parser.src
    return ""
