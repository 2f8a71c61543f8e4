"""The story body's blocks: one configuration for the editor, the sanitiser and the page.

The body stays sanitised HTML. Blocks that show something kept elsewhere (a photo from
the library, a gallery, an embed) are stored as empty marker elements naming it,
``<figure data-photo="12" data-layout="inset"></figure>``,
``<div data-gallery="12 14 9"></div>``, ``<div data-embed="https://…"></div>``, and are
expanded when the page is built (articles.blocks), so a photo's new caption or crop shows
in every story using it. Pull quotes, fact boxes, tables and headings are plain HTML.

Each block is a django-prose-editor extension: its processor below adds exactly its
tags and attributes to the sanitiser's allow-list, and its Tiptap node in
static/js/body-blocks.js is the toolbar button that makes them. Both are named by
``ARTICLE_BODY_EXTENSIONS`` (articles.fields), so what editors can make is what survives.
"""

import re
from typing import Any

from django.templatetags.static import static
from django.utils.functional import lazy
from django_prose_editor.config import add_allowed_classes, add_tags_and_attributes, html_tags

LAYOUTS = ("full", "inset")
PHOTO_ID = re.compile(r"[1-9][0-9]{0,9}")
GALLERY_IDS = re.compile(r"[1-9][0-9]{0,9}( [1-9][0-9]{0,9}){0,39}")
EMBED_URL = re.compile(r"https://[^\s\"'<>]{1,490}")
PULL_QUOTE_CLASS = "pull-quote"
FACT_BOX_CLASS = "fact-box"
TABLE_FIGURE_CLASS = "table-figure"

# What each marker attribute may hold; anything else is dropped by the sanitiser.
_ATTRIBUTE_VALUES = {
    ("figure", "data-photo"): PHOTO_ID,
    ("div", "data-gallery"): GALLERY_IDS,
    ("div", "data-embed"): EMBED_URL,
}


def block_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: marker attributes keep only values of their own shape."""
    pattern = _ATTRIBUTE_VALUES.get((element, attribute))
    if pattern is None:
        return value
    return value if pattern.fullmatch(value) else None


def _filtered(shared_config: dict[str, Any]) -> None:
    shared_config["attribute_filter"] = block_attribute


def process_body_photo(config: Any, shared_config: dict[str, Any]) -> None:
    add_tags_and_attributes(shared_config, ["figure"], {"figure": ["data-photo"]})
    shared_config.setdefault("tag_attribute_values", {}).setdefault("figure", {})["data-layout"] = (
        set(LAYOUTS)
    )
    _filtered(shared_config)


def process_gallery(config: Any, shared_config: dict[str, Any]) -> None:
    add_tags_and_attributes(shared_config, ["div"], {"div": ["data-gallery"]})
    _filtered(shared_config)


def process_embed(config: Any, shared_config: dict[str, Any]) -> None:
    add_tags_and_attributes(shared_config, ["div"], {"div": ["data-embed"]})
    _filtered(shared_config)


def process_pull_quote(config: Any, shared_config: dict[str, Any]) -> None:
    add_tags_and_attributes(shared_config, ["aside", "p"], None)
    add_allowed_classes(shared_config, {"aside": [PULL_QUOTE_CLASS]})


def process_fact_box(config: Any, shared_config: dict[str, Any]) -> None:
    add_tags_and_attributes(shared_config, ["aside", "h3", "p"], None)
    add_allowed_classes(shared_config, {"aside": [FACT_BOX_CLASS]})


def process_table_figure(config: Any, shared_config: dict[str, Any]) -> None:
    add_tags_and_attributes(shared_config, ["figure"], None)
    add_allowed_classes(shared_config, {"figure": [TABLE_FIGURE_CLASS]})


# django-prose-editor imports each group's modules into the editor when a field names
# one of its extensions (settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
BODY_BLOCK_EXTENSIONS = {
    "js": [lazy(static, str)("js/body-blocks.js")],
    "extensions": {
        "BodyPhoto": process_body_photo,
        "Gallery": process_gallery,
        "Embed": process_embed,
        "PullQuote": process_pull_quote,
        "FactBox": process_fact_box,
        "TableFigure": process_table_figure,
        "TableCaption": html_tags(["figcaption"]),
    },
}
