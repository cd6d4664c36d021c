"""Scenario files: what flows into the asylum chain, what it can handle, which measures hold.

A scenario is a TOML file (format in ``docs/simulation.md``), read strictly: an unknown
key, a wrong type, overlapping periods, an unknown nationality code, group or measure is a
:class:`~toevlucht.sim.errors.ScenarioError` that names the file and the key. Numbers the
legislator sets (decision term, extensions, procedure days, penalties) are *not* in a
scenario: they come from :mod:`toevlucht.law`. A scenario holds what an analyst assumes.

>>> s = load_scenario("nl-2022")
>>> s.start, s.end
(datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from toevlucht.law.errors import DataError, LawError
from toevlucht.law.measures import Measure, MeasureKind, groups, load_measures, measure_from_dict
from toevlucht.law.model import Sex, Stage, Track, country_codes
from toevlucht.sim.errors import ScenarioError

__all__ = [
    "HOLDABLE",
    "ROUTES",
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
    "bundled_scenarios",
    "load_scenario",
    "parse_scenario",
]

BUNDLED = "toevlucht.sim.scenarios"


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


@dataclass(frozen=True, slots=True, kw_only=True)
class StageSpec:
    stage: SimStage
    capacity: Dated  # per working day (or per calendar day, see ``working_days``)
    working_days: bool
    capacity_sd: float


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


# --- a strict reader ---------------------------------------------------------------------


class _T:
    """One TOML table, read strictly; :meth:`done` rejects keys nobody asked for."""

    def __init__(self, file: str, key: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise ScenarioError(file, key, f"expected a table, got {_kind(table)}")
        self.file, self.key, self.t, self.seen = file, key, dict(table), set[str]()

    def at(self, key: str) -> str:
        return f"{self.key}.{key}" if self.key else key

    def err(self, key: str, problem: str) -> ScenarioError:
        return ScenarioError(self.file, self.at(key), problem)

    def has(self, key: str) -> bool:
        return key in self.t

    def get(self, key: str, types: tuple[type, ...], what: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.t:
            if required:
                raise self.err(key, "is required")
            return None
        v = self.t[key]
        bad = isinstance(v, bool) and bool not in types
        if bad or not isinstance(v, types) or (dt.date in types and isinstance(v, dt.datetime)):
            raise self.err(key, f"expected {what}, got {_show(v)}")
        return v

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        v = self.get(key, (str,), "text", required)
        return default if v is None else str(v)

    def num(self, key: str, required: bool = True, default: float = 0.0, lo: float = 0.0) -> float:
        v = self.get(key, (int, float), "a number", required)
        if v is None:
            return default
        if v < lo:
            raise self.err(key, f"must be at least {lo:g}, got {v}")
        return float(v)

    def share(self, key: str, required: bool = True, default: float = 0.0) -> float:
        v = self.num(key, required, default)
        if v > 1:
            raise self.err(key, f"a share must be between 0 and 1, got {v:g}")
        return v

    def int_(self, key: str, required: bool = True, default: int = 0) -> int:
        v = self.get(key, (int,), "a whole number", required)
        if v is None:
            return default
        if v < 0:
            raise self.err(key, f"must be at least 0, got {v}")
        return int(v)

    def day(self, key: str, required: bool = True) -> dt.date | None:
        v = self.get(key, (dt.date,), "a date (YYYY-MM-DD, unquoted)", required)
        return v if isinstance(v, dt.date) else None

    def texts(self, key: str, required: bool = False) -> list[str]:
        v = self.get(key, (list,), "a list of text", required)
        if v is None:
            return []
        for i, x in enumerate(v):
            if not isinstance(x, str):
                raise self.err(f"{key}[{i}]", f"expected text, got {_show(x)}")
        return list(v)

    def table(self, key: str, required: bool = True) -> _T | None:
        v = self.get(key, (dict,), "a table", required)
        return None if v is None else _T(self.file, self.at(key), v)

    def tables(self, key: str, required: bool = False) -> list[_T]:
        v = self.get(key, (list,), "a list of tables", required)
        return (
            [] if v is None else [_T(self.file, f"{self.at(key)}[{i}]", x) for i, x in enumerate(v)]
        )

    def dated(
        self, key: str, required: bool = True, default: float = 0.0, unit: bool = False
    ) -> Dated:
        """A number, or a list of ``{from, value, until?}`` in date order without overlap."""
        self.seen.add(key)
        if key not in self.t:
            if required:
                raise self.err(key, "is required")
            return Dated.constant(default)
        raw = self.t[key]
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            v = self.num(key)
            if unit and v > 1:
                raise self.err(key, f"a share must be between 0 and 1, got {v:g}")
            return Dated.constant(v)
        if not isinstance(raw, list) or not raw:
            raise self.err(key, f"expected a number or a list of {{from, value}}, got {_show(raw)}")
        starts: list[dt.date] = []
        values: list[float] = []
        prev_until: dt.date | None = None
        for p in self.tables(key):
            start = p.day("from")
            assert start is not None
            v = p.share("value") if unit else p.num("value")
            until = p.day("until", required=False)
            p.done()
            if until is not None and until <= start:
                raise p.err("until", f"{until} is not after from = {start}")
            if starts and start <= starts[-1]:
                raise p.err("from", f"{start} is not after the previous period's start")
            if prev_until is not None and start < prev_until:
                raise p.err(
                    "from", f"{start} overlaps the previous period, which runs until {prev_until}"
                )
            if prev_until is not None and start > prev_until:
                starts.append(prev_until)
                values.append(0.0)
            starts.append(start)
            values.append(v)
            prev_until = until
        if prev_until is not None:
            starts.append(prev_until)
            values.append(0.0)
        return Dated(starts=tuple(starts), values=tuple(values))

    def done(self) -> None:
        unknown = sorted(set(self.t) - self.seen)
        if unknown:
            raise self.err(unknown[0], "unknown key")


def _kind(v: Any) -> str:
    return {dict: "a table", list: "a list", str: "text", bool: "a boolean"}.get(
        type(v), type(v).__name__
    )


def _show(v: Any) -> str:
    return f"{_kind(v)} {v!r}" if not isinstance(v, (dict, list)) else _kind(v)


# --- parsing -----------------------------------------------------------------------------


def _profiles(t: _T, gkey: _T) -> tuple[Profile, ...]:
    known = groups()
    out: list[Profile] = []
    for p in t.tables("profile"):
        sex_raw = p.text("sex", required=False)
        try:
            sex = Sex(sex_raw) if sex_raw else None
        except ValueError:
            raise p.err("sex", f"{sex_raw!r} is not one of: male, female, x") from None
        gs = p.texts("groups")
        for i, g in enumerate(gs):
            if g not in known:
                raise p.err(
                    f"groups[{i}]", f"unknown group {g!r} (known: {', '.join(sorted(known))})"
                )
        age = p.int_("age", required=False, default=-1)
        grant = p.dated("grant_rate", required=False, unit=True) if p.has("grant_rate") else None
        out.append(
            Profile(
                id=p.text("id"),
                share=p.share("share"),
                sex=sex,
                age=None if age < 0 else age,
                groups=frozenset(gs),
                grant_rate=grant,
            )
        )
        p.done()
    if not out:
        return (Profile(id="all", share=1.0),)
    total = sum(x.share for x in out)
    if abs(total - 1) > 1e-6:
        raise gkey.err("profile", f"the profiles' shares add up to {total:g}, not 1")
    ids = [x.id for x in out]
    if len(set(ids)) != len(ids):
        raise gkey.err("profile", "profile ids must be unique")
    return tuple(out)


def _group(t: _T) -> Group:
    gid = t.text("id")
    nat = t.text("nationality")
    if nat not in country_codes():
        raise t.err(
            "nationality", f"{nat!r} is not an ISO 3166-1 alpha-3 code (use XXX for 'other')"
        )
    seas = t.get("seasonality", (list,), "a list of 12 numbers", False)
    seasonality: tuple[float, ...]
    if seas is None:
        seasonality = (1.0,) * 12
    else:
        if len(seas) != 12 or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in seas
        ):
            raise t.err("seasonality", "expected 12 non-negative numbers, January first")
        seasonality = tuple(float(x) for x in seas)
    shocks: list[tuple[dt.date, dt.date, float]] = []
    for s in t.tables("shocks"):
        a, b = s.day("from"), s.day("until")
        assert a is not None
        assert b is not None
        f = s.num("factor")
        s.done()
        if b <= a:
            raise s.err("until", f"{b} is not after from = {a}")
        if shocks and a < shocks[-1][1]:
            raise s.err(
                "from", f"{a} overlaps the previous shock, which runs until {shocks[-1][1]}"
            )
        shocks.append((a, b, f))
    tr = t.table("tracks")
    assert tr is not None
    tracks = {k: tr.share(k.value, required=False) for k in Track}
    tr.done()
    total = sum(tracks.values())
    if abs(total - 1) > 1e-6:
        raise t.err("tracks", f"the track shares add up to {total:g}, not 1")
    g = Group(
        id=gid,
        nationality=nat,
        name=t.text("name", required=False, default=gid),
        requests_per_month=t.dated("requests_per_month"),
        seasonality=seasonality,
        shocks=tuple(shocks),
        level_sd=t.num("level_sd", required=False),
        tracks=tracks,
        extended_share=t.dated("extended_share", unit=True),
        grant_rate=t.dated("grant_rate", unit=True),
        safe_country_grant_rate=t.dated("safe_country_grant_rate", required=False, unit=True),
        appeal_rate=t.dated("appeal_rate", unit=True),
        profiles=_profiles(t, t),
    )
    t.done()
    return g


def _stage(t: _T, stage: SimStage) -> StageSpec:
    days = t.text("days", required=False, default="working")
    if days not in ("working", "calendar"):
        raise t.err("days", f"{days!r} is not one of: working, calendar")
    spec = StageSpec(
        stage=stage,
        capacity=t.dated("capacity"),
        working_days=days == "working",
        capacity_sd=t.num("capacity_sd", required=False),
    )
    t.done()
    return spec


def _holds(top: _T, measures: Sequence[str], law: Mapping[str, Measure]) -> tuple[Hold, ...]:
    out: list[Hold] = []
    for h in top.tables("hold"):
        mid = h.text("measure")
        if mid not in measures:
            raise h.err(
                "measure",
                f"{mid!r} is not among law.measures, so it does not exist in this scenario",
            )
        m = law[mid]
        if m.kind is MeasureKind.DEPARTURE_MORATORIUM:
            raise h.err("measure", f"{mid!r} is a departure moratorium; it holds no decisions")
        if m.scope.lodged_from is not None or m.scope.lodged_before is not None:
            raise h.err(
                "measure",
                f"{mid!r} is scoped by lodging date; holds by lodging date are not modelled",
            )
        names = h.texts("stages") or [
            SimStage.GENERAL_PROCEDURE.value,
            SimStage.EXTENDED_PROCEDURE.value,
        ]
        stages: list[SimStage] = []
        for i, n in enumerate(names):
            if n not in {s.value for s in HOLDABLE}:
                raise h.err(
                    f"stages[{i}]", f"{n!r} is not one of: {', '.join(s.value for s in HOLDABLE)}"
                )
            stages.append(SimStage(n))
        assume = h.day("assume_from", required=False)
        if m.periods[0].start is None and assume is None:
            raise h.err(
                "assume_from", f"the law does not know when {mid!r} started; give assume_from"
            )
        out.append(Hold(measure=mid, stages=tuple(stages), assume_from=assume))
        h.done()
    return tuple(out)


def _initial(top: _T, gids: Sequence[str]) -> tuple[tuple[InitialBacklog, ...], float]:
    out: list[InitialBacklog] = []
    holders = 0.0
    for b in top.tables("initial"):
        name = b.text("stage")
        if name == SimStage.HOUSING.value:
            holders += b.num("count")
            b.done()
            continue
        if name not in {s.value for s in QUEUE_STAGES} or name == SimStage.APPEAL.value:
            allowed = [s.value for s in QUEUE_STAGES if s is not SimStage.APPEAL]
            raise b.err("stage", f"{name!r} is not one of: {', '.join(allowed)}")
        stage = SimStage(name)
        if any(x.stage is stage for x in out):
            raise b.err("stage", f"a second initial backlog for {name}; give one per stage")
        a, u = b.day("lodged_from"), b.day("lodged_until")
        assert a is not None
        assert u is not None
        if u <= a:
            raise b.err("lodged_until", f"{u} is not after lodged_from = {a}")
        shares: dict[str, float] = {}
        st = b.table("shares", required=False)
        if st is not None:
            for k in list(st.t):
                if k not in gids:
                    raise st.err(k, f"unknown group {k!r} (groups: {', '.join(gids)})")
                shares[k] = st.share(k)
            st.done()
            if abs(sum(shares.values()) - 1) > 1e-6:
                raise b.err("shares", f"the shares add up to {sum(shares.values()):g}, not 1")
        out.append(
            InitialBacklog(
                stage=stage, count=b.num("count"), lodged_from=a, lodged_until=u, shares=shares
            )
        )
        b.done()
    # FIFO: a case further along the procedure was lodged before one behind it
    order = list(SimStage)
    for x in out:
        for y in out:
            later = order.index(x.stage) < order.index(y.stage) and _upstream(x.stage, y.stage)
            if later and y.lodged_until > x.lodged_from:
                raise ScenarioError(
                    top.file,
                    f"initial ({y.stage.value}).lodged_until",
                    f"{y.lodged_until} is after the {x.stage.value} backlog's lodged_from "
                    f"{x.lodged_from}: cases further along the procedure must have been lodged "
                    "earlier (first in, first out)",
                )
    return tuple(out), holders


def _upstream(a: SimStage, b: SimStage) -> bool:
    """Whether some route passes ``a`` before ``b``."""
    for stages in ROUTE_STAGES.values():
        if a in stages and b in stages and stages.index(a) < stages.index(b):
            return True
    return False


def parse_scenario(file: str, content: Mapping[str, Any]) -> Scenario:
    """Validate a scenario given as parsed TOML (after ``extends`` is resolved)."""
    top = _T(file, "", content)
    top.seen.add("extends")
    meta = top.table("scenario")
    assert meta is not None
    start, end = meta.day("start"), meta.day("end")
    assert start is not None
    assert end is not None
    if end <= start:
        raise meta.err("end", f"{end} is not after start = {start}")
    name = meta.text("name")
    title = meta.text("title", required=False, default=name)
    description = meta.text("description", required=False)
    meta.seen.add("extends")
    meta.done()

    law = top.table("law", required=False) or _T(file, "law", {})
    as_of = law.day("as_of", required=False) or end
    known = dict(load_measures())
    ids = law.texts("measures")
    defined: list[Measure] = []
    for i, d in enumerate(law.tables("define")):
        try:
            m = measure_from_dict(d.t, where=f"law.define[{i}]")
        except DataError as exc:
            raise ScenarioError(file, f"law.define[{i}].{exc.key}", exc.problem) from None
        if m.id in known:
            raise d.err("id", f"{m.id!r} is already a measure of the law or of this file")
        known[m.id] = m
        defined.append(m)
        if m.id not in ids:
            ids.append(m.id)  # a measure defined here exists in this scenario
    for i, mid in enumerate(ids):
        if mid not in known:
            raise law.err(
                f"measures[{i}]",
                f"unknown measure {mid!r} (the law knows: {', '.join(sorted(load_measures()))})",
            )
    law.done()
    holds = _holds(top, ids, known)

    unc = top.table("uncertainty", required=False) or _T(file, "uncertainty", {})
    level_sd = unc.dated("inflow_level_sd", required=False)
    month_cv = unc.dated("inflow_month_cv", required=False)
    unc.done()

    gs = [_group(g) for g in top.tables("group", required=True)]
    if not gs:
        raise top.err("group", "a scenario needs at least one group")
    gids = [g.id for g in gs]
    if len(set(gids)) != len(gids):
        raise top.err("group", f"group ids must be unique: {gids}")

    st = top.table("stages")
    assert st is not None
    stages: dict[SimStage, StageSpec] = {}
    rest = st.table(Stage.REST_PERIOD.value)
    assert rest is not None
    rest_days = rest.int_("days")
    rest.done()
    for s in SimStage:
        t = st.table(s.value)
        assert t is not None
        stages[s] = _stage(t, s)
    st.done()

    initial, holders = _initial(top, gids)

    rec = top.table("reception")
    assert rec is not None
    appeals = top.table("appeals")
    assert appeals is not None
    rem = top.table("remedies")
    assert rem is not None
    targets: list[Target] = []
    for v in top.tables("validation"):
        metric = v.text("metric")
        if metric not in METRICS:
            raise v.err("metric", f"{metric!r} is not one of: {', '.join(METRICS)}")
        period = v.get("period", (int, dt.date), "a year or a date", True)
        targets.append(
            Target(
                metric=metric,
                period=str(period),
                value=v.num("value"),
                source=v.text("source"),
                note=v.text("note", required=False),
            )
        )
        v.done()
    sc = Scenario(
        file=file,
        name=name,
        title=title,
        description=description,
        start=start,
        end=end,
        law_as_of=as_of,
        measures=tuple(ids),
        holds=holds,
        inflow_level_sd=level_sd,
        inflow_month_cv=month_cv,
        groups=tuple(gs),
        stages=stages,
        rest_period_days=rest_days,
        initial=initial,
        initial_status_holders=holders,
        reception_capacity=rec.dated("capacity"),
        ter_apel_capacity=rec.num("ter_apel_capacity"),
        other_residents=rec.dated("other_residents", required=False),
        departure_days=rec.int_("departure_days"),
        dublin_exit_days=rec.int_("dublin_exit_days"),
        appeal_lodged_after_days=appeals.int_("lodged_after_days"),
        appeal_success=appeals.dated("success_share", unit=True),
        notice_share=rem.share("notice_share"),
        notice_delay_days=rem.int_("notice_delay_days"),
        failure_appeal_share=rem.share("failure_appeal_share"),
        court_ruling_days=rem.int_("court_ruling_days"),
        targets=tuple(targets),
        defined=tuple(defined),
    )
    for t in (rec, appeals, rem):
        t.done()
    top.done()
    for b in initial:
        if b.lodged_until > start:
            raise ScenarioError(
                file,
                f"initial ({b.stage.value}).lodged_until",
                f"{b.lodged_until} is after the scenario start {start}",
            )
    return sc


# --- files ---------------------------------------------------------------------------------


def bundled_scenarios() -> list[str]:
    """Names of the scenarios shipped with Toevlucht (``nl-2022``, ...)."""
    files = resources.files(BUNDLED).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


def _read(path: str) -> tuple[str, dict[str, Any]]:
    """(display name, parsed TOML) of a path or a bundled scenario name."""
    p = Path(path)
    if p.is_file():
        display, raw = str(path), p.read_bytes()
    else:
        stem = p.name[:-5] if p.name.endswith(".toml") else p.name
        if p.parent != Path(".") or stem not in bundled_scenarios():
            raise ScenarioError(
                str(path),
                "",
                "no such file (bundled scenarios: " + ", ".join(bundled_scenarios()) + ")",
            )
        display = f"{stem}.toml"
        raw = resources.files(BUNDLED).joinpath(display).read_bytes()
    try:
        return display, tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError(display, "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(display, "", f"not valid TOML: {exc}") from None


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _resolve(path: str, depth: int = 0) -> tuple[str, dict[str, Any]]:
    display, content = _read(path)
    meta = content.get("scenario")
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if parent is None:
        return display, content
    if not isinstance(parent, str):
        raise ScenarioError(display, "scenario.extends", f"expected text, got {_show(parent)}")
    if depth > 4:
        raise ScenarioError(
            display, "scenario.extends", "scenarios extend each other too deeply (a cycle?)"
        )
    p = Path(path)
    candidate = p.parent / parent if p.is_file() else Path(parent)
    _, base = _resolve(str(candidate) if candidate.is_file() else parent, depth + 1)
    return display, _merge(base, content)


def load_scenario(path: str) -> Scenario:
    """Load and validate a scenario file, or a bundled scenario by name.

    Raises:
        ScenarioError: naming the file and the key that is wrong.
    """
    display, content = _resolve(path)
    try:
        return parse_scenario(display, content)
    except LawError as exc:  # the law's own data failed to load: not the user's doing
        raise ScenarioError(display, "", f"the law's data could not be read: {exc}") from exc
