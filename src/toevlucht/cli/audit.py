"""``toevlucht audit verify``: check that the audit log and the procedure events are complete
and unaltered (their keyed hash chains and the signed checkpoint).

``toevlucht audit rotate``: hand the chains over to a new key. Run it with the new key as
``TOEVLUCHT_AUDIT_KEY`` and the old one in ``TOEVLUCHT_AUDIT_KEYS_OLD``, while nothing else
writes (docs/operations.md, "Rotating the audit key")."""

from __future__ import annotations

import argparse

from toevlucht.cli._django import migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action",
        choices=["verify", "rotate"],
        help="verify: recompute the hash chains; rotate: hand them over to TOEVLUCHT_AUDIT_KEY",
    )


def run(args: argparse.Namespace) -> int:
    setup()
    migrate_quietly()
    from toevlucht.audit.log import RotationRefused, checkpoint_path, rotate, verify

    if args.action == "rotate":
        try:
            entry = rotate()
        except RotationRefused as exc:
            print(f"audit key NOT rotated: {exc}")
            return 1
        d = entry.detail
        print(
            f"audit key rotated from {d['from_key']} to {d['to_key']} at entry {entry.seq}; "
            "keep the old key in TOEVLUCHT_AUDIT_KEYS_OLD to verify the rows it sealed"
        )
        return 0
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
