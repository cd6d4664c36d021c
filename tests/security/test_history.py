"""Issue 13, items 6 and 7: the procedure events cannot be rewritten unseen.

The attacker has write access to the database (drops the append-only triggers if need be)
but not the chain key (``TOEVLUCHT_AUDIT_KEY``), which is held outside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
from contextlib import redirect_stdout
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from toevlucht.appendonly import APPEND_ONLY_TABLES, set_triggers
from toevlucht.audit import log
from toevlucht.audit.models import AuditEntry, AuditHead
from toevlucht.cases import services
from toevlucht.cases.models import ProcedureEvent, event_fields

D = dt.date


@pytest.fixture
def history(
    make_case: Any, append_only: None, django_capture_on_commit_callbacks: Any
) -> list[Any]:
    """Two small cases, one with a correction, every checkpoint written."""
    with django_capture_on_commit_callbacks(execute=True):
        a = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
        services.event_correct(
            actor=None,
            event=a.events.get(seq=1),
            effective_date=D(2022, 3, 14),
            note="typed wrong",
        )
        b = make_case(
            nationality="SYR",
            events=[
                ("application_lodged", D(2022, 1, 10), {}),
                (
                    "decision_notified",
                    D(2022, 3, 1),
                    {"outcome": "refused", "procedure": "extended"},
                ),
            ],
        )
    assert log.verify().ok, log.verify().problems
    return [a, b]


def _problems() -> list[str]:
    v = log.verify()
    assert not v.ok
    return v.problems


def _cli_verify() -> tuple[int, str]:
    import argparse

    from toevlucht.cli import audit as cli

    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.run(argparse.Namespace(action="verify"))
    return code, out.getvalue()


def _drop_triggers() -> None:
    set_triggers(connection, APPEND_ONLY_TABLES, create=False)


def _row(table: str, where: str) -> dict[str, Any]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {table} WHERE {where}")
        cols = [c[0] for c in cur.description]
        return dict(zip(cols, cur.fetchone(), strict=True))


def _insert(table: str, row: dict[str, Any], verb: str = "INSERT") -> None:
    cols = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    with connection.cursor() as cur:
        cur.execute(f"{verb} INTO {table} ({cols}) VALUES ({marks})", list(row.values()))


# --- the statement is refused ----------------------------------------------------------------


def _replace_over(table: str, row: dict[str, Any], conflict: str) -> None:
    """SQLite: INSERT OR REPLACE; PostgreSQL: its equivalent, INSERT ... ON CONFLICT DO UPDATE."""
    if connection.vendor == "sqlite":
        _insert(table, row, verb="INSERT OR REPLACE")
        return
    cols = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in row if c != "id")
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) "
            f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}",
            list(row.values()),
        )


def test_insert_or_replace_over_an_event_id_is_refused(history: list[Any]) -> None:
    event = history[1].events.get(seq=1)
    row = _row("cases_procedureevent", f"id = {event.pk}")
    row.update(kind="withdrawn", note="nothing happened here")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        _replace_over("cases_procedureevent", row, "id")
    assert ProcedureEvent.objects.get(pk=event.pk).kind == "application_lodged"


def test_replace_over_application_and_seq_is_refused(history: list[Any]) -> None:
    event = history[1].events.get(seq=2)
    row = _row("cases_procedureevent", f"id = {event.pk}")
    del row["id"]
    row.update(kind="withdrawn", chain_seq=10**6)
    if connection.vendor == "sqlite":
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            _insert("cases_procedureevent", row, verb="REPLACE")
    else:
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            _replace_over("cases_procedureevent", row, "application_id, seq")
    assert ProcedureEvent.objects.get(pk=event.pk).kind == "decision_notified"


def test_insert_or_replace_over_an_audit_entry_is_refused(history: list[Any]) -> None:
    row = _row("audit_auditentry", "seq = 2")
    row.update(purpose="nothing to see")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        _replace_over("audit_auditentry", row, "id")
    assert AuditEntry.objects.get(seq=2).purpose != "nothing to see"


# --- a rewritten history is detected ---------------------------------------------------------


def test_an_event_rewritten_in_place_is_found_by_audit_verify(history: list[Any]) -> None:
    event = history[1].events.get(seq=1)
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE cases_procedureevent SET kind = 'withdrawn', note = 'new note' WHERE id = %s",
            [event.pk],
        )
    code, out = _cli_verify()
    assert code == 1
    assert f"procedure event {event.chain_seq} was altered" in out


def test_an_event_replaced_by_delete_and_insert_is_found(history: list[Any]) -> None:
    # what REPLACE does, written out by someone who dropped the triggers
    event = history[1].events.get(seq=1)
    row = _row("cases_procedureevent", f"id = {event.pk}")
    row.update(kind="withdrawn", note="a new note")
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM cases_procedureevent WHERE id = %s", [event.pk])
    _insert("cases_procedureevent", row)
    assert any("was altered" in p for p in _problems())


def test_a_deleted_event_is_found(history: list[Any]) -> None:
    event = history[0].events.get(seq=2)
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM cases_procedureevent WHERE id = %s", [event.pk])
    assert any("missing" in p or "truncated" in p for p in _problems())


def test_the_last_event_deleted_with_its_head_rewound_is_found(history: list[Any]) -> None:
    last = ProcedureEvent.objects.order_by("-chain_seq").first()
    before = ProcedureEvent.objects.get(chain_seq=last.chain_seq - 1)
    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM cases_procedureevent WHERE id = %s", [last.pk])
    AuditHead.objects.filter(id=2).update(seq=before.chain_seq, hash=before.hash)
    assert any("checkpoint records procedure event" in p for p in _problems())


def _forge_event(application: Any, *, key: bytes | None) -> ProcedureEvent:
    """A new event with the next seq, chained onto the head — its hash made with ``key``
    (None: plain SHA-256) instead of the chain key."""
    head = AuditHead.objects.get(id=2)
    e = ProcedureEvent(
        application=application,
        seq=application.events.count() + 1,
        kind="withdrawn",
        effective_date=D(2022, 4, 1),
        data={},
        recorded_on=D(2022, 4, 1),
        recorded_at=timezone.now(),
        chain_seq=head.seq + 1,
        prev_hash=head.hash,
    )
    payload = (head.hash + log.canonical(event_fields(e))).encode()
    e.hash = (
        hashlib.sha256(payload).hexdigest()
        if key is None
        else hmac.new(key, payload, hashlib.sha256).hexdigest()
    )
    return e


@pytest.mark.parametrize("key", [None, b"a guess at the key"])
def test_a_forged_event_appended_after_the_checkpoint_is_found(
    history: list[Any], key: bytes | None
) -> None:
    forged = _forge_event(history[0], key=key)
    row = {
        f.column: f.get_db_prep_value(getattr(forged, f.attname), connection)
        for f in ProcedureEvent._meta.concrete_fields
        if f.column != "id"
    }
    row["data"] = json.dumps({})
    _insert("cases_procedureevent", row)
    AuditHead.objects.filter(id=2).update(seq=forged.chain_seq, hash=forged.hash)
    assert any(f"procedure event {forged.chain_seq} was altered" in p for p in _problems())


@pytest.mark.parametrize("count", [1, 17])
def test_forged_audit_entries_appended_after_the_checkpoint_are_found(
    history: list[Any], count: int
) -> None:
    """Issue 13 item 7: 0 of 17 were detected while the chain was plain SHA-256."""
    head = AuditHead.objects.get(id=1)
    seq, prev = head.seq, head.hash
    for _ in range(count):
        seq += 1
        e = AuditEntry(
            seq=seq,
            at=timezone.now(),
            actor_id=None,
            actor_role="system",
            action="read",
            purpose="covering tracks",
            object_type="application",
            object_ids=["1"],
            detail={},
            prev_hash=prev,
        )
        payload = json.dumps(log._fields(e), sort_keys=True, separators=(",", ":"))
        e.hash = prev = hashlib.sha256((e.prev_hash + payload).encode()).hexdigest()
        e.save(force_insert=True)
    AuditHead.objects.filter(id=1).update(seq=seq, hash=prev)
    problems = _problems()
    assert sum("was altered" in p for p in problems) == count


def test_an_intact_history_verifies_on_the_command_line(history: list[Any]) -> None:
    code, out = _cli_verify()
    assert code == 0, out
    assert f"{ProcedureEvent.objects.count()} procedure events" in out


def test_events_of_a_bulk_insert_are_chained(history: list[Any]) -> None:
    from toevlucht.demo.fake import procedure_events

    app = history[0]
    with transaction.atomic():
        app2 = services.application_open(
            actor=None,
            applicant=app.applicant,
            organisation=app.organisation,
            kind="subsequent",  # the applicant has a first application already
        )
        ProcedureEvent.objects.bulk_create(
            procedure_events(app2, [{"kind": "application_lodged", "date": D(2022, 2, 1)}])
        )
    assert ProcedureEvent.objects.filter(chain_seq__isnull=True).count() == 0
    assert log.verify().ok
