"""The site's ad placements: fixed keys the templates use, with their default sizes.

Each placement's row is created by a migration (ads 0002 holds a frozen copy of the
first eight; a new placement needs a migration of its own, which
tests/ads/test_placements.py checks); ad managers may then change sizes, labels and
the in-article rules in the admin, but not the keys, which the templates name.
"""

HEADER = "header-leaderboard"
SIDEBAR_TOP = "sidebar-top"
SIDEBAR_BOTTOM = "sidebar-bottom"
ARTICLE_TOP = "article-top"
IN_ARTICLE = "in-article"
ARTICLE_BOTTOM = "article-bottom"
LIST_INLINE = "list-inline"
FOOTER = "footer"

REGISTRY = [
    # key, name, width, height, mobile width, mobile height, extra settings
    (HEADER, "Header leaderboard", 728, 90, 320, 50, {}),
    (SIDEBAR_TOP, "Sidebar, top", 300, 250, None, None, {}),
    (SIDEBAR_BOTTOM, "Sidebar, bottom", 300, 600, 300, 250, {}),
    (ARTICLE_TOP, "Article, above the story", 728, 90, 320, 100, {}),
    (
        IN_ARTICLE, "Inside the article", 300, 250, None, None,
        {"after_paragraph": 3, "repeat_every": 5, "clear_of_end": 2, "min_paragraphs": 6},
    ),
    (ARTICLE_BOTTOM, "Article, below the story", 728, 90, 320, 100, {}),
    (LIST_INLINE, "Between list items", 728, 90, 320, 100, {"every_n_items": 5}),
    (FOOTER, "Footer", 970, 90, 320, 50, {}),
]  # fmt: skip
