"""``toevlucht retention [--as-of DATE] [--apply]``: whose personal data is past its
retention period, and with ``--apply`` erase it (``toevlucht.privacy.retention``)."""

from __future__ import annotations

import argparse
import sys

from toevlucht.cli._django import date_arg, migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the date to judge the retention dates by (default: the case clock's today)",
    )
    p.add_argument(
        "--apply",
        action="store_true",
        help="erase their personal data (without it, only count; erasing cannot be undone)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    setup(args.as_of)
    migrate_quietly()
    from tqdm import tqdm

    from toevlucht import clock
    from toevlucht.cases.models import Application
    from toevlucht.privacy.retention import due_for_erasure, erase_due

    as_of = args.as_of or clock.today()
    due = due_for_erasure(as_of)
    n = due.count()
    cases = Application.objects.filter(applicant__in=due).count()
    if not args.apply:
        print(
            f"retention on {as_of.isoformat()}: {n} applicants ({cases} closed cases) are past "
            "their retention date"
            + ("; run with --apply to erase their personal data" if n else "")
        )
        return 0
    bar = tqdm(total=n, unit="person", disable=args.quiet or not n, desc="erase", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.n = done
        bar.refresh()

    report = erase_due(as_of, progress)
    bar.close()
    print(
        f"retention on {as_of.isoformat()}: erased the personal data of {report.applicants} "
        f"applicants ({report.applications} closed cases)"
    )
    return 0
