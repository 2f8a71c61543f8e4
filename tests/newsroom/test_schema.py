"""The schema operations of newsroom/schema.py survive being written into a migration
(makemigrations, squashmigrations) and read back: the same class, the same arguments."""

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.writer import MigrationWriter

from newsroom import schema


def written_and_read_back(operation):
    """`operation` written into a migration file by Django's MigrationWriter, and that
    file's source run: the source and the operation it declares."""
    migration = migrations.Migration("0001_written", "tests")
    migration.operations = [operation]
    source = MigrationWriter(migration).as_string()
    namespace: dict = {}
    exec(compile(source, "<written migration>", "exec"), namespace)  # noqa: S102
    [read] = namespace["Migration"].operations
    return source, read


def operations_in_our_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        pytest.param(operation, id=f"{app}.{name}: {operation.describe()}")
        for (app, name), migration in sorted(loader.disk_migrations.items())
        for operation in migration.operations
        if type(operation).__module__ == schema.__name__
    ]


@pytest.mark.parametrize("operation", operations_in_our_migrations())
def test_each_schema_operation_in_our_migrations_is_written_and_read_back(operation):
    source, read = written_and_read_back(operation)

    assert f"newsroom.schema.{type(operation).__name__}(" in source
    assert type(read) is type(operation)
    assert read.deconstruct() == operation.deconstruct()
    assert read.describe() == operation.describe()


def test_a_pattern_index_drop_read_back_drops_that_columns_index():
    operation = schema.DropPatternIndex(table="comments_readercomment", column="fingerprint")

    _source, read = written_and_read_back(operation)

    assert (read.table, read.column) == ("comments_readercomment", "fingerprint")
    # Its code is its own: what runs is the read-back operation's drop and create.
    assert (read.code.__self__, read.reverse_code.__self__) == (read, read)
    assert read.reduces_to_sql is False


def test_a_concurrent_index_read_back_keeps_its_index():
    index = models.Index(fields=["published_at"], name="articles_published_idx")
    operation = schema.AddIndexConcurrently(model_name="article", index=index)

    _source, read = written_and_read_back(operation)

    assert type(read) is schema.AddIndexConcurrently
    assert read.model_name == "article" and read.index == index
