"""``toevlucht forecast [--as-of DATE]``: forecast every open case from the real backlog;
``toevlucht forecast backtest``: check past forecasts against what came (docs/forecasts.md).

``--capacity QUEUE=PER_WEEK`` (repeatable) sets a queue's pace for this run instead of the
window's; ``toevlucht forecast --list-queues`` names the queues.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from toevlucht.cli._django import date_arg, law_date_problem, migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "what",
        nargs="?",
        choices=["cases", "backtest"],
        default="cases",
        help="cases: forecast every open case (default); backtest: score past forecasts",
    )
    p.add_argument("--as-of", type=date_arg, metavar="YYYY-MM-DD", help="default: the case clock")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _say(quiet: bool) -> Any:
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - t0:6.1f} s] {msg}", file=sys.stderr, flush=True)

    return say


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f} %"


def _shown(g: Any) -> str:
    if not g.passes:
        return "no"
    return "yes, by its queue" if g.judged_by_queue else "yes"


def run(args: argparse.Namespace) -> int:
    problem = args.as_of and law_date_problem(args.as_of)
    if problem:
        print(f"toevlucht forecast: --as-of {args.as_of.isoformat()}: {problem}", file=sys.stderr)
        return 2
    setup(args.as_of)
    migrate_quietly()
    from toevlucht.forecasts.services import forecast_all, run_backtest

    say = _say(args.quiet)
    t0 = time.perf_counter()
    if args.what == "backtest":
        bt = run_backtest(args.as_of, progress=say)
        groups = list(bt.groups.order_by("target", "queue", "nationality_group"))
        print(
            f"backtest on {bt.computed_on}: forecasts made on {len(bt.days)} days "
            f"({bt.days[0] if bt.days else '-'} .. {bt.days[-1] if bt.days else '-'})"
        )
        print(
            f"{'target':10} {'queue':32} {'group':6} {'outcomes':>8} {'in band':>8} "
            f"{'coverage':>8} {'median error':>12}  shown"
        )
        for g in groups:
            err = "-" if g.median_error_days is None else f"{g.median_error_days:.0f} d"
            print(
                f"{g.target:10} {g.queue:32} {g.nationality_group:6} {g.outcomes:8} "
                f"{g.held:8} {_pct(g.coverage):>8} {err:>12}  {_shown(g)}"
            )
        if bt.spread:
            print("bands widened by what the past showed (forecasts.calibration):")
            for key, v in sorted(bt.spread.items()):
                f = "none wide enough" if v["factor"] is None else f"x {v['factor']:.2f}"
                print(f"  {key:42} {f:>16}  from {v['n']} closed forecasts")
        print(f"({time.perf_counter() - t0:.1f} s)")
        return 0
    s = forecast_all(args.as_of, progress=say)
    print(
        f"forecast on {s.as_of}: {s.open_cases} open cases; a decision band shown for "
        f"{s.forecast}, a next-step band for {s.next_shown}"
        + (
            f" (backtest {s.backtest})"
            if s.backtest
            else " (no backtest yet: run `toevlucht forecast backtest`)"
        )
    )
    for reason, n in sorted(s.unavailable.items(), key=lambda kv: -kv[1]):
        print(f"  no decision band: {reason}: {n}")
    print(f"{'queue':32} {'waiting':>8} {'per week':>9} {'fast share':>10}")
    for r in s.rates.values():
        if r.waiting or r.observed:
            src = " (set)" if r.set_by_supervisor else ""
            print(f"{r.queue:32} {r.waiting:8} {r.per_week:9.1f} {_pct(r.fast_share):>10}{src}")
    print(f"({time.perf_counter() - t0:.1f} s)")
    return 0
