"""Whether a forecast may be shown: forecasts made at past days, from what was known on each
day only, compared with what came.

On each backtest day ``D`` (the first of each month over the history the case core holds,
from one window after its first event to a month before today) the snapshot of ``D`` is
taken (the events known on ``D``: :mod:`toevlucht.forecasts.snapshot`) and every open case is
forecast as on that day. Each forecast is then compared with today's snapshot:

* a forecast is scored once its band has closed (today is past its p90): it *held* if the
  decision (or the next step) came on a day ``t`` with ``p10 <= t <= p90``, and did not hold if
  it came before or after, or has not come; its error is ``t - p50`` days;
* while its band is open, or where the case ended without the step by its band's end
  (withdrawn; one withdrawn later had not had it by then: a miss), it has no outcome:
  counted as *censored*, left out of the coverage. (A step that came before the p10 of a
  band still open is not scored either: see :func:`_add`.)

The coverage of a group (target, queue, nationality group) is held / outcomes. A group
*passes* when it has at least ``min_outcomes`` outcomes and a coverage of at least
``min_coverage`` (the settings; by default 70 % of outcomes inside the 80 % band). The track
record shown beside a forecast counts the forecasts whose band closed in the last quarter.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from toevlucht.forecasts.calibration import MIN_N, Closed, Spread, factors
from toevlucht.forecasts.engine import CaseForecast, Params, Result, run
from toevlucht.forecasts.snapshot import CaseRow, Snapshot

__all__ = ["POOLED", "GroupScore", "Report", "backtest_days", "consistent", "judged", "score"]

RECENT_DAYS = 91  # "last quarter"


@dataclass
class GroupScore:
    target: str  # "decision" | "next_step"
    queue: str
    nationality_group: str
    forecasts: int = 0
    outcomes: int = 0
    held: int = 0
    censored: int = 0
    recent_outcomes: int = 0
    recent_held: int = 0
    errors: list[int] = field(default_factory=list)

    @property
    def coverage(self) -> float | None:
        return self.held / self.outcomes if self.outcomes else None

    @property
    def median_error_days(self) -> float | None:
        return float(statistics.median(abs(e) for e in self.errors)) if self.errors else None

    def passes(self, min_coverage: float, min_outcomes: int) -> bool:
        cov = self.coverage
        return self.outcomes >= min_outcomes and cov is not None and cov >= min_coverage


@dataclass
class Report:
    today: dt.date
    days: list[dt.date]
    groups: dict[tuple[str, str], GroupScore] = field(default_factory=dict)  # (target, group)
    spread: dict[tuple[str, str], Spread] = field(default_factory=dict)  # (target, queue)

    def group(self, target: str, group: str) -> GroupScore | None:
        return self.groups.get((target, group))


def backtest_days(first_event: dt.date, today: dt.date, window_days: int) -> list[dt.date]:
    """The first of each month from one window after the first event to a month before
    today."""
    start = first_event + dt.timedelta(days=window_days)
    day = dt.date(start.year, start.month, 1)
    if day < start:
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    out = []
    while day <= today - dt.timedelta(days=30):
        out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _came(row: CaseRow | None, queue: str, decision: bool) -> tuple[dt.date | None, bool]:
    """(the day the step came, whether the case ended without it) in today's snapshot."""
    if row is None:
        return None, False
    if decision:
        day = next((leg.left for leg in row.legs if leg.queue.endswith(":decision")), None)
    else:
        day = next((leg.left for leg in row.legs if leg.queue == queue), None)
    return day, day is None and not row.open


def _ended_in_band(row: CaseRow | None, made: dt.date, hi: float) -> bool:
    """Whether a case that ended without the step (withdrawn) ended by its band's end, or on
    a day not known: then no one can say whether the step would have come in the band. One
    that ended after the band's end had not had it by then: a miss."""
    end = row.ended_on if row is not None else None
    return end is None or (end - made).days <= hi


def _add(
    g: GroupScore,
    made: Result,
    days: tuple[float, float, float],
    came: dt.date | None,
    ended: bool,
    today: dt.date,
) -> None:
    # ``ended``: the case ended without the step by the band's end (``_ended_in_band``)
    """Score one forecast once its band has closed (today is past its p90), else count it as
    censored. Scoring outcomes as they come would favour the early ones: on a day inside a
    band, a step that came before the p10 is a known miss while one still to come inside the
    band is not yet a known hit, so a group's coverage would be biased down (and its errors
    early) by whatever is still to come. Whether a forecast is scored depends on the forecast
    alone, not on its outcome."""
    g.forecasts += 1
    lo, mid, hi = (made.day(x) for x in days)
    if hi is None or today <= hi or (came is None and ended):
        # the band is still open (or reaches past the horizon), or the case ended without
        # the step (withdrawn, transferred): no outcome
        g.censored += 1
        return
    held = came is not None and lo is not None and lo <= came <= hi
    g.outcomes += 1
    g.held += held
    if came is not None and mid is not None:
        g.errors.append((came - mid).days)
    if (today - hi).days <= RECENT_DAYS:
        g.recent_outcomes += 1
        g.recent_held += held


def _closed(
    made: Iterable[tuple[dt.date, CaseForecast]], rows: Mapping[int, CaseRow], at: dt.date
) -> Iterator[Closed]:
    """The earlier forecasts (their model's bands) whose band had closed by ``at``, with what
    had come of them by then (``rows``: the snapshot of ``at``)."""
    for day, c in made:
        row = rows.get(c.application)
        for target, band in (("decision", c.raw_decision), ("next_step", c.raw_next)):
            hi = band[2]
            if math.isnan(hi) or (at - day).days <= hi:
                continue  # beyond the horizon, or still open on ``at``
            came, ended = _came(row, c.queue, target == "decision")
            if came is None and ended and _ended_in_band(row, day, hi):
                continue
            yield Closed((target, c.queue), band, None if came is None else (came - day).days)


POOLED = "all"  # the nationality group of a queue's pooled score


def score(
    today: Snapshot,
    past: Iterable[Snapshot],
    p: Params,
    *,
    groups: Mapping[str, str],
    progress: Callable[[dt.date], None] | None = None,
    min_calibration: int = MIN_N,
) -> Report:
    """Forecast each past snapshot as on its day, its bands widened by what the forecasts
    before it showed by then (:mod:`toevlucht.forecasts.calibration`), and score it against
    ``today``; the report's ``spread`` is the widening the forecasts made today take. Each
    queue's nationalities are also scored together (nationality group :data:`POOLED`)."""
    now = {r.application: r for r in today.rows}
    past = sorted(past, key=lambda s: s.as_of)
    rep = Report(today.as_of, [s.as_of for s in past])
    earlier: list[tuple[dt.date, CaseForecast]] = []
    for snap in past:
        if progress is not None:
            progress(snap.as_of)
        known = {r.application: r for r in snap.rows}
        spread = factors(_closed(earlier, known, snap.as_of), min_n=min_calibration)
        made = run(snap, p, groups=groups, spread=spread)
        for c in made.cases:
            if c.reason:
                continue
            nat = c.group.split("|", 1)[1]
            for target, days in (("decision", c.decision_days), ("next_step", c.next_days)):
                row = now.get(c.application)
                came, ended = _came(row, c.queue, target == "decision")
                ended = ended and _ended_in_band(row, snap.as_of, days[2])
                for key, group_nat in ((c.group, nat), (f"{c.queue}|{POOLED}", POOLED)):
                    g = rep.groups.get((target, key))
                    if g is None:
                        g = rep.groups[(target, key)] = GroupScore(target, c.queue, group_nat)
                    _add(g, made, days, came, ended, today.as_of)
            earlier.append((snap.as_of, c))
    rep.spread = factors(_closed(earlier, now, today.as_of), min_n=min_calibration)
    return rep


def consistent(held: int, outcomes: int, min_coverage: float, level: float = 0.05) -> bool:
    """Whether ``held`` of ``outcomes`` is consistent with a coverage of ``min_coverage``: the
    chance of so few held or fewer, at that coverage, is at least ``level`` (one-sided
    binomial test)."""
    tail = sum(
        math.comb(outcomes, k) * min_coverage**k * (1 - min_coverage) ** (outcomes - k)
        for k in range(held + 1)
    )
    return tail >= level


def judged(
    own: GroupScore | None, pooled: GroupScore | None, min_coverage: float, min_outcomes: int
) -> tuple[bool, bool]:
    """(passes, judged by the pooled queue) for a nationality group: by its own score where it
    has ``min_outcomes``; with fewer, by its queue's nationalities together — the chain is
    the same for all of them — provided its own few outcomes are consistent with the
    threshold (:func:`consistent`), so that a nationality whose estimates fail is not hidden
    by the others."""
    if own is not None and own.outcomes >= min_outcomes:
        return own.passes(min_coverage, min_outcomes), False
    if pooled is None or not pooled.passes(min_coverage, min_outcomes):
        return False, False
    held, outcomes = (own.held, own.outcomes) if own is not None else (0, 0)
    return consistent(held, outcomes, min_coverage), True
