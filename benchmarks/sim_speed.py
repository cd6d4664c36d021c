"""Benchmark: the simulator against its per-applicant SimPy reference, and the full nl-2022
chain, measured in one run.

Run:  .venv/bin/python benchmarks/sim_speed.py [--des 3] [--replications 1000] [--repeat 3]

1. A reduced chain (one nationality, registration interview → rest → general procedure →
   extended procedure, three years, about 100 lodgings a day): SimPy with one process per
   applicant against the numpy engine on the same scenario; the reference is fed the
   engine's arrivals, and every applicant's decision day is compared (common random numbers).
2. 1,000 replications of the bundled nl-2022 chain over three years, in one process and
   over the machine's cores (the default of ``toevlucht simulate``).
3. The command as a user runs it (``toevlucht simulate nl-2022``, with plots and CSV).

Figures go to docs/benchmarks.md between the sim-speed markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy
from _report import load, machine, write_section

from toevlucht.sim import load_scenario, run
from toevlucht.sim.engine import draw, flows
from toevlucht.sim.flow import joint
from toevlucht.sim.plan import build_plan
from toevlucht.sim.reference import Chain, simulate_des
from toevlucht.sim.scenario import SimStage

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- sim-speed:start -->", "<!-- sim-speed:end -->"

REDUCED = """
[scenario]
name = "reduced"
title = "one nationality, four queues, three years"
start = 2022-01-01
end = 2024-12-31
[[group]]
id = "SYR"
nationality = "SYR"
tracks = { general = 1.0 }
extended_share = 1.0
grant_rate = 0.9
appeal_rate = 0.8
requests_per_month = 3040
[stages.requested]
days = "calendar"
capacity = 1000000
[stages.registration]
capacity = 150
[stages.rest_period]
days = 6
[stages.general_procedure]
capacity = 140
[stages.extended_procedure]
capacity = 139
[stages.safe_country]
capacity = 0
[stages.dublin]
capacity = 0
[stages.appeal]
capacity = 40
[stages.housing]
capacity = 120
[reception]
capacity = 100000
ter_apel_capacity = 2000
departure_days = 28
dublin_exit_days = 60
[appeals]
lodged_after_days = 7
success_share = 0.1
[remedies]
notice_share = 0.5
notice_delay_days = 14
failure_appeal_share = 0.5
court_ruling_days = 56
"""


def reduced(args: argparse.Namespace) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reduced.toml"
        path.write_text(REDUCED, encoding="utf-8")
        sc = load_scenario(str(path))
    plan = build_plan(sc)
    inp = draw(plan, args.des, np.random.SeedSequence(2026))
    fl = flows(plan, inp)
    T = plan.T
    des_times, identical, applicants = [], 0, 0
    for r in range(args.des):
        cap = {k: np.rint(v).astype(np.int64) for k, v in plan.capacity.items()}
        chain = Chain(
            lodged=inp.requests[r].astype(np.int64),
            extended=(True,),
            registration=cap[SimStage.REGISTRATION],
            rest_days=sc.rest_period_days,
            general=cap[SimStage.GENERAL_PROCEDURE],
            gp_end=plan.gp_end,
            extended_capacity=cap[SimStage.EXTENDED_PROCEDURE],
            hold=np.zeros((1, T), bool),
        )
        t0 = time.perf_counter()
        out = simulate_des(chain, seed=r)
        des_times.append(time.perf_counter() - t0)
        applicants += len(out.lodged)
        want = np.zeros((T, T + 1))
        np.add.at(want, (out.lodged, np.where(out.decided >= 0, out.decided, T)), 1)
        _, arr, dep, m = joint(np.cumsum(fl.lodged[r], 1), np.cumsum(fl.decided[r], 1))
        got = np.zeros((T, T + 1))
        np.add.at(got, (arr, dep), m)
        identical += int(np.array_equal(got, want))
    des = statistics.median(des_times)
    run(sc, 50, seed=1, workers=1)  # warm-up
    np_times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        run(sc, args.replications, seed=1, workers=1)
        np_times.append(time.perf_counter() - t0)
    npr = statistics.median(np_times) / args.replications
    ratio = des / npr
    return [
        "### 1. Reduced chain: numpy engine against per-applicant SimPy",
        "",
        "One nationality, registration interview → rest period → general procedure → extended "
        f"procedure, 2022–2024, about 100 lodgings a day ({applicants / args.des:,.0f} "
        "applicants per replication, the queues grow).",
        "",
        "| implementation | per replication | replications timed |",
        "| --- | ---: | ---: |",
        f"| SimPy, one process per applicant (median of {args.des}: "
        f"{', '.join(f'{x:.2f}' for x in des_times)} s) | {des:.2f} s | {args.des} |",
        f"| numpy engine, all outputs, one process (median of {args.repeat} runs of "
        f"{args.replications:,}: {', '.join(f'{x:.2f}' for x in np_times)} s) | "
        f"{npr * 1e3:.2f} ms | {args.replications:,} |",
        "",
        f"**Ratio SimPy : numpy = {ratio:,.0f} ×** (goal ≥ 1,000 ×). Fed the same arrivals, "
        f"{identical} of {args.des} SimPy replications gave every applicant the same decision "
        "day as the engine.",
    ]


def full(args: argparse.Namespace) -> list[str]:
    sc = load_scenario("nl-2022")
    run(sc, 50, seed=1, workers=1)  # warm-up (and the law's due dates, cached per process)
    one_t0 = time.perf_counter()
    run(sc, args.replications, seed=1, workers=1)
    one = time.perf_counter() - one_t0
    pool = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        run(sc, args.replications, seed=1)
        pool.append(time.perf_counter() - t0)
    best = statistics.median(pool)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "toevlucht.cli",
                "simulate",
                "nl-2022",
                "-q",
                "-n",
                str(args.replications),
                "--out",
                tmp,
            ],
            check=True,
            capture_output=True,
        )
        cli = time.perf_counter() - t0
    n = args.replications
    return [
        "### 2. The full nl-2022 chain, three years",
        "",
        f"Five nationality groups (Russia in two profiles), four routes, nine queues, "
        f"{(sc.end - sc.start).days + 1:,} days plus the initial backlog's lodging dates, holds "
        "for the Russia moratorium, due dates from the law engine.",
        "",
        "| run | replications | wall time |",
        "| --- | ---: | ---: |",
        f"| `sim.run`, one process | {n:,} | {one:.1f} s |",
        f"| `sim.run`, {os.cpu_count()} processes (median of {args.repeat}: "
        f"{', '.join(f'{x:.1f}' for x in pool)} s) | {n:,} | {best:.1f} s |",
        f"| `toevlucht simulate nl-2022 -n {n}` (start-up, run, CSV, plots) | {n:,} | "
        f"{cli:.1f} s |",
        "",
        f"**{n:,} replications of nl-2022 in {best:.1f} s** "
        f"({'under' if best < 30 else 'OVER'} the 30 s goal).",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--des", type=int, default=3, help="SimPy replications")
    ap.add_argument("--replications", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args()
    load0 = load()
    body = [*reduced(args), "", *full(args)]
    load1 = load()
    host = machine(f"numpy {np.__version__}", f"SimPy {simpy.__version__}")
    lines = [
        START,
        "## Simulator (`benchmarks/sim_speed.py`)",
        "",
        f"Run on {dt.date.today().isoformat()} on {host}. Wall time, "  # noqa: DTZ011
        f"`time.perf_counter()`; 1-minute load average {load0:.2f} at the start and "
        f"{load1:.2f} at the end (above ~1, other jobs shared the two cores).",
        "",
        *body,
        END,
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        write_section(DOC, START, END, report)


if __name__ == "__main__":
    main()
