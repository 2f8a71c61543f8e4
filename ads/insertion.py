"""In-article ad slots: where they go, and putting them into an article body.

Only top-level ``<p>`` elements count as paragraphs, and a slot only ever goes between
two top-level fragments, so it can never land inside a list, a blockquote or any other
element. The body is cut with ``HTMLParser`` positions rather than re-serialised, so
everything that is not a slot comes back exactly as it went in.
"""

from collections.abc import Callable
from html.parser import HTMLParser

# Elements that never have an end tag, so never open a level of nesting.
VOID_ELEMENTS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
        "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip

# Browsers read the content of these as text up to their end tag; HTMLParser does not.
RAW_TEXT_ELEMENTS = frozenset(
    {"iframe", "noembed", "noframes", "noscript", "textarea", "title", "xmp"}
)


def slot_positions(
    paragraph_count: int,
    *,
    after: int | None,
    repeat_every: int | None,
    clear_of_end: int | None,
    min_paragraphs: int | None,
) -> list[int]:
    """Paragraph numbers (1-based) after which a slot goes, in order.

    The first slot follows paragraph ``after`` and another every ``repeat_every``
    paragraphs; a slot must be followed by at least ``clear_of_end`` paragraphs, and an
    article with fewer than ``min_paragraphs`` paragraphs gets none. An unset (None or
    0) ``after`` means no slots at all; unset ``repeat_every`` means just the one.
    """
    if not after or after < 1:
        return []
    if min_paragraphs and paragraph_count < min_paragraphs:
        return []
    last = paragraph_count - max(clear_of_end or 0, 0)
    if after > last:
        return []
    if not repeat_every or repeat_every < 1:
        return [after]
    return list(range(after, last + 1, repeat_every))


class _EventRecorder(HTMLParser):
    """Notes where each parser event starts, which is all the cutting needs."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        # getpos() counts lines by "\n" alone (not str.splitlines()), so these must too.
        self._line_starts = [0]
        newline = html.find("\n")
        while newline != -1:
            self._line_starts.append(newline + 1)
            newline = html.find("\n", newline + 1)
        # (offset, kind, tag) with kind "start", "empty" (a void element), "end" or "other".
        self.events: list[tuple[int, str, str | None]] = []

    def _record(self, kind: str, tag: str | None = None) -> None:
        line, column = self.getpos()
        self.events.append((self._line_starts[line - 1] + column, kind, tag))

    def handle_starttag(self, tag, attrs):
        self._record("empty" if tag in VOID_ELEMENTS else "start", tag)

    def handle_startendtag(self, tag, attrs):
        # Browsers ignore the "/" in "<p/>": only void elements are empty.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self._record("end", tag)

    def handle_data(self, data):
        self._record("other")

    def handle_entityref(self, name):
        self._record("other")

    def handle_charref(self, name):
        self._record("other")

    def handle_comment(self, data):
        self._record("other")

    def handle_decl(self, decl):
        self._record("other")

    def handle_pi(self, data):
        self._record("other")

    def unknown_decl(self, data):
        self._record("other")


def split_top_level(html: str) -> list[tuple[str, bool]]:
    """The body cut at top-level element boundaries: (fragment, is_paragraph) pairs whose
    concatenation is exactly the input.

    Each top-level element is one fragment, and a run of top-level text, entities and
    comments between elements is another. ``is_paragraph`` is true only for a top-level
    ``<p>`` whose own markup nests cleanly up to its ``</p>``, because only after one of
    those is a browser sure to be back at the top level too. Otherwise, when in doubt,
    nothing counts as a paragraph:

    - a mismatched end tag closes the elements opened inside its match, as in browsers,
      and a stray one is ignored, but either spoils the element it appears in;
    - an element still open at the end runs to the end of the input;
    - an unfinished construct at the end (``<p``, ``<!-- ...``) is left as it is, since
      browsers read it differently from ``HTMLParser``;
    - the content of raw-text elements (``textarea``, ``title``...) is skipped up to
      their end tag, as browsers read it as text, and after ``<plaintext>`` everything is.
    """
    parser = _EventRecorder(html)
    parser.feed(html)
    # What only close() flushes is an unfinished tail; its events are not trusted.
    finished = len(parser.events)
    parser.close()
    events = parser.events

    fragments: list[tuple[str, bool]] = []
    done = 0  # everything before this offset has been emitted

    def emit(end: int, is_paragraph: bool) -> None:
        nonlocal done
        if end > done:
            fragments.append((html[done:end], is_paragraph))
            done = end

    stack: list[str] = []
    clean = True  # the current top-level element nests properly so far
    raw_text = None  # inside this element, browsers see only text up to its end tag
    for index, (start, kind, tag) in enumerate(events[:finished]):
        # An event runs to the next one, so text the parser skips stays with its neighbour.
        end = events[index + 1][0] if index + 1 < len(events) else len(html)
        if raw_text:
            if kind != "end" or tag != raw_text:
                continue
            raw_text = None
        if kind == "start":
            if not stack:
                emit(start, False)
                clean = True
            stack.append(tag)
            if tag == "plaintext":
                break
            if tag in RAW_TEXT_ELEMENTS:
                raw_text = tag
        elif kind == "empty" and not stack:
            emit(start, False)
            emit(end, False)
        elif kind == "end" and stack:
            # Top-level stray end tags just join the current run of text.
            if stack[-1] != tag:
                clean = False
            if tag in stack:
                del stack[len(stack) - 1 - stack[::-1].index(tag) :]
                if not stack:
                    # Only "</p>" can close a top-level <p>: it is the bottom of the stack.
                    emit(end, clean and tag == "p")
    emit(len(html), False)
    return fragments


def insert_slots(
    html: str,
    render_slot: Callable[[int], str],
    *,
    after: int | None,
    repeat_every: int | None = None,
    clear_of_end: int | None = None,
    min_paragraphs: int | None = None,
) -> str:
    """The body with ``render_slot(index)`` (index 0, 1, 2... of the slot) inserted after
    each chosen top-level paragraph; see ``slot_positions`` for the rules.

    ``render_slot`` returns HTML that is already safe. With no slots, the input comes
    back unchanged. The result is a plain ``str``: marking it safe is the caller's job.
    """
    if not html or not after:
        return html
    fragments = split_top_level(html)
    positions = slot_positions(
        sum(is_paragraph for _, is_paragraph in fragments),
        after=after,
        repeat_every=repeat_every,
        clear_of_end=clear_of_end,
        min_paragraphs=min_paragraphs,
    )
    if not positions:
        return html
    wanted = set(positions)
    parts: list[str] = []
    paragraph_number = 0
    slot_index = 0
    for fragment, is_paragraph in fragments:
        parts.append(fragment)
        if is_paragraph:
            paragraph_number += 1
            if paragraph_number in wanted:
                parts.append(render_slot(slot_index))
                slot_index += 1
    return "".join(parts)
