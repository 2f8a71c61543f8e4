"""The story's publication time copied onto its tags' and bylines' rows, kept by the
database: a tag's or an author's page then reads one range of an index (0017)."""

from django.db import migrations, models

# The copy: the story's publication time while it is published, else NULL. Spelled
# out for each table rather than built, so that what runs is what is read here.
POSTGRESQL_TRIGGERS = [
    """
    CREATE FUNCTION articles_link_publication_copy() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- FOR SHARE: a story being published or unpublished by a transaction not yet
        -- committed is waited for, and read as it then is, so that a link made
        -- meanwhile never keeps the time from before.
        SELECT CASE WHEN a.status = 'published' THEN a.published_at END
        INTO NEW.published_at
        FROM articles_article a WHERE a.id = NEW.article_id FOR SHARE;
        RETURN NEW;
    END $$
    """,
    # Each link's own trigger (above) then copies the story's new values into it.
    """
    CREATE FUNCTION articles_article_publication_copies() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE articles_article_tags SET published_at = NULL WHERE article_id = NEW.id;
        UPDATE articles_byline SET published_at = NULL WHERE article_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER articles_article_tags_publication_copy
    BEFORE INSERT OR UPDATE ON articles_article_tags
    FOR EACH ROW EXECUTE FUNCTION articles_link_publication_copy()
    """,
    """
    CREATE TRIGGER articles_byline_publication_copy
    BEFORE INSERT OR UPDATE ON articles_byline
    FOR EACH ROW EXECUTE FUNCTION articles_link_publication_copy()
    """,
    """
    CREATE TRIGGER articles_article_publication_copies
    AFTER UPDATE OF status, published_at ON articles_article FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION articles_article_publication_copies()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_article_publication_copies ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_tags_publication_copy ON articles_article_tags",
    "DROP TRIGGER IF EXISTS articles_byline_publication_copy ON articles_byline",
    "DROP FUNCTION IF EXISTS articles_article_publication_copies()",
    "DROP FUNCTION IF EXISTS articles_link_publication_copy()",
]

# SQLite cannot set NEW's values: each link is updated after it is written (its own
# trigger does not fire again: SQLite's recursive_triggers is off).
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER articles_article_tags_publication_copy
    AFTER INSERT ON articles_article_tags FOR EACH ROW
    BEGIN
        UPDATE articles_article_tags SET published_at = (
            SELECT CASE WHEN a.status = 'published' THEN a.published_at END
            FROM articles_article a WHERE a.id = NEW.article_id
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER articles_article_tags_publication_recopy
    AFTER UPDATE OF article_id, published_at ON articles_article_tags FOR EACH ROW
    BEGIN
        UPDATE articles_article_tags SET published_at = (
            SELECT CASE WHEN a.status = 'published' THEN a.published_at END
            FROM articles_article a WHERE a.id = NEW.article_id
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER articles_byline_publication_copy
    AFTER INSERT ON articles_byline FOR EACH ROW
    BEGIN
        UPDATE articles_byline SET published_at = (
            SELECT CASE WHEN a.status = 'published' THEN a.published_at END
            FROM articles_article a WHERE a.id = NEW.article_id
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER articles_byline_publication_recopy
    AFTER UPDATE OF article_id, published_at ON articles_byline FOR EACH ROW
    BEGIN
        UPDATE articles_byline SET published_at = (
            SELECT CASE WHEN a.status = 'published' THEN a.published_at END
            FROM articles_article a WHERE a.id = NEW.article_id
        ) WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER articles_article_publication_copies
    AFTER UPDATE OF status, published_at ON articles_article FOR EACH ROW
    WHEN OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
    BEGIN
        UPDATE articles_article_tags
        SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END
        WHERE article_id = NEW.id;
        UPDATE articles_byline
        SET published_at = CASE WHEN NEW.status = 'published' THEN NEW.published_at END
        WHERE article_id = NEW.id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_article_publication_copies",
    "DROP TRIGGER IF EXISTS articles_article_tags_publication_copy",
    "DROP TRIGGER IF EXISTS articles_article_tags_publication_recopy",
    "DROP TRIGGER IF EXISTS articles_byline_publication_copy",
    "DROP TRIGGER IF EXISTS articles_byline_publication_recopy",
]


def add_tag_links_column(apps, schema_editor):
    article_tag = apps.get_model("articles", "ArticleTag")
    schema_editor.add_field(article_tag, article_tag._meta.get_field("published_at"))


def remove_tag_links_column(apps, schema_editor):
    article_tag = apps.get_model("articles", "ArticleTag")
    schema_editor.remove_field(article_tag, article_tag._meta.get_field("published_at"))


def create_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_DROP if postgresql else SQLITE_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_drop_slug_pattern_index"),
    ]

    operations = [
        # Django's table for Article.tags, as a model (unmanaged: nothing to create).
        migrations.CreateModel(
            name="ArticleTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("published_at", models.DateTimeField(editable=False, null=True)),
            ],
            options={
                "db_table": "articles_article_tags",
                "managed": False,
            },
        ),
        # A nullable column without a default: no rewrite of a big table.
        migrations.RunPython(add_tag_links_column, remove_tag_links_column),
        migrations.AddField(
            model_name="byline",
            name="published_at",
            field=models.DateTimeField(
                editable=False,
                help_text=(
                    "The story's publication time while it is published, else empty: "
                    "copied by the database (see ArticleTag), for the author's page."
                ),
                null=True,
            ),
        ),
        # From now on every write keeps the copies; 0017 fills in the rows already there.
        migrations.RunPython(create_triggers, drop_triggers),
    ]
