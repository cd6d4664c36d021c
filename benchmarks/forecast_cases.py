"""Benchmark: ``toevlucht forecast`` for every open case of a seeded case core (issue 12:
100,000 open cases in under 60 s), beside ``toevlucht refresh --all`` of the same cases, the
reference: both read every case's history and replay it in the law engine.

Run:  .venv/bin/python benchmarks/forecast_cases.py [--cases 205000] [--as-of 2022-05-10]

About half of the seeded cases are still awaiting a decision on the as-of day; the default
seeds enough for 100,000 of them, and the report says how many were open. Before each timed
command it waits (in 60 s steps, at most ``--max-wait`` seconds) until the 1-minute load is
at most ``--load`` (others share the machine), and reports the load it started at.

SQLite, in a fresh data folder; writes the figures to docs/benchmarks.md between the
forecast-cases markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _report import load, machine, write_section

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- forecast-cases:start -->", "<!-- forecast-cases:end -->"
TOEVLUCHT = str(ROOT / ".venv" / "bin" / "toevlucht")
GOAL_CASES, GOAL_SECONDS = 100_000, 60.0
# a note kept beside the figures: the same command before issue 12's work (measured by hand)
CHANGED = (
    "What changed (issue 12): before, on main 23492c4, the same forecast of a core seeded"
    " the same way (101,549 open of 205,000) took 89.3 s at load 0.4 on this machine (202"
    "6-12-02): the process's start 5.5 s, the snapshot 46.9 s, the chain 9.2 s, storing 2"
    "7.7 s (`bulk_create`). Now the rows are written with one prepared INSERT; the worker"
    " processes read their own cases; the snapshot of a forecast counts, not lists, the c"
    "losed cases whose legs all lie before the window less the fast-path days; the window"
    " is counted in arrays, and the gate, the widening and the groups are looked up once "
    "per queue. The forecasts are the same (`tests/forecasts/test_fast_paths.py`; the sto"
    "red rows of this core compared before and after, with and without a backtest). What "
    "is left is mostly the law engine: every case replayed, the ones awaiting a decision "
    "twice (`law.bulk.table_from_cases` replays them again), and the start of Python, Dja"
    "ngo and scipy."
)
# the reasons an open case is not run forward by the chain (snapshot.Reason)
NOT_RUN = ("set_aside", "dublin", "moratorium_open_ended", "history_error", "not_in_chain")


@dataclass
class Timed:
    seconds: float  # wall clock, the process's start included
    load: float  # the 1-minute load when it started
    stdout: str
    stderr: str

    @property
    def first(self) -> str:
        return self.stdout.strip().splitlines()[0] if self.stdout.strip() else ""


def quiet(limit: float, max_wait: float) -> None:
    waited = 0.0
    while load() > limit and waited < max_wait:
        print(f"load {load():.2f} > {limit}: waiting 60 s", file=sys.stderr, flush=True)
        time.sleep(60)
        waited += 60


def run(cmd: list[str], env: dict[str, str], limit: float, max_wait: float) -> Timed:
    quiet(limit, max_wait)
    started = load()
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return Timed(time.perf_counter() - t, started, out.stdout, out.stderr)


def phases(r: Timed) -> list[tuple[str, float]]:
    """(phase, seconds) from the forecast's progress lines ``[  12.3 s] message``; the last
    phase ends at the command's own total ``(45.6 s)``, and what is left of the wall clock
    is the start of the process (Python, Django, the migration check)."""
    marks = [
        (float(m.group(1)), m.group(2))
        for m in re.finditer(r"^\[\s*([\d.]+) s\] (.*)$", r.stderr, re.MULTILINE)
    ]
    total = re.search(r"^\(([\d.]+) s\)$", r.stdout, re.MULTILINE)
    if not marks or total is None:
        return []
    ends = [t for t, _ in marks[1:]] + [float(total.group(1))]
    names = {
        "reading": "the snapshot (read, replay, law.bulk)",
        "running": "the chain (build, run forward, per case)",
        "storing": "storing the rows",
    }
    out = [
        (names.get(msg.split()[0], msg), end - t) for (t, msg), end in zip(marks, ends, strict=True)
    ]
    return [("the process's start", r.seconds - float(total.group(1))), *out]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=205_000)
    ap.add_argument("--as-of", default="2022-05-10")
    ap.add_argument("--load", type=float, default=1.0, help="wait for a 1-minute load below")
    ap.add_argument("--max-wait", type=float, default=900, help="seconds to wait, at most")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="toevlucht-bench-") as var:
        env = {**os.environ, "TOEVLUCHT_VAR": var}
        env.pop("DATABASE_URL", None)
        print(f"seeding {args.cases:,} cases ...", file=sys.stderr, flush=True)
        seed = run(
            [TOEVLUCHT, "seed", "--cases", str(args.cases), "--quiet"], env, 1e9, 0
        )  # not waited for: not timed against a goal
        lim, wait = args.load, args.max_wait
        ref = run([TOEVLUCHT, "refresh", "--as-of", args.as_of, "--all", "--quiet"], env, lim, wait)
        fc = run([TOEVLUCHT, "forecast", "--as-of", args.as_of], env, lim, wait)
        again = run([TOEVLUCHT, "forecast", "--as-of", args.as_of], env, lim, wait)
    m = re.search(r"(\d+) open cases", fc.first)
    open_cases = int(m.group(1)) if m else 0
    reasons = re.findall(r"^  no decision band: (\w+): (\d+)$", fc.stdout, re.MULTILINE)
    aside = sum(int(n) for r, n in reasons if r in NOT_RUN)
    met = open_cases >= GOAL_CASES and fc.seconds < GOAL_SECONDS and again.seconds < GOAL_SECONDS
    verdict = f"The goal of issue 12, {GOAL_CASES:,} open cases in under {GOAL_SECONDS:.0f} s, " + (
        "is met here." if met else "is not met here."
    )
    report = "\n".join(
        [
            START,
            "## Case forecasts (`benchmarks/forecast_cases.py`)",
            "",
            f"{dt.date.today().isoformat()}, {machine()}; SQLite; "  # noqa: DTZ011
            f"`seed --cases {args.cases:,}` took {seed.seconds:.0f} s. On {args.as_of} "
            f"**{open_cases:,} of the {args.cases:,} seeded cases are open** (awaiting a "
            "decision); each command below waited for a 1-minute load of at most "
            f"{args.load:.1f} (at most {args.max_wait:.0f} s) and started at the load shown.",
            "",
            "| command | time | load | output |",
            "| --- | --- | --- | --- |",
            f"| reference: `refresh --as-of {args.as_of} --all` | {ref.seconds:.1f} s | "
            f"{ref.load:.1f} | {ref.first} |",
            f"| `forecast --as-of {args.as_of}` | {fc.seconds:.1f} s | {fc.load:.1f} | "
            f"{fc.first} |",
            f"| the same again (replacing its rows) | {again.seconds:.1f} s | {again.load:.1f} | |",
            "",
            "Where the forecast's time goes (its progress lines; the second run in brackets):",
            "",
            "| phase | time |",
            "| --- | --- |",
            *(
                f"| {name} | {s:.1f} s ({s2:.1f} s) |"
                for (name, s), (_n, s2) in zip(phases(fc), phases(again), strict=False)
            ),
            "",
            f"Of the open cases, {aside:,} get no forecast from the chain ("
            + ", ".join(f"`{r}` {int(n):,}" for r, n in reasons if r in NOT_RUN)
            + f"); the chain runs the other {open_cases - aside:,} forward 200 times. "
            "The forecast takes the snapshot (every case's history replayed in the law "
            "engine, in worker processes that read their own cases; the closed cases it "
            "does not look at only counted), runs the chain and writes one row per open case. "
            + verdict,
            "",
            CHANGED,
            END,
        ]
    )
    write_section(DOC, START, END, report)
    print(report)


if __name__ == "__main__":
    main()
