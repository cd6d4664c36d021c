"""Appending to and verifying the hash-chained audit log.

``record`` must run inside the transaction of the read or write it records: the entry and
the change commit together or not at all. Appends are serialised by locking the chain's head
row. After commit the head (seq, hash) is written to a checkpoint file outside the database;
``verify`` recomputes every hash and compares the tail with the checkpoint, so an edited,
deleted, reordered or truncated entry is found.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from toevlucht.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _fields(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at.isoformat(),
        "actor_id": e.actor_id,
        "actor_role": e.actor_role,
        "action": e.action,
        "purpose": e.purpose,
        "object_type": e.object_type,
        "object_ids": list(e.object_ids),
        "detail": e.detail,
    }


def digest(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def record(
    *,
    actor: Any,
    action: str,
    purpose: str,
    object_type: str,
    object_ids: Iterable[Any],
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry (who, what, when, why). ``actor`` is a user or None (the system)."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        if head.seq == 0 and read_checkpoint() is None:
            # the empty chain's checkpoint, before the first entry: a process killed between
            # that entry's commit and its checkpoint leaves a checkpoint that lags (allowed),
            # not a missing one (which verify must report: someone removed it)
            write_checkpoint(0, GENESIS)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_role=getattr(actor, "role", "") or ("system" if actor is None else ""),
            action=action,
            purpose=purpose,
            object_type=object_type,
            object_ids=[str(i) for i in object_ids],
            detail=detail or {},
            prev_hash=head.hash,
        )
        entry.hash = digest(head.hash, _fields(entry))
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
        seq, h = entry.seq, entry.hash
        transaction.on_commit(lambda: write_checkpoint(seq, h))
    return entry


# --- checkpoint outside the database -----------------------------------------------------------


def checkpoint_path() -> Path:
    return Path(settings.TOEVLUCHT_AUDIT_CHECKPOINT)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(path) + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_checkpoint() -> tuple[int, str] | None:
    path = checkpoint_path()
    try:
        data = json.loads(path.read_text())
        return int(data["seq"]), str(data["hash"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError):
        return (-1, "")


def write_checkpoint(seq: int, hash_: str) -> None:
    """Store the newest (seq, hash); never move the checkpoint backwards."""
    path = checkpoint_path()
    with _locked(path):
        current = read_checkpoint()
        if current is not None and current[0] >= seq:
            return
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"seq": seq, "hash": hash_, "written": dt.datetime.now(dt.UTC).isoformat()})
        )
        os.replace(tmp, path)


# --- verification ----------------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool = True
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.ok = False
        if len(self.problems) < 20:
            self.problems.append(problem)


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)


def verify() -> Verification:
    """Recompute the chain; compare it with the head row and the checkpoint file.

    The checkpoint and the head are read before the entries: both are written only after the
    entries they name were committed, so entries appended while ``verify`` runs are never
    mistaken for a truncation."""
    v = Verification()
    cp = read_checkpoint()
    head = AuditHead.objects.filter(id=1).values_list("seq", "hash").first()
    prev, expected_seq = GENESIS, 1
    wanted = {x[0] for x in (cp, head) if x is not None}  # whose hashes to compare
    hashes: dict[int, str] = {}
    last_seq = 0
    for e in _entries():
        v.entries += 1
        if e.seq != expected_seq:
            v.fail(f"entry {expected_seq} is missing (next is {e.seq}): deleted or reordered")
            expected_seq = e.seq
        if e.prev_hash != prev:
            v.fail(
                f"entry {e.seq} does not follow entry {e.seq - 1}: deleted, inserted or reordered"
            )
        if digest(e.prev_hash, _fields(e)) != e.hash:
            v.fail(f"entry {e.seq} was altered after it was written")
        if e.seq in wanted:
            hashes[e.seq] = e.hash
        prev, expected_seq, last_seq = e.hash, expected_seq + 1, e.seq
    if head is not None and head[0] and (last_seq < head[0] or hashes.get(head[0]) != head[1]):
        v.fail(f"the log ends at entry {last_seq} but its head says {head[0]}: truncated")
    if cp is None:
        if last_seq:
            v.fail(f"no checkpoint file at {checkpoint_path()}: cannot rule out truncation")
    elif cp[0] < 0:
        v.fail(f"the checkpoint file {checkpoint_path()} is unreadable")
    elif cp[0] > last_seq:
        v.fail(f"the checkpoint records entry {cp[0]} but the log ends at {last_seq}: truncated")
    elif cp[0] and hashes.get(cp[0]) != cp[1]:
        v.fail(f"entry {cp[0]} differs from the checkpoint: the log was rewritten")
    return v
