"""A mark that moves whenever case data changes, so that counts kept in the cache (the work
queue's, the API lists') are dropped the moment a write that could change them commits,
not only when they expire.

Every statement this process sends through Django's connection is looked at (an execute
wrapper, :func:`watch`): an ``INSERT``, ``UPDATE`` or ``DELETE`` on a table of the cases
app (cases, applicants, statuses, events, placements, centres) or on the mandates (legal
aid's scope) gives the mark a new random token once its transaction commits. Services,
the projection's prepared ``UPDATE``, bulk inserts, the admin and the commands all pass
there. A write from outside Django (``psql``) does not: those counts then lag until they
expire (``TOEVLUCHT_WEB_COUNT_CACHE_SECONDS``, ``TOEVLUCHT_API_COUNT_CACHE_SECONDS``).

The token is random, not a counter: two processes moving it at once cannot leave it where
it was. Counts computed before a write commits are kept under the old token, which no
reader asks for again.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["WATCHED", "mark", "watch"]

log = logging.getLogger(__name__)

TABLE = "cases_changemark"
# the tables counts are made of; the mark's own table is not one
WATCHED = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?'
    rf"(?!{TABLE}\b)(?:cases_\w+|accounts_mandate)\b",
    re.IGNORECASE,
)
_movers: dict[str, Callable[[], None]] = {}


def mark(using: str = "default") -> str:
    """The current token ("" before the first write)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def _move(using: str) -> None:
    token = secrets.token_hex(16)
    try:
        with connections[using].cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET token = %s WHERE id = 1", [token])
            if cursor.rowcount == 0:
                cursor.execute(f"INSERT INTO {TABLE} (id, token) VALUES (1, %s)", [token])
    except DatabaseError as exc:  # a migration before the mark's table: nothing is cached yet
        log.debug("change mark not moved: %s", type(exc).__name__)


def _mover(using: str) -> Callable[[], None]:
    if using not in _movers:
        _movers[using] = lambda: _move(using)
    return _movers[using]


def _watcher(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and WATCHED.match(sql):
        conn: BaseDatabaseWrapper = context["connection"]
        move = _mover(conn.alias)
        if not conn.in_atomic_block:
            move()  # autocommit: the statement is committed
        elif not any(hook[1] is move for hook in conn.run_on_commit):  # (sids, func, robust)
            transaction.on_commit(move, using=conn.alias)
    return result


def watch(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Look at this connection's statements (``connection_created``; idempotent). First in
    the list: a wrapper added for a while by ``connection.execute_wrapper()`` is the last
    one, which it removes again."""
    if _watcher not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watcher)
