"""One naming rule for templates (CONTRIBUTING.md): a partial that is included, by
`{% include %}` or by a template tag, is `_name.html`; a page or a base that others extend
has no underscore."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
APPS = ["newsroom", "articles", "comments", "ads"]

INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
EXTENDS = re.compile(r"""{%\s*extends\s+["']([^"']+)["']""")
# Template tags render a partial: inclusion tags, and simple tags through render_to_string.
TAG_TEMPLATE = re.compile(r"""(?:inclusion_tag|render_to_string)\(\s*["']([^"']+\.html)["']""")


def is_partial(name):
    return Path(name).name.startswith("_")


def template_sources():
    return {path: path.read_text() for path in TEMPLATES.rglob("*.html")}


def test_included_templates_are_named_as_partials():
    included = {name for text in template_sources().values() for name in INCLUDE.findall(text)} | {
        name
        for app in APPS
        for path in Path(settings.BASE_DIR, app).glob("templatetags/*.py")
        for name in TAG_TEMPLATE.findall(path.read_text())
    }
    assert included, "the scan found no include: the patterns are stale"
    assert sorted(name for name in included if not is_partial(name)) == []


def test_pages_and_extended_bases_are_not_named_as_partials():
    extended = {name for text in template_sources().values() for name in EXTENDS.findall(text)}
    assert "base.html" in extended, "the scan found no extends: the patterns are stale"
    assert sorted(name for name in extended if is_partial(name)) == []
    partials_that_extend = [
        str(path.relative_to(TEMPLATES))
        for path, text in template_sources().items()
        if is_partial(path.name) and EXTENDS.search(text)
    ]
    assert partials_that_extend == []
