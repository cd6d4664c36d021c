"""``toevlucht export-subject V_NUMBER [--out FILE]``: everything held about one person
(GDPR right of access), as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys

from toevlucht.cli._django import migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("v_number", metavar="V_NUMBER")
    p.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")


def _fail(message: str) -> int:
    print(f"toevlucht export-subject: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if args.out:  # before the export, which is audited: fail before reading anything
        folder = os.path.dirname(os.path.abspath(args.out))
        if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
            return _fail(f"cannot write {args.out}: no writable folder {folder}")
        if os.path.isdir(args.out):
            return _fail(f"cannot write {args.out}: it is a folder")
    setup()
    migrate_quietly()
    from toevlucht.privacy.export import SubjectNotFound, export_subject

    try:
        data = export_subject(
            v_number=args.v_number, actor=None, purpose="subject access request (command line)"
        )
    except SubjectNotFound as exc:
        return _fail(str(exc))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.out:
        try:
            fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "w", encoding="utf-8") as f:  # personal data: owner only
                f.write(text + "\n")
        except OSError as exc:
            return _fail(f"cannot write {args.out}: {exc.strerror or exc}")
        print(f"wrote {args.out}")
    else:
        try:
            print(text)
            sys.stdout.flush()
        except BrokenPipeError:  # piped into `head` or a pager that quit: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
