"""Database triggers that make a table append-only (no UPDATE, no DELETE, no TRUNCATE, and
no REPLACE over an existing row).

SQLite's ``INSERT OR REPLACE``/``REPLACE`` deletes the row in the way without firing DELETE
triggers (unless recursive triggers are on), so on SQLite an INSERT over an existing id or
unique key is refused by a BEFORE INSERT trigger. PostgreSQL has no REPLACE; its
``INSERT ... ON CONFLICT DO UPDATE`` fires the UPDATE trigger and is refused by it.

Used by migrations of the procedure-event and audit tables; tests that must empty the
database (transactional tests) drop and re-create them through these functions.
"""

from __future__ import annotations

from typing import Any

APPEND_ONLY_TABLES = ("cases_procedureevent", "audit_auditentry")

# the unique keys a REPLACE could collide with, besides the id
_UNIQUE = {
    "cases_procedureevent": (("application_id", "seq"),),
    "audit_auditentry": (("seq",),),
}


def _no_replace(table: str) -> str:
    keys = [("id",), *_UNIQUE.get(table, ())]
    clash = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE " + " AND ".join(f"{c} = NEW.{c}" for c in cols) + ")"
        for cols in keys
    )
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN {clash} BEGIN SELECT RAISE(ABORT, '{table} is append-only: no REPLACE'); END"
    )


def _statements(vendor: str, table: str, create: bool) -> list[str]:
    if vendor == "sqlite":
        if not create:
            return [
                f"DROP TRIGGER IF EXISTS {table}_no_update",
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
                f"DROP TRIGGER IF EXISTS {table}_no_replace",
            ]
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            _no_replace(table),
        ]
    if vendor == "postgresql":
        if not create:
            return [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            ]
        return [
            "CREATE OR REPLACE FUNCTION toevlucht_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION toevlucht_append_only()",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION toevlucht_append_only()",
        ]
    raise RuntimeError(f"append-only triggers are not written for {vendor}")


def set_triggers(connection: Any, tables: tuple[str, ...], create: bool) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            for sql in _statements(connection.vendor, table, create):
                cursor.execute(sql)


def migration_operation(table: str) -> Any:
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        set_triggers(schema_editor.connection, (table,), create=True)

    def backward(apps: Any, schema_editor: Any) -> None:
        set_triggers(schema_editor.connection, (table,), create=False)

    return migrations.RunPython(forward, backward)
