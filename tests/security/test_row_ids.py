"""Issue 13: a row's id is under the chain too. The API and the audit entries name an event
by its id; swapping or renumbering ids (everything else kept) used to pass ``verify``.
The randomised test (test_mutations.py) swaps and renumbers ids among its mutations; here
the plain cases, and the migrations that re-seal a chain of the form before."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from toevlucht.appendonly import set_triggers
from toevlucht.audit import log
from toevlucht.audit.models import AuditEntry, AuditHead
from toevlucht.cases.models import ProcedureEvent, event_fields

D = dt.date
TABLES = ("audit_auditentry", "cases_procedureevent")


@pytest.fixture
def two_cases(
    make_case: Any, append_only: None, django_capture_on_commit_callbacks: Any
) -> list[Any]:
    with django_capture_on_commit_callbacks(execute=True):
        cases = [
            make_case(events=[("application_lodged", D(2022, 3, 10), {})]),
            make_case(events=[("application_lodged", D(2022, 4, 11), {})]),
        ]
    assert log.verify().ok
    return cases


def _sql(sql: str, *params: Any) -> None:
    set_triggers(connection, TABLES, create=False)
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_two_events_that_swap_ids_are_found(two_cases: list[Any]) -> None:
    a, b = (c.events.get(seq=1) for c in two_cases)
    _sql("UPDATE cases_procedureevent SET id = -1 WHERE id = %s", a.pk)
    _sql("UPDATE cases_procedureevent SET id = %s WHERE id = %s", a.pk, b.pk)
    _sql("UPDATE cases_procedureevent SET id = %s WHERE id = -1", b.pk)
    v = log.verify()
    assert not v.ok
    assert any("procedure event" in p and "altered" in p for p in v.problems), v.problems


def test_a_renumbered_audit_entry_is_found(two_cases: list[Any]) -> None:
    e = AuditEntry.objects.order_by("seq").first()
    assert e is not None
    _sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", 10**6, e.pk)
    v = log.verify()
    assert not v.ok
    assert any(f"entry {e.seq} was altered" in p for p in v.problems), v.problems


def test_ids_rise_with_the_chain(two_cases: list[Any]) -> None:
    """``seal`` gives the ids (under the head lock), so they follow the chain's order."""
    events = list(ProcedureEvent.objects.order_by("chain_seq"))
    assert [e.pk for e in events] == sorted(e.pk for e in events)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.pk for e in entries] == sorted(e.pk for e in entries)


def _old_form(two_cases: list[Any]) -> None:
    """Re-seal both chains as they were before ids were covered."""
    set_triggers(connection, TABLES, create=False)
    prev = log.GENESIS
    for e in AuditEntry.objects.order_by("seq"):
        fields = {k: v for k, v in log._fields(e).items() if k != "id"}
        h = log.digest(prev, fields)
        AuditEntry.objects.filter(pk=e.pk).update(prev_hash=prev, hash=h)
        prev = h
    AuditHead.objects.filter(id=1).update(hash=prev)
    prev = log.GENESIS
    for ev in ProcedureEvent.objects.select_related("corrects").order_by("chain_seq"):
        fields = {k: v for k, v in event_fields(ev).items() if k != "id"}
        h = log.digest(prev, fields)
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE cases_procedureevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev, h, ev.pk],
            )
        prev = h
    AuditHead.objects.filter(id=2).update(hash=prev)
    log.reset_checkpoint()
    assert not log.verify().ok  # the new form does not accept the old


def _migrate() -> None:
    """Run the two migrations' functions with the models as the migrations see them."""
    state = MigrationExecutor(connection).loader.project_state(
        [("audit", "0004_ids_in_chain"), ("cases", "0013_event_ids_in_chain")]
    )
    editor = SimpleNamespace(connection=connection)
    import_module("toevlucht.audit.migrations.0004_ids_in_chain").reseal(state.apps, editor)
    import_module("toevlucht.cases.migrations.0013_event_ids_in_chain").reseal(state.apps, editor)


def test_the_migrations_reseal_an_intact_chain_of_the_form_before(two_cases: list[Any]) -> None:
    _old_form(two_cases)
    _migrate()
    v = log.verify()
    assert v.ok, v.problems


def test_the_migrations_leave_a_tampered_chain_for_verify_to_report(
    two_cases: list[Any],
) -> None:
    _old_form(two_cases)
    _sql("UPDATE cases_procedureevent SET kind = 'withdrawn' WHERE chain_seq = 1")
    _migrate()
    assert not log.verify().ok
