"""``toevlucht refresh [--as-of DATE]``: recompute every open case's status (deadlines
expire without any event)."""

from __future__ import annotations

import argparse
import sys
import time

from toevlucht.cli._django import date_arg, law_date_problem, migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the date to compute for (default: the case clock's today)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--all",
        action="store_true",
        help="recompute every open case, not only those time may have changed",
    )


def run(args: argparse.Namespace) -> int:
    problem = args.as_of and law_date_problem(args.as_of)
    if problem:
        print(f"toevlucht refresh: --as-of {args.as_of.isoformat()}: {problem}", file=sys.stderr)
        return 2
    setup(args.as_of)
    migrate_quietly()
    from tqdm import tqdm

    from toevlucht.cases.refresh import refresh_all

    t0 = time.perf_counter()
    bar = tqdm(total=0, unit="case", disable=args.quiet, desc="refresh")

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    report = refresh_all(args.as_of, progress, force=args.all)
    bar.close()
    print(
        f"refresh on {report.as_of.isoformat()}: {report.cases + report.unchanged} open cases, "
        f"{report.cases} recomputed, {report.changed} changed, "
        f"{report.errors} could not be assessed ({time.perf_counter() - t0:.1f} s)"
    )
    return 0
