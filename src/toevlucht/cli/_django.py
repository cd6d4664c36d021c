"""Bootstrapping Django for the commands that need it (the law commands never import it)."""

from __future__ import annotations

import argparse
import datetime as dt
import os


def setup(as_of: dt.date | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toevlucht.settings")
    if as_of is not None:
        os.environ["TOEVLUCHT_AS_OF"] = as_of.isoformat()
    import django

    django.setup()


def date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def migrate_quietly() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def law_date_problem(as_of: dt.date, since: dt.date | None = None) -> str | None:
    """Why the law engine cannot assess a case lodged on ``since`` (default ``as_of``) on
    ``as_of`` — a date outside its calendar or before its data — or None. Asked of the law
    engine itself with a minimal case, so the commands hold no date range of their own."""
    from toevlucht.law import LawError, assess, parse_case

    case = parse_case(
        {
            "applicant": {"nationality": "SYR"},
            "events": [{"kind": "application_lodged", "date": (since or as_of).isoformat()}],
        }
    )
    try:
        assess(case, as_of)
    except LawError as exc:
        return str(exc)
    return None
