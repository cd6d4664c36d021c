"""Errors of the simulator.

    SimError
    └── ScenarioError     a scenario file is malformed (names file and key)

Only the command line turns them into a one-line message and exit code 2.
"""

from __future__ import annotations

__all__ = ["ScenarioError", "SimError"]


class SimError(Exception):
    """Base class of every error raised by :mod:`toevlucht.sim`."""


class ScenarioError(SimError):
    """A scenario file is malformed: unknown key, wrong type, overlapping periods, ...

    ``file`` and ``key`` say where ("nl-2022.toml", "group[2].grant_rate[1].from").
    """

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(f"{where}{problem}")
