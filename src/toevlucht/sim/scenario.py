"""Scenario files: what flows into the asylum chain, what it can handle, which measures hold.

A scenario is a TOML file (format in ``docs/simulation.md``), read strictly by
:mod:`toevlucht.sim.loader`: an unknown key, a wrong type, overlapping periods, an unknown
nationality code, group or measure is a :class:`~toevlucht.sim.errors.ScenarioError` that
names the file and the key. Numbers the
legislator sets (decision term, extensions, procedure days, penalties) are *not* in a
scenario: they come from :mod:`toevlucht.law`. A scenario holds what an analyst assumes.

>>> from toevlucht.sim.loader import load_scenario
>>> s = load_scenario("nl-2022")
>>> s.start, s.end
(datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from toevlucht.law.measures import Measure, load_measures
from toevlucht.law.model import Sex, Stage, Track

__all__ = [
    "FAST",
    "HOLDABLE",
    "ROUTES",
    "Cohort",
    "Dated",
    "Group",
    "Hold",
    "InitialBacklog",
    "Profile",
    "Route",
    "Scenario",
    "SimStage",
    "StageSpec",
    "Target",
]


class SimStage(StrEnum):
    """The queues of the chain. Names are those of :class:`toevlucht.law.Stage` and
    :class:`toevlucht.law.Track` where the law has the stage; ``housing`` is the wait of a
    permit holder for a municipal home (not a stage of the procedure)."""

    REQUESTED = Stage.REQUESTED.value  # asked for asylum, waiting to lodge (Ter Apel)
    REGISTRATION = Stage.REGISTRATION.value  # lodged, waiting for the registration interview
    GENERAL_PROCEDURE = Stage.GENERAL_PROCEDURE.value  # waiting for the general procedure (AA)
    EXTENDED_PROCEDURE = Stage.EXTENDED_PROCEDURE.value  # referred, waiting for a decision (VA)
    SAFE_COUNTRY = Track.SAFE_COUNTRY.value  # track 2 decision
    DUBLIN = Track.DUBLIN.value  # track 1 decision (claim / transfer)
    APPEAL = Stage.APPEAL.value  # appeal pending before the district court
    HOUSING = "housing"  # permit holder waiting for municipal housing


class Route(StrEnum):
    """Which queues a case passes through, drawn when the applicant arrives."""

    GENERAL = "general"  # track 4, decided in the general procedure
    EXTENDED = "extended"  # track 4, referred to the extended procedure
    SAFE_COUNTRY = "safe_country"  # track 2
    DUBLIN = "dublin"  # track 1


ROUTES: tuple[Route, ...] = tuple(Route)
# the queues each route passes before the first-instance decision, in order
ROUTE_STAGES: Mapping[Route, tuple[SimStage, ...]] = {
    Route.GENERAL: (SimStage.REQUESTED, SimStage.REGISTRATION, SimStage.GENERAL_PROCEDURE),
    Route.EXTENDED: (
        SimStage.REQUESTED,
        SimStage.REGISTRATION,
        SimStage.GENERAL_PROCEDURE,
        SimStage.EXTENDED_PROCEDURE,
    ),
    Route.SAFE_COUNTRY: (SimStage.REQUESTED, SimStage.REGISTRATION, SimStage.SAFE_COUNTRY),
    Route.DUBLIN: (SimStage.REQUESTED, SimStage.REGISTRATION, SimStage.DUBLIN),
}
# stages a decision hold (moratorium, decision stop) can block
HOLDABLE = (
    SimStage.GENERAL_PROCEDURE,
    SimStage.EXTENDED_PROCEDURE,
    SimStage.SAFE_COUNTRY,
    SimStage.DUBLIN,
)
QUEUE_STAGES = tuple(SimStage)
FAST = "fast"  # the name of the fast lane at the general procedure (``fast_share``)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dated:
    """A step function of the date: ``values[i]`` holds from ``starts[i]``."""

    starts: tuple[dt.date, ...]
    values: tuple[float, ...]

    @staticmethod
    def constant(value: float) -> Dated:
        return Dated(starts=(dt.date.min,), values=(value,))

    def on(self, day: dt.date) -> float:
        out = 0.0
        for s, v in zip(self.starts, self.values, strict=True):
            if s <= day:
                out = v
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """A part of a nationality group with the facts a measure's scope looks at."""

    id: str
    share: float
    sex: Sex | None = None
    age: int | None = None
    groups: frozenset[str] = frozenset()
    grant_rate: Dated | None = None  # overrides the group's


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    id: str
    nationality: str
    name: str
    requests_per_month: Dated
    seasonality: tuple[float, ...]
    shocks: tuple[tuple[dt.date, dt.date, float], ...]
    level_sd: float
    tracks: Mapping[Track, float]
    extended_share: Dated
    grant_rate: Dated
    safe_country_grant_rate: Dated
    appeal_rate: Dated
    profiles: tuple[Profile, ...]
    # share of the cases decided in the general procedure that the IND takes up first
    # (the fast lane ``fast`` at the general_procedure stage), by request day
    fast_share: Dated = field(default_factory=lambda: Dated.constant(0.0))


@dataclass(frozen=True, slots=True, kw_only=True)
class StageSpec:
    stage: SimStage
    capacity: Dated  # per working day (or per calendar day, see ``working_days``)
    working_days: bool
    capacity_sd: float
    priority: tuple[str, ...] = ()  # routes, group or cohort ids, "fast": served first, in order
    # capacity shares: (name, share) of classes named like ``priority``; the cases no name
    # matches share the rest. What a class cannot use goes to the others.
    shares: tuple[tuple[str, Dated], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Cohort:
    """The cases requested from ``start`` until the next cohort's start (or lodged then, for
    an initial backlog): e.g. the old regime's cases and the APR's. A cohort can be worked
    on only from ``worked_from``, and can have a decision term of its own, taken into the
    scenario with its source where the law's data do not yet give it."""

    id: str
    start: dt.date | None  # None: from the beginning
    regime: str = ""
    worked_from: dt.date | None = None
    term_months: int | None = None  # None: the law engine's decision term (or term_param)
    term_source: str = ""
    term_param: str = ""  # the law's parameter giving the term in months from lodging


@dataclass(frozen=True, slots=True, kw_only=True)
class Hold:
    """A measure's effect in practice: the IND takes no decisions on cases in its scope."""

    measure: str
    stages: tuple[SimStage, ...]
    assume_from: dt.date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class InitialBacklog:
    """Cases waiting at ``stage`` when the scenario starts, lodged between two dates."""

    stage: SimStage
    count: float
    lodged_from: dt.date
    lodged_until: dt.date  # exclusive
    shares: Mapping[str, float]  # by group id; empty = as the groups' first-month requests


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A published figure the validation report compares with the simulation."""

    metric: str
    period: str  # a year ("2022") or a date ("2022-01-01")
    value: float
    source: str
    note: str = ""


METRICS = (
    "lodged",
    "decisions",
    "pending",
    "reception",
    "status_holders",
    "ter_apel_max",
    "notices",
    "within_term",
    "within_15_months",
    "penalties_eur",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    file: str
    name: str
    title: str
    description: str
    start: dt.date
    end: dt.date  # inclusive
    law_as_of: dt.date
    measures: tuple[str, ...]
    holds: tuple[Hold, ...]
    inflow_level_sd: Dated  # may grow from the calibration period into the forecast
    inflow_month_cv: Dated
    groups: tuple[Group, ...]
    stages: Mapping[SimStage, StageSpec]
    rest_period_days: int
    initial: tuple[InitialBacklog, ...]
    initial_status_holders: float
    reception_capacity: Dated
    ter_apel_capacity: float
    other_residents: Dated
    departure_days: int
    dublin_exit_days: int
    appeal_lodged_after_days: int
    appeal_success: Dated
    notice_share: float
    notice_delay_days: int
    failure_appeal_share: float
    court_ruling_days: int
    targets: tuple[Target, ...] = field(default=())
    defined: tuple[Measure, ...] = field(default=())  # measures defined in the scenario file
    cohorts: tuple[Cohort, ...] = field(default=(Cohort(id="all", start=None),))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def measure(self, measure_id: str) -> Measure:
        """A measure of this scenario: defined in the file, or the law's."""
        for m in self.defined:
            if m.id == measure_id:
                return m
        return load_measures()[measure_id]

    def measure_objects(self) -> tuple[Measure, ...]:
        """The measures that exist in this scenario, in the order of ``law.measures``."""
        return tuple(self.measure(mid) for mid in self.measures)
