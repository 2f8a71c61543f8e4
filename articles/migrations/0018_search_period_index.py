"""A GIN index for search in windows of recent time (articles/search.py, issue 10): the
stored search vector plus the UTC week, month and year each published story came out
in, as lexemes of their own (a space in each: no word of a story is one). One bitmap
scan then takes a word AND a window of a few periods, reading the heap rows of that
window's matches alone. Built without blocking writes; nothing on SQLite, which has no
stored vector."""

from django.db import migrations

from newsroom.schema import create_index_concurrently, drop_index_concurrently

INDEX = "articles_search_period_idx"
# Frozen here: articles.search.PERIOD_VECTOR_SQL must stay the same expression.
PERIOD_VECTOR = """(search_vector || array_to_tsvector(array_remove(ARRAY[
    'week ' || ((timezone('UTC', published_at)::date - DATE '1900-01-01') / 7)::text,
    'month ' || (extract(year FROM timezone('UTC', published_at)) * 12
                 + extract(month FROM timezone('UTC', published_at)) - 1)::int::text,
    'year ' || extract(year FROM timezone('UTC', published_at))::int::text
], NULL)))"""


def create_period_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    create_index_concurrently(
        schema_editor,
        name=INDEX,
        table="articles_article",
        using="gin",
        key=PERIOD_VECTOR,
        where="status = 'published'",
    )


def drop_period_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drop_index_concurrently(schema_editor, name=INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0017_publication_copy_indexes"),
    ]

    operations = [migrations.RunPython(create_period_index, drop_period_index)]
