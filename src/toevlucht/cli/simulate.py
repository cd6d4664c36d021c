"""``toevlucht simulate SCENARIO [--replications N] [--seed S] [--out DIR] [--compare OTHER]``.

SCENARIO is a TOML file or the name of a bundled scenario (``nl-2022``, ``ru-2022-none``, ...).
Prints a summary table, writes plots (PNG) and the series (CSV) to DIR. ``--compare`` may be
given more than once; all scenarios run with the same seed, side by side.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toevlucht.sim import SimError, bundled_scenarios, load_scenario, run_many


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _seed(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {n}")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="scenario TOML file, or a bundled one: " + ", ".join(bundled_scenarios()),
    )
    p.add_argument(
        "--replications", "-n", type=_positive, default=1000, metavar="N", help="default 1000"
    )
    p.add_argument("--seed", type=_seed, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("simulation-output"),
        metavar="DIR",
        help="where the CSV files and plots go (default simulation-output/)",
    )
    p.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="OTHER",
        help="another scenario to run side by side (repeatable)",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="P",
        help="processes (default: all cores)",
    )
    p.add_argument("--dask", metavar="ADDRESS", help="run on the Dask scheduler at ADDRESS")
    p.add_argument("--no-plots", action="store_true", help="write CSV only")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def fail(message: str) -> int:
    print(f"toevlucht simulate: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from toevlucht.sim.report import summary_text, write_csv

    try:
        scenarios = [load_scenario(s) for s in [args.scenario, *args.compare]]
    except SimError as exc:
        return fail(str(exc))
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        return fail(f"two scenarios have the same name {names}; give each its own [scenario] name")
    try:  # fail before a long run, not after it
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return fail(f"cannot write to {args.out}: {exc.strerror or exc}")
    total = args.replications * len(scenarios)
    try:
        with tqdm(total=total, unit="rep", disable=args.quiet, file=sys.stderr) as bar:

            def advance(n: int) -> None:
                bar.update(n)

            runs = run_many(
                scenarios,
                args.replications,
                args.seed,
                workers=args.workers,
                dask=args.dask,
                progress=advance,
            )
    except SimError as exc:
        return fail(str(exc))
    try:
        files = write_csv(runs, args.out)
        if not args.no_plots:
            from toevlucht.sim.plots import write_plots  # matplotlib: slow to import

            files += write_plots(runs, args.out)
    except OSError as exc:
        return fail(f"cannot write to {args.out}: {exc.strerror or exc}")
    print(summary_text(runs))
    print()
    print(f"Wrote {len(files)} files to {args.out}/: " + ", ".join(f.name for f in files))
    return 0
