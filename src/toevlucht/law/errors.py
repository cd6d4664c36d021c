"""Domain errors of the law engine.

Every error a user can cause carries a message that says what was given, what the law
allows, and where (which file, key or event). Only the Django layer and the CLI turn them
into form errors, HTTP 4xx or an exit code.

An error a user can cause also carries a message ``key`` and its ``params``, which render
it in the reader's language (:func:`toevlucht.law.text.render_error`); its ``problem`` is
the English form, with the codes a developer needs. Every ``HistoryError``,
``CaseInputError`` and ``CalendarRangeError`` has one (``tests/law/test_errors.py``); a
``DataError`` (whose ``key`` is the data file's) has a ``message_key`` only where the
user's date, not a malformed file, is the cause.

    LawError
    ├── DataError              a legal data file is malformed (names file and key)
    ├── CalendarRangeError     a date outside what the legal calendar knows
    ├── CaseInputError         a case file or event is malformed (unknown kind, bad date…)
    └── HistoryError           the events contradict the procedure (impossible history)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "CalendarRangeError",
    "CaseInputError",
    "DataError",
    "HistoryError",
    "LawError",
]


class LawError(Exception):
    """Base class of every error raised by :mod:`toevlucht.law`."""


class DataError(LawError):
    """A legal data file is malformed: unknown key, overlap, missing source.

    ``key`` is the key in the data file; ``message_key`` and ``params``, when given, render
    the message in the reader's language (only where the user's date is the cause).
    """

    def __init__(
        self,
        file: str,
        key: str,
        problem: str,
        *,
        message_key: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        self.message_key = message_key
        self.params: Mapping[str, Any] = dict(params or {})
        super().__init__(f"{file}: {key}: {problem}")


class CalendarRangeError(LawError):
    """A date falls outside the years the legal calendar can compute."""

    def __init__(
        self,
        problem: str,
        *,
        key: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.problem = problem
        self.key = key
        self.params: Mapping[str, Any] = dict(params or {})
        super().__init__(problem)


class CaseInputError(LawError):
    """A case or event is malformed.

    ``where`` points into the input ("events[3].date", "applicant.nationality").
    """

    def __init__(
        self,
        where: str,
        problem: str,
        *,
        key: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.where = where
        self.problem = problem
        self.key = key
        self.params: Mapping[str, Any] = dict(params or {})
        super().__init__(f"{where}: {problem}")


class HistoryError(LawError):
    """The events of a case contradict the procedure (an impossible history).

    ``index`` is the position of the offending event in the input, when known. ``key`` and
    ``params``, when given, render the message in the reader's language
    (:func:`toevlucht.law.text.render_error`); ``problem`` is its English form.
    """

    def __init__(
        self,
        problem: str,
        *,
        index: int | None = None,
        key: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.problem = problem
        self.index = index
        self.key = key
        self.params: Mapping[str, Any] = dict(params or {})
        where = f"events[{index}]: " if index is not None else ""
        super().__init__(f"{where}{problem}")
