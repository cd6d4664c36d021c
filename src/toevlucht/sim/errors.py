"""Errors of the simulator.

    SimError
    └── ScenarioError     a scenario file is malformed (names file and key)

Every error carries, besides its English message (the command line's, with exit code 2), a
``message_key`` and its ``params``, which render it in the reader's language
(:func:`toevlucht.sim.text.render_error`; the catalogues are ``sim/locale/<lang>.toml``).
Every ``SimError`` and ``ScenarioError`` the simulator builds has one
(``tests/sim/test_errors.py``). A :class:`ScenarioError`'s ``key`` is the key in the scenario
file, not the message's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ScenarioError", "SimError", "Word"]


class SimError(Exception):
    """Base class of every error raised by :mod:`toevlucht.sim`.

    ``message_key`` and ``params`` render the message in the reader's language; ``problem``
    is the English form (the whole message).
    """

    def __init__(self, problem: str, *, message_key: str, params: Mapping[str, Any]) -> None:
        self.problem = problem
        self.message_key = message_key
        self.params: Mapping[str, Any] = dict(params)
        super().__init__(problem)


class ScenarioError(SimError):
    """A scenario file is malformed: unknown key, wrong type, overlapping periods, ...

    ``file`` and ``key`` say where ("nl-2022.toml", "group[2].grant_rate[1].from");
    ``problem`` is what is wrong, in English.
    """

    def __init__(
        self,
        file: str,
        key: str,
        problem: str,
        *,
        message_key: str,
        params: Mapping[str, Any],
    ) -> None:
        super().__init__(problem, message_key=message_key, params=params)
        self.file = file
        self.key = key
        where = f"{file}: {key}: " if key else f"{file}: "
        self.args = (f"{where}{problem}",)


@dataclass(frozen=True)
class Word:
    """A parameter rendered through the catalogue: ``key`` in the reader's language, then
    ``detail`` as it is (``Word("kind.text", "'abc'")`` is ``text 'abc'``, ``tekst 'abc'``)."""

    key: str
    detail: str = ""
