"""Benchmark: ``toevlucht forecast`` for every open case of a seeded case core (issue 12:
100,000 open cases in under 60 s), beside ``toevlucht refresh --all`` of the same cases, the
reference: both read every case's history and replay it in the law engine.

Run:  .venv/bin/python benchmarks/forecast_cases.py [--cases 100000] [--as-of 2022-05-10]

SQLite, in a fresh data folder; writes the figures to docs/benchmarks.md between the
forecast-cases markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import load, machine, write_section

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- forecast-cases:start -->", "<!-- forecast-cases:end -->"
TOEVLUCHT = str(ROOT / ".venv" / "bin" / "toevlucht")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t, out.strip().splitlines()[0] if out.strip() else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--as-of", default="2022-05-10")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="toevlucht-bench-") as var:
        env = {**os.environ, "TOEVLUCHT_VAR": var}
        env.pop("DATABASE_URL", None)
        print(f"seeding {args.cases:,} cases ...", file=sys.stderr, flush=True)
        seed_s, _ = run([TOEVLUCHT, "seed", "--cases", str(args.cases), "--quiet"], env)
        ref_s, ref_out = run([TOEVLUCHT, "refresh", "--as-of", args.as_of, "--all", "--quiet"], env)
        fc_s, fc_out = run([TOEVLUCHT, "forecast", "--as-of", args.as_of, "--quiet"], env)
        again_s, _ = run([TOEVLUCHT, "forecast", "--as-of", args.as_of, "--quiet"], env)
    report = "\n".join(
        [
            START,
            "## Case forecasts (`benchmarks/forecast_cases.py`)",
            "",
            f"{dt.date.today().isoformat()}, {machine()}, load {load():.1f}; SQLite; "  # noqa: DTZ011
            f"`seed --cases {args.cases:,}` took {seed_s:.0f} s.",
            "",
            "| command | time | output |",
            "| --- | --- | --- |",
            f"| reference: `refresh --as-of {args.as_of} --all` | {ref_s:.1f} s | {ref_out} |",
            f"| `forecast --as-of {args.as_of}` | {fc_s:.1f} s | {fc_out} |",
            f"| the same again | {again_s:.1f} s | |",
            "",
            "The forecast takes the snapshot (every case's history replayed in the law engine, "
            "in worker processes like the refresh), runs the chain forward 200 times and "
            "writes one row per open case. The goal of issue 12: under 60 s for 100,000 open "
            "cases.",
            END,
        ]
    )
    write_section(DOC, START, END, report)
    print(report)


if __name__ == "__main__":
    main()
