"""The data folder is the owner's only: its directory 0700, the SQLite database 0600.

SQLite creates its WAL and shared-memory files with the permissions of the database file,
so the database's mode covers them; the directory's mode keeps every other file of the
folder (the checkpoint, the development key, forecast outputs, demo logins) from other
local users even where a file itself was created under a looser umask."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from django.conf import settings


def _tighten(path: Path, mode: int) -> None:
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if stat.S_IMODE(path.stat().st_mode) & ~mode:
            os.chmod(path, mode)


def protect_data_folder(sender: Any = None, connection: Any = None, **kwargs: Any) -> None:
    """``connection_created`` receiver: tighten the folder and, on SQLite, the database."""
    _tighten(Path(settings.VAR_DIR), 0o700)
    if connection is not None and connection.vendor == "sqlite":
        name = str(connection.settings_dict.get("NAME") or "")
        if name and not name.startswith(":memory:") and "mode=memory" not in name:
            for suffix in ("", "-wal", "-shm"):
                _tighten(Path(name + suffix), 0o600)
