"""Issue 13, item 7: the chain key can be rotated without losing what the old key proves.

``toevlucht audit rotate`` hands the audit log and the procedure events over to the key in
force (``TOEVLUCHT_AUDIT_KEY``) from the one that sealed their last rows, which stays in
``TOEVLUCHT_AUDIT_KEYS_OLD`` to verify them. Rows after the hand-over must carry the new
key: an attacker who learnt the retired key (the usual reason to rotate) can no longer
append or rewrite anything unseen."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stdout
from typing import Any

import pytest
from django.db import connection

from toevlucht.appendonly import set_triggers
from toevlucht.audit import log
from toevlucht.audit.models import AuditEntry, AuditHead
from toevlucht.cases import services
from toevlucht.cases.models import ProcedureEvent, event_fields
from toevlucht.cli import audit as audit_cli

D = dt.date
OLD, NEW = "old-key-" + "a" * 40, "new-key-" + "b" * 40


@pytest.fixture
def rotated(
    settings: Any, make_case: Any, append_only: None, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    """History under OLD, a rotation to NEW, more history under NEW; checkpoints written."""
    settings.TOEVLUCHT_AUDIT_KEY, settings.TOEVLUCHT_AUDIT_KEYS_OLD = OLD, []
    with django_capture_on_commit_callbacks(execute=True):
        before = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    assert log.verify().ok
    settings.TOEVLUCHT_AUDIT_KEY, settings.TOEVLUCHT_AUDIT_KEYS_OLD = NEW, [OLD]
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True), redirect_stdout(out):
        assert audit_cli.run(type("A", (), {"action": "rotate"})()) == 0, out.getvalue()
    rotation = AuditEntry.objects.get(action=log.ROTATED)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_record(
            actor=None,
            application=before,
            kind="registration_interview_held",
            effective_date=D(2022, 3, 15),
        )
        after = make_case(nationality="SYR", events=[("application_lodged", D(2022, 1, 10), {})])
    return {"before": before, "after": after, "rotation": rotation, "out": out.getvalue()}


def _tamper(sql: str, *params: Any) -> None:
    set_triggers(connection, ("audit_auditentry", "cases_procedureevent"), create=False)
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_after_a_rotation_both_segments_verify(rotated: dict[str, Any]) -> None:
    v = log.verify()
    assert v.ok, v.problems
    r = rotated["rotation"]
    assert r.detail["from_key"] == log.key_id(OLD.encode())
    assert r.detail["to_key"] == log.key_id(NEW.encode())
    assert "rotated from" in rotated["out"]
    # rows on both sides of the hand-over, in both chains
    events_from = r.detail["from"]["events"]
    assert ProcedureEvent.objects.filter(chain_seq__lt=events_from).exists()
    assert ProcedureEvent.objects.filter(chain_seq__gte=events_from).exists()
    assert AuditEntry.objects.filter(seq__lt=r.seq).exists()
    assert AuditEntry.objects.filter(seq__gt=r.seq).exists()
    # the new rows are sealed with the new key, the old ones with the old
    last = ProcedureEvent.objects.order_by("-chain_seq").first()
    assert last is not None
    assert last.hash == log.digest(last.prev_hash, event_fields(last), NEW.encode())
    first = ProcedureEvent.objects.get(chain_seq=1)
    assert first.hash == log.digest(first.prev_hash, event_fields(first), OLD.encode())


def test_without_the_old_key_the_old_rows_cannot_be_verified(
    rotated: dict[str, Any], settings: Any
) -> None:
    settings.TOEVLUCHT_AUDIT_KEYS_OLD = []
    v = log.verify()
    assert not v.ok
    assert any("not configured" in p for p in v.problems), v.problems


def test_without_the_new_key_the_new_rows_cannot_be_verified(
    rotated: dict[str, Any], settings: Any
) -> None:
    settings.TOEVLUCHT_AUDIT_KEY, settings.TOEVLUCHT_AUDIT_KEYS_OLD = OLD, []
    v = log.verify()
    assert not v.ok
    assert any("not configured" in p for p in v.problems), v.problems
    assert any("checkpoint" in p for p in v.problems), v.problems


def test_a_leaked_old_key_cannot_append_after_the_rotation(rotated: dict[str, Any]) -> None:
    """The attacker holds the retired key and the database: an entry appended with it (head
    row moved along, so only the key can give it away) is found."""
    head = AuditHead.objects.get(id=1)
    fields = {
        "seq": head.seq + 1,
        "at": "2022-05-09T10:00:00+00:00",
        "actor_id": None,
        "actor_role": "system",
        "action": "read",
        "purpose": "routine",
        "object_type": "application",
        "object_ids": ["1"],
        "detail": {},
    }
    forged = log.digest(head.hash, fields, OLD.encode())
    _tamper(
        "INSERT INTO audit_auditentry (seq, at, actor_id, actor_role, action, purpose,"
        " object_type, object_ids, detail, prev_hash, hash)"
        " VALUES (%s, %s, NULL, 'system', 'read', 'routine', 'application', '[\"1\"]', '{}',"
        " %s, %s)",
        head.seq + 1,
        "2022-05-09 10:00:00+00:00",
        head.hash,
        forged,
    )
    AuditHead.objects.filter(id=1).update(seq=head.seq + 1, hash=forged)
    v = log.verify()
    assert not v.ok
    assert any(f"entry {head.seq + 1} was altered" in p for p in v.problems), v.problems


def test_a_leaked_old_key_cannot_rewrite_the_old_segment(rotated: dict[str, Any]) -> None:
    """Rewriting an event sealed before the rotation and re-sealing it with the old key
    breaks the link to the first row after the hand-over, which only the new key seals."""
    e = ProcedureEvent.objects.get(chain_seq=1)
    e.kind = "withdrawn"
    new_hash = log.digest(e.prev_hash, event_fields(e), OLD.encode())
    _tamper(
        "UPDATE cases_procedureevent SET kind = 'withdrawn', hash = %s WHERE id = %s",
        new_hash,
        e.pk,
    )
    v = log.verify()
    assert not v.ok
    assert any("procedure event 2 does not follow" in p for p in v.problems), v.problems


@pytest.mark.parametrize(
    "edit",
    [
        "DELETE FROM audit_auditentry WHERE action = 'key_rotated'",
        "UPDATE audit_auditentry SET action = 'read' WHERE action = 'key_rotated'",
    ],
)
def test_a_removed_or_disguised_rotation_entry_is_found(rotated: dict[str, Any], edit: str) -> None:
    _tamper(edit)
    assert not log.verify().ok


def test_a_rotation_is_refused_when_the_chains_do_not_verify(
    settings: Any, make_case: Any, append_only: None, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TOEVLUCHT_AUDIT_KEY, settings.TOEVLUCHT_AUDIT_KEYS_OLD = OLD, []
    with django_capture_on_commit_callbacks(execute=True):
        make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    _tamper("UPDATE audit_auditentry SET purpose = 'nothing' WHERE seq = 1")
    settings.TOEVLUCHT_AUDIT_KEY, settings.TOEVLUCHT_AUDIT_KEYS_OLD = NEW, [OLD]
    with pytest.raises(log.RotationRefused, match="do not verify"):
        log.rotate()
    assert not AuditEntry.objects.filter(action=log.ROTATED).exists()


def test_a_rotation_needs_the_old_key(
    settings: Any, make_case: Any, append_only: None, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TOEVLUCHT_AUDIT_KEY, settings.TOEVLUCHT_AUDIT_KEYS_OLD = OLD, []
    with django_capture_on_commit_callbacks(execute=True):
        make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    with pytest.raises(log.RotationRefused, match="already"):
        log.rotate()
    settings.TOEVLUCHT_AUDIT_KEY = NEW  # the old key not given
    with pytest.raises(log.RotationRefused, match="TOEVLUCHT_AUDIT_KEYS_OLD"):
        log.rotate()


def test_two_rotations_verify_with_both_retired_keys(
    rotated: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    third = "third-key-" + "c" * 40
    settings.TOEVLUCHT_AUDIT_KEY, settings.TOEVLUCHT_AUDIT_KEYS_OLD = third, [NEW, OLD]
    with django_capture_on_commit_callbacks(execute=True):
        log.rotate()
    assert log.verify().ok, log.verify().problems
    settings.TOEVLUCHT_AUDIT_KEYS_OLD = [NEW]  # the first key dropped
    assert not log.verify().ok
