"""Time passes: deadlines expire without any event; refresh recomputes the projections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.cases import refresh
from toevlucht.cases.models import CaseStatus
from toevlucht.cases.refresh import refresh_all

D = dt.date


def test_refresh_marks_a_case_overdue_once_its_term_has_passed(make_case: Any) -> None:
    app = make_case(nationality="SYR", events=[("application_lodged", D(2021, 8, 31), {})])
    s = CaseStatus.objects.get(application=app)
    assert (s.overdue, s.decision_due) == (True, D(2022, 2, 28))
    late = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})])
    assert not CaseStatus.objects.get(application=late).overdue
    report = refresh_all(D(2022, 9, 11))
    assert (report.cases, report.unchanged) == (1, 1)  # the overdue one cannot change
    s = CaseStatus.objects.get(application=late)
    assert s.overdue
    assert s.computed_on == D(2022, 9, 11)
    assert s.decision_status == "expired"


def test_refresh_brings_in_a_measure_announced_since(make_case: Any) -> None:
    app = make_case(
        nationality="RUS",
        birth_date=D(2000, 1, 15),
        sex="male",
        applicant_groups=["conscript_refusing_service"],
    )
    assert CaseStatus.objects.get(application=app).decision_due == D(2022, 9, 10)
    report = refresh_all(D(2022, 7, 15))
    s = CaseStatus.objects.get(application=app)
    assert report.changed == 1
    assert s.decision_due == D(2023, 9, 10)
    assert s.suspended
    assert "ru-conscripts-2022-decision" in s.measures_in_force


def test_a_refresh_in_worker_processes_gives_the_same_projection(make_case: Any) -> None:
    apps = [
        make_case(nationality="SYR", events=[("application_lodged", D(2022, 1, 3 + i), {})])
        for i in range(6)
    ]
    refresh_all(D(2022, 7, 6), processes=1, force=True)
    single = {
        s.pk: (s.decision_due, s.overdue, s.deadlines)
        for s in CaseStatus.objects.filter(pk__in=[a.pk for a in apps])
    }
    refresh_all(D(2022, 7, 6), processes=2, force=True)
    multi = {
        s.pk: (s.decision_due, s.overdue, s.deadlines)
        for s in CaseStatus.objects.filter(pk__in=[a.pk for a in apps])
    }
    assert single == multi
    # lodged 3-8 January: due 3-8 July; on 6 July the first three have expired
    assert sum(overdue for _, overdue, _ in single.values()) == 3


def test_a_final_case_is_no_longer_refreshed(make_case: Any) -> None:
    app = make_case(
        nationality="SYR",
        events=[
            ("application_lodged", D(2022, 1, 10), {}),
            ("decision_notified", D(2022, 3, 1), {"outcome": "refused", "procedure": "extended"}),
        ],
    )
    refresh_all(D(2022, 4, 1))
    s = CaseStatus.objects.get(application=app)
    assert (s.stage, s.open) == ("final", False)
    assert refresh_all(D(2022, 5, 1)).cases == 0


def test_a_closed_case_gets_its_retention_date(make_case: Any, settings: Any) -> None:
    settings.TOEVLUCHT_RETENTION_YEARS = 10
    app = make_case(
        nationality="SYR",
        events=[
            ("application_lodged", D(2022, 1, 10), {}),
            ("decision_notified", D(2022, 5, 2), {"outcome": "refused", "procedure": "extended"}),
        ],
    )
    app.refresh_from_db()
    assert app.retention_until is None  # the appeal term runs until 30 May
    refresh_all(D(2022, 6, 1))
    app.refresh_from_db()
    assert app.retention_until == D(2032, 6, 1)


def test_skipping_unaffected_cases_gives_the_same_projections_as_recomputing_all(
    make_case: Any,
) -> None:
    apps = [
        make_case(
            nationality=nat,
            birth_date=D(2000, 1, 15),
            sex="male",
            applicant_groups=["conscript_refusing_service"],
            events=[("application_lodged", D(2022, 1, 3) + dt.timedelta(days=9 * i), {})],
        )
        for i, nat in enumerate(["RUS", "SYR", "UKR", "AFG", "RUS", "SYR", "IRN", "RUS"])
    ]
    ids = [a.pk for a in apps]

    def snapshot() -> dict[int, tuple[Any, ...]]:
        return {
            s.pk: (
                s.stage,
                s.decision_due,
                s.decision_status,
                s.overdue,
                s.suspended,
                s.measures_in_force,
                s.deadlines,
                s.next_deadline_due,
            )
            for s in CaseStatus.objects.filter(pk__in=ids)
        }

    for day in (
        D(2022, 6, 1),
        D(2022, 6, 29),
        D(2022, 7, 5),
        D(2022, 9, 30),
        D(2023, 1, 2),
        D(2023, 7, 1),
        D(2024, 2, 1),
    ):
        refresh_all(day)
        skipped = snapshot()
        refresh_all(day, force=True)
        assert snapshot() == skipped, day


def test_an_event_recorded_while_a_refresh_assesses_its_case_is_not_overwritten(
    make_case: Any, monkeypatch: Any
) -> None:
    """The refresh reads a chunk, assesses it, then writes; an event recorded in between
    keeps the projection event_record computed from it (the refresh's would be stale)."""
    from toevlucht.cases import refresh, services

    app = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})])
    fetch = refresh._fetch

    def fetch_then_someone_records(ids: Any) -> Any:
        raw = fetch(ids)
        services.event_record(
            actor=None,
            application=app,
            kind="decision_notified",
            effective_date=D(2022, 5, 2),
            data={"outcome": "granted", "procedure": "extended"},
        )
        return raw

    monkeypatch.setattr(refresh, "_fetch", fetch_then_someone_records)
    refresh_all(D(2022, 5, 9), processes=1, force=True)
    s = CaseStatus.objects.get(application=app)
    assert s.decision_status == "met"  # from the decision, not the stale "running"
    assert s.stage != "registration"


def test_the_bulk_table_built_in_worker_processes_is_the_same(make_case: Any) -> None:
    from toevlucht.cases.refresh import open_cases_table
    from toevlucht.law.bulk import compute, result_row

    apps = [
        make_case(nationality="SYR", events=[("application_lodged", D(2022, 1, 3 + i), {})])
        for i in range(5)
    ]
    make_case(nationality="RUS")
    as_of = D(2022, 7, 6)
    ids1, t1 = open_cases_table(as_of, processes=1)
    ids2, t2 = open_cases_table(as_of, processes=2)
    assert ids1 == ids2 == sorted(ids1)
    r1, r2 = compute(t1, as_of), compute(t2, as_of)
    assert [result_row(r1, i) for i in range(len(ids1))] == [
        result_row(r2, i) for i in range(len(ids2))
    ]
    syr_ids, _ = open_cases_table(as_of, {"SYR"})
    assert syr_ids == [a.pk for a in apps]


def test_a_refresh_recomputes_a_case_once_the_day_its_projection_holds_until_has_come(
    make_case: Any,
) -> None:
    app = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})])
    s = CaseStatus.objects.get(application=app)
    assert (s.decision_due, s.valid_until) == (D(2022, 9, 10), D(2022, 9, 11))
    before = refresh_all(D(2022, 9, 10))
    assert (before.cases, before.unchanged) == (0, 1)  # still holds: only the clock moves
    assert CaseStatus.objects.get(application=app).computed_on == D(2022, 9, 10)
    on = refresh_all(D(2022, 9, 11))
    assert (on.cases, on.changed) == (1, 1)
    s = CaseStatus.objects.get(application=app)
    # overdue holds until the general extension of 27 September 2022 is announced: it cannot
    # move an expired term, but it will be in force for the case
    assert (s.overdue, s.valid_until) == (True, D(2022, 9, 27))


def test_a_projection_without_its_valid_until_and_an_error_are_always_recomputed(
    make_case: Any,
) -> None:
    kept = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})])
    broken = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 11), {})])
    CaseStatus.objects.filter(pk=kept.pk).update(valid_until=D(2022, 5, 9))  # as migrated
    CaseStatus.objects.filter(pk=broken.pk).update(error="could not", valid_until=None)
    report = refresh_all(D(2022, 5, 10))
    assert report.cases == 2
    assert CaseStatus.objects.get(pk=kept.pk).valid_until == D(2022, 9, 11)
    assert CaseStatus.objects.get(pk=broken.pk).error == ""


def test_a_refresh_that_fails_before_moving_the_clocks_has_written_nothing(
    make_case: Any, monkeypatch: Any
) -> None:
    """The clocks of the cases that need no recompute move in the last chunk's transaction:
    a refresh killed there leaves whole chunks, not a chunk with half the clocks moved
    (CI killed one between the two and found 517 of 645 cases on the new day)."""
    overdue = make_case(nationality="SYR", events=[("application_lodged", D(2021, 8, 31), {})])
    running = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})])
    before = {s.pk: s.computed_on for s in CaseStatus.objects.all()}

    def fail(*_: Any) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(refresh, "_touch_clock", fail)
    with pytest.raises(RuntimeError):
        refresh_all(D(2022, 9, 11))
    assert {s.pk: s.computed_on for s in CaseStatus.objects.all()} == before
    monkeypatch.undo()
    refresh_all(D(2022, 9, 11))
    assert set(
        CaseStatus.objects.filter(pk__in=[overdue.pk, running.pk]).values_list(
            "computed_on", flat=True
        )
    ) == {D(2022, 9, 11)}
