"""Issue 13: at least 1,000 random single mutations of a copy of a small database — audit
entries, procedure events, the chains' heads, the checkpoint, forgeries appended without
the key — every one found by ``verify``, and no false alarm on the unmodified copies.

Each mutation happens in a savepoint that is rolled back afterwards (the database returns
to the unmodified copy; the checkpoint file is restored byte for byte), so one small
database serves every try. A mutation the database itself refuses (a unique key) is not
counted: it never happened."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from toevlucht.appendonly import APPEND_ONLY_TABLES, set_triggers
from toevlucht.audit import log
from toevlucht.audit.models import AuditEntry, AuditHead
from toevlucht.cases import services
from toevlucht.cases.models import ProcedureEvent

D = dt.date
TRIES = 1000
# Columns an attacker may rewrite: every one, the row ids included (each row's hash covers
# its id: the API and the audit entries name an event by it).
AUDIT_COLUMNS = list(AuditEntry._meta.concrete_fields)
EVENT_COLUMNS = list(ProcedureEvent._meta.concrete_fields)


class Undo(Exception):
    pass


@pytest.fixture
def small_db(
    make_case: Any, make_user: Any, append_only: None, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user("cw", "caseworker", "ind")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            app = make_case(
                events=[
                    ("application_lodged", D(2022, 1, 10 + i), {}),
                    ("registration_interview_held", D(2022, 1, 20 + i), {}),
                ]
            )
            services.event_correct(
                actor=user,
                event=app.events.get(seq=2),
                effective_date=D(2022, 1, 21 + i),
                note=f"typed wrong {i}",
            )
    assert log.verify().ok, log.verify().problems


def _other(rng: random.Random, field: Any, value: Any, ids: dict[str, list[int]]) -> Any:
    """A value of the field's type that differs from ``value``."""
    name = field.get_internal_type()
    if field.is_relation:
        pool = ids[field.related_model._meta.label] + [None, 10**6]
        return rng.choice([x for x in pool if x != value])
    if name in (
        "BigIntegerField",
        "PositiveIntegerField",
        "IntegerField",
        "AutoField",
        "BigAutoField",
    ):
        return (value or 0) + rng.choice([-2, -1, 1, 2, 1000])
    if name == "DateField":
        return value + dt.timedelta(days=rng.choice([-1, 1, 30]))
    if name == "DateTimeField":
        return value + dt.timedelta(microseconds=rng.choice([1, 1000, 10**6]))
    if name == "JSONField":
        if isinstance(value, list):
            return rng.choice([[*value, "1"], value[:-1] if value else ["x"], ["0"] * 3])
        return (
            rng.choice([{**value, "x": 1}, {}, {"outcome": "granted"}]) if value != {} else {"x": 1}
        )
    if name == "CharField" and field.max_length == 64:  # a hash
        return "".join(rng.choice("0123456789abcdef") for _ in range(64))
    if field.choices:
        choices = [c for c, _ in field.choices if c != value]
        return rng.choice(choices)
    return rng.choice([value + "x", value[:-1], "", "withdrawn", " "]) if value else "x"


def _update(table: str, pk: int, field: Any, new: Any) -> None:
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET {field.column} = %s WHERE id = %s",
            [field.get_db_prep_value(new, connection), pk],
        )


def _insert(table: str, row: dict[str, Any]) -> None:
    with connection.cursor() as cur:
        cols, marks = ", ".join(row), ", ".join(["%s"] * len(row))
        cur.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))


def _row(model: Any, obj: Any) -> dict[str, Any]:
    return {
        f.column: f.get_db_prep_value(getattr(obj, f.attname), connection)
        for f in model._meta.concrete_fields
        if f.column != "id"
    }


def _forged_hash(rng: random.Random, prev: str, fields: dict[str, Any]) -> str:
    payload = (prev + log.canonical(fields)).encode()
    if rng.random() < 0.5:
        return hashlib.sha256(payload).hexdigest()  # the chain as it was before issue 13
    return hmac.new(b"guessed key", payload, hashlib.sha256).hexdigest()


def mutations(rng: random.Random) -> list[tuple[str, Callable[[], None]]]:
    entries = list(AuditEntry.objects.all())
    events = list(ProcedureEvent.objects.select_related("corrects"))
    from toevlucht.accounts.models import User

    ids = {
        "accounts.User": list(User.objects.values_list("pk", flat=True)),
        "cases.Application": sorted({e.application_id for e in events}),
        "cases.ProcedureEvent": [e.pk for e in events],
    }

    def edit_entry() -> None:
        e, f = rng.choice(entries), rng.choice(AUDIT_COLUMNS)
        _update("audit_auditentry", e.pk, f, _other(rng, f, getattr(e, f.attname), ids))

    def edit_event() -> None:
        e, f = rng.choice(events), rng.choice(EVENT_COLUMNS)
        _update("cases_procedureevent", e.pk, f, _other(rng, f, getattr(e, f.attname), ids))

    def delete(table: str, rows: list[Any]) -> Callable[[], None]:
        def run() -> None:
            with connection.cursor() as cur:
                cur.execute(f"DELETE FROM {table} WHERE id = %s", [rng.choice(rows).pk])

        return run

    def replace_event() -> None:  # REPLACE written out: delete, insert other content, same id
        e = rng.choice(events)
        f = rng.choice([c for c in EVENT_COLUMNS if c.attname in ("kind", "note", "data")])
        row = _row(ProcedureEvent, e)
        row[f.column] = f.get_db_prep_value(_other(rng, f, getattr(e, f.attname), ids), connection)
        with connection.cursor() as cur:
            cur.execute("DELETE FROM cases_procedureevent WHERE id = %s", [e.pk])
        _insert("cases_procedureevent", {"id": e.pk, **row})

    def swap(table: str, rows: list[Any], attr: str) -> Callable[[], None]:
        def run() -> None:
            a, b = rng.sample(rows, 2)
            with connection.cursor() as cur:
                cur.execute(f"UPDATE {table} SET {attr} = -1 WHERE id = %s", [a.pk])
                cur.execute(
                    f"UPDATE {table} SET {attr} = %s WHERE id = %s", [getattr(a, attr), b.pk]
                )
                cur.execute(
                    f"UPDATE {table} SET {attr} = %s WHERE id = %s", [getattr(b, attr), a.pk]
                )

        return run

    def swap_ids(table: str, rows: list[Any]) -> Callable[[], None]:
        """Two rows exchange their ids, everything else kept: the id the API or an audit
        entry names now leads to the other row."""

        def run() -> None:
            a, b = rng.sample(rows, 2)
            with connection.cursor() as cur:
                cur.execute(f"UPDATE {table} SET id = -1 WHERE id = %s", [a.pk])
                cur.execute(f"UPDATE {table} SET id = %s WHERE id = %s", [a.pk, b.pk])
                cur.execute(f"UPDATE {table} SET id = %s WHERE id = -1", [b.pk])

        return run

    def renumber(table: str, rows: list[Any]) -> Callable[[], None]:
        def run() -> None:  # a row moved to an id nobody has
            with connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {table} SET id = %s WHERE id = %s",
                    [10**6 + rng.randint(0, 1000), rng.choice(rows).pk],
                )

        return run

    def append_entries() -> None:
        head = AuditHead.objects.get(id=1)
        seq, prev = head.seq, head.hash
        for _ in range(rng.randint(1, 17)):
            seq += 1
            e = AuditEntry(
                seq=seq,
                at=rng.choice(entries).at,
                actor_role="system",
                action="read",
                purpose="covering tracks",
                object_type="application",
                object_ids=[str(rng.choice(ids["cases.Application"]))],
                detail={},
                prev_hash=prev,
            )
            e.hash = prev = _forged_hash(rng, prev, log._fields(e))
            _insert("audit_auditentry", _row(AuditEntry, e))
        if rng.random() < 0.5:
            AuditHead.objects.filter(id=1).update(seq=seq, hash=prev)

    def append_event() -> None:
        from toevlucht.cases.models import event_fields

        head = AuditHead.objects.get(id=2)
        template = rng.choice(events)
        e = ProcedureEvent(
            application_id=template.application_id,
            seq=100 + rng.randint(0, 100),
            kind=rng.choice(["withdrawn", "decision_notified"]),
            effective_date=template.effective_date,
            data={},
            recorded_on=template.recorded_on,
            recorded_at=template.recorded_at,
            chain_seq=head.seq + 1,
            prev_hash=head.hash,
        )
        if rng.random() < 0.3:  # outside the chain altogether
            e.chain_seq, e.prev_hash, e.hash = None, "", ""
        else:
            e.hash = _forged_hash(rng, head.hash, event_fields(e))
        _insert("cases_procedureevent", _row(ProcedureEvent, e))
        if e.chain_seq is not None and rng.random() < 0.5:
            AuditHead.objects.filter(id=2).update(seq=e.chain_seq, hash=e.hash)

    def edit_head() -> None:
        head = AuditHead.objects.get(id=rng.choice([1, 2]))
        if rng.random() < 0.5:
            AuditHead.objects.filter(id=head.id).update(hash="f" * 64)
        else:
            AuditHead.objects.filter(id=head.id).update(seq=head.seq + rng.randint(1, 5))

    def truncate_with_head(
        table: str, rows: list[Any], attr: str, head_id: int
    ) -> Callable[[], None]:
        def run() -> None:  # delete the last k rows and rewind the head to match
            ordered = sorted(rows, key=lambda r: getattr(r, attr))
            k = rng.randint(1, min(3, len(ordered) - 1))
            keep = ordered[-k - 1]
            with connection.cursor() as cur:
                for r in ordered[-k:]:
                    cur.execute(f"DELETE FROM {table} WHERE id = %s", [r.pk])
            AuditHead.objects.filter(id=head_id).update(seq=getattr(keep, attr), hash=keep.hash)

        return run

    def checkpoint() -> None:
        path = log.checkpoint_path()
        data = json.loads(path.read_text())
        chain = rng.choice(list(data["chains"]))
        how = rng.choice(["seq", "hash", "mac", "gone", "garbage", "legacy", "resigned"])
        if how == "seq":
            data["chains"][chain]["seq"] += rng.choice([-1, 1, 5])
        elif how == "hash":
            data["chains"][chain]["hash"] = "e" * 64
        elif how == "mac":
            data["mac"] = "0" * 64
        elif how == "legacy":
            data = {"seq": data["chains"]["audit"]["seq"], "hash": data["chains"]["audit"]["hash"]}
        elif how == "resigned":  # signed with a guessed key
            data["chains"][chain]["seq"] -= 1
            data["mac"] = hmac.new(
                b"guess", log.canonical(data["chains"]).encode(), hashlib.sha256
            ).hexdigest()
        if how == "gone":
            path.unlink()
        elif how == "garbage":
            path.write_text("{not json")
        else:
            path.write_text(json.dumps(data))

    return [
        ("edit an audit entry", edit_entry),
        ("edit a procedure event", edit_event),
        ("delete an audit entry", delete("audit_auditentry", entries)),
        ("delete a procedure event", delete("cases_procedureevent", events)),
        ("replace a procedure event", replace_event),
        ("reorder audit entries", swap("audit_auditentry", entries, "seq")),
        ("reorder procedure events", swap("cases_procedureevent", events, "chain_seq")),
        ("swap two audit entries' ids", swap_ids("audit_auditentry", entries)),
        ("swap two procedure events' ids", swap_ids("cases_procedureevent", events)),
        ("renumber an audit entry", renumber("audit_auditentry", entries)),
        ("renumber a procedure event", renumber("cases_procedureevent", events)),
        ("append forged audit entries", append_entries),
        ("append a forged procedure event", append_event),
        ("edit a chain's head", edit_head),
        ("truncate the audit log", truncate_with_head("audit_auditentry", entries, "seq", 1)),
        (
            "truncate the procedure events",
            truncate_with_head("cases_procedureevent", events, "chain_seq", 2),
        ),
        ("tamper with the checkpoint", checkpoint),
    ]


def test_every_single_mutation_is_found_and_no_unmodified_copy_raises_an_alarm(
    small_db: None,
) -> None:
    rng = random.Random(13)
    path = log.checkpoint_path()
    original = path.read_bytes()
    kinds = mutations(rng)
    applied: Counter[str] = Counter()
    missed: list[str] = []
    false_alarms = clean_checks = 0
    tries = 0
    while sum(applied.values()) < TRIES:
        tries += 1
        assert tries < 3 * TRIES, "the database refuses too many mutations"
        name, mutate = rng.choice(kinds)
        try:
            with transaction.atomic():
                set_triggers(connection, APPEND_ONLY_TABLES, create=False)
                try:
                    with transaction.atomic():
                        mutate()
                except IntegrityError:
                    raise Undo() from None
                v = log.verify()
                applied[name] += 1
                if v.ok:
                    missed.append(name)
                raise Undo()
        except Undo:
            pass
        finally:
            path.write_bytes(original)
        if tries % 10 == 0:  # the copy is unmodified again
            clean_checks += 1
            false_alarms += not log.verify().ok
    assert not missed, Counter(missed)
    assert false_alarms == 0
    assert clean_checks >= 100
    assert set(applied) == {n for n, _ in kinds}  # every kind of mutation was tried
