"""Running the forecasts and the backtest on the case core, and storing them.

* :func:`forecast_all` — every open case on the case clock's day (or ``as_of``): the
  snapshot, the chain run forward, the gate of the latest backtest, and one
  :class:`~toevlucht.forecasts.models.Forecast` row per open case (the previous rows
  replaced). Run by ``toevlucht forecast`` and after each periodic refresh.
* :func:`run_backtest` — forecasts at the first of each past month, scored against today
  (``toevlucht forecast backtest``); the forecasts shown afterwards are gated by it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field, Min
from django.utils import timezone

from toevlucht import clock
from toevlucht.audit.log import record
from toevlucht.cases.models import Application, ProcedureEvent
from toevlucht.forecasts import engine
from toevlucht.forecasts.backtest import POOLED, Report, backtest_days, judged, score
from toevlucht.forecasts.calibration import Spread, lookup
from toevlucht.forecasts.models import BacktestGroup, BacktestRun, CapacitySetting, Forecast
from toevlucht.forecasts.snapshot import Snapshot, take
from toevlucht.measures.selectors import all_measures

__all__ = [
    "ForecastSummary",
    "Unavailable",
    "forecast_all",
    "latest_backtest",
    "params",
    "run_backtest",
]


class Unavailable:
    """Why a stored forecast is not shown, besides the snapshot's reasons (``Reason``)."""

    NO_PACE = "no_pace"  # no case left its stage in the window, and no pace was set
    BEYOND_HORIZON = "beyond_horizon"  # the band reaches past the horizon
    NO_BACKTEST = "no_backtest"  # no backtest has been run yet
    TOO_FEW = "backtest_too_few"  # too few outcomes of such cases to check the estimates
    FAILED = "backtest_failed"  # such estimates held too rarely in the past
    NOT_COMPUTED = "not_computed"  # no forecast was made for the case (yet)


def params(**overrides: int) -> engine.Params:
    values = {
        "window_days": settings.TOEVLUCHT_FORECAST_WINDOW_WEEKS * 7,
        "replications": settings.TOEVLUCHT_FORECAST_REPLICATIONS,
        "horizon_days": settings.TOEVLUCHT_FORECAST_HORIZON_DAYS,
        "fast_days": settings.TOEVLUCHT_FORECAST_FAST_DAYS,
        "min_group": settings.TOEVLUCHT_FORECAST_MIN_GROUP,
    }
    values.update(overrides)
    return engine.Params(**values)


def capacity_settings() -> dict[str, float]:
    return dict(CapacitySetting.objects.values_list("queue", "per_week"))


def latest_backtest() -> BacktestRun | None:
    return BacktestRun.objects.order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class ForecastSummary:
    as_of: dt.date
    open_cases: int
    forecast: int  # with a decision band shown
    next_shown: int
    unavailable: dict[str, int]
    rates: dict[str, engine.QueueRate]
    backtest: int | None  # the backtest run that gated them


def _gate(
    scores: dict[tuple[str, str], BacktestGroup] | None,
    target: str,
    queue: str,
    group: str,
    min_outcomes: int,
) -> tuple[str, BacktestGroup | None]:
    """Whether the backtest lets a forecast of ``group`` be shown, and the score shown with it
    (its queue's pooled score where the group was judged by it: ``backtest.judged``).
    ``min_outcomes``: the backtest run's own threshold."""
    if scores is None:
        return Unavailable.NO_BACKTEST, None
    g = scores.get((target, group))
    pooled = scores.get((target, f"{queue}|{POOLED}"))
    pooled_failed = pooled is not None and not pooled.passes and pooled.outcomes >= min_outcomes
    if g is None:  # no forecast of such a case in the past: its queue's record, if it passes
        if pooled is not None and pooled.passes:
            return "", pooled
        return (Unavailable.FAILED if pooled_failed else Unavailable.TOO_FEW), None
    if g.passes:
        return "", pooled if g.judged_by_queue and pooled is not None else g
    few = g.outcomes < min_outcomes and not g.judged_by_queue and not pooled_failed
    return (Unavailable.TOO_FEW if few else Unavailable.FAILED), g


def _band_reason(
    days: tuple[float, float, float], rate: engine.QueueRate | None, factor: float
) -> str:
    if math.isinf(factor):
        return Unavailable.FAILED  # more of such estimates never came than any band allows
    if math.isnan(days[1]) and rate is not None and rate.per_week == 0:
        return Unavailable.NO_PACE
    if math.isnan(days[2]):
        return Unavailable.BEYOND_HORIZON
    return ""


def spread_of(run: BacktestRun | None) -> dict[tuple[str, str], Spread]:
    """The widening the backtest ``run`` found, per (target, queue) (``calibration``)."""
    out: dict[tuple[str, str], Spread] = {}
    for key, v in (run.spread if run is not None else {}).items():
        target, queue = key.split("|", 1)
        factor = v.get("factor")
        out[(target, queue)] = Spread(math.inf if factor is None else float(factor), int(v["n"]))
    return out


# The columns of a stored forecast, in the order :func:`forecast_all` builds its rows (the
# test checks that these are all of the model's columns).
STORED = (
    "application_id",
    "queue",
    "group",
    "next_step",
    "stage_since",
    "next_p10",
    "next_p50",
    "next_p90",
    "decision_p10",
    "decision_p50",
    "decision_p90",
    "within_term_probability",
    "decision_shown",
    "next_shown",
    "unavailable_reason",
    "next_unavailable_reason",
    "backtest_coverage",
    "next_backtest_coverage",
    "track_held",
    "track_total",
    "usual_n",
    "usual_p50_days",
    "usual_p90_days",
    "computed_on",
    "computed_at",
)
STORE_BATCH = 10_000


def _field(name: str) -> Field[Any, Any]:
    f = Forecast._meta.get_field(name.removesuffix("_id"))
    assert isinstance(f, Field)
    return f


class _Values:
    """The values of a run's rows as the database takes them: a day as the ORM prepares it
    (``get_db_prep_save``), once per distinct day; ``made``: the run's day and time. The
    other values are already what the ORM would send (text, numbers, booleans, NULL)."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self._field = _field("decision_p50")
        self._days: dict[int, Any] = {}
        self.made = (
            _field("computed_on").get_db_prep_save(as_of, connection),
            _field("computed_at").get_db_prep_save(timezone.now(), connection),
        )

    def date(self, day: dt.date | None) -> Any:
        return None if day is None else self.offset((day - self.as_of).days)

    def offset(self, days: float) -> Any:
        """The day ``days`` after the run's (``engine.Result.day``; NaN: none)."""
        if math.isnan(days):
            return None
        k = int(days)
        if k not in self._days:
            self._days[k] = self._field.get_db_prep_save(
                self.as_of + dt.timedelta(days=k), connection
            )
        return self._days[k]


def _store(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert the forecasts ``rows`` (the values of :data:`STORED`, as :class:`_Values` gives
    them). One prepared INSERT executed many times, as ``cases.projection`` writes the
    statuses: ``bulk_create`` prepares each field of each model instance in Python, which
    took most of a run of 100,000 cases. Call inside a transaction."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column or f.name) for f in map(_field, STORED))
    sql = (
        f"INSERT INTO {qn(Forecast._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(STORED))})"
    )
    with connection.cursor() as cursor:
        for k in range(0, len(rows), STORE_BATCH):
            cursor.executemany(sql, rows[k : k + STORE_BATCH])


def forecast_all(
    as_of: dt.date | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    processes: int | None = None,
) -> ForecastSummary:
    """Forecast every open case on ``as_of`` and store the forecasts."""
    as_of = as_of or clock.today()
    say = progress or (lambda _msg: None)
    p = params()
    say("reading the case core")
    # the closed cases that the forecast does not look at are only counted, not listed
    snap = take(
        as_of, all_measures(), processes=processes, leave_out_before=engine.looks_back_to(as_of, p)
    )
    say(f"running the chain forward for {len(snap.open_rows())} open cases")
    run = latest_backtest()
    spread = spread_of(run)
    res = engine.run(snap, p, per_week=capacity_settings(), spread=spread)
    scores = {(g.target, g.group): g for g in run.groups.all()} if run is not None else None
    min_out = int(
        (run.params or {}).get("min_outcomes", settings.TOEVLUCHT_FORECAST_MIN_OUTCOMES)
        if run is not None
        else settings.TOEVLUCHT_FORECAST_MIN_OUTCOMES
    )
    rows: list[tuple[Any, ...]] = []
    unavailable: dict[str, int] = {}
    shown = next_shown = 0
    stage_since = {r.application: r.since for r in snap.open_rows()}
    # what is the same for every case of a queue or group, once (there are a few dozen)
    factor = functools.cache(lambda target, queue: lookup(spread, target, queue))
    gate = functools.cache(
        lambda target, queue, group: _gate(scores, target, queue, group, min_out)
    )
    no_norm = engine.Norm(0, None, None)
    v = _Values(as_of)
    day, made = v.offset, v.made
    for c in res.cases:
        rate = res.rates.get(c.queue)
        reason = c.reason or _band_reason(c.decision_days, rate, factor("decision", c.queue))
        next_reason = c.reason or _band_reason(c.next_days, rate, factor("next_step", c.queue))
        dec_score = next_score = None
        if not reason:
            reason, dec_score = gate("decision", c.queue, c.group)
        if not next_reason:
            next_reason, next_score = gate("next_step", c.queue, c.group)
        norm = res.norms.get(c.group, no_norm)
        shown += not reason
        next_shown += not next_reason
        if reason:
            unavailable[reason] = unavailable.get(reason, 0) + 1
        rows.append(
            (
                c.application,
                c.queue,
                c.group,
                c.next_step,
                v.date(stage_since.get(c.application)),
                day(c.next_days[0]),
                day(c.next_days[1]),
                day(c.next_days[2]),
                day(c.decision_days[0]),
                day(c.decision_days[1]),
                day(c.decision_days[2]),
                c.within_term,
                not reason,
                not next_reason,
                reason,
                next_reason,
                dec_score.coverage if dec_score is not None else None,
                next_score.coverage if next_score is not None else None,
                dec_score.recent_held if dec_score is not None else None,
                dec_score.recent_outcomes if dec_score is not None else None,
                norm.n,
                norm.p50,
                norm.p90,
                *made,
            )
        )
    say(f"storing {len(rows)} forecasts")
    with transaction.atomic():
        Forecast.objects.all().delete()
        _store(rows)
        record(
            actor=None,
            action="create",
            purpose="forecast",
            object_type="forecast",
            object_ids=[],
            detail={"as_of": as_of.isoformat(), "cases": len(rows), "shown": shown},
        )
    return ForecastSummary(
        as_of=as_of,
        open_cases=len(rows),
        forecast=shown,
        next_shown=next_shown,
        unavailable=unavailable,
        rates=res.rates,
        backtest=run.pk if run is not None else None,
    )


def first_event_day() -> dt.date | None:
    day = ProcedureEvent.objects.aggregate(first=Min("effective_date"))["first"]
    return day if isinstance(day, dt.date) else None


def backtest_report(
    as_of: dt.date,
    *,
    days: list[dt.date] | None = None,
    progress: Callable[[str], None] | None = None,
    processes: int | None = None,
) -> Report:
    """Score forecasts made at ``days`` (default: monthly, :func:`backtest_days`) against
    the case core on ``as_of``; nothing stored."""
    say = progress or (lambda _msg: None)
    p = params(replications=min(100, settings.TOEVLUCHT_FORECAST_REPLICATIONS))
    measures = all_measures()
    first = first_event_day()
    if days is None:
        days = backtest_days(first, as_of, p.window_days) if first is not None else []
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))
    say(f"reading the case core on {as_of}")
    today = take(as_of, measures, ids=ids, processes=processes)
    groups = engine.nationality_groups(today, p.min_group)

    def past() -> list[Snapshot]:
        out = []
        for k, day in enumerate(days, start=1):
            say(f"[{k}/{len(days)}] the case core as known on {day}")
            out.append(take(day, measures, ids=ids, processes=processes))
        return out

    return score(today, past(), p, groups=groups)


def run_backtest(
    as_of: dt.date | None = None,
    *,
    days: list[dt.date] | None = None,
    progress: Callable[[str], None] | None = None,
    processes: int | None = None,
) -> BacktestRun:
    """Run the backtest on the case clock's day (or ``as_of``) and store it."""
    as_of = as_of or clock.today()
    rep = backtest_report(as_of, days=days, progress=progress, processes=processes)
    min_cov = settings.TOEVLUCHT_FORECAST_MIN_COVERAGE
    min_out = settings.TOEVLUCHT_FORECAST_MIN_OUTCOMES
    pooled = {(g.target, g.queue): g for g in rep.groups.values() if g.nationality_group == POOLED}
    with transaction.atomic():
        run = BacktestRun.objects.create(
            computed_on=as_of,
            days=[d.isoformat() for d in rep.days],
            params={**asdict(params()), "min_coverage": min_cov, "min_outcomes": min_out},
            spread={
                f"{t}|{q}": {"factor": None if math.isinf(s.factor) else s.factor, "n": s.n}
                for (t, q), s in rep.spread.items()
            },
        )
        rows = []
        for g in rep.groups.values():
            if g.nationality_group == POOLED:
                passes, by_queue = g.passes(min_cov, min_out), False
            else:
                passes, by_queue = judged(g, pooled.get((g.target, g.queue)), min_cov, min_out)
            rows.append(
                BacktestGroup(
                    run=run,
                    target=g.target,
                    queue=g.queue,
                    nationality_group=g.nationality_group,
                    forecasts=g.forecasts,
                    outcomes=g.outcomes,
                    held=g.held,
                    censored=g.censored,
                    coverage=g.coverage,
                    median_error_days=g.median_error_days,
                    recent_outcomes=g.recent_outcomes,
                    recent_held=g.recent_held,
                    passes=passes,
                    judged_by_queue=by_queue,
                )
            )
        BacktestGroup.objects.bulk_create(rows)
    return run
