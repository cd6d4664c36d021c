"""Announcing a policy measure in the app: validated by the law, previewed and applied in
bulk to every case it touches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.cases.announce import measure_announce, measure_preview
from toevlucht.cases.models import CaseStatus
from toevlucht.errors import MeasureRejected, NotAllowed
from toevlucht.measures.models import AnnouncedMeasure

D = dt.date

SYRIA = {
    "id": "syr-2022-test",
    "kind": "decision_moratorium",
    "title_en": "Decision moratorium for Syrian applicants (test)",
    "title_nl": "Besluitmoratorium Syrische aanvragers (test)",
    "effect_status": "confirmed",
    "legal_basis": "vw-43-1",
    "term_extension_months": 6,
    "scope": {"nationalities": ["SYR"]},
    "periods": [
        {
            "from": "2022-05-01",
            "until": "2022-11-01",
            "announced": "2022-05-01",
            "source": {
                "kind": "decree",
                "instrument": "Besluit (test)",
                "url": "https://example.org/stcrt",
                "status": "confirmed",
            },
        }
    ],
}


@pytest.fixture
def cases(make_case: Any) -> dict[str, Any]:
    return {
        "syr": make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})]),
        "syr_decided": make_case(
            nationality="SYR",
            events=[
                ("application_lodged", D(2022, 1, 10), {}),
                (
                    "decision_notified",
                    D(2022, 4, 1),
                    {"outcome": "granted", "procedure": "extended"},
                ),
            ],
        ),
        "rus": make_case(nationality="RUS", events=[("application_lodged", D(2022, 3, 10), {})]),
    }


def test_the_preview_counts_the_cases_a_measure_moves(cases: dict[str, Any]) -> None:
    p = measure_preview(actor=None, definition=SYRIA)
    assert p.touched == [cases["syr"].pk]
    assert p.changed == [cases["syr"].pk]


def test_reading_only_the_scopes_nationalities_gives_the_same_preview(
    cases: dict[str, Any], make_case: Any, monkeypatch: Any
) -> None:
    from toevlucht.cases import announce

    make_case(nationality="XXX", events=[("application_lodged", D(2022, 3, 12), {})])  # unknown
    make_case(nationality="SYR", events=[("application_lodged", D(2021, 6, 1), {})])  # late
    scoped = measure_preview(actor=None, definition=SYRIA)
    read_all = announce.open_cases_table
    monkeypatch.setattr(
        announce, "open_cases_table", lambda as_of, nationalities=(): read_all(as_of)
    )
    everything = measure_preview(actor=None, definition=SYRIA)
    assert scoped == everything
    assert scoped.touched


def test_announcing_a_moratorium_recomputes_the_touched_cases(
    cases: dict[str, Any], make_user: Any
) -> None:
    sv = make_user("sv", "supervisor", "ind")
    row, _ = measure_announce(actor=sv, definition=SYRIA)
    assert (row.cases_touched, row.cases_changed) == (1, 1)
    s = CaseStatus.objects.get(application=cases["syr"])
    assert s.decision_due == D(2023, 3, 10)  # 10 Sep 2022 + 6 months
    assert s.decision_status == "suspended"
    assert "syr-2022-test" in s.measures_in_force
    assert CaseStatus.objects.get(application=cases["rus"]).decision_due == D(2022, 9, 10)
    assert row.recomputed_at is not None


@pytest.fixture
def announced_in_background(
    cases: dict[str, Any],
    make_user: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> tuple[AnnouncedMeasure, Any]:
    """SYRIA announced with TOEVLUCHT_ANNOUNCE_INLINE_MAX 0: its recompute is queued (on a
    backend that keeps the task without running it)."""
    settings.TOEVLUCHT_ANNOUNCE_INLINE_MAX = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    sv = make_user("sv", "supervisor", "ind")
    with django_capture_on_commit_callbacks(execute=True):
        return measure_announce(actor=sv, definition=SYRIA)


def test_past_the_inline_maximum_a_background_task_recomputes_the_cases(
    cases: dict[str, Any], announced_in_background: tuple[AnnouncedMeasure, Any]
) -> None:
    from django.tasks import default_task_backend

    row, preview = announced_in_background
    # announced and counted at once; the projection is not written yet
    assert (row.cases_touched, row.recomputed_at) == (1, None)
    assert preview.terms[cases["syr"].pk] == (
        (D(2022, 9, 10), "running"),
        (D(2023, 3, 10), "suspended"),
    )
    assert CaseStatus.objects.get(application=cases["syr"]).decision_due == D(2022, 9, 10)
    [queued] = default_task_backend.results
    assert queued.args == [row.pk, [cases["syr"].pk]]
    # the worker runs it
    queued.task.call(*queued.args)
    assert CaseStatus.objects.get(application=cases["syr"]).decision_due == D(2023, 3, 10)
    row.refresh_from_db()
    assert row.recomputed_at is not None


def test_a_refresh_finishes_an_announcement_whose_task_was_lost(
    cases: dict[str, Any], announced_in_background: tuple[AnnouncedMeasure, Any]
) -> None:
    from toevlucht.cases.refresh import refresh_all

    row, _ = announced_in_background
    # the worker never runs the task; the (periodic) refresh recomputes every open case
    report = refresh_all(D(2022, 5, 9))
    assert report.cases == CaseStatus.objects.filter(open=True).count()
    assert CaseStatus.objects.get(application=cases["syr"]).decision_due == D(2023, 3, 10)
    row.refresh_from_db()
    assert row.recomputed_at is not None
    assert refresh_all(D(2022, 5, 9)).cases == 0  # done: the next refresh is the usual one


def test_only_a_supervisor_announces(cases: dict[str, Any], make_user: Any) -> None:
    cw = make_user("cw", "caseworker", "ind")
    with pytest.raises(NotAllowed, match="only a supervisor"):
        measure_announce(actor=cw, definition=SYRIA)
    assert not AnnouncedMeasure.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"term_extension_months": 24}, "term_extension_months", "at most 12"),
        ({"kind": "holiday"}, "kind", "'holiday' is not one of"),
        ({"scope": {"nationalities": ["Syria"]}}, "scope.nationalities", "ISO 3166-1"),
        (
            {"periods": [{"from": "2022-13-01", "source": "vw-43-1"}]},
            "periods[0].from",
            "expected a date",
        ),
        ({"id": "ru-conscripts-2022-decision"}, "id", "already exists"),
    ],
)
def test_a_bad_measure_is_rejected_with_the_field(
    cases: dict[str, Any], make_user: Any, change: dict[str, Any], field: str, message: str
) -> None:
    sv = make_user("sv", "supervisor", "ind")
    with pytest.raises(MeasureRejected) as info:
        measure_announce(actor=sv, definition={**SYRIA, **change})
    assert info.value.field == field
    assert message in info.value.message


def test_a_case_without_a_decision_term_is_not_counted_as_changed(
    cases: dict[str, Any], make_case: Any
) -> None:
    waiting = make_case(nationality="AFG", events=[("asylum_requested", D(2022, 4, 1), {})])
    assert CaseStatus.objects.get(application=waiting).decision_due is None
    p = measure_preview(actor=None, definition=SYRIA)
    assert waiting.pk not in p.changed
    assert p.changed == [cases["syr"].pk]


def test_announcing_recomputes_every_case_whose_projection_it_changes(
    cases: dict[str, Any], make_case: Any, make_user: Any
) -> None:
    """Issue 13 item 11: the measure is in force for cases it does not move — a term that
    expired before it started, an applicant whose sex the scope needs but is not recorded —
    and they belong in the work queue's "measure in force" filter at once, not after the
    next refresh. Their projections also hold only until the measure ends."""
    expired = make_case(nationality="SYR", events=[("application_lodged", D(2021, 6, 1), {})])
    unknown_sex = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 12), {})])
    men_only = {**SYRIA, "scope": {"nationalities": ["SYR"], "sexes": ["male"]}}
    sv = make_user("sv", "supervisor", "ind")
    _row, preview = measure_announce(actor=sv, definition=men_only)
    assert expired.pk not in preview.touched  # neither is moved by it ...
    assert unknown_sex.pk not in preview.touched
    for app in (expired, unknown_sex):  # ... but it is in force for both
        s = CaseStatus.objects.get(application=app)
        assert "syr-2022-test" in s.measures_in_force, app
        assert s.valid_until is not None
        assert s.valid_until <= D(2022, 11, 1), app
    assert "syr-2022-test" not in CaseStatus.objects.get(application=cases["rus"]).measures_in_force
    assert set(preview.recompute) >= {expired.pk, unknown_sex.pk}
    assert cases["syr_decided"].pk not in preview.recompute  # decided before it started
