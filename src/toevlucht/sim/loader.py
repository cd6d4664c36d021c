"""Loading scenario files: TOML, ``extends``, strict validation into a :class:`Scenario`.

>>> s = load_scenario("nl-2022")
>>> [g.id for g in s.groups]
['SYR', 'AFG', 'TUR', 'RUS', 'OTHER']
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from toevlucht.law.calendar import legal_calendar
from toevlucht.law.errors import DataError, LawError
from toevlucht.law.measures import Measure, MeasureKind, groups, load_measures, measure_from_dict
from toevlucht.law.model import Sex, Stage, Track, country_codes
from toevlucht.law.params import value
from toevlucht.sim.errors import ScenarioError, Word
from toevlucht.sim.reader import Table, show, shown
from toevlucht.sim.scenario import (
    FAST,
    HOLDABLE,
    METRICS,
    QUEUE_STAGES,
    ROUTE_STAGES,
    Cohort,
    Dated,
    Group,
    Hold,
    InitialBacklog,
    Profile,
    Route,
    Scenario,
    SimStage,
    StageSpec,
    Target,
)

__all__ = ["bundled_scenarios", "load_scenario", "load_uploaded", "parse_scenario"]

BUNDLED = "toevlucht.sim.scenarios"


def _profiles(t: Table, gkey: Table) -> tuple[Profile, ...]:
    known = groups()
    out: list[Profile] = []
    for p in t.tables("profile"):
        sex_raw = p.text("sex", required=False)
        try:
            sex = Sex(sex_raw) if sex_raw else None
        except ValueError:
            raise p.err(
                "sex",
                f"{sex_raw!r} is not one of: male, female, x",
                message_key="error.not_one_of",
                params={"value": sex_raw, "allowed": "male, female, x"},
            ) from None
        gs = p.texts("groups")
        for i, g in enumerate(gs):
            if g not in known:
                raise p.err(
                    f"groups[{i}]",
                    f"unknown group {g!r} (known: {', '.join(sorted(known))})",
                    message_key="error.unknown_group",
                    params={"value": g, "known": ", ".join(sorted(known))},
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
        raise gkey.err(
            "profile",
            f"the profiles' shares add up to {total:g}, not 1",
            message_key="error.profile_shares",
            params={"total": total},
        )
    ids = [x.id for x in out]
    if len(set(ids)) != len(ids):
        raise gkey.err(
            "profile", "profile ids must be unique", message_key="error.profile_ids", params={}
        )
    return tuple(out)


def _group(t: Table) -> Group:
    gid = t.text("id")
    nat = t.text("nationality")
    if nat not in country_codes():
        raise t.err(
            "nationality",
            f"{nat!r} is not an ISO 3166-1 alpha-3 code (use XXX for 'other')",
            message_key="error.nationality",
            params={"value": nat},
        )
    seas = t.get("seasonality", (list,), "twelve_numbers", False)
    seasonality: tuple[float, ...]
    if seas is None:
        seasonality = (1.0,) * 12
    else:
        if len(seas) != 12 or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in seas
        ):
            raise t.err(
                "seasonality",
                "expected 12 non-negative numbers, January first",
                message_key="error.seasonality",
                params={},
            )
        seasonality = tuple(float(x) for x in seas)
    shocks: list[tuple[dt.date, dt.date, float]] = []
    for s in t.tables("shocks"):
        a, b = s.day("from"), s.day("until")
        assert a is not None
        assert b is not None
        f = s.num("factor")
        s.done()
        if b <= a:
            raise s.err(
                "until",
                f"{b} is not after from = {a}",
                message_key="error.until_not_after_from",
                params={"until": b, "start": a},
            )
        if shocks and a < shocks[-1][1]:
            raise s.err(
                "from",
                f"{a} overlaps the previous shock, which runs until {shocks[-1][1]}",
                message_key="error.shock_overlaps",
                params={"start": a, "until": shocks[-1][1]},
            )
        shocks.append((a, b, f))
    tr = t.table("tracks")
    assert tr is not None
    tracks = {k: tr.share(k.value, required=False) for k in Track}
    tr.done()
    total = sum(tracks.values())
    if abs(total - 1) > 1e-6:
        raise t.err(
            "tracks",
            f"the track shares add up to {total:g}, not 1",
            message_key="error.track_shares",
            params={"total": total},
        )
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
        fast_share=t.dated("fast_share", required=False, unit=True),
    )
    t.done()
    return g


def _stage(t: Table, stage: SimStage, names: Sequence[str]) -> StageSpec:
    days = t.text("days", required=False, default="working")
    if days not in ("working", "calendar"):
        raise t.err(
            "days",
            f"{days!r} is not one of: working, calendar",
            message_key="error.not_one_of",
            params={"value": days, "allowed": "working, calendar"},
        )
    priority = t.texts("priority")
    allowed = [r.value for r in Route] + list(names)
    for i, name in enumerate(priority):
        if name not in allowed:
            raise t.err(
                f"priority[{i}]",
                f"{name!r} is not a route, group, cohort or lane ({', '.join(allowed)})",
                message_key="error.not_a_queue_name",
                params={"value": name, "allowed": ", ".join(allowed)},
            )
    shares: list[tuple[str, Dated]] = []
    sh = t.table("shares", required=False)
    if sh is not None:
        for name in list(sh.t):
            if name not in allowed:
                raise sh.err(
                    name,
                    f"{name!r} is not a route, group, cohort or lane ({', '.join(allowed)})",
                    message_key="error.not_a_queue_name",
                    params={"value": name, "allowed": ", ".join(allowed)},
                )
            shares.append((name, sh.dated(name, unit=True)))
        sh.done()
        days_ = sorted({d for _, v in shares for d in v.starts})
        for d in days_:
            total = sum(v.on(d) for _, v in shares)
            if total > 1 + 1e-9:
                raise t.err(
                    "shares",
                    f"the capacity shares add up to {total:g} on {d}, more than 1",
                    message_key="error.capacity_shares",
                    params={"total": total, "day": d},
                )
    spec = StageSpec(
        stage=stage,
        capacity=t.dated("capacity"),
        working_days=days == "working",
        capacity_sd=t.num("capacity_sd", required=False),
        priority=tuple(priority),
        shares=tuple(shares),
    )
    t.done()
    return spec


def _cohorts(top: Table, taken: Sequence[str], begin: dt.date) -> tuple[Cohort, ...]:
    out: list[Cohort] = []
    for i, c in enumerate(top.tables("cohort")):
        cid = c.text("id")
        if cid in taken or cid == FAST or cid in {x.id for x in out}:
            raise c.err(
                "id",
                f"{cid!r} is already a route, group, lane or cohort id",
                message_key="error.cohort_id_taken",
                params={"value": cid},
            )
        start = c.day("from", required=i > 0)
        if i == 0 and start is not None:
            raise c.err(
                "from",
                "the first cohort runs from the beginning: give no from",
                message_key="error.first_cohort_from",
                params={},
            )
        if out and start is not None and out[-1].start is not None and start <= out[-1].start:
            raise c.err(
                "from",
                f"{start} is not after the previous cohort's from",
                message_key="error.cohort_not_after_previous",
                params={"start": start},
            )
        months = c.int_("decision_term_months", required=False, default=-1)
        source = c.text("source", required=months >= 0)
        if months == 0:
            raise c.err(
                "decision_term_months",
                "must be at least 1",
                message_key="error.at_least_one",
                params={},
            )
        param = c.text("decision_term", required=False)
        if param and months >= 0:
            raise c.err(
                "decision_term",
                "give decision_term or decision_term_months, not both",
                message_key="error.term_twice",
                params={},
            )
        if param:
            try:
                value(param, start or begin)
            except DataError as exc:
                raise c.err(
                    "decision_term",
                    f"not a term in the law's data: {exc}",
                    message_key="error.not_a_term",
                    params={"detail": str(exc)},
                ) from None
        out.append(
            Cohort(
                id=cid,
                start=start,
                regime=c.text("regime", required=False),
                worked_from=c.day("worked_from", required=False),
                term_months=None if months < 0 else months,
                term_source=source,
                term_param=param,
            )
        )
        c.done()
    return tuple(out) or (Cohort(id="all", start=None),)


def _holds(top: Table, measures: Sequence[str], law: Mapping[str, Measure]) -> tuple[Hold, ...]:
    out: list[Hold] = []
    for h in top.tables("hold"):
        mid = h.text("measure")
        if mid not in measures:
            raise h.err(
                "measure",
                f"{mid!r} is not among law.measures, so it does not exist in this scenario",
                message_key="error.hold_not_a_measure",
                params={"value": mid},
            )
        m = law[mid]
        if m.kind is MeasureKind.DEPARTURE_MORATORIUM:
            raise h.err(
                "measure",
                f"{mid!r} is a departure moratorium; it holds no decisions",
                message_key="error.hold_moratorium",
                params={"value": mid},
            )
        if m.scope.lodged_from is not None or m.scope.lodged_before is not None:
            raise h.err(
                "measure",
                f"{mid!r} is scoped by lodging date; holds by lodging date are not modelled",
                message_key="error.hold_by_lodging",
                params={"value": mid},
            )
        names = h.texts("stages") or [
            SimStage.GENERAL_PROCEDURE.value,
            SimStage.EXTENDED_PROCEDURE.value,
        ]
        stages: list[SimStage] = []
        for i, n in enumerate(names):
            if n not in {s.value for s in HOLDABLE}:
                allowed = ", ".join(s.value for s in HOLDABLE)
                raise h.err(
                    f"stages[{i}]",
                    f"{n!r} is not one of: {allowed}",
                    message_key="error.not_one_of",
                    params={"value": n, "allowed": allowed},
                )
            stages.append(SimStage(n))
        assume = h.day("assume_from", required=False)
        if m.periods[0].start is None and assume is None:
            raise h.err(
                "assume_from",
                f"the law does not know when {mid!r} started; give assume_from",
                message_key="error.hold_start_unknown",
                params={"value": mid},
            )
        out.append(Hold(measure=mid, stages=tuple(stages), assume_from=assume))
        h.done()
    return tuple(out)


def _initial(top: Table, gids: Sequence[str]) -> tuple[tuple[InitialBacklog, ...], float]:
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
            raise b.err(
                "stage",
                f"{name!r} is not one of: {', '.join(allowed)}",
                message_key="error.not_one_of",
                params={"value": name, "allowed": ", ".join(allowed)},
            )
        stage = SimStage(name)
        if any(x.stage is stage for x in out):
            raise b.err(
                "stage",
                f"a second initial backlog for {name}; give one per stage",
                message_key="error.second_backlog",
                params={"stage": name},
            )
        a, u = b.day("lodged_from"), b.day("lodged_until")
        if a is not None and a.year < legal_calendar().first_year:
            raise b.err(
                "lodged_from",
                f"{a} is before the legal calendar's first year",
                message_key="error.before_calendar",
                params={"day": a},
            )
        assert a is not None
        assert u is not None
        if u <= a:
            raise b.err(
                "lodged_until",
                f"{u} is not after lodged_from = {a}",
                message_key="error.until_not_after_lodged_from",
                params={"until": u, "start": a},
            )
        shares: dict[str, float] = {}
        st = b.table("shares", required=False)
        if st is not None:
            for k in list(st.t):
                if k not in gids:
                    raise st.err(
                        k,
                        f"unknown group {k!r} (groups: {', '.join(gids)})",
                        message_key="error.unknown_scenario_group",
                        params={"value": k, "known": ", ".join(gids)},
                    )
                shares[k] = st.share(k)
            st.done()
            if abs(sum(shares.values()) - 1) > 1e-6:
                raise b.err(
                    "shares",
                    f"the shares add up to {sum(shares.values()):g}, not 1",
                    message_key="error.shares",
                    params={"total": sum(shares.values())},
                )
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
                    message_key="error.backlog_not_fifo",
                    params={
                        "until": y.lodged_until,
                        "stage": x.stage.value,
                        "start": x.lodged_from,
                    },
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
    top = Table(file, "", content)
    top.seen.add("extends")
    meta = top.table("scenario")
    assert meta is not None
    start, end = meta.day("start"), meta.day("end")
    assert start is not None
    assert end is not None
    if end <= start:
        raise meta.err(
            "end",
            f"{end} is not after start = {start}",
            message_key="error.end_not_after_start",
            params={"end": end, "start": start},
        )
    cal = legal_calendar()
    for key, day in (("start", start), ("end", end)):
        if not cal.first_year <= day.year <= cal.last_year:
            raise meta.err(
                key,
                f"{day} is outside the legal calendar, which covers "
                f"{cal.first_year}-{cal.last_year}",
                message_key="error.outside_calendar",
                params={
                    "day": day,
                    "first_year": str(cal.first_year),
                    "last_year": str(cal.last_year),
                },
            )
    name = meta.text("name")
    title = meta.text("title", required=False, default=name)
    description = meta.text("description", required=False)
    meta.seen.add("extends")
    meta.done()

    law = top.table("law", required=False) or Table(file, "law", {})
    as_of = law.day("as_of", required=False) or end
    known = dict(load_measures())
    ids = law.texts("measures")
    defined: list[Measure] = []
    for i, d in enumerate(law.tables("define")):
        try:
            m = measure_from_dict(d.t, where=f"law.define[{i}]")
        except DataError as exc:
            raise ScenarioError(
                file,
                f"law.define[{i}].{exc.key}",
                exc.problem,
                message_key="error.law_define",
                params={"problem": exc.problem},
            ) from None
        if m.id in known:
            raise d.err(
                "id",
                f"{m.id!r} is already a measure of the law or of this file",
                message_key="error.measure_id_taken",
                params={"value": m.id},
            )
        known[m.id] = m
        defined.append(m)
        if m.id not in ids:
            ids.append(m.id)  # a measure defined here exists in this scenario
    for i, mid in enumerate(ids):
        if mid not in known:
            known_ids = ", ".join(sorted(load_measures()))
            raise law.err(
                f"measures[{i}]",
                f"unknown measure {mid!r} (the law knows: {known_ids})",
                message_key="error.unknown_measure",
                params={"value": mid, "known": known_ids},
            )
    law.done()
    holds = _holds(top, ids, known)

    unc = top.table("uncertainty", required=False) or Table(file, "uncertainty", {})
    level_sd = unc.dated("inflow_level_sd", required=False)
    month_cv = unc.dated("inflow_month_cv", required=False)
    unc.done()

    gs = [_group(g) for g in top.tables("group", required=True)]
    if not gs:
        raise top.err(
            "group", "a scenario needs at least one group", message_key="error.no_group", params={}
        )
    gids = [g.id for g in gs]
    if len(set(gids)) != len(gids):
        raise top.err(
            "group",
            f"group ids must be unique: {gids}",
            message_key="error.group_ids",
            params={"ids": str(gids)},
        )

    cohorts = _cohorts(top, [r.value for r in Route] + gids, start)
    named = [c.id for c in cohorts] if top.has("cohort") else []
    names = [*gids, *named, *(f"{c}:{g}" for c in named for g in gids), FAST]
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
        stages[s] = _stage(t, s, names)
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
            raise v.err(
                "metric",
                f"{metric!r} is not one of: {', '.join(METRICS)}",
                message_key="error.not_one_of",
                params={"value": metric, "allowed": ", ".join(METRICS)},
            )
        period = v.get("period", (int, dt.date), "year_or_date", True)
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
        cohorts=cohorts,
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
                message_key="error.backlog_after_start",
                params={"until": b.lodged_until, "start": start},
            )
    return sc


# --- files ---------------------------------------------------------------------------------


def bundled_scenarios() -> list[str]:
    """Names of the scenarios shipped with Toevlucht (``nl-2022``, ...)."""
    files = resources.files(BUNDLED).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


MAX_DEPTH = 16  # tables and arrays within each other; the bundled scenarios need 4
MAX_NUMBER = 1e9  # no count, rate, day or capacity of a scenario comes near it


def _check_values(display: str, content: Any) -> None:
    """Refuse what no scenario needs and what breaks the engine: nesting deeper than
    MAX_DEPTH, numbers that are not finite (``inf``, ``nan``) or past MAX_NUMBER in size."""
    stack: list[tuple[str, Any, int]] = [("", content, 0)]
    while stack:
        key, v, depth = stack.pop()
        if isinstance(v, (dict, list)):
            if depth >= MAX_DEPTH:
                raise _too_deep(display, key)
            items = v.items() if isinstance(v, dict) else enumerate(v)
            for k, x in items:
                sub = f"{key}[{k}]" if isinstance(v, list) else (f"{key}.{k}" if key else str(k))
                stack.append((sub, x, depth + 1))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            if v != v or v in (float("inf"), float("-inf")):
                raise ScenarioError(
                    display,
                    key,
                    f"expected a finite number, got {v}",
                    message_key="error.not_finite",
                    params={"got": str(v)},
                )
            if abs(v) > MAX_NUMBER:
                raise ScenarioError(
                    display,
                    key,
                    f"{v:g} is too large for a scenario (at most {MAX_NUMBER:g})",
                    message_key="error.too_large",
                    params={"got": v, "most": MAX_NUMBER},
                )


def _too_deep(display: str, key: str) -> ScenarioError:
    return ScenarioError(
        display,
        key,
        f"nested deeper than {MAX_DEPTH} levels",
        message_key="error.too_deep",
        params={"depth": MAX_DEPTH},
    )


def _parse(display: str, raw: bytes) -> dict[str, Any]:
    try:
        content = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError(
            display, "", "not UTF-8 text", message_key="error.not_utf8", params={}
        ) from None
    except tomllib.TOMLDecodeError as exc:  # the parser's reason is in English
        raise ScenarioError(
            display,
            "",
            f"not valid TOML: {exc}",
            message_key="error.not_toml",
            params={"detail": str(exc)},
        ) from None
    except RecursionError:
        raise _too_deep(display, "") from None
    _check_values(display, content)
    return content


def _bundled(name: str) -> tuple[str, dict[str, Any]]:
    """(display name, parsed TOML) of a bundled scenario, by name only."""
    stem = name[:-5] if name.endswith(".toml") else name
    if stem not in bundled_scenarios():
        raise ScenarioError(
            name,
            "",
            "no such bundled scenario (" + ", ".join(bundled_scenarios()) + ")",
            message_key="error.no_bundled",
            params={"known": ", ".join(bundled_scenarios())},
        )
    display = f"{stem}.toml"
    return display, _parse(display, resources.files(BUNDLED).joinpath(display).read_bytes())


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
                message_key="error.no_file",
                params={"known": ", ".join(bundled_scenarios())},
            )
        return _bundled(stem)
    return display, _parse(display, raw)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():  # an empty table replaces the inherited one (``shares = {}``)
        if isinstance(v, dict) and v and isinstance(out.get(k), dict):
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
        raise ScenarioError(
            display,
            "scenario.extends",
            f"expected text, got {show(parent)}",
            message_key="error.expected",
            params={"expected": Word("expect.text"), "got": shown(parent)},
        )
    if depth > 4:
        raise ScenarioError(
            display,
            "scenario.extends",
            "scenarios extend each other too deeply (a cycle?)",
            message_key="error.extends_too_deep",
            params={},
        )
    p = Path(path)
    candidate = p.parent / parent if p.is_file() else Path(parent)
    target = str(candidate) if candidate.is_file() else parent
    stem = parent[:-5] if parent.endswith(".toml") else parent
    if not candidate.is_file() and stem not in bundled_scenarios():
        raise ScenarioError(
            display,
            "scenario.extends",
            f"{parent!r} is neither a file next to this one nor a bundled scenario "
            f"({', '.join(bundled_scenarios())})",
            message_key="error.extends_unknown",
            params={"value": parent, "known": ", ".join(bundled_scenarios())},
        )
    _, base = _resolve(target, depth + 1)
    return display, _merge(base, content)


def _resolve_upload(name: str, text: str) -> tuple[str, dict[str, Any]]:
    """An uploaded scenario: its ``extends`` names a bundled scenario, never a file (an
    upload must not make the server read its files, or tell which exist)."""
    display = Path(name).name or "scenario.toml"
    content = _parse(display, text.encode("utf-8"))
    meta = content.get("scenario")
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if parent is None:
        return display, content
    stem = parent[:-5] if isinstance(parent, str) and parent.endswith(".toml") else parent
    if not isinstance(stem, str) or stem not in bundled_scenarios():
        raise ScenarioError(
            display,
            "scenario.extends",
            f"an uploaded scenario extends a bundled scenario by name only "
            f"({', '.join(bundled_scenarios())}), got {show(parent)}",
            message_key="error.extends_upload",
            params={"known": ", ".join(bundled_scenarios()), "got": shown(parent)},
        )
    _, base = _resolve_bundled(stem)
    return display, _merge(base, content)


def _resolve_bundled(name: str, depth: int = 0) -> tuple[str, dict[str, Any]]:
    display, content = _bundled(name)
    meta = content.get("scenario")
    parent = meta.get("extends") if isinstance(meta, dict) else None
    if parent is None:
        return display, content
    if not isinstance(parent, str) or depth > 4:
        raise ScenarioError(
            display,
            "scenario.extends",
            "a bundled scenario is broken",
            message_key="error.bundled_broken",
            params={},
        )
    _, base = _resolve_bundled(parent, depth + 1)
    return display, _merge(base, content)


def _law_unreadable(display: str, exc: LawError) -> ScenarioError:
    """The law's own data failed to load: not the user's doing (its reason in English)."""
    return ScenarioError(
        display,
        "",
        f"the law's data could not be read: {exc}",
        message_key="error.law_unreadable",
        params={"detail": str(exc)},
    )


def load_uploaded(name: str, text: str) -> Scenario:
    """Load and validate an uploaded scenario (its text); ``extends`` may name a bundled
    scenario only.

    Raises:
        ScenarioError: naming the file and the key that is wrong.
    """
    display, content = _resolve_upload(name, text)
    try:
        return parse_scenario(display, content)
    except LawError as exc:
        raise _law_unreadable(display, exc) from exc


def load_scenario(path: str) -> Scenario:
    """Load and validate a scenario file, or a bundled scenario by name.

    Raises:
        ScenarioError: naming the file and the key that is wrong.
    """
    display, content = _resolve(path)
    try:
        return parse_scenario(display, content)
    except LawError as exc:  # the law's own data failed to load: not the user's doing
        raise _law_unreadable(display, exc) from exc
