"""What of a case's stored forecast may be shown, to staff (API) and to the applicant
(portal): the bands whose group passed the backtest, else the reason why not.

A forecast is made for a day from the history known that day; once an event is recorded
after it, the case may have moved on, and the forecast is not shown until the next run
(reason ``stale``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toevlucht.cases.models import Application, ProcedureEvent
from toevlucht.forecasts.models import Forecast
from toevlucht.forecasts.services import Unavailable

__all__ = ["Band", "Shown", "for_case"]

STALE = "stale"


@dataclass(frozen=True)
class Band:
    p10: dt.date
    p50: dt.date
    p90: dt.date
    coverage: float | None  # the share of such estimates that held in the backtest


@dataclass(frozen=True)
class Shown:
    computed_on: dt.date | None
    queue: str
    next_step: str  # the event kind that ends the wait
    stage_since: dt.date | None
    decision: Band | None
    next: Band | None
    within_term_probability: float | None
    reason: str  # why no decision band ("" when there is one)
    next_reason: str
    track_held: int | None  # last quarter: estimates of such cases that held / all
    track_total: int | None
    usual_n: int
    usual_p50_days: int | None
    usual_p90_days: int | None


def _band(
    lo: dt.date | None, mid: dt.date | None, hi: dt.date | None, cov: float | None
) -> Band | None:
    if lo is None or mid is None or hi is None:
        return None
    return Band(lo, mid, hi, cov)


def for_case(app: Application) -> Shown:
    f = Forecast.objects.filter(application=app).first()
    if f is None:
        return Shown(
            None, "", "", None, None, None, None, Unavailable.NOT_COMPUTED,
            Unavailable.NOT_COMPUTED, None, None, 0, None, None,
        )  # fmt: skip
    newer = ProcedureEvent.objects.filter(application=app, recorded_on__gt=f.computed_on).exists()
    reason = STALE if newer else f.unavailable_reason
    next_reason = STALE if newer else f.next_unavailable_reason
    decision = (
        None
        if reason
        else _band(f.decision_p10, f.decision_p50, f.decision_p90, f.backtest_coverage)
    )
    nxt = (
        None if next_reason else _band(f.next_p10, f.next_p50, f.next_p90, f.next_backtest_coverage)
    )
    return Shown(
        computed_on=f.computed_on,
        queue=f.queue,
        next_step=f.next_step,
        stage_since=f.stage_since,
        decision=decision,
        next=nxt,
        within_term_probability=f.within_term_probability if decision is not None else None,
        reason=reason,
        next_reason=next_reason,
        track_held=f.track_held,
        track_total=f.track_total,
        usual_n=f.usual_n,
        usual_p50_days=f.usual_p50_days,
        usual_p90_days=f.usual_p90_days,
    )
