"""The exposure and backtest pages' plots (PNG, inline), from
:mod:`toevlucht.forecasts.exposure` and the latest backtest."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from toevlucht.analysis.labels import group_label, queue_label, target_label
from toevlucht.forecasts import exposure as ex
from toevlucht.forecasts import services
from toevlucht.forecasts.models import BacktestGroup, BacktestRun

__all__ = ["coverage_plot", "exposure_plot", "latest_backtest", "pace_plot"]

EXPOSURE_REPLICATIONS = 100
NEEDED_REPLICATIONS = 40
NEEDED_STEPS = 12
FULL_BUDGET_CASES = 20_000  # up to this many open cases, the full replications


def replications(base: int, floor: int, cases: int) -> int:
    """Fewer replications for a larger backlog (the run's cost grows with both), never fewer
    than ``floor``: 100 up to 20,000 open cases, 30 from about 67,000."""
    return max(floor, min(base, base * FULL_BUDGET_CASES // max(cases, 1)))


# --- plots -----------------------------------------------------------------------------------


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def exposure_plot(e: ex.Exposure) -> str:
    """Cases passing their term within 4, 13 and 26 weeks, per queue: the median over the
    replications, with the p10–p90 band as whiskers."""
    fig = Figure(figsize=(7.5, 3.6))
    ax = fig.subplots()
    rows = [r for r in e.rows if r.open_cases]
    width = 0.8 / max(1, len(rows))
    for k, r in enumerate(rows):
        xs = [i + k * width for i in range(len(ex.HORIZON_WEEKS))]
        mid = [r.passing[w].p50 for w in ex.HORIZON_WEEKS]
        lo = [r.passing[w].p50 - r.passing[w].p10 for w in ex.HORIZON_WEEKS]
        hi = [r.passing[w].p90 - r.passing[w].p50 for w in ex.HORIZON_WEEKS]
        ax.bar(xs, mid, width=width, yerr=[lo, hi], capsize=3, label=queue_label(r.queue))
    ax.set_xticks(
        [i + 0.4 - width / 2 for i in range(len(ex.HORIZON_WEEKS))],
        [_("%(weeks)s weeks") % {"weeks": w} for w in ex.HORIZON_WEEKS],
    )
    ax.set_ylabel(_("open cases passing their term"))
    ax.grid(axis="y", alpha=0.3)
    if rows:
        ax.legend(fontsize=7)
    fig.tight_layout()
    return _png(fig)


def pace_plot(needed: Sequence[ex.Needed]) -> str:
    """The current pace and the pace needed, per queue."""
    fig = Figure(figsize=(7.5, 2.8))
    ax = fig.subplots()
    names = [queue_label(n.queue) for n in needed]
    ys = range(len(names))
    ax.barh([y + 0.2 for y in ys], [n.current_per_week for n in needed], 0.4, label=_("now"))
    ax.barh(
        [y - 0.2 for y in ys],
        [n.per_week or 0 for n in needed],
        0.4,
        label=_("needed"),
    )
    ax.set_yticks(list(ys), names)
    ax.set_xlabel(_("decisions per week"))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return _png(fig)


def coverage_plot(groups: Sequence[BacktestGroup], threshold: float, min_outcomes: int) -> str:
    """Each group's coverage of the p10–p90 band, against the threshold: green where the
    group passes, red where it fails, grey where it has too few outcomes to be judged."""
    shown = [g for g in groups if g.coverage is not None]
    fig = Figure(figsize=(7.5, max(2.0, 0.2 * len(shown) + 1)))
    ax = fig.subplots()
    labels = [
        f"{target_label(g.target)} · {queue_label(g.queue)} · {group_label(g.nationality_group)}"
        for g in shown
    ]

    def colour(g: BacktestGroup) -> str:
        if g.outcomes < min_outcomes:
            return "tab:gray"
        return "tab:green" if g.passes else "tab:red"

    ax.barh(range(len(shown)), [g.coverage or 0 for g in shown], color=[colour(g) for g in shown])
    ax.axvline(threshold, color="black", ls="--", lw=1, label=_("threshold"))
    ax.set_yticks(list(range(len(shown))), labels, fontsize=6)
    ax.invert_yaxis()  # in the table's order
    ax.set_xlim(0, 1)
    ax.set_xlabel(_("share of outcomes inside the p10–p90 band"))
    ax.legend(fontsize=7)
    fig.tight_layout()
    return _png(fig)


# --- the backtest and a supervisor's pace ----------------------------------------------------


def latest_backtest() -> tuple[BacktestRun | None, list[BacktestGroup]]:
    run = services.latest_backtest()
    if run is None:
        return None, []
    return run, list(run.groups.order_by("target", "queue", "nationality_group"))
