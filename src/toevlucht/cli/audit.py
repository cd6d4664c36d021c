"""``toevlucht audit verify``: check that the audit log and the procedure events are complete
and unaltered (their keyed hash chains and the signed checkpoint)."""

from __future__ import annotations

import argparse

from toevlucht.cli._django import migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["verify"], help="verify: recompute the hash chain")


def run(args: argparse.Namespace) -> int:
    setup()
    migrate_quietly()
    from toevlucht.audit.log import checkpoint_path, verify

    result = verify()
    if result.ok:
        print(
            f"audit log verified: {result.entries} entries and "
            f"{result.rows.get('events', 0)} procedure events, chains intact, "
            f"checkpoint {checkpoint_path()} matches"
        )
        return 0
    print(
        f"audit log NOT intact ({result.entries} entries, "
        f"{result.rows.get('events', 0)} procedure events):"
    )
    for problem in result.problems:
        print(f"  - {problem}")
    return 1
