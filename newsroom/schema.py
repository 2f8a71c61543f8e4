"""Schema operations for tables that are big in production."""

from django.contrib.postgres.operations import AddIndexConcurrently as PostgresAddIndexConcurrently
from django.db import migrations


class AddIndexConcurrently(PostgresAddIndexConcurrently):
    """An index built on PostgreSQL without blocking writes to the table while it is
    built (CREATE INDEX CONCURRENTLY: a million stories keep being edited), and as a
    plain index elsewhere (SQLite). The migration must declare `atomic = False`."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )


class DropPatternIndex(migrations.RunPython):
    """Drop the `…_like` index Django adds on PostgreSQL beside the index of every
    indexed or unique text column (varchar_pattern_ops, for LIKE 'prefix%'), where
    nothing searches the column by prefix: it only costs every write and disk space
    (a million slugs, ten million fingerprints). Django makes it again only if the
    field is altered; a migration that alters it should drop it again."""

    reduces_to_sql = False

    def __init__(self, *, table, column):
        self.table, self.column = table, column
        super().__init__(self.drop, self.create, hints={"table": table})

    def deconstruct(self):
        # Not RunPython's, which names RunPython and the bound methods it was given:
        # a migration written from it (squashmigrations) would not load.
        return (self.__class__.__name__, [], {"table": self.table, "column": self.column})

    def describe(self):
        return f"Drop the pattern index of {self.table}.{self.column}"

    def _names(self, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [self.table, f"%({self.column} varchar_pattern_ops)%"],
            )
            return [name for (name,) in cursor.fetchall()]

    def drop(self, apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in self._names(schema_editor):
            schema_editor.execute(
                f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}"
            )

    def create(self, apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql" or self._names(schema_editor):
            return
        name = schema_editor._create_index_name(self.table, [self.column], suffix="_like")
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY {schema_editor.quote_name(name)} ON "
            f"{schema_editor.quote_name(self.table)} "
            f"({schema_editor.quote_name(self.column)} varchar_pattern_ops)"
        )


def create_index_concurrently(schema_editor, *, name, table, key, where="", using=""):
    """CREATE INDEX `name` ON `table` [USING `using`] (`key`) [WHERE `where`], concurrently on
    PostgreSQL, for indexes a model cannot declare (on a third-party app's table, an
    unmanaged model's, or on an expression). A
    concurrent build that failed (a timeout, a cancel) leaves an invalid index behind,
    which IF NOT EXISTS would then take for done: it is dropped and built again."""
    condition = f" WHERE {where}" if where else ""
    method = f" USING {using}" if using else ""
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table}{method} ({key}){condition}"
        )
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [name]
        )
        invalid = cursor.fetchone()
    if invalid and invalid[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table}{method} ({key}){condition}"
    )


def drop_index_concurrently(schema_editor, *, name):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")
