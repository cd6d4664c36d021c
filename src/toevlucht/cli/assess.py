"""``toevlucht assess CASE_FILE [--as-of DATE] [--format text|json] [--lang en|nl]``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from zoneinfo import ZoneInfo

from toevlucht.law import LANGUAGES, LawError, assess, assessment_json, assessment_text, groups
from toevlucht.law.errors import CaseInputError
from toevlucht.law.model import parse_case, parse_date
from toevlucht.law.text import render_error


def _date(value: str) -> dt.date:
    try:
        return parse_date(value, "--as-of")
    except CaseInputError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("case_file", metavar="CASE_FILE", help="JSON case file ('-' for stdin)")
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="assess on this date (default: today in Amsterdam)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=LANGUAGES, default="en")


MAX_DEPTH = 32  # a case file nests 4 levels (case, events, event, data)


def _too_deep(value: object) -> bool:
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, (dict, list)):
            if depth > MAX_DEPTH:
                return True
            stack.extend((x, depth + 1) for x in (v.values() if isinstance(v, dict) else v))
    return False


def fail(message: str) -> int:
    print(f"toevlucht assess: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    name = args.case_file
    try:
        if name == "-":
            raw = sys.stdin.read()
            name = "<stdin>"
        else:
            with open(name, encoding="utf-8") as f:
                raw = f.read()
    except FileNotFoundError:
        return fail(f"{name}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"{name}: cannot read: {exc}")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return fail(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
    except RecursionError:
        return fail(f"{name}: nested deeper than {MAX_DEPTH} levels")
    if _too_deep(data):
        return fail(f"{name}: nested deeper than {MAX_DEPTH} levels")
    as_of = args.as_of or dt.datetime.now(tz=ZoneInfo("Europe/Amsterdam")).date()
    try:
        case = parse_case(data, known_groups=list(groups()))
        assessment = assess(case, as_of)
    except LawError as exc:
        return fail(f"{name}: {render_error(exc, args.lang)}")
    if args.format == "json":
        out = assessment_json(assessment, args.lang, case.reference)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(assessment_text(assessment, args.lang, case.reference))
    return 0
