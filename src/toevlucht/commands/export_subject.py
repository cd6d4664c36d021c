"""``toevlucht export-subject V_NUMBER [--out FILE]``: everything held about one person
(GDPR right of access), as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from toevlucht.commands._django import migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("v_number", metavar="V_NUMBER")
    p.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")


def run(args: argparse.Namespace) -> int:
    setup()
    migrate_quietly()
    from toevlucht.cases.export import SubjectNotFound, export_subject

    try:
        data = export_subject(
            v_number=args.v_number, actor=None, purpose="subject access request (command line)"
        )
    except SubjectNotFound as exc:
        print(f"toevlucht export-subject: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        print(f"wrote {args.out}")
    else:
        print(text)
    return 0
