"""Fit nl-2022's free parameters on 2022 and predict 2023 out of sample.

The method is :mod:`toevlucht.sim.fit` (docs/simulation.md, "Fitting"). Two models are fitted
on the published figures of 2022 only, with every capacity frozen at its value on
31 December 2022 (so nothing of 2023 is known but the published inflow, an input):

* FIFO: the capacities of the general and the extended procedure;
* fast lane: the same, plus one ``fast_share`` for every group (a share of the cases
  decided in the general procedure that the IND takes up first).

Both, and nl-2022 as shipped (capacities set by hand on 2022 and 2023), are then run with
another seed and more replications and compared with the published 2022 and 2023 figures.
The table goes into docs/simulation.md between the fit markers; the fitted values of the
simpler model (FIFO), unless the fast lane lowers the 2022 objective by a tenth, go into the
bundled scenario nl-2022-fitted.toml.

Run:  nice .venv/bin/python benchmarks/sim_fit.py [--replications 200] [--fit-replications 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import time
from pathlib import Path

import numpy as np
from _report import load, machine, write_section

from toevlucht.sim import load_scenario, run
from toevlucht.sim.fit import (
    Fit,
    Goal,
    capacity_param,
    fast_share_param,
    fit,
    freeze_capacities,
    simulated,
)
from toevlucht.sim.report import fmt
from toevlucht.sim.runner import Run
from toevlucht.sim.scenario import Scenario, SimStage

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "simulation.md"
FITTED = ROOT / "src" / "toevlucht" / "sim" / "scenarios" / "nl-2022-fitted.toml"
START, END = "<!-- fit:start -->", "<!-- fit:end -->"
FROZEN_ON = dt.date(2022, 12, 31)

# the published figures of 2022 the parameters are fitted to (simulation-notes §5)
FIT_GOALS = (
    Goal(
        key="pending",
        period="2023-01-01",
        value=35790,
        source="pending at the end of 2022, IND via nieuws.nl 2 Feb 2024",
    ),
    Goal(
        key="decisions",
        period="2022",
        value=24000,
        source="decided in 2022, IND report May 2023 via NRC",
    ),
    Goal(
        key="within_term",
        period="2022",
        value=0.15,
        source="'in October 2022, 85 % of decisions were taken after the legal term' "
        "(NH Nieuws on the IND report of May 2023): one month, used for the year",
    ),
    Goal(
        key="wait_median",
        period="2022",
        value=210,
        source="'average time to decision 20 -> 40 weeks during 2022' (NRC May 2023): "
        "30 weeks, an average compared with the simulated median",
    ),
)
# published figures of 2023, not used by the fit
CHECK_GOALS = (
    Goal(key="pending", period="2023-07-01", value=36870, source="IND, July 2023"),
    Goal(key="pending", period="2024-01-01", value=49860, source="AIDA NL statistics (end 2023)"),
    Goal(key="decisions", period="2023", value=35000, source="IND, Jaarcijfers 2023"),
    Goal(
        key="within_15_months",
        period="2023",
        value=0.65,
        source="share of 2023 decisions within 15 months (RD 2025, domain notes 10.11)",
    ),
    Goal(
        key="notices",
        period="2023",
        value=28670,
        source="IND Jaarcijfers 2023 (includes family reunification)",
    ),
    Goal(
        key="penalties_eur",
        period="2023",
        value=11.3e6,
        source="IND Jaarcijfers 2023 (all IND penalty payments)",
    ),
)
WAIT_2023 = (252.0, 365.0)  # "36 weeks in Feb 2023; about a year in Dec 2023" (NH Nieuws)


def _unit(key: str) -> str:
    if key.startswith("within"):
        return "share"
    if key.endswith("eur"):
        return "eur"
    return "days" if key.startswith("wait") else "count"


def _cell(r: Run, g: Goal, lo: float | None = None, hi: float | None = None) -> str:
    x = simulated(r, g)
    p5, p50, p95 = (float(v) for v in np.nanpercentile(x, [5, 50, 95]))
    u = _unit(g.key)
    a, b = (p5, p95) if lo is None else (lo, hi)
    assert b is not None
    inside = (a <= g.value <= b) if lo is None else (a <= p50 <= b)
    mark = " ✓" if inside else ""
    return f"{fmt(p50, u)} ({fmt(p5, u)}–{fmt(p95, u)}){mark}"


def _fitted_toml(model: str, f: Fit, frozen: Scenario) -> str:
    lines = [
        "# nl-2022-fitted — nl-2022 with its free parameters fitted on 2022 (not set by hand).",
        "#",
        f"# Written by benchmarks/sim_fit.py on {dt.date.today()} (the {model} model: FIFO",  # noqa: DTZ011
        "# unless a fast lane fits 2022 a tenth better); the method and the out-of-sample check",
        "# on 2023 are in docs/simulation.md, 'Fitting'. Every capacity is the value it had on",
        "# 31 December 2022, constant from then on: nothing of 2023 went into it.",
        "",
        "[scenario]",
        'extends = "nl-2022"',
        'name = "nl-2022-fitted"',
        'title = "Dutch asylum chain 2022-2024, capacities fitted on 2022"',
        "",
    ]
    fitted = f.apply(frozen)
    for st in SimStage:
        spec = fitted.stages[st]
        value = spec.capacity.on(FROZEN_ON)
        fitted_here = f"stages.{st.value}.capacity" in f.values
        how = "fitted" if fitted_here else "nl-2022's value on 2022-12-31"
        lines += [f"[stages.{st.value}]", f"capacity = {value:.4g}   # {how}"]
        if spec.priority:
            lines.append(f"priority = {list(spec.priority)!r}".replace("'", '"'))
    if "group.fast_share" in f.values:
        lines += [
            "",
            "# the fast lane: groups are lists, which extends replaces, so this file cannot set",
            f"# fast_share = {f.values['group.fast_share']:.3f} on nl-2022's groups; see docs.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--fit-replications", type=int, default=20)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    shipped = load_scenario("nl-2022")
    frozen = freeze_capacities(shipped, FROZEN_ON)
    short = dataclasses.replace(frozen, end=FROZEN_ON)  # the fit sees 2022 only
    gp = capacity_param(SimStage.GENERAL_PROCEDURE, 20, 150, 55)
    va = capacity_param(SimStage.EXTENDED_PROCEDURE, 5, 80, 28)
    t0 = time.perf_counter()
    fifo = fit(short, [gp, va], FIT_GOALS, replications=args.fit_replications)
    fs = fast_share_param(0.0, 0.8, 0.2)
    fast = fit(
        short,
        [gp, va, fs],
        FIT_GOALS,
        replications=args.fit_replications,
        starts=[[*fifo.x, 0.05], [*fifo.x, 0.4]],
    )
    fit_seconds = time.perf_counter() - t0
    print(
        f"fitted in {fit_seconds:.0f} s: FIFO {fifo.values} ({fifo.objective:.4f}); "
        f"fast lane {fast.values} ({fast.objective:.4f})"
    )
    models = {
        "nl-2022 as shipped (by hand, on 2022 and 2023)": shipped,
        "FIFO, fitted on 2022": fifo.apply(frozen),
        "fast lane, fitted on 2022": fast.apply(frozen),
    }
    runs = {k: run(sc, args.replications, seed=1, workers=1) for k, sc in models.items()}
    names = list(runs)
    lines = [
        START,
        f"Generated by `benchmarks/sim_fit.py` on {dt.date.today()} "  # noqa: DTZ011
        f"({machine()}; load {load():.1f}). Fit: {args.fit_replications} replications per "
        f"evaluation, seed 0, {fifo.evaluations} + {fast.evaluations} evaluations, "
        f"{fit_seconds:.0f} s. Check: {args.replications} replications, seed 1. Cells: median "
        "(p5–p95); ✓ where the published figure lies inside the band.",
        "",
        "| fitted on 2022 | FIFO | fast lane |",
        "| --- | ---: | ---: |",
        f"| general procedures started per working day | {fifo.x[0]:.1f} | {fast.x[0]:.1f} |",
        f"| extended-procedure decisions per working day | {fifo.x[1]:.1f} | {fast.x[1]:.1f} |",
        f"| fast_share | (0) | {fast.x[2]:.3f} |",
        f"| objective (sum of squared log ratios) | {fifo.objective:.4f} | {fast.objective:.4f} |",
        "",
        "| figure | published | " + " | ".join(names) + " | source |",
        "| --- | ---: |" + " ---: |" * len(names) + " --- |",
    ]
    for g in FIT_GOALS:
        cells = " | ".join(_cell(runs[n], g) for n in names)
        lines.append(
            f"| **fit** {g.key} {g.period} | {fmt(g.value, _unit(g.key))} | {cells} | {g.source} |"
        )
    for g in CHECK_GOALS:
        cells = " | ".join(_cell(runs[n], g) for n in names)
        lines.append(
            f"| **2023** {g.key} {g.period} | {fmt(g.value, _unit(g.key))} | {cells} | {g.source} |"
        )
    wg = Goal(key="wait_median", period="2023", value=float(np.mean(WAIT_2023)), source="")
    cells = " | ".join(_cell(runs[n], wg, *WAIT_2023) for n in names)
    lines.append(
        f"| **2023** wait_median 2023 | 252d–365d | {cells} | '36 weeks in Feb 2023; about a "
        "year in Dec 2023' (NH Nieuws); ✓ where the median lies in that range |"
    )
    lines.append(END)
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        write_section(DOC, START, END, report)
        # the simpler model unless the fast lane lowers the 2022 objective by a tenth
        better = fast.objective < 0.9 * fifo.objective
        best = ("fast lane", fast) if better else ("FIFO", fifo)
        FITTED.write_text(_fitted_toml(best[0], best[1], frozen), encoding="utf-8")


if __name__ == "__main__":
    main()
