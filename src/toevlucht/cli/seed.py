"""``toevlucht seed --cases N [--as-of DATE] [--seed S]``: generate N realistic cases."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from toevlucht.cli._django import date_arg, migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cases", type=int, required=True, metavar="N")
    p.add_argument("--as-of", type=date_arg, default=dt.date(2022, 5, 9), metavar="YYYY-MM-DD")
    p.add_argument("--seed", type=int, default=1, help="random seed (different seeds add more)")
    p.add_argument("--quiet", action="store_true")


def run(args: argparse.Namespace) -> int:
    if args.cases < 1 or args.cases > 5_000_000:
        print(
            f"toevlucht seed: --cases must be between 1 and 5,000,000, got {args.cases}",
            file=sys.stderr,
        )
        return 2
    from toevlucht.cli._django import law_date_problem

    # the generated histories start up to a year before --as-of
    problem = law_date_problem(args.as_of, args.as_of - dt.timedelta(days=366))
    if problem:
        print(f"toevlucht seed: --as-of {args.as_of.isoformat()}: {problem}", file=sys.stderr)
        return 2
    setup(args.as_of)
    migrate_quietly()
    from tqdm import tqdm

    from toevlucht.cases.models import Application
    from toevlucht.demo.seed import seed_cases

    if Application.objects.filter(reference__startswith=f"S{args.seed:03d}-").exists():
        print(
            f"toevlucht seed: cases with seed {args.seed} exist already; use another --seed",
            file=sys.stderr,
        )
        return 2
    t0 = time.perf_counter()
    bar = tqdm(total=args.cases, unit="case", disable=args.quiet, desc="seed")

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.n)

    n = seed_cases(args.cases, as_of=args.as_of, seed=args.seed, progress=progress)
    bar.close()
    print(f"seeded {n} cases ({time.perf_counter() - t0:.1f} s)")
    return 0
