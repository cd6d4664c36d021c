"""Whether a forecast may be shown: forecasts made at past days, from what was known on each
day only, compared with what came.

On each backtest day ``D`` (the first of each month over the history the case core holds,
from one window after its first event to a month before today) the snapshot of ``D`` is
taken (the events known on ``D``: :mod:`toevlucht.forecasts.snapshot`) and every open case is
forecast as on that day. Each forecast is then compared with today's snapshot:

* the decision (or the next step) came on day ``t``: the forecast *held* if ``p10 <= t <= p90``;
  its error is ``t - p50`` days;
* it has not come by today, and today is past the p90: it did not hold (known already);
* it has not come and today is not past the p90, or the case ended without it (withdrawn,
  transferred): no outcome yet; counted as *censored*, left out of the coverage.

The coverage of a group (target, queue, nationality group) is held / outcomes. A group
*passes* when it has at least ``min_outcomes`` outcomes and a coverage of at least
``min_coverage`` (the settings; by default 70 % of outcomes inside the 80 % band). The track
record shown beside a forecast counts the outcomes that came in the last quarter.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from toevlucht.forecasts.engine import Params, Result, run
from toevlucht.forecasts.snapshot import CaseRow, Snapshot

__all__ = ["GroupScore", "Report", "backtest_days", "score"]

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


def _add(
    g: GroupScore,
    made: Result,
    days: tuple[float, float, float],
    came: dt.date | None,
    ended: bool,
    today: dt.date,
) -> None:
    g.forecasts += 1
    lo, mid, hi = (made.day(x) for x in days)
    if came is not None:
        held = lo is not None and lo <= came and (hi is None or came <= hi)
        if hi is None:
            g.censored += 1  # the band reaches past the horizon: no outcome can fall outside
            return
        g.outcomes += 1
        g.held += held
        if mid is not None:
            g.errors.append((came - mid).days)
        if (today - came).days <= RECENT_DAYS:
            g.recent_outcomes += 1
            g.recent_held += held
    elif not ended and hi is not None and today > hi:
        g.outcomes += 1  # not come, and already later than the band's end
        if (today - hi).days <= RECENT_DAYS:
            g.recent_outcomes += 1
    else:
        g.censored += 1


def score(
    today: Snapshot,
    past: Iterable[Snapshot],
    p: Params,
    *,
    groups: Mapping[str, str],
    progress: Callable[[dt.date], None] | None = None,
) -> Report:
    """Forecast each past snapshot as on its day and score it against ``today``."""
    now = {r.application: r for r in today.rows}
    past = list(past)
    rep = Report(today.as_of, [s.as_of for s in past])
    for snap in past:
        if progress is not None:
            progress(snap.as_of)
        made = run(snap, p, groups=groups)
        for c in made.cases:
            if c.reason:
                continue
            nat = c.group.split("|", 1)[1]
            for target, days in (("decision", c.decision_days), ("next_step", c.next_days)):
                key = (target, c.group)
                g = rep.groups.get(key)
                if g is None:
                    g = rep.groups[key] = GroupScore(target, c.queue, nat)
                came, ended = _came(now.get(c.application), c.queue, target == "decision")
                _add(g, made, days, came, ended, today.as_of)
    return rep
