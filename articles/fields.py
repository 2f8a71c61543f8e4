from django_prose_editor.fields import ProseEditorField

ARTICLE_BODY_EXTENSIONS = {
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


class SanitizedProseField(ProseEditorField):
    """A rich-text field whose HTML is cleaned to the editor's allow-list on every save.

    django-prose-editor only sanitises in ``clean()`` (form and ``full_clean`` paths);
    sanitising in ``pre_save`` as well means no code path (a shell, a factory, an
    import) can store unsafe markup.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", ARTICLE_BODY_EXTENSIONS)
        kwargs.setdefault("sanitize", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = self.sanitize(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
