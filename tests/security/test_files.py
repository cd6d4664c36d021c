"""Issue 13, item 9: the data folder lies open on disk no more (the SQLite database and its
WAL were 0644, readable by every local user)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import connection


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db
def test_the_database_its_wal_and_the_folder_are_the_owners_only(settings: Any) -> None:
    from django.db.backends.signals import connection_created

    os.chmod(settings.VAR_DIR, 0o755)  # as an older release left them
    sqlite = connection.vendor == "sqlite"
    db = Path(connection.settings_dict["NAME"])
    if sqlite:
        os.chmod(db, 0o644)
    connection_created.send(sender=type(connection), connection=connection)  # a new connection
    assert _mode(Path(settings.VAR_DIR)) == 0o700
    if sqlite:  # on PostgreSQL the database's files are the server's own
        with connection.cursor() as cur:  # a write: the WAL exists now
            cur.execute("CREATE TABLE IF NOT EXISTS _perm_probe (x)")
            cur.execute("INSERT INTO _perm_probe VALUES (1)")
        assert _mode(db) == 0o600
        for extra in (Path(str(db) + "-wal"), Path(str(db) + "-shm")):
            if extra.exists():
                assert _mode(extra) & 0o077 == 0, extra


def test_the_checkpoint_file_is_the_owners_only(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from toevlucht.audit.log import checkpoint_path, record

    with django_capture_on_commit_callbacks(execute=True):
        record(actor=None, action="read", purpose="t", object_type="x", object_ids=[1])
    assert _mode(checkpoint_path()) == 0o600
