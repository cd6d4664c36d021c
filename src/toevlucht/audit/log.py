"""Appending to and verifying the hash chains: the audit log and the procedure events.

Every row of a chain carries ``prev_hash`` and ``hash``: an HMAC-SHA256, under the chain key
(``settings.TOEVLUCHT_AUDIT_KEY``, held outside the database), of the previous row's hash and
the row's own fields. An edited, deleted, reordered, replaced or inserted row breaks the
chain, and without the key nobody can compute the hash of a forged row — appended after the
last checkpoint included.

``record`` must run inside the transaction of the read or write it records: the entry and
the change commit together or not at all. ``seal`` gives rows of another chain (procedure
events) their place before they are inserted. Appends are serialised by locking the chain's
head row. After commit each head (seq, hash) is written to a checkpoint file outside the
database, signed with the key; ``verify`` recomputes every hash and compares each chain's
tail with its head row and with the checkpoint, so a truncated tail is found too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from toevlucht.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
AUDIT = "audit"


@dataclass(frozen=True)
class Chain:
    """A table under a hash chain: its head row, its rows in chain order, and the fields
    each row's hash covers."""

    name: str
    head_id: int
    label: str  # how a row is named in a problem ("entry", "procedure event")
    seq_attr: str
    rows: Callable[[], Iterator[Any]]
    fields: Callable[[Any], dict[str, Any]]
    model: Any = None  # whose row ids ``seal`` gives, so that each row's hash covers its id


def allocate_ids(model: Any, n: int) -> list[int]:
    """``n`` new row ids of ``model``'s table, given before the insert so that the row's
    hash can cover its id. Call it holding the chain's head lock (ids then rise with the
    chain): PostgreSQL's own sequence, elsewhere the largest id plus one."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with transaction.get_connection().cursor() as cur:
        if cur.db.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, n],
            )
            return sorted(int(r[0]) for r in cur.fetchall())
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        top = int(cur.fetchone()[0])
    return list(range(top + 1, top + n + 1))


def _fields(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
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


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)


CHAINS: dict[str, Chain] = {
    AUDIT: Chain(AUDIT, 1, "entry", "seq", lambda: _entries(), _fields, AuditEntry),
}


def register_chain(chain: Chain) -> None:
    """Put another table under a chain (``cases`` registers its procedure events)."""
    if chain.head_id == CHAINS[AUDIT].head_id:
        raise ValueError("head row 1 is the audit log's")
    CHAINS[chain.name] = chain


def key() -> bytes:
    """The key in force: it seals every new row and signs the checkpoint."""
    k = str(settings.TOEVLUCHT_AUDIT_KEY)
    if not k:
        raise RuntimeError("TOEVLUCHT_AUDIT_KEY is empty: the chains cannot be sealed")
    return k.encode("utf-8")


def key_id(k: bytes) -> str:
    """A key's public name: a fingerprint that tells keys apart and reveals nothing of them."""
    return hashlib.sha256(b"toevlucht audit key id:" + k).hexdigest()[:16]


def keys() -> dict[str, bytes]:
    """Every key this process may verify with, by id: the one in force and the retired ones
    (``TOEVLUCHT_AUDIT_KEYS_OLD``), which verify the rows they sealed and seal nothing."""
    out = {key_id(k.encode("utf-8")): k.encode("utf-8") for k in settings.TOEVLUCHT_AUDIT_KEYS_OLD}
    out[key_id(key())] = key()
    return out


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(prev_hash: str, fields: dict[str, Any], with_key: bytes | None = None) -> str:
    payload = (prev_hash + canonical(fields)).encode("utf-8")
    return hmac.new(with_key or key(), payload, hashlib.sha256).hexdigest()


def _head(chain: Chain) -> AuditHead:
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=chain.head_id)
    if head.seq == 0 and read_checkpoint(chain.name) is None:
        # the empty chain's checkpoint, before the first row: a process killed between that
        # row's commit and its checkpoint leaves a checkpoint that lags (allowed), not a
        # missing one (which verify must report: someone removed it)
        write_checkpoint(0, GENESIS, chain.name)
    return head


def _advance(chain: Chain, head: AuditHead, seq: int, hash_: str) -> None:
    head.seq, head.hash = seq, hash_
    head.save(update_fields=["seq", "hash"])
    transaction.on_commit(lambda: write_checkpoint(seq, hash_, chain.name))


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
    chain = CHAINS[AUDIT]
    with transaction.atomic():
        head = _head(chain)
        entry = AuditEntry(
            id=allocate_ids(AuditEntry, 1)[0],
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
        _advance(chain, head, entry.seq, entry.hash)
    return entry


def seal(name: str, rows: Sequence[Any]) -> None:
    """Give unsaved ``rows`` of chain ``name`` their seq, ``prev_hash`` and ``hash``, in
    order. Call it inside the transaction that inserts them, right before the insert."""
    if not rows:
        return
    chain = CHAINS[name]
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"seal({name!r}) outside a transaction")
    _head(CHAINS[AUDIT])  # heads are always locked audit first: no deadlock with ``record``
    head = _head(chain)
    seq, prev = head.seq, head.hash
    if chain.model is not None:
        fresh = iter(allocate_ids(chain.model, sum(1 for r in rows if r.pk is None)))
        for row in rows:
            if row.pk is None:
                row.pk = next(fresh)
    for row in rows:
        seq += 1
        setattr(row, chain.seq_attr, seq)
        row.prev_hash = prev
        row.hash = prev = digest(prev, chain.fields(row))
    _advance(chain, head, seq, prev)


# --- key rotation ------------------------------------------------------------------------------

ROTATED = "key_rotated"  # the audit entry that starts a key's segment of every chain


def _vouch(old: bytes, to_key: str, prev_hash: str, start: dict[str, int]) -> str:
    """The retiring key's consent to its successor, bound to the place of the hand-over."""
    body = canonical({"to_key": to_key, "prev_hash": prev_hash, "from": start})
    return hmac.new(old, b"rotate" + body.encode(), hashlib.sha256).hexdigest()


def _segments(first_key: str | None = None) -> dict[str, list[tuple[int, str]]]:
    """Per chain, (first seq, key id) of each key's segment, read from the rotation entries
    (which ``verify`` checks with the rest of the audit chain). Without a rotation every
    row is under the key in force."""
    rotations = list(AuditEntry.objects.filter(action=ROTATED).order_by("seq"))
    if rotations:
        first = str(rotations[0].detail.get("from_key", ""))
    else:
        first = first_key or key_id(key())
    out: dict[str, list[tuple[int, str]]] = {name: [(1, first)] for name in CHAINS}
    for r in rotations:
        start = r.detail.get("from") if isinstance(r.detail, dict) else None
        for name in CHAINS:
            try:
                at = int((start or {})[name])
            except (KeyError, TypeError, ValueError):
                continue  # a rotation entry without this chain's start: the entry is forged
            out[name].append((at, str(r.detail.get("to_key", ""))))
    return out


class RotationRefused(RuntimeError):
    pass


def rotate() -> AuditEntry:
    """Hand the chains over to the key in force (``TOEVLUCHT_AUDIT_KEY``) from the key that
    sealed their last rows, which must be among ``TOEVLUCHT_AUDIT_KEYS_OLD``.

    Refused unless every chain verifies first (a rotation must not bless a rewritten
    history). Appends one audit entry, ``key_rotated``, sealed with the new key: it names
    both keys' ids, the seq from which each chain is under the new key, and carries the old
    key's MAC over that hand-over. The checkpoint is signed anew with the new key."""
    new_id = key_id(key())
    with transaction.atomic():
        audit_head = _head(CHAINS[AUDIT])
        others = {name: _head(c) for name, c in CHAINS.items() if name != AUDIT}
        if AuditEntry.objects.filter(action=ROTATED).exists():
            old_id = _segments()[AUDIT][-1][1]
        else:
            old_id = _sealed_with(audit_head.seq) or ""
            if not old_id:
                raise RotationRefused(
                    "no configured key sealed the audit log's last entry: give the key in "
                    "use until now in TOEVLUCHT_AUDIT_KEYS_OLD (or the log is empty: then "
                    "there is nothing to hand over, set the new key)"
                )
        if old_id == new_id:
            raise RotationRefused("the chains are under this key already: nothing to rotate")
        old = keys().get(old_id)
        if old is None:
            raise RotationRefused(
                f"the key that sealed the last rows (id {old_id}) is not in "
                "TOEVLUCHT_AUDIT_KEYS_OLD: give it there to hand over from it"
            )
        v = verify(under=old_id)
        if not v.ok:
            raise RotationRefused("the chains do not verify: " + "; ".join(v.problems[:3]))
        start = {AUDIT: audit_head.seq + 1, **{n: h.seq + 1 for n, h in others.items()}}
        entry = record(
            actor=None,
            action=ROTATED,
            purpose="audit key rotation",
            object_type="audit_key",
            object_ids=[new_id],
            detail={
                "from_key": old_id,
                "to_key": new_id,
                "from": start,
                "vouch": _vouch(old, new_id, audit_head.hash, start),
            },
        )
        transaction.on_commit(reset_checkpoint)  # signed with the new key
    return entry


def _sealed_with(seq: int) -> str | None:
    """The id of the configured key that sealed audit entry ``seq``, if any did."""
    e = AuditEntry.objects.filter(seq=seq).first()
    if e is None:
        return None
    for kid, k in keys().items():
        if hmac.compare_digest(digest(e.prev_hash, _fields(e), k), e.hash):
            return kid
    return None


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


class CheckpointForged(ValueError):
    """The checkpoint file's signature does not match the key."""


def _mac(heads: dict[str, Any], with_key: bytes | None = None) -> str:
    body = b"checkpoint" + canonical(heads).encode()
    return hmac.new(with_key or key(), body, hashlib.sha256).hexdigest()


def _read_heads(with_key: bytes | None = None) -> dict[str, Any] | None:
    """The signed heads of every chain; None without a file; CheckpointForged or ValueError
    when it is unsigned, signed with another key, or unreadable."""
    try:
        data = json.loads(checkpoint_path().read_text())
    except FileNotFoundError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("chains"), dict):
        raise ValueError("not a checkpoint")
    if not hmac.compare_digest(str(data.get("mac", "")), _mac(data["chains"], with_key)):
        raise CheckpointForged("the signature does not match the key")
    chains: dict[str, Any] = data["chains"]
    return chains


def read_checkpoint(name: str = AUDIT) -> tuple[int, str] | None:
    """The checkpointed (seq, hash) of one chain; None if there is none; (-1, "") when the
    file is unreadable, (-2, "") when its signature does not match the key."""
    try:
        heads = _read_heads()
    except CheckpointForged:
        return (-2, "")
    except ValueError:
        return (-1, "")
    if heads is None or name not in heads:
        return None
    try:
        return int(heads[name]["seq"]), str(heads[name]["hash"])
    except (TypeError, KeyError, ValueError):
        return (-1, "")


def reset_checkpoint() -> None:
    """Write the checkpoint afresh from the head rows (a migration that re-seals the chains
    under the key; never in normal operation)."""
    heads = {
        c.name: {"seq": s, "hash": h}
        for c in CHAINS.values()
        for s, h in AuditHead.objects.filter(id=c.head_id).values_list("seq", "hash")
    }
    with _locked(checkpoint_path()):
        _write_heads(heads)


def write_checkpoint(seq: int, hash_: str, name: str = AUDIT) -> None:
    """Store the newest (seq, hash) of a chain; never move the checkpoint backwards. An
    unreadable or forged file is left for ``verify`` to report, not overwritten."""
    path = checkpoint_path()
    with _locked(path):
        try:
            heads = _read_heads() or {}
        except ValueError:
            return
        current = heads.get(name)
        if current is not None and int(current["seq"]) >= seq:
            return
        heads[name] = {"seq": seq, "hash": hash_}
        _write_heads(heads)


def _write_heads(heads: dict[str, Any]) -> None:
    """Write the signed checkpoint (owner-only, replaced atomically); hold ``_locked``."""
    path = checkpoint_path()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        written = dt.datetime.now(dt.UTC).isoformat()
        f.write(json.dumps({"chains": heads, "written": written, "mac": _mac(heads)}))
    os.replace(tmp, path)


# --- verification ----------------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool = True
    entries: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.ok = False
        if len(self.problems) < 20:
            self.problems.append(problem)


def verify(*, under: str | None = None) -> Verification:
    """Recompute every chain; compare each with its head row and the checkpoint file.

    ``under`` (a key id of :func:`keys`) verifies as if that key were in force: ``rotate``
    checks the chains under the key it hands over from.

    The checkpoint and the heads are read before the rows: both are written only after the
    rows they name were committed, so rows appended while ``verify`` runs are never mistaken
    for a truncation."""
    v = Verification()
    in_force = keys()[under] if under else key()
    try:
        heads_cp: dict[str, Any] | None = _read_heads(in_force)
        cp_problem = ""
    except CheckpointForged:
        heads_cp, cp_problem = {}, "is not signed with the chain key: forged, or the key changed"
    except ValueError:
        heads_cp, cp_problem = {}, "is unreadable"
    if cp_problem:
        v.fail(f"the checkpoint file {checkpoint_path()} {cp_problem}")
    heads = {i: (s, h) for i, s, h in AuditHead.objects.values_list("id", "seq", "hash")}
    segments = _segments(under)
    available = keys()
    for chain in CHAINS.values():
        cp = None
        if heads_cp is not None and chain.name in heads_cp:
            cp = int(heads_cp[chain.name]["seq"]), str(heads_cp[chain.name]["hash"])
        head = heads.get(chain.head_id)
        v.rows[chain.name] = _verify_chain(
            v, chain, cp, head, missing=heads_cp is None, segments=segments[chain.name]
        )
        last = segments[chain.name][-1][1]
        if last != key_id(in_force) and (head or (0, ""))[0] >= segments[chain.name][-1][0]:
            v.fail(
                f"the {chain.name} chain's last rows are under key {last}, not the key in "
                "force: TOEVLUCHT_AUDIT_KEY is not the key the chains were handed over to"
            )
    _verify_rotations(v, available)
    v.entries = v.rows.get(AUDIT, 0)
    return v


def _verify_rotations(v: Verification, available: dict[str, bytes]) -> None:
    """Each rotation entry hands over from the key of the segment before it, with that key's
    MAC, at the place it names."""
    prev_key = None
    for r in AuditEntry.objects.filter(action=ROTATED).order_by("seq"):
        d: dict[str, Any] = r.detail if isinstance(r.detail, dict) else {}
        raw = d.get("from")
        start: dict[str, int] = raw if isinstance(raw, dict) else {}
        if prev_key is not None and d.get("from_key") != prev_key:
            v.fail(f"entry {r.seq} hands over from key {d.get('from_key')}, not {prev_key}")
        if start.get(AUDIT) != r.seq or set(start) != set(CHAINS):
            v.fail(f"entry {r.seq} is a key rotation that does not start where it stands")
        old = available.get(str(d.get("from_key", "")))
        if old is not None:
            want = _vouch(old, str(d.get("to_key", "")), r.prev_hash, start)
            if not hmac.compare_digest(want, str(d.get("vouch", ""))):
                v.fail(f"entry {r.seq}'s key rotation is not vouched for by the retired key")
        prev_key = d.get("to_key")


def _verify_chain(
    v: Verification,
    chain: Chain,
    cp: tuple[int, str] | None,
    head: tuple[int, str] | None,
    *,
    missing: bool,
    segments: list[tuple[int, str]],
) -> int:
    label = chain.label
    available = keys()
    reported: set[str] = set()
    bounds = sorted(segments)
    prev, expected_seq = GENESIS, 1
    wanted = {x[0] for x in (cp, head) if x is not None}  # whose hashes to compare
    hashes: dict[int, str] = {}
    last_seq = count = 0
    for row in chain.rows():
        count += 1
        seq = getattr(row, chain.seq_attr)
        if seq is None:
            v.fail(f"{label} id {row.pk} is outside the chain: inserted without its hash")
            continue
        if seq != expected_seq:
            v.fail(f"{label} {expected_seq} is missing (next is {seq}): deleted or reordered")
            expected_seq = seq
        if row.prev_hash != prev:
            v.fail(
                f"{label} {seq} does not follow {label} {seq - 1}: deleted, inserted or reordered"
            )
        kid = bounds[0][1]  # the key of the last segment that starts at or before seq
        for at, k in bounds:
            if at <= seq:
                kid = k
        row_key = available.get(kid)
        if row_key is None:
            if kid not in reported:
                reported.add(kid)
                v.fail(
                    f"{label} {seq} and after are sealed with key {kid}, which is not configured"
                    " (TOEVLUCHT_AUDIT_KEY or TOEVLUCHT_AUDIT_KEYS_OLD): they cannot be verified"
                )
            computed = ""
        else:
            try:
                computed = digest(row.prev_hash, chain.fields(row), row_key)
            except Exception:  # a field no longer readable as written: not the row sealed
                computed = ""
        if row_key is not None and not hmac.compare_digest(computed, str(row.hash)):
            v.fail(f"{label} {seq} was altered after it was written, or forged without the key")
        if seq in wanted:
            hashes[seq] = row.hash
        prev, expected_seq, last_seq = row.hash, expected_seq + 1, seq
    if head is not None and head[0] and (last_seq < head[0] or hashes.get(head[0]) != head[1]):
        v.fail(
            f"the {chain.name} chain ends at {label} {last_seq} "
            f"but its head says {head[0]}: truncated"
        )
    where = checkpoint_path()
    if cp is None:
        if last_seq and missing:
            v.fail(f"no checkpoint file at {where}: cannot rule out truncation")
        elif last_seq:
            v.fail(
                f"the checkpoint file {where} names no {chain.name} chain: "
                "cannot rule out truncation"
            )
    elif cp[0] > last_seq:
        v.fail(
            f"the checkpoint records {label} {cp[0]} "
            f"but the {chain.name} chain ends at {last_seq}: truncated"
        )
    elif cp[0] and hashes.get(cp[0]) != cp[1]:
        v.fail(f"{label} {cp[0]} differs from the checkpoint: the {chain.name} chain was rewritten")
    return count
