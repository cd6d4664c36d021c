"""``toevlucht reminders [--as-of DATE] [--schedule]``: send the deadline reminders due
today (each exactly once; e-mail settings in docs/operations.md), or with ``--schedule``
start the periodic run that a running ``python -m django db_worker`` then repeats."""

from __future__ import annotations

import argparse
import sys

from toevlucht.cli._django import date_arg, law_date_problem, migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="the day to send for (default: the case clock's today)",
    )
    p.add_argument(
        "--schedule",
        action="store_true",
        help="enqueue the periodic refresh-and-remind task instead (for db_worker)",
    )


def run(args: argparse.Namespace) -> int:
    problem = args.as_of and law_date_problem(args.as_of)
    if problem:
        print(f"toevlucht reminders: --as-of {args.as_of.isoformat()}: {problem}", file=sys.stderr)
        return 2
    setup(args.as_of)
    migrate_quietly()
    if args.schedule:
        from toevlucht.cases.tasks import schedule_next

        queued = schedule_next(now=True)
        print("reminders: a run is queued" if queued else "reminders: a run is already waiting")
        return 0
    from toevlucht.reminders.services import reminders_send

    r = reminders_send(args.as_of)
    print(
        f"reminders on {r.as_of.isoformat()}: {r.due} due, {r.sent} sent, "
        f"{r.already_sent} sent before, {r.no_email} without e-mail address"
    )
    return 0
