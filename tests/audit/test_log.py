"""The audit log is hash-chained; verify finds an edited, deleted, reordered or truncated
entry, and the checkpoint outside the database catches a truncated tail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from toevlucht.appendonly import set_triggers
from toevlucht.audit import log
from toevlucht.audit.log import read_checkpoint, record, verify
from toevlucht.audit.models import AuditEntry, AuditHead


@pytest.fixture
def chain(db: None, django_capture_on_commit_callbacks: Any) -> list[AuditEntry]:
    with django_capture_on_commit_callbacks(execute=True):
        entries = [
            record(
                actor=None,
                action="read",
                purpose=f"test {i}",
                object_type="application",
                object_ids=[i],
            )
            for i in range(1, 6)
        ]
    return entries


def tamper(sql: str) -> None:
    """What an attacker with database rights would do: drop the triggers, change rows."""
    set_triggers(connection, ("audit_auditentry",), create=False)
    with connection.cursor() as cur:
        cur.execute(sql)


def test_an_intact_log_verifies(chain: list[AuditEntry]) -> None:
    v = verify()
    assert v.ok, v.problems
    assert v.entries == 5
    assert read_checkpoint() == (5, chain[-1].hash)


def test_an_edited_entry_is_found(chain: list[AuditEntry]) -> None:
    tamper("UPDATE audit_auditentry SET purpose = 'nothing to see' WHERE seq = 3")
    v = verify()
    assert not v.ok
    assert any("entry 3 was altered" in p for p in v.problems)


def test_a_deleted_entry_is_found(chain: list[AuditEntry]) -> None:
    tamper("DELETE FROM audit_auditentry WHERE seq = 2")
    v = verify()
    assert not v.ok
    assert any("entry 2 is missing" in p for p in v.problems)


def test_reordered_entries_are_found(chain: list[AuditEntry]) -> None:
    # swap the contents of entries 2 and 3 (keeping their seq numbers)
    a, b = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=3)
    tamper(f"UPDATE audit_auditentry SET seq = -1 WHERE id = {a.pk}")
    with connection.cursor() as cur:
        cur.execute(f"UPDATE audit_auditentry SET seq = 2 WHERE id = {b.pk}")
        cur.execute(f"UPDATE audit_auditentry SET seq = 3 WHERE id = {a.pk}")
    v = verify()
    assert not v.ok
    assert any("does not follow" in p or "altered" in p for p in v.problems)


def test_a_truncated_tail_is_found_even_with_the_head_row_rewritten(
    chain: list[AuditEntry],
) -> None:
    tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    AuditHead.objects.filter(id=1).update(seq=3, hash=chain[2].hash)
    v = verify()
    assert not v.ok
    assert any("checkpoint records entry 5" in p for p in v.problems)


def test_a_rewritten_log_does_not_match_the_checkpoint(
    chain: list[AuditEntry], settings: Any
) -> None:
    # re-signed with the key: the checkpoint is genuine, the log is not what it vouched for
    path = settings.TOEVLUCHT_AUDIT_CHECKPOINT
    data = json.loads(path.read_text())
    data["chains"]["audit"]["hash"] = "f" * 64
    data["mac"] = log._mac(data["chains"])
    path.write_text(json.dumps(data))
    v = verify()
    assert not v.ok
    assert any("differs from the checkpoint" in p for p in v.problems)


def test_a_checkpoint_edited_without_the_key_is_reported(
    chain: list[AuditEntry], settings: Any
) -> None:
    path = settings.TOEVLUCHT_AUDIT_CHECKPOINT
    data = json.loads(path.read_text())
    data["chains"]["audit"]["hash"] = "f" * 64
    path.write_text(json.dumps(data))
    v = verify()
    assert not v.ok
    assert any("not signed with the chain key" in p for p in v.problems)


def test_a_missing_checkpoint_is_reported(chain: list[AuditEntry], settings: Any) -> None:
    settings.TOEVLUCHT_AUDIT_CHECKPOINT.unlink()
    v = verify()
    assert not v.ok
    assert any("no checkpoint file" in p for p in v.problems)


@pytest.mark.usefixtures("append_only")
def test_the_database_refuses_to_change_an_audit_entry(chain: list[AuditEntry]) -> None:
    from django.db import DatabaseError, IntegrityError, transaction

    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE audit_auditentry SET purpose = 'x' WHERE seq = 1")


def test_entries_hold_no_personal_data(make_case: Any) -> None:
    app = make_case(family_name_latin="Uniquename", v_number="9876543210")
    for e in AuditEntry.objects.all():
        text = json.dumps([e.purpose, e.object_ids, e.detail], ensure_ascii=False)
        assert "Uniquename" not in text
        assert "9876543210" not in text
    assert app.pk


def test_entries_appended_while_verify_runs_are_no_false_alarm(
    chain: list[AuditEntry], django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    scanned = log._entries

    def busy() -> Any:
        for n, e in enumerate(scanned()):
            yield e
            if n == 0:  # someone reads a case meanwhile: a new entry, head and checkpoint
                with django_capture_on_commit_callbacks(execute=True):
                    record(
                        actor=None,
                        action="read",
                        purpose="meanwhile",
                        object_type="application",
                        object_ids=[9],
                    )

    monkeypatch.setattr(log, "_entries", busy)
    v = verify()
    assert v.ok, v.problems
    assert read_checkpoint()[0] == 6  # type: ignore[index]


def test_a_process_killed_before_its_first_checkpoint_leaves_a_log_that_verifies(
    db: None,
) -> None:
    # on_commit callbacks do not run here: as if the process died right after the commit
    record(actor=None, action="read", purpose="x", object_type="application", object_ids=[1])
    assert read_checkpoint() == (0, "0" * 64)
    v = verify()
    assert v.ok, v.problems
