import random
from html.parser import HTMLParser

import pytest

from ads.insertion import insert_slots, slot_positions, split_top_level

# The test's own list, so a gap in the module's list cannot hide itself.
VOID = {"br", "hr", "img", "wbr"}


def slot(index):
    return f'<div class="ad-slot" data-slot="{index}"></div>'


class _BalanceChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.open = []
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass  # <x/> opens nothing

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.problems.append(f"</{tag}> while open: {self.open}")


def unbalanced(html):
    """What is wrong with the nesting of ``html``: empty when every start tag is closed
    in order."""
    checker = _BalanceChecker()
    checker.feed(html)
    checker.close()
    return checker.problems + [f"<{tag}> never closed" for tag in checker.open]


# slot_positions


def positions(paragraphs, *, after, repeat_every=None, clear_of_end=None, min_paragraphs=None):
    return slot_positions(
        paragraphs,
        after=after,
        repeat_every=repeat_every,
        clear_of_end=clear_of_end,
        min_paragraphs=min_paragraphs,
    )


@pytest.mark.parametrize(
    ("paragraphs", "after", "repeat_every", "clear_of_end", "min_paragraphs", "expected"),
    [
        # 18 is followed by 19 and 20: two paragraphs, which is not fewer than 2.
        (20, 3, 5, 2, None, [3, 8, 13, 18]),
        (19, 3, 5, 2, None, [3, 8, 13]),
        (18, 3, 5, 2, None, [3, 8, 13]),
        # The in-article placement's defaults.
        (6, 3, 5, 2, 6, [3]),
        (9, 3, 5, 2, 6, [3]),
        (10, 3, 5, 2, 6, [3, 8]),
        (20, 3, 5, 2, 6, [3, 8, 13, 18]),
        (5, 1, 1, 1, None, [1, 2, 3, 4]),
    ],
)
def test_slot_positions_for_typical_configs(
    paragraphs, after, repeat_every, clear_of_end, min_paragraphs, expected
):
    rules = {"repeat_every": repeat_every, "clear_of_end": clear_of_end}
    assert positions(paragraphs, after=after, min_paragraphs=min_paragraphs, **rules) == expected


def test_slot_positions_after_beyond_the_length_gives_none():
    assert positions(2, after=3, repeat_every=5) == []
    assert positions(0, after=1, repeat_every=1) == []


def test_slot_positions_may_follow_the_last_paragraph_when_clear_of_end_is_unset():
    assert positions(3, after=3) == [3]
    assert positions(10, after=2, repeat_every=4, clear_of_end=0) == [2, 6, 10]


def test_slot_positions_clear_of_end_excludes_positions_near_the_end():
    assert positions(3, after=3, clear_of_end=1) == []
    assert positions(4, after=3, repeat_every=5, clear_of_end=2) == []
    assert positions(5, after=3, repeat_every=5, clear_of_end=2) == [3]
    assert positions(20, after=3, repeat_every=5, clear_of_end=3) == [3, 8, 13]


def test_slot_positions_min_paragraphs_refuses_short_articles():
    assert positions(5, after=1, min_paragraphs=6) == []
    assert positions(6, after=1, min_paragraphs=6) == [1]
    assert positions(1, after=1, min_paragraphs=0) == [1]


@pytest.mark.parametrize("repeat_every", [None, 0])
def test_slot_positions_without_repeat_gives_one_slot(repeat_every):
    assert positions(20, after=3, repeat_every=repeat_every) == [3]


@pytest.mark.parametrize("after", [None, 0])
def test_slot_positions_without_after_gives_none(after):
    assert positions(20, after=after, repeat_every=5) == []


# split_top_level

SPLIT_INPUTS = [
    "",
    "plain text, no markup",
    "<p>One</p>",
    "<p>One</p>\n<p>Two</p>\n",
    "<h2>Head</h2><p>a &amp; b &lt;script&gt;alert(1)&lt;/script&gt;</p><h3>Sub</h3>",
    "<blockquote><p>q1</p><p>q2</p></blockquote><p>after</p>",
    "<ul><li><p>in list</p></li><li>two <em>x</em></li></ul><ol><li>n</li></ol>",
    "<p>line<br>break<br/>again</p><hr><hr/><p>x</p>",
    "<!-- <p>commented out</p> --><p>real</p><!--tail-->",
    "<p title=\"a > b\" class='c>d'>quoted</p>",
    '<p><a href="https://example.com/?a=1&amp;b=2">link</a> &#8212; &#x27; &nbsp;</p>',
    "<p>Café — naïve 🎉</p>\n<p>日本語のテキスト</p>",
    'a\r\n<p\nclass="x">b</p>\r\n',
    "Lead <strong>bold</strong> text<p>para</p>trailing <em>text</em>",
    "<p>unclosed",
    "<p>a</p><p>b",
    "<p>a<p>b</p>",
    "</div><p>a</p></em>",
    "<p><em>a</p><p>b</p>",
    "<p>a</p></><p>b</p>",
    "<p>a</p><",
    "<p>a</p><p",
    "<p>a</p><!-- unterminated",
    "<p>a</p>&amp",
    "<p>a</p>&#",
    "<!DOCTYPE html><?pi?><![CDATA[x]]><p>a</p>",
    '<script>var s = "<p>x</p>";</script><p>a</p>',
    "<P>Upper</P><P>case</P>",
    "<p/><p>x</p>",
    "<blockquote><blockquote><p>deep</p></blockquote></blockquote>",
]


@pytest.mark.parametrize("html", SPLIT_INPUTS)
def test_split_top_level_gives_back_the_exact_input(html):
    assert "".join(fragment for fragment, _ in split_top_level(html)) == html


def test_split_top_level_cuts_at_top_level_element_boundaries():
    html = (
        "<h2>Head</h2>\n<p>a &amp; b</p>"
        "<blockquote><p>q</p></blockquote>tail <em>x</em><hr><p>z</p>"
    )
    assert split_top_level(html) == [
        ("<h2>Head</h2>", False),
        ("\n", False),
        ("<p>a &amp; b</p>", True),
        ("<blockquote><p>q</p></blockquote>", False),
        ("tail ", False),
        ("<em>x</em>", False),
        ("<hr>", False),
        ("<p>z</p>", True),
    ]


def test_split_top_level_offsets_survive_newlines_inside_tags():
    html = 'a\r\n<p\nclass="x">b</p>\n<p>c\n</p>'
    assert split_top_level(html) == [
        ("a\r\n", False),
        ('<p\nclass="x">b</p>', True),
        ("\n", False),
        ("<p>c\n</p>", True),
    ]


def test_split_top_level_does_not_count_paragraphs_inside_other_elements():
    html = "<blockquote>" + "<p>q</p>" * 5 + "</blockquote><ul><li><p>l</p></li></ul>"
    assert [is_paragraph for _, is_paragraph in split_top_level(html)] == [False, False]


def test_split_top_level_unclosed_element_runs_to_the_end_and_is_no_paragraph():
    assert split_top_level("<p>a</p><p>b <em>c") == [("<p>a</p>", True), ("<p>b <em>c", False)]
    assert split_top_level("<p>a<p>b</p>") == [("<p>a<p>b</p>", False)]


def test_split_top_level_mismatched_end_tag_ends_the_element_but_spoils_the_paragraph():
    assert split_top_level("<p><em>a</p><p>b</p>") == [("<p><em>a</p>", False), ("<p>b</p>", True)]
    assert split_top_level("<p>a</div>b</p>") == [("<p>a</div>b</p>", False)]


def test_split_top_level_stray_end_tags_stay_in_the_flow():
    assert split_top_level("</div><p>a</p></em>") == [
        ("</div>", False),
        ("<p>a</p>", True),
        ("</em>", False),
    ]


def test_split_top_level_self_closing_syntax_only_empties_void_elements():
    assert split_top_level("<br/><p>x<br />y</p>") == [("<br/>", False), ("<p>x<br />y</p>", True)]
    # Browsers open a paragraph at "<p/>", so it runs on and is no paragraph of ours.
    assert split_top_level("<p/><P>x</P>") == [("<p/><P>x</P>", False)]


def test_split_top_level_unfinished_tail_is_left_alone():
    assert split_top_level("<p>a</p><p><!-- note <p>x</p>") == [
        ("<p>a</p>", True),
        ("<p><!-- note <p>x</p>", False),
    ]
    assert split_top_level("<p>a</p><!-- <p>x</p>") == [
        ("<p>a</p>", True),
        ("<!-- <p>x</p>", False),
    ]


def test_split_top_level_skips_the_content_of_raw_text_elements():
    # HTMLParser alone would let the "</div>" inside the textarea end the div early.
    html = "<div><textarea></div><p>in</p></textarea></div><p>out</p><title><p>t</p></title>"
    assert split_top_level(html) == [
        ("<div><textarea></div><p>in</p></textarea></div>", False),
        ("<p>out</p>", True),
        ("<title><p>t</p></title>", False),
    ]
    assert split_top_level("<p>a</p><plaintext></plaintext><p>b</p>") == [
        ("<p>a</p>", True),
        ("<plaintext></plaintext><p>b</p>", False),
    ]


# insert_slots


def test_insert_slots_goes_right_after_the_closing_tag_of_the_counted_paragraph():
    html = "<p>1</p>\n<p>2</p>\n<p>3</p>\n<p>4</p>\n"
    assert insert_slots(html, slot, after=2) == (
        f"<p>1</p>\n<p>2</p>{slot(0)}\n<p>3</p>\n<p>4</p>\n"
    )


def test_insert_slots_repeats_and_keeps_clear_of_the_end():
    html = "".join(f"<p>{n}</p>" for n in range(1, 21))
    expected = "".join(
        f"<p>{n}</p>" + (slot([3, 8, 13, 18].index(n)) if n in (3, 8, 13, 18) else "")
        for n in range(1, 21)
    )
    assert insert_slots(html, slot, after=3, repeat_every=5, clear_of_end=2) == expected


def test_insert_slots_never_inside_a_blockquote():
    quote = "<blockquote>" + "".join(f"<p>q{n}</p>" for n in range(5)) + "</blockquote>"
    assert insert_slots(quote, slot, after=1) == quote
    assert insert_slots(quote + "<p>1</p><p>2</p>", slot, after=1) == (
        quote + f"<p>1</p>{slot(0)}<p>2</p>"
    )


def test_insert_slots_never_inside_a_list():
    html = "<ul><li><p>a</p></li><li><p>b</p></li></ul><ol><li>c</li></ol><p>1</p>"
    assert insert_slots(html, slot, after=1) == html + slot(0)


def test_insert_slots_headings_between_paragraphs_do_not_count():
    html = "<h2>A</h2><p>1</p><h3>B</h3><p>2</p><h3>C</h3><p>3</p>"
    assert insert_slots(html, slot, after=2) == (
        f"<h2>A</h2><p>1</p><h3>B</h3><p>2</p>{slot(0)}<h3>C</h3><p>3</p>"
    )


def test_insert_slots_keeps_top_level_text_in_place():
    html = "Lead <strong>bold</strong> text<p>1</p>between &amp; <em>x</em><p>2</p>tail"
    assert insert_slots(html, slot, after=1, repeat_every=1) == (
        f"Lead <strong>bold</strong> text<p>1</p>{slot(0)}between &amp; <em>x</em>"
        f"<p>2</p>{slot(1)}tail"
    )


@pytest.mark.parametrize("html", ["", "<h2>A</h2><ul><li>x</li></ul><hr>", "just text"])
def test_insert_slots_leaves_bodies_without_paragraphs_unchanged(html):
    assert insert_slots(html, slot, after=1, repeat_every=1) == html


def test_insert_slots_min_paragraphs_leaves_short_articles_unchanged():
    html = "<p>1</p><p>2</p><p>3</p><p>4</p><p>5</p>"
    assert insert_slots(html, slot, after=3, repeat_every=5, min_paragraphs=6) == html


def test_insert_slots_without_after_leaves_the_body_unchanged():
    assert insert_slots("<p>1</p><p>2</p>", slot, after=None) == "<p>1</p><p>2</p>"


def test_insert_slots_render_slot_gets_indices_in_order():
    calls = []

    def render(index):
        calls.append(index)
        return slot(index)

    html = "<p>x</p>" * 20
    insert_slots(html, render, after=3, repeat_every=5, clear_of_end=2)
    assert calls == [0, 1, 2, 3]


def test_insert_slots_result_stays_balanced():
    html = (
        "<p>Intro with <a href='https://x.test/?a=1&amp;b=2'>a link</a>.</p>"
        "<blockquote><p>Quoted</p><p>twice</p></blockquote>"
        "<p>Second<br>line</p><h2>Part two</h2><ul><li>one</li><li><p>two</p></li></ul>"
        "<p>Third</p><hr><p>Fourth &lt;script&gt;</p><p>Fifth</p>"
    )
    result = insert_slots(html, slot, after=1, repeat_every=2)
    assert result.count('class="ad-slot"') == 3
    assert unbalanced(result) == []


def test_unbalanced_helper_notices_broken_nesting():
    # The balance assertions above are only worth something if this can fail.
    assert unbalanced("<p><em>a</p></em>") != []
    assert unbalanced("<p>a") == ["<p> never closed"]


# Randomised bodies

WORDS = ["harbour", "Café", "naïve", "日本", "🎉", "&amp;", "&lt;script&gt;", "&#8212;", "a > b"]


def random_inline(rng, depth=0):
    parts = []
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if depth < 2 and choice < 0.25:
            tag = rng.choice(["strong", "em", "sub", "sup"])
            parts.append(f"<{tag}>{random_inline(rng, depth + 1)}</{tag}>")
        elif depth < 2 and choice < 0.35:
            parts.append(
                f'<a href="https://example.com/?q=1&amp;r=2" title="x > y">'
                f"{random_inline(rng, depth + 1)}</a>"
            )
        elif choice < 0.45:
            parts.append(rng.choice(["<br>", "<br/>", "<br />"]))
        elif choice < 0.5:
            parts.append("<!-- note <p>x</p> -->")
        else:
            parts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5))))
    return "".join(parts)


def random_body(rng):
    """A well-formed body as (fragment, is_top_level_paragraph) blocks, in order."""
    blocks = []
    for _ in range(rng.randint(0, 25)):
        choice = rng.random()
        if choice < 0.5:
            attrs = rng.choice(["", ' class="lead"', ' title="1 > 0"'])
            blocks.append((f"<p{attrs}>{random_inline(rng)}</p>", True))
        elif choice < 0.6:
            tag = rng.choice(["h2", "h3"])
            blocks.append((f"<{tag}>{random_inline(rng)}</{tag}>", False))
        elif choice < 0.7:
            inner = "".join(f"<p>{random_inline(rng)}</p>" for _ in range(rng.randint(0, 5)))
            blocks.append((f"<blockquote>{inner}</blockquote>", False))
        elif choice < 0.8:
            tag = rng.choice(["ul", "ol"])
            items = "".join(
                f"<li><p>{random_inline(rng)}</p></li>" if rng.random() < 0.5 else
                f"<li>{random_inline(rng)}</li>"
                for _ in range(rng.randint(1, 4))
            )  # fmt: skip
            blocks.append((f"<{tag}>{items}</{tag}>", False))
        elif choice < 0.85:
            blocks.append((rng.choice(["<hr>", "<hr/>"]), False))
        else:
            blocks.append((random_inline(rng), False))
        blocks.append((rng.choice(["", "\n", "\n\n", " "]), False))
    return blocks


def random_rules(rng):
    return {
        "after": rng.choice([None, 0, 1, 2, 3, 5]),
        "repeat_every": rng.choice([None, 0, 1, 2, 5]),
        "clear_of_end": rng.choice([None, 0, 1, 2]),
        "min_paragraphs": rng.choice([None, 0, 3, 6]),
    }


def test_insert_slots_on_random_bodies_matches_an_independent_placement():
    rng = random.Random(20250611)
    for attempt in range(500):
        blocks = random_body(rng)
        html = "".join(fragment for fragment, _ in blocks)
        rules = random_rules(rng)
        paragraphs = [fragment for fragment, is_paragraph in blocks if is_paragraph]
        chosen = slot_positions(len(paragraphs), **rules)

        expected, number = [], 0
        for fragment, is_paragraph in blocks:
            expected.append(fragment)
            if is_paragraph:
                number += 1
                if number in chosen:
                    expected.append(slot(chosen.index(number)))
        result = insert_slots(html, slot, **rules)

        context = f"attempt {attempt}: {rules} {html!r}"
        fragments = split_top_level(html)
        assert "".join(fragment for fragment, _ in fragments) == html, context
        assert [f for f, is_paragraph in fragments if is_paragraph] == paragraphs, context
        assert result == "".join(expected), context
        assert unbalanced(result) == [], context
        for index in range(len(chosen)):
            assert result.count(slot(index)) == 1, context
            result = result.replace(slot(index), "")
        assert result == html, context


def test_insert_slots_on_truncated_bodies_keeps_the_input_and_stays_at_top_level():
    rng = random.Random(7)
    for attempt in range(500):
        full = "".join(fragment for fragment, _ in random_body(rng))
        html = full[: rng.randint(0, len(full))]
        rules = {"after": rng.randint(1, 3), "repeat_every": rng.choice([None, 1, 2])}
        result = insert_slots(html, slot, **rules)

        context = f"attempt {attempt}: {rules} {html!r}"
        assert "".join(fragment for fragment, _ in split_top_level(html)) == html, context
        index = 0
        while slot(index) in result:
            prefix = result[: result.index(slot(index))]
            assert prefix.endswith("</p>"), context
            # Nothing is left open where the slot goes, so it sits at the top level.
            assert unbalanced(prefix) == [], context
            index += 1
        for n in range(index):
            result = result.replace(slot(n), "")
        assert result == html, context
