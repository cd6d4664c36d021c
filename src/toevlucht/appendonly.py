"""Database triggers that make a table append-only (no UPDATE, no DELETE, no TRUNCATE).

Used by migrations of the procedure-event and audit tables; tests that must empty the
database (transactional tests) drop and re-create them through these functions.
"""

from __future__ import annotations

from typing import Any

APPEND_ONLY_TABLES = ("cases_procedureevent", "audit_auditentry")


def _statements(vendor: str, table: str, create: bool) -> list[str]:
    if vendor == "sqlite":
        if not create:
            return [
                f"DROP TRIGGER IF EXISTS {table}_no_update",
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
            ]
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
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
