from django_prose_editor.fields import ProseEditorField

# Rich text: a live entry's, and the base of a story's.
TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "ListItem": True,
    "OrderedList": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}

# A story's body: rich text and the blocks only the story page expands.
ARTICLE_BODY_EXTENSIONS = {
    **TEXT_EXTENSIONS,
    # Tables live in a captioned figure that scrolls sideways on a narrow screen.
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "TableFigure": True,
    "TableCaption": True,
    # Our blocks (articles.body): each adds its own tags to the sanitiser's allow-list.
    "BodyPhoto": True,
    "Gallery": True,
    "Embed": True,
    "PullQuote": True,
    "FactBox": True,
}


class SanitizedProseField(ProseEditorField):
    """A rich-text field whose HTML is cleaned to the editor's allow-list on every save.

    django-prose-editor only sanitises in ``clean()`` (form and ``full_clean`` paths);
    sanitising in ``pre_save`` as well means no code path (a shell, a factory, an
    import) can store unsafe markup.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", TEXT_EXTENSIONS)
        kwargs.setdefault("sanitize", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = self.sanitize(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
