"""The ``toevlucht`` command.

Each subcommand lives in its own module with ``add_arguments(parser)`` and
``run(args) -> int``; modules are imported only when their command runs, so ``toevlucht
assess`` never loads Django. Errors a user can cause print one line and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

# name -> (module, one-line help). A module that does not exist yet is simply not offered.
COMMANDS: dict[str, tuple[str, str]] = {
    "assess": ("toevlucht.cli.assess", "assess a case file on a date"),
    "demo": ("toevlucht.cli.demo", "set up and serve the spring-2022 demo"),
    "seed": ("toevlucht.cli.seed", "generate realistic cases"),
    "refresh": ("toevlucht.cli.refresh", "recompute every open case's status"),
    "audit": ("toevlucht.cli.audit", "verify the audit log"),
    "export-subject": (
        "toevlucht.cli.export_subject",
        "export all data held about one person",
    ),
    "retention": (
        "toevlucht.cli.retention",
        "erase personal data past its retention date (--apply)",
    ),
    "simulate": ("toevlucht.cli.simulate", "forecast the asylum chain from a scenario"),
    "forecast": ("toevlucht.cli.forecast", "forecast every open case; backtest past forecasts"),
    "api-token": ("toevlucht.cli.api_token", "make and print a user's API token"),
    "reminders": ("toevlucht.cli.reminders", "send the deadline reminders due today"),
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _available() -> dict[str, tuple[str, str]]:
    out = {}
    for name, (module, help_) in COMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            out[name] = (module, help_)
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="toevlucht", description="Toevlucht: the Dutch asylum procedure made knowable."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module, help_) in _available().items():
        p = sub.add_parser(name, help=help_, description=help_)
        importlib.import_module(module).add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(importlib.import_module(args._module).run(args))
    except KeyboardInterrupt:
        print("toevlucht: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`toevlucht assess ... | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
