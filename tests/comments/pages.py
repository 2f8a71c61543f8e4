"""Reading the pages readers get, as a browser would: a small HTML tree on the standard
library's parser, and the comment form's fields as a browser would send them."""

from html.parser import HTMLParser

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class Element:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = {name: "" if value is None else value for name, value in attrs}
        self.parent = parent
        self.children = []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def text(self):
        """The element's text as a reader sees it (entities decoded)."""
        return "".join(
            child.text() if isinstance(child, Element) else child for child in self.children
        )

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, *, cls=None, **attrs):
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (cls is None or cls in element.classes)
            and all(element.attrs.get(name.rstrip("_")) == value for name, value in attrs.items())
        ]

    def find(self, tag=None, *, cls=None, **attrs):
        found = self.find_all(tag, cls=cls, **attrs)
        return found[0] if found else None

    def ancestors(self):
        element = self.parent
        while element is not None:
            yield element
            element = element.parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, attrs, self.current))

    def handle_endtag(self, tag):
        for element in [self.current, *self.current.ancestors()]:
            if element.tag == tag:
                self.current = element.parent
                return

    def handle_data(self, data):
        self.current.children.append(data)


def parse(response_or_html):
    html = response_or_html
    if not isinstance(html, str):
        html = response_or_html.content.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def comment_form(page):
    form = page.find("form", cls="comment-form")
    assert form is not None, "the page has no comment form"
    return form


def field_values(page):
    """What the comment form would send as it stands."""
    return form_values(comment_form(page))


def form_values(form):
    """What a form would send as it stands: every named input and textarea."""
    values = {}
    for element in form.find_all("input"):
        if element.attrs.get("type") == "checkbox" and "checked" not in element.attrs:
            continue
        if "name" in element.attrs:
            values[element.attrs["name"]] = element.attrs.get("value", "")
    for element in form.find_all("textarea"):
        text = element.text()
        # Browsers drop a newline straight after <textarea>; Django's widget writes one.
        values[element.attrs["name"]] = text.removeprefix("\n")
    return values


def field_error(page, name):
    """The error message shown next to the field called `name`, or None."""
    form = comment_form(page)
    field = None
    for element in form.find_all(cls="field"):
        if any(
            control.attrs.get("name") == name
            for control in element.iter()
            if control.tag in ("input", "textarea")
        ):
            field = element
            break
    assert field is not None, f"the form has no {name} field"
    error = field.find(cls="field-errors")
    return error.text().strip() if error is not None else None


def field_help(page, name):
    """The help text the field called `name` points screen readers to, or None."""
    form = comment_form(page)
    control = form.find(name=name)
    described_by = control.attrs.get("aria-describedby", "").split()
    texts = [form.find(id=id_).text().strip() for id_ in described_by if form.find(id=id_)]
    return " ".join(texts) or None
