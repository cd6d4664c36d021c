"""The exposure computations on hand-made backlogs whose answers are known, and the exposure
and backtest pages: who may see them, who may set a pace, and that bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import Any

import pytest
from django.test import Client

from toevlucht.audit.models import AuditEntry
from toevlucht.forecasts import exposure as ex
from toevlucht.forecasts.engine import Params
from toevlucht.forecasts.models import BacktestGroup, BacktestRun, CapacitySetting
from toevlucht.forecasts.snapshot import CaseRow, Leg, Snapshot
from toevlucht.law.params import value

AS_OF = dt.date(2023, 6, 5)  # a Monday, after court practice on penalties is known (data)
Q = "vw2000:decision"


def backlog(dues: list[int], *, waited: int = 30) -> Snapshot:
    """Open cases in the old regime's decision queue, entered ``waited`` days ago (so past
    the fast path), whose terms end ``dues`` days from the day."""
    snap = Snapshot(AS_OF)
    entered = AS_OF - dt.timedelta(days=waited)
    for i, due in enumerate(dues):
        snap.rows.append(
            CaseRow(
                application=i + 1,
                nationality="SYR",
                regime="vw2000",
                legs=(Leg(Q, entered, None),),
                open=True,
                queue=Q,
                since=entered,
                waiting_since=entered,
                reason="",
                decision_due=AS_OF + dt.timedelta(days=due),
                hold_until=None,
            )
        )
    return snap


def prep(snap: Snapshot, per_week: float) -> ex.Prepared:
    return ex.prepare(snap, Params(window_days=91), per_week={Q: per_week})


def working_days(first: int, last: int) -> int:
    """Monday to Friday among days ``first``..``last`` from AS_OF."""
    return sum((AS_OF + dt.timedelta(days=d)).weekday() < 5 for d in range(first, last + 1))


def expected_decided(lam: float, n: int) -> float:
    """E[min(N, n)] for N ~ Poisson(lam): how many of n queued cases a Poisson pace serves."""
    pmf = [math.exp(-lam) * lam**k / math.factorial(k) for k in range(n)]
    return sum(k * p for k, p in enumerate(pmf)) + n * (1 - sum(pmf))


# --- the counts ------------------------------------------------------------------------------


def test_ten_cases_whose_terms_end_in_week_three_pass_them_at_a_pace_that_cannot_serve_them() -> (
    None
):
    p = prep(backlog([20] * 10), per_week=1e-6)
    e = ex.exposure(p, replications=50)
    for w in ex.HORIZON_WEEKS:
        b = e.total[w]
        assert (b.p10, b.p50, b.p90) == (10, 10, 10)
    (row,) = e.rows
    assert row.queue == Q
    assert row.open_cases == 10
    assert row.past_term == 0


def test_at_a_pace_of_one_a_week_the_count_is_the_poisson_expectation() -> None:
    """Terms end on day 20; a fixed pace of 1 a week serves Poisson(working days / 5) cases
    by then (days 1..20); the others pass their term: 10 - E[min(N, 10)] on average."""
    # the five with later terms came a day later (same-day cases are served in random order)
    snap = backlog([20] * 10)
    later = backlog([60] * 5, waited=29).rows
    snap.rows.extend(replace(r, application=r.application + 10) for r in later)
    p = prep(snap, per_week=1.0)
    e = ex.exposure(p, replications=200, seed=3)
    expected = 10 - expected_decided(working_days(1, 20) / 5, 10)
    assert abs(e.total[4].mean - expected) < 0.4, (e.total[4], expected)
    assert e.total[4].p10 <= e.total[4].p50 <= e.total[4].p90
    # the five whose terms end on day 60 count within 13 weeks, not within 4
    assert e.total[13].mean > e.total[4].mean + 3


def test_a_pace_that_decides_everyone_at_once_leaves_no_one_past_the_term() -> None:
    e = ex.exposure(prep(backlog([20] * 10), per_week=9999), replications=20)
    assert e.total[4].p90 == 0


def test_a_decision_on_the_terms_last_day_is_in_time() -> None:
    """At a pace that serves everyone on day 1 (a Tuesday), cases whose term ends on day 1
    are in time; those whose term ends on day 0 (the day itself) are not."""
    e = ex.exposure(prep(backlog([1] * 10 + [0] * 3), per_week=9999), replications=20)
    assert (e.total[4].p10, e.total[4].p90) == (3, 3)


def test_cases_already_past_the_term_are_counted_apart() -> None:
    e = ex.exposure(prep(backlog([-5, -1, 20]), per_week=1e-6), replications=10)
    (row,) = e.rows
    assert row.past_term == 2
    assert e.total[4].p50 == 1


# --- the capacity needed ---------------------------------------------------------------------


def test_the_pace_needed_is_where_the_poisson_pace_keeps_the_share() -> None:
    """90 % of 10 cases due on day 20: the smallest weekly pace x with
    E[min(Poisson(x * wd / 5), 10)] >= 9, wd the working days 1..20."""
    p = prep(backlog([20] * 10), per_week=1.0)
    n = ex.needed(p, Q, target=0.9, from_day=AS_OF, replications=200, steps=14)
    wd = working_days(1, 20)
    lo, hi = 0.1, 1000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if expected_decided(mid * wd / 5, 10) / 10 >= 0.9 else (mid, hi)
    assert n.per_week is not None
    assert abs(n.per_week - hi) / hi < 0.2, (n.per_week, hi)
    assert n.current_per_week == 1.0
    assert n.cases == 10
    assert n.current_share is not None
    assert n.current_share < 0.9


def test_cases_due_before_the_first_service_day_make_the_target_unreachable() -> None:
    p = prep(backlog([0] * 10), per_week=1.0)  # the first decision can come on day 1
    n = ex.needed(p, Q, target=0.5, from_day=AS_OF, replications=10)
    assert n.per_week is None
    assert n.share_at_max == 0


def test_the_pace_needed_counts_only_the_terms_ending_from_the_chosen_day() -> None:
    p = prep(backlog([0] * 10 + [200] * 4), per_week=1.0)
    n = ex.needed(p, Q, target=0.9, from_day=AS_OF + dt.timedelta(days=100), replications=20)
    assert n.cases == 4
    assert n.per_week is not None


def test_the_needed_search_refuses_a_share_outside_0_1_and_an_unknown_queue() -> None:
    p = prep(backlog([20]), per_week=1.0)
    with pytest.raises(ValueError, match="target share"):
        ex.needed(p, Q, target=1.0, from_day=AS_OF)
    with pytest.raises(ValueError, match="unknown queue"):
        ex.needed(p, "vw2000:nowhere", target=0.5, from_day=AS_OF)


# --- legal exposure --------------------------------------------------------------------------


def test_court_penalties_follow_the_laws_data_for_a_case_long_past_its_term() -> None:
    """Term ended 60 days ago, never decided in the window: notice 15 days after the term
    (assumed), appeal after the law's wait, a ruling 84 days later (assumed), then the
    court's term and penalty per day up to the maximum, all from the law's data."""
    behaviour = ex.Behaviour("test", 1.0, 14, 1.0, 84)
    p = prep(backlog([-60]), per_week=1e-6)
    legal = ex.legal(p, behaviour, weeks=26, replications=5)
    notice = -60 + 1 + 14
    app = notice + 7 * int(value("appeal_failure_to_decide_wait_weeks", AS_OF).value) + 1
    ruling = app + 84
    ruling_day = AS_OF + dt.timedelta(days=ruling)
    weeks = int(value("court_penalty_decide_within_weeks", ruling_day).value)
    per_day = float(value("court_penalty_eur_per_day", ruling_day).value)
    cap = float(value("court_penalty_max_eur", ruling_day).value)
    court_due = ruling + 7 * weeks
    days = 26 * 7 - max(court_due, 0)
    assert legal.court_practice_known
    assert legal.court_penalty_eur.p50 == pytest.approx(min(cap, per_day * days))
    assert legal.notices.p50 == 0  # the notice came before the window
    assert legal.appeals.p50 == 0
    assert legal.late.p50 == 1


def test_notices_and_appeals_in_the_window_are_weighted_by_the_assumed_shares() -> None:
    behaviour = ex.Behaviour("test", 0.5, 14, 0.5, 84)
    p = prep(backlog([10] * 4), per_week=1e-6)
    legal = ex.legal(p, behaviour, weeks=26, replications=5)
    assert legal.notices.p50 == pytest.approx(4 * 0.5)
    assert legal.appeals.p50 == pytest.approx(4 * 0.5 * 0.5)


def test_before_court_practice_is_in_the_data_no_penalty_is_given() -> None:
    snap = backlog([-200])
    snap.as_of = dt.date(2021, 1, 4)  # the law's data hold no court practice then
    snap.rows = [replace(r, decision_due=dt.date(2020, 6, 1)) for r in snap.rows]
    p = ex.prepare(snap, Params(), per_week={Q: 1e-6})
    legal = ex.legal(p, ex.Behaviour("test", 1.0, 14, 1.0, 84), weeks=4, replications=3)
    assert not legal.court_practice_known
    assert legal.court_penalty_eur.p90 == 0


def test_behaviour_comes_from_a_bundled_scenario() -> None:
    b = ex.behaviour_of("nl-2022")
    assert 0 <= b.notice_share <= 1
    assert b.court_ruling_days > 0


# --- the pages -------------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


PAGES = ("/analysis/exposure/", "/analysis/backtest/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "legal_aid", "applicant", "foreign_caseworker"])
def test_other_roles_get_403(world: dict[str, Any], role: str) -> None:
    c = client_for(world["users"][role])
    for path in PAGES:
        assert c.get(path).status_code == 403, path
    r = c.post("/analysis/backtest/", {"queue": Q, "per_week": "5"})
    assert r.status_code == 403
    assert not CapacitySetting.objects.exists()


@pytest.mark.django_db
def test_signed_out_is_sent_to_sign_in() -> None:
    r = Client().get("/analysis/exposure/")
    assert r.status_code == 302
    assert "login" in r["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "supervisor", "administrator"])
def test_analysts_and_supervisors_see_both_pages(world: dict[str, Any], role: str) -> None:
    c = client_for(world["users"][role])
    for path in PAGES:
        r = c.get(path)
        assert r.status_code == 200, path
        assert b"data:image/png;base64," in r.content or path.endswith("backtest/")


@pytest.mark.django_db
def test_the_exposure_page_computes_the_pace_needed(world: dict[str, Any], settings: Any) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-06-01"
    c = client_for(world["users"]["analyst"])
    r = c.get(
        "/analysis/exposure/",
        {"queue": Q, "target_percent": "90", "from_day": "2022-06-01", "scenario": "nl-2022"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="needed-result"' in html or "No open case on this queue" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target_percent": "0", "from_day": "2022-06-01"}, "target_percent"),
        ({"target_percent": "100", "from_day": "2022-06-01"}, "target_percent"),
        ({"target_percent": "nan", "from_day": "2022-06-01"}, "target_percent"),
        ({"target_percent": "90", "from_day": "2022-05-31"}, "from_day"),
        ({"target_percent": "90", "from_day": "2030-01-01"}, "from_day"),
        ({"target_percent": "90", "from_day": "1 June"}, "from_day"),
        ({"target_percent": "90", "from_day": "2022-06-01", "queue": "x:y"}, "queue"),
    ],
)
def test_bad_exposure_input_is_a_field_error(
    world: dict[str, Any], settings: Any, data: dict[str, str], field: str
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-06-01"
    c = client_for(world["users"]["analyst"])
    r = c.get("/analysis/exposure/", {"queue": Q, "scenario": "nl-2022", **data})
    assert r.status_code == 400
    assert f'id="id_{field}_error"' in r.content.decode()
    assert 'id="needed-result"' not in r.content.decode()


@pytest.mark.django_db
def test_a_supervisor_sets_and_removes_a_pace_under_the_audit_log(world: dict[str, Any]) -> None:
    sv = world["users"]["supervisor"]
    c = client_for(sv)
    before = AuditEntry.objects.filter(purpose="capacity_setting").count()
    r = c.post("/analysis/backtest/", {"queue": Q, "per_week": "42.5", "note": "extra team"})
    assert r.status_code == 302
    s = CapacitySetting.objects.get()
    assert (s.queue, s.per_week, s.set_by_id, s.note) == (Q, 42.5, sv.pk, "extra team")
    entry = AuditEntry.objects.filter(purpose="capacity_setting").latest("seq")
    assert entry.actor_id == sv.pk
    assert entry.detail["per_week"] == 42.5
    page = c.get("/analysis/backtest/").content.decode()
    assert "42.5" in page
    # the exposure page runs that queue at the set pace
    assert "set by a supervisor" in c.get("/analysis/exposure/").content.decode()
    r = c.post("/analysis/backtest/", {"queue": Q, "remove": "on"})
    assert r.status_code == 302
    assert not CapacitySetting.objects.exists()
    assert AuditEntry.objects.filter(purpose="capacity_setting").count() == before + 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"queue": Q, "per_week": "0"}, "per_week"),
        ({"queue": Q, "per_week": "-3"}, "per_week"),
        ({"queue": Q, "per_week": "10000"}, "per_week"),
        ({"queue": Q, "per_week": "inf"}, "per_week"),
        ({"queue": Q, "per_week": "nan"}, "per_week"),
        ({"queue": Q, "per_week": "many"}, "per_week"),
        ({"queue": Q, "per_week": ""}, "per_week"),
        ({"queue": "vw2000:nowhere", "per_week": "5"}, "queue"),
    ],
)
def test_a_bad_pace_is_a_field_error_and_writes_nothing(
    world: dict[str, Any], data: dict[str, str], field: str
) -> None:
    c = client_for(world["users"]["supervisor"])
    before = AuditEntry.objects.count()
    r = c.post("/analysis/backtest/", data)
    assert r.status_code == 400
    assert f'id="id_{field}_error"' in r.content.decode()
    assert not CapacitySetting.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_an_analyst_sees_the_paces_but_may_not_set_one(world: dict[str, Any]) -> None:
    c = client_for(world["users"]["analyst"])
    assert b"Save the pace" not in c.get("/analysis/backtest/").content
    assert c.post("/analysis/backtest/", {"queue": Q, "per_week": "5"}).status_code == 403
    assert not CapacitySetting.objects.exists()


@pytest.mark.django_db
def test_the_backtest_page_lists_the_latest_runs_groups_with_the_threshold(
    world: dict[str, Any],
) -> None:
    old = BacktestRun.objects.create(computed_on=dt.date(2022, 5, 1), params={"min_coverage": 0.5})
    BacktestGroup.objects.create(
        run=old, target="decision", queue=Q, nationality_group="OLD", forecasts=1, outcomes=1,
        held=1, censored=0, coverage=1.0, median_error_days=1.0, recent_outcomes=0,
        recent_held=0, passes=False,
    )  # fmt: skip
    run = BacktestRun.objects.create(
        computed_on=dt.date(2022, 6, 1),
        days=["2022-03-01", "2022-04-01"],
        params={"min_coverage": 0.7, "min_outcomes": 20},
    )
    BacktestGroup.objects.create(
        run=run, target="decision", queue=Q, nationality_group="SYR", forecasts=40,
        outcomes=30, held=24, censored=10, coverage=0.8, median_error_days=12.0,
        recent_outcomes=10, recent_held=8, passes=True,
    )  # fmt: skip
    c = client_for(world["users"]["analyst"])
    html = c.get("/analysis/backtest/").content.decode()
    assert "<td>decision</td><td>decision (Vw 2000)</td><td>Syria</td>" in html  # by name
    assert "OLD" not in html
    assert "0.80" in html
    assert "0.70" in html
    assert "data:image/png;base64," in html
    c.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    html = c.get("/analysis/backtest/").content.decode()
    assert "<td>beslissing</td><td>beslissing (Vw 2000)</td><td>Syrië</td>" in html
    assert "vw2000:" not in html
    assert "SYR" not in html


def test_the_pages_replications_shrink_with_the_backlog_but_not_below_the_floor() -> None:
    from toevlucht.analysis.exposure import replications

    assert replications(100, 30, 500) == 100
    assert replications(100, 30, 40_000) == 50
    assert replications(100, 30, 1_000_000) == 30
