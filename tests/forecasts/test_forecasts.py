"""Forecasts from the real backlog (toevlucht.forecasts): a forecast made on a day sees only
what was known that day; the backtest's coverage is counted from outcomes; the API and the
portal show a band only where its group passed the backtest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from rest_framework.test import APIClient

from toevlucht.accounts.models import Organisation, User
from toevlucht.api import tokens
from toevlucht.cases.models import Applicant, Application, CaseStatus, ProcedureEvent
from toevlucht.demo.build import build_demo
from toevlucht.demo.fake import procedure_events
from toevlucht.forecasts import engine
from toevlucht.forecasts.backtest import score
from toevlucht.forecasts.models import Forecast
from toevlucht.forecasts.services import forecast_all, run_backtest
from toevlucht.forecasts.snapshot import CaseRow, Leg, Snapshot, take
from toevlucht.measures.selectors import all_measures

D = dt.date(2021, 9, 1)
P = engine.Params(replications=60, window_days=91, min_group=1, seed=7)


def _case(
    org: Organisation, n: int, events: list[dict[str, Any]], recorded_late: int = 0
) -> Application:
    a = Applicant.objects.create(
        v_number=f"{3000000000 + n}",
        given_names="Иван",
        family_name=f"Петров{n}",
        given_names_latin="Ivan",
        family_name_latin=f"Petrov{n}",
        nationality="SYR",
    )
    app = Application.objects.create(reference=f"TV-T-{n:04d}", applicant=a, organisation=org)
    rows = procedure_events(app, events)
    for r in rows[len(rows) - recorded_late :] if recorded_late else []:
        r.recorded_on = D + dt.timedelta(days=3)  # recorded after the forecast's day
    ProcedureEvent.objects.bulk_create(rows)
    CaseStatus.objects.create(application=app, computed_on=D)
    return app


def _core(org: Organisation) -> list[Application]:
    """60 cases lodged over five months, interviewed in order, one in three decided."""
    out = []
    for n in range(60):
        lodged = dt.date(2021, 4, 1) + dt.timedelta(days=2 * n)
        ev: list[dict[str, Any]] = [{"kind": "asylum_requested", "date": lodged}]
        ev.append({"kind": "application_lodged", "date": lodged + dt.timedelta(days=3)})
        interview = lodged + dt.timedelta(days=30)
        if interview < D:
            ev.append({"kind": "registration_interview_held", "date": interview})
        start = interview + dt.timedelta(days=10)
        if start < D:
            ev.append({"kind": "general_procedure_started", "date": start})
            if n % 3 == 0 and start + dt.timedelta(days=5) < D:
                ev.append(
                    {
                        "kind": "decision_notified",
                        "date": start + dt.timedelta(days=5),
                        "outcome": "granted",
                        "procedure": "general",
                    }
                )
        out.append(_case(org, n, ev))
    return out


def _same(a: engine.Result, b: engine.Result) -> bool:
    key = [(c.application, c.queue, c.next_days, c.decision_days, c.reason) for c in a.cases]
    other = [(c.application, c.queue, c.next_days, c.decision_days, c.reason) for c in b.cases]
    return repr(key) == repr(other)  # NaN (beyond the horizon) is equal to itself here


def test_a_forecast_made_on_a_day_is_the_same_whatever_was_recorded_after_it(db: None) -> None:
    org = Organisation.objects.create(name="IND", kind=Organisation.Kind.AUTHORITY)
    apps = _core(org)
    before = engine.run(take(D, all_measures()), P)
    assert before.cases
    assert any(not np.isnan(c.next_days[1]) for c in before.cases)
    # later: an interview that took effect before D but was recorded after it, a decision
    # and a new case after D, and a case requested before D but recorded after it
    late = apps[-1]
    ProcedureEvent.objects.bulk_create(
        [
            ProcedureEvent(
                application=late, seq=10, kind="registration_interview_held",
                effective_date=D - dt.timedelta(days=1), recorded_on=D + dt.timedelta(days=2),
            ),
            ProcedureEvent(
                application=apps[0], seq=10, kind="general_procedure_started",
                effective_date=D + dt.timedelta(days=5), recorded_on=D + dt.timedelta(days=5),
            ),
        ]
    )  # fmt: skip
    _case(org, 99, [{"kind": "asylum_requested", "date": D - dt.timedelta(days=2)}], 1)
    after = engine.run(take(D, all_measures()), P)
    assert _same(before, after)
    # and the forecast does change once the day is later: the test can fail
    moved = engine.run(take(D + dt.timedelta(days=3), all_measures()), P)
    assert not _same(before, moved)


def _row(app: int, legs: tuple[Leg, ...], open_: bool, queue: str = "") -> CaseRow:
    since = legs[-1].entered if legs else None
    return CaseRow(app, "SYR", "vw2000", legs, open_, queue, since, since, "", None, None)


def test_the_backtest_counts_what_came_inside_and_outside_the_band() -> None:
    q = "vw2000:decision"
    past_day = dt.date(2022, 3, 1)
    # a pace: one case a day left the decision queue in the window (entered 60 days before)
    done = [
        _row(
            1000 + k,
            (Leg(q, past_day - dt.timedelta(days=60 + k), past_day - dt.timedelta(days=1 + k)),),
            False,
        )
        for k in range(91)
    ]
    waiting = [
        _row(k, (Leg(q, past_day - dt.timedelta(days=50 - k), None),), True, q) for k in range(40)
    ]
    past = Snapshot(past_day, done + waiting)
    made = engine.run(past, P, groups={"SYR": "SYR"})
    band = {c.application: [made.day(x) for x in c.decision_days] for c in made.cases}
    today_day = past_day + dt.timedelta(days=40)
    assert band[2][2] < today_day < band[39][2]  # case 2's band has passed, case 39's not

    def came(app: int, day: dt.date) -> CaseRow:
        return _row(app, (Leg(q, past_day - dt.timedelta(days=50 - app), day),), False)

    today_rows = [
        came(0, band[0][1]),  # inside the band
        came(1, band[1][2] + dt.timedelta(days=30)),  # after it
        _row(2, (Leg(q, past_day - dt.timedelta(days=48), None),), True, q),  # not yet: late
        _row(39, (Leg(q, past_day - dt.timedelta(days=11), None),), True, q),  # not yet
        # the others were withdrawn: no outcome
        *[
            _row(k, (Leg(q, past_day - dt.timedelta(days=50 - k), None),), False)
            for k in range(3, 39)
        ],
    ]
    rep = score(Snapshot(today_day, today_rows), [past], P, groups={"SYR": "SYR"})
    g = rep.group("decision", f"{q}|SYR")
    assert g is not None
    assert (g.outcomes, g.held, g.censored) == (3, 1, 37)
    assert g.coverage == pytest.approx(1 / 3)
    assert not g.passes(0.7, 3)
    assert g.passes(0.3, 3)
    assert not g.passes(0.3, 4)


FORECAST_KEYS = {
    "decision_p10",
    "decision_p50",
    "decision_p90",
    "within_term_probability",
    "backtest_coverage",
}
REASONS = {
    "dublin", "moratorium_open_ended", "set_aside", "no_pace", "beyond_horizon", "no_backtest",
    "backtest_too_few", "backtest_failed", "stale", "not_computed", "history_error", "not_in_chain",
}  # fmt: skip


def test_the_api_and_the_portal_show_forecasts_of_the_demo_at_1_october_2022(
    db: None, settings: Any, tmp_path: Any
) -> None:
    settings.VAR_DIR = tmp_path
    as_of = dt.date(2022, 10, 1)
    build_demo(history_until=as_of)
    settings.TOEVLUCHT_AS_OF = as_of.isoformat()
    from toevlucht.cases.refresh import refresh_all

    refresh_all(as_of)
    run = run_backtest(as_of)
    assert run.groups.filter(passes=True).exists()
    assert run.groups.filter(passes=False).exists()
    summary = forecast_all(as_of)
    assert summary.open_cases == Forecast.objects.count() > 0
    # issue 12: in a fresh demo at 1 October 2022, at least half the open cases have one
    assert Forecast.objects.filter(decision_shown=True).count() == summary.forecast
    assert 2 * summary.forecast >= summary.open_cases
    key = tokens.issue(User.objects.get(username="caseworker"))
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    shown = 0
    for f in Forecast.objects.order_by("pk")[:60]:
        body = c.get(f"/api/cases/{f.application_id}/").json()
        fc, reason = body["forecast"], body["forecast_unavailable_reason"]
        if fc is None:
            assert reason in REASONS
            continue
        shown += 1
        assert reason is None
        assert set(fc) >= FORECAST_KEYS
        lo, mid, hi = (
            dt.date.fromisoformat(fc[k]) for k in ("decision_p10", "decision_p50", "decision_p90")
        )
        assert as_of < lo <= mid <= hi
        assert fc["backtest_coverage"] >= settings.TOEVLUCHT_FORECAST_MIN_COVERAGE
        assert fc["within_term_probability"] is None or 0 <= fc["within_term_probability"] <= 1
    assert shown > 0
    # a case with a band that passed, and an event recorded since: not shown until the next run
    f = Forecast.objects.filter(decision_shown=True).first()
    assert f is not None
    last = ProcedureEvent.objects.filter(application_id=f.application_id).order_by("-seq").first()
    assert last is not None
    ProcedureEvent.objects.bulk_create(
        [
            ProcedureEvent(
                application_id=f.application_id,
                seq=last.seq + 1,
                kind="notice_of_default_received",
                effective_date=as_of + dt.timedelta(days=1),
                recorded_on=as_of + dt.timedelta(days=1),
            )
        ]
    )
    body = c.get(f"/api/cases/{f.application_id}/").json()
    assert body["forecast"] is None
    assert body["forecast_unavailable_reason"] == "stale"


@pytest.mark.parametrize("pace", [0.0, -1.0, 10_000.0])
def test_the_database_refuses_a_pace_out_of_range(db: None, pace: float) -> None:
    from django.db import IntegrityError, transaction

    from toevlucht.forecasts.models import CapacitySetting

    with pytest.raises(IntegrityError), transaction.atomic():
        CapacitySetting.objects.create(queue="vw2000:decision", per_week=pace)
    CapacitySetting.objects.create(queue="vw2000:decision", per_week=12.5)
    assert CapacitySetting.objects.count() == 1


def test_the_demo_s_2026_background_is_lawful_and_the_apr_records_its_short_procedures() -> None:
    """Every generated history of the months around the EU Pact reads under the law on the
    day, in the regime its lodging gives it; under the APR the decision leg knows from the
    assigned procedure whether it is one of the short ones (decided out of the line)."""
    import random

    from toevlucht.demo.backlog import pact_histories
    from toevlucht.forecasts.snapshot import _legs
    from toevlucht.law.model import parse_case
    from toevlucht.law.procedure import replay
    from toevlucht.law.regime import Regime

    day = dt.date(2026, 12, 1)
    cases = pact_histories(random.Random(3), day)
    assert len(cases) > 300
    flags: dict[str, set[bool | None]] = {"accelerated": set(), "regular": set()}
    regimes = set()
    for c in cases:
        events = [{**e, "date": e["date"].isoformat()} for e in c.events]
        h = replay(parse_case({"applicant": {"nationality": c.nationality}, "events": events}), day)
        regimes.add(h.regime)
        proc = h.assigned_procedure
        if h.regime is Regime.APR and proc is not None and proc.value in flags:
            decision = [leg for leg in _legs(h) if leg.queue == "apr:decision"]
            flags[proc.value].add(decision[0].fast if decision else None)
    assert regimes == {Regime.VW2000, Regime.APR}
    assert flags == {"accelerated": {True}, "regular": {False}}
    assert pact_histories(random.Random(3), dt.date(2025, 9, 30)) == []
