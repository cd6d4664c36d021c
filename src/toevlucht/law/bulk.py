"""Decision and appeal deadlines for many cases at once, as numpy arrays.

The bulk path computes what :func:`toevlucht.law.assess` computes for the ``decision`` and
``appeal`` deadlines — the same dated parameters, measures and Atw calendar, applied in the
same chronological order — but for a whole table of cases in a few array operations. It is
what a periodic refresh or a newly announced measure uses; property-based tests
(``tests/law/test_bulk.py``) check that it agrees with the scalar path on every generated case.

A :class:`CaseTable` holds one row per case: the facts the two deadlines depend on. Build it
with :func:`table_from_cases` (replays each case's events) or directly from stored columns.

>>> import datetime as dt
>>> from toevlucht.law.model import parse_case
>>> c = parse_case({"applicant": {"nationality": "SYR"},
...                 "events": [{"kind": "application_lodged", "date": "2022-03-10"}]})
>>> r = compute(table_from_cases([c], dt.date(2022, 5, 9)), dt.date(2022, 5, 9))
>>> str(r.decision_due[0]), STATUS_NAMES[r.decision_status[0]]
('2022-09-10', 'running')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from toevlucht.law.apr import (
    APPEAL_PARAMS,
    GROUND_MAX,
    GROUND_PROCEDURE,
    TERM_PARAM,
    apr_appeal_term,
    exceeds_apr_max,
    other_procedure_at_the_time,
    procedure_on,
)
from toevlucht.law.calendar import LegalCalendar, TermUnit, atw_applies_to, legal_calendar
from toevlucht.law.deadlines import short_appeal_term
from toevlucht.law.decision_term import (
    exceeds_42_4,
    exceeds_42_5,
    extends_expired_term,
    general_extension_months,
    lacks_prior_42_4,
    letter_months_42_4,
    room_42_4,
)
from toevlucht.law.errors import LawError
from toevlucht.law.measures import Measure, MeasureKind, groups, implied_sex, load_measures
from toevlucht.law.model import Case, EventKind, ExtensionGround, Procedure, Sex, Track
from toevlucht.law.params import parameter, values_on
from toevlucht.law.procedure import replay
from toevlucht.law.regime import Regime
from toevlucht.law.responsibility import netherlands_responsible_from, responsibility_deadlines
from toevlucht.law.terms import DeadlineKind

__all__ = [
    "GROUND_CODES",
    "PROCEDURE_CODES",
    "REGIME_CODES",
    "SEX_CODES",
    "STATUS_NAMES",
    "BulkResult",
    "CaseTable",
    "add_months",
    "compute",
    "concat_tables",
    "result_row",
    "table_from_cases",
]

Dates = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

NAT = np.datetime64("NaT", "D")
STATUS_NAMES = ("running", "met", "expired", "suspended")  # codes 0..3; -1: no deadline
RUNNING, MET, EXPIRED, SUSPENDED, NONE = 0, 1, 2, 3, -1
SEX_CODES = {None: -1, Sex.MALE: 0, Sex.FEMALE: 1, Sex.X: 2}
G_42_4, G_42_5, G_43, G_35_2, G_35_5 = 1, 2, 3, 4, 5  # ext_ground: the maximum it counts against
GROUND_CODES: dict[str, int] = {
    ExtensionGround.VW_42_4_A: G_42_4,
    ExtensionGround.VW_42_4_B: G_42_4,
    ExtensionGround.VW_42_4_C: G_42_4,
    ExtensionGround.VW_42_5: G_42_5,
    ExtensionGround.VW_43: G_43,
    ExtensionGround.APR_35_2: G_35_2,
    ExtensionGround.APR_35_5: G_35_5,
}
OLD, APR = 0, 1  # regime codes
REGIME_CODES = {Regime.VW2000: OLD, Regime.APR: APR}
# procedure codes (APR art. 35; -1: none assigned)
P_NONE, P_REGULAR, P_ACCELERATED, P_BORDER, P_ADMISSIBILITY = -1, 0, 1, 2, 3
PROCEDURE_CODES: dict[Procedure | None, int] = {
    None: P_NONE,
    Procedure.REGULAR: P_REGULAR,
    Procedure.ACCELERATED: P_ACCELERATED,
    Procedure.BORDER: P_BORDER,
    Procedure.ADMISSIBILITY: P_ADMISSIBILITY,
}
_APR_GROUND = {G_35_2: ExtensionGround.APR_35_2, G_35_5: ExtensionGround.APR_35_5}


@dataclass(slots=True, kw_only=True)
class CaseTable:
    """Per-case facts for the decision and appeal deadlines (length n; extensions n x k).

    ``start`` is when the decision term starts (lodging, or Dublin responsibility; NaT when
    it has not started); ``nationality`` is the ISO alpha-3 code; ``sex`` a code of
    :data:`SEX_CODES`; ``groups`` a bitmask over :func:`toevlucht.law.measures.groups` in
    order; ``first_decision`` and ``last_decision`` the first and latest decision dates;
    ``appeal_lodged`` the date an appeal against the latest decision was lodged.
    ``invalid`` marks rows whose history the scalar path rejects (they get no deadlines); left
    empty, no row is invalid.

    The APR columns (left empty: every row is an old-regime case): ``regime`` a code of
    :data:`REGIME_CODES`; ``procedure`` the assigned procedure (:data:`PROCEDURE_CODES`);
    ``ext_procedure`` the procedure assigned on the day of each extension; ``registered``
    the registration (lodging where none), where the border term starts; ``relocation`` the
    border procedure's relocation; ``apr_appeal`` the appeal term of the new Vw 69 for the
    latest decision (an index into :data:`toevlucht.law.apr.APPEAL_PARAMS`) and
    ``apr_appeal_alt`` that of the other reading (-1: none). The transfer columns hold the
    ``transfer`` deadline of the responsibility rules (NaT: none has started):
    ``transfer_due``, ``transfer_alternative`` and ``transfer_done`` (the transfer).
    """

    start: Dates
    lodged: Dates
    nationality: npt.NDArray[np.str_]
    birth: Dates
    sex: npt.NDArray[np.int8]
    groups: npt.NDArray[np.uint32]
    # the groups were recorded (an empty list: recorded, none); left empty: recorded where
    # any group is given
    groups_known: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    first_decision: Dates
    ext_date: Dates
    ext_months: npt.NDArray[np.int16]
    ext_ground: npt.NDArray[np.int8]
    last_decision: Dates
    short_appeal: Bools
    appeal_lodged: Dates
    invalid: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    regime: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    procedure: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    ext_procedure: npt.NDArray[np.int8] = field(
        default_factory=lambda: np.zeros((0, 0), dtype=np.int8)
    )
    registered: Dates = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    relocation: Bools = field(default_factory=lambda: np.zeros(0, dtype=bool))
    apr_appeal: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    apr_appeal_alt: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    transfer_due: Dates = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    transfer_alternative: Dates = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    transfer_done: Dates = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))

    def __len__(self) -> int:
        return int(self.start.shape[0])


@dataclass(frozen=True, slots=True, kw_only=True)
class BulkResult:
    decision_due: Dates
    decision_status: npt.NDArray[np.int8]
    appeal_due: Dates
    appeal_status: npt.NDArray[np.int8]
    measure_ids: tuple[str, ...]
    measure_applied: Bools  # n x len(measure_ids): the measure moved the decision term
    error: Bools  # the history contradicts the procedure (see the scalar path's message)
    # APR rows: the day the decision term ends if Regulation 1182/71 art. 3(4) rolls a last
    # day that is not a working day (APR art. 35), or the border term's nominal end where the
    # Atw moved it; NaT otherwise and for old-regime rows (their 42(4)/43 reading is not here)
    decision_alternative: Dates
    appeal_alternative: Dates  # APR rows: the other reading of the new Vw 69 (NaT: none)
    transfer_due: Dates  # the responsibility rules' transfer deadline (NaT: not started)
    transfer_alternative: Dates
    transfer_status: npt.NDArray[np.int8]


def _d(day: dt.date | None) -> np.datetime64:
    return NAT if day is None else np.datetime64(day, "D")


def table_from_cases(cases: Sequence[Case], as_of: dt.date) -> CaseTable:
    """Replay each case on ``as_of`` and collect the columns the bulk path needs."""
    group_bit = {g: 1 << i for i, g in enumerate(groups())}
    cal = legal_calendar()
    n = len(cases)
    k = (
        max(
            (sum(e.kind is EventKind.DECISION_TERM_EXTENDED for e in c.events) for c in cases),
            default=0,
        )
        or 1
    )
    t = CaseTable(
        start=np.full(n, NAT),
        lodged=np.full(n, NAT),
        nationality=np.empty(n, dtype="<U3"),
        birth=np.full(n, NAT),
        sex=np.full(n, -1, dtype=np.int8),
        groups=np.zeros(n, dtype=np.uint32),
        groups_known=np.zeros(n, dtype=bool),
        first_decision=np.full(n, NAT),
        ext_date=np.full((n, k), NAT),
        ext_months=np.zeros((n, k), dtype=np.int16),
        ext_ground=np.zeros((n, k), dtype=np.int8),
        last_decision=np.full(n, NAT),
        short_appeal=np.zeros(n, dtype=bool),
        appeal_lodged=np.full(n, NAT),
        invalid=np.zeros(n, dtype=bool),
        regime=np.zeros(n, dtype=np.int8),
        procedure=np.full(n, P_NONE, dtype=np.int8),
        ext_procedure=np.full((n, k), P_NONE, dtype=np.int8),
        registered=np.full(n, NAT),
        relocation=np.zeros(n, dtype=bool),
        apr_appeal=np.zeros(n, dtype=np.int8),
        apr_appeal_alt=np.full(n, -1, dtype=np.int8),
        transfer_due=np.full(n, NAT),
        transfer_alternative=np.full(n, NAT),
        transfer_done=np.full(n, NAT),
    )
    for i, case in enumerate(cases):
        a = case.applicant
        t.nationality[i] = a.nationality
        t.birth[i] = _d(a.birth_date)
        t.sex[i] = SEX_CODES[a.sex or implied_sex(a)]
        t.groups[i] = sum(group_bit[g] for g in a.groups if g in group_bit)
        t.groups_known[i] = a.groups_known
        try:
            h = replay(case, as_of)
        except LawError:
            t.invalid[i] = True
            continue
        t.regime[i] = REGIME_CODES[h.regime]
        t.procedure[i] = PROCEDURE_CODES[h.assigned_procedure]
        t.relocation[i] = h.procedure is not None and bool(h.procedure.get("relocation"))
        reg = h.registered or h.lodged
        t.registered[i] = _d(reg.date if reg is not None else None)
        try:
            transfer = next(
                (
                    d
                    for d in responsibility_deadlines(h, cal, as_of)
                    if d.kind is DeadlineKind.TRANSFER
                ),
                None,
            )
        except LawError:
            t.invalid[i] = True
            continue
        if transfer is not None:
            t.transfer_due[i] = _d(transfer.due)
            t.transfer_alternative[i] = _d(transfer.alternative_due)
            t.transfer_done[i] = _d(transfer.done_on)
        if h.lodged is not None:
            t.lodged[i] = _d(h.lodged.date)
            if h.track is not Track.DUBLIN:
                t.start[i] = t.lodged[i]
            else:  # the decision term starts once the Netherlands is responsible
                responsible = netherlands_responsible_from(h, cal, as_of)
                if responsible is not None:
                    t.start[i] = _d(responsible[0])
        last = h.latest_decision
        if last is not None:
            t.first_decision[i] = _d(h.decisions[0].date)
            t.last_decision[i] = _d(last.date)
            t.short_appeal[i] = short_appeal_term(last)
            if h.apr:
                term = apr_appeal_term(last)
                t.apr_appeal[i] = APPEAL_PARAMS.index(term.param)
                if term.alternative_param is not None:
                    t.apr_appeal_alt[i] = APPEAL_PARAMS.index(term.alternative_param)
            appeal = h.appeal_against_latest_decision()
            t.appeal_lodged[i] = _d(appeal.date if appeal is not None else None)
        for j, e in enumerate(h.term_extensions):
            t.ext_date[i, j] = _d(e.date)
            t.ext_months[i, j] = int(e.get("months"))
            t.ext_ground[i, j] = GROUND_CODES[e.extension_ground]
            t.ext_procedure[i, j] = PROCEDURE_CODES[procedure_on(h, e.date)]
    return t


# the APR and transfer columns a table may leave empty, and what an empty one means
_OPTIONAL: dict[str, Any] = {
    "regime": OLD,
    "procedure": P_NONE,
    "registered": NAT,
    "relocation": False,
    "apr_appeal": 0,
    "apr_appeal_alt": -1,
    "transfer_due": NAT,
    "transfer_alternative": NAT,
    "transfer_done": NAT,
}


def _col(t: CaseTable, name: str) -> npt.NDArray[Any]:
    """Column ``name`` of ``t``, its default filled in where the table left it empty."""
    a: npt.NDArray[Any] = getattr(t, name)
    n = len(t)
    if name == "ext_procedure":
        shape = t.ext_date.shape
        if a.shape == shape:
            return a
        return np.full(shape, P_NONE, dtype=np.int8)
    if a.shape[0] == n:
        return a
    return np.full(n, _OPTIONAL[name], dtype=a.dtype)


def concat_tables(tables: Sequence[CaseTable]) -> CaseTable:
    """The tables' rows in order, as one table (tables built in parts, e.g. in worker
    processes). Extension columns are padded to the widest part."""
    if not tables:
        return table_from_cases([], dt.date(2000, 1, 1))
    k = max(t.ext_date.shape[1] for t in tables)

    def wide(parts: list[npt.NDArray[Any]], fill: Any) -> npt.NDArray[Any]:
        out = np.full((sum(a.shape[0] for a in parts), k), fill, dtype=parts[0].dtype)
        row = 0
        for a in parts:
            out[row : row + a.shape[0], : a.shape[1]] = a
            row += a.shape[0]
        return out

    def cat(name: str) -> npt.NDArray[Any]:
        return np.concatenate([getattr(t, name) for t in tables])

    return CaseTable(
        start=cat("start"),
        lodged=cat("lodged"),
        nationality=cat("nationality"),
        birth=cat("birth"),
        sex=cat("sex"),
        groups=cat("groups"),
        groups_known=np.concatenate(
            [t.groups_known if t.groups_known.shape[0] == len(t) else t.groups != 0 for t in tables]
        ),
        first_decision=cat("first_decision"),
        ext_date=wide([t.ext_date for t in tables], NAT),
        ext_months=wide([t.ext_months for t in tables], 0),
        ext_ground=wide([t.ext_ground for t in tables], 0),
        last_decision=cat("last_decision"),
        short_appeal=cat("short_appeal"),
        appeal_lodged=cat("appeal_lodged"),
        invalid=np.concatenate(
            [t.invalid if len(t.invalid) else np.zeros(len(t), dtype=bool) for t in tables]
        ),
        ext_procedure=wide([_col(t, "ext_procedure") for t in tables], P_NONE),
        **{name: np.concatenate([_col(t, name) for t in tables]) for name in _OPTIONAL},
    )


# --- vectorised date helpers ------------------------------------------------------------------


# Lookup tables over 1900-2100: (year, month*100+day) and "+k months" for every day.
# One gather per call beats numpy's datetime64 unit conversions by an order of magnitude.
_BASE = np.datetime64("1900-01-01", "D")
_SPAN = int((np.datetime64("2101-01-01", "D") - _BASE).astype(np.int64))
_MAX_MONTHS = 24


@cache
def _tables() -> tuple[Ints, Ints, npt.NDArray[np.int32]]:
    days = _BASE + np.arange(_SPAN).astype("timedelta64[D]")
    month = days.astype("datetime64[M]")
    year = month.astype("datetime64[Y]").astype(np.int64) + 1970
    dom = (days - month.astype("datetime64[D]")).astype(np.int64)  # 0-based
    md = (month.astype(np.int64) % 12 + 1) * 100 + dom + 1
    add = np.empty((_SPAN, _MAX_MONTHS + 1), dtype=np.int32)
    for k in range(_MAX_MONTHS + 1):
        target = month + np.timedelta64(k, "M")
        length = (
            (target + np.timedelta64(1, "M")).astype("datetime64[D]")
            - target.astype("datetime64[D]")
        ).astype(np.int64)
        out = target.astype("datetime64[D]") + np.minimum(dom, length - 1).astype("timedelta64[D]")
        add[:, k] = (out - _BASE).astype(np.int64)
    return year, md, add


def _index(days: Dates) -> Ints:
    """Row of each date in the lookup tables (NaT and out-of-range rows clipped)."""
    idx = np.where(np.isnat(days), 0, (days - _BASE).astype(np.int64))
    out: Ints = np.clip(idx, 0, _SPAN - 1)
    return out


def in_table_range(days: Dates) -> Bools:
    out: Bools = np.isnat(days) | ((days >= _BASE) & (days < _BASE + np.timedelta64(_SPAN, "D")))
    return out


def add_months(days: Dates, months: Ints | int) -> Dates:
    """Same day number ``months`` later, clamped to month end (as periods.add_months);
    0 <= months <= 24, dates in 1900-2100."""
    _, _, add = _tables()
    k = np.broadcast_to(np.asarray(months, dtype=np.int64), days.shape)
    if k.size and (k.min() < 0 or k.max() > _MAX_MONTHS):
        raise ValueError(f"months must be within 0-{_MAX_MONTHS}")
    out: Dates = np.where(
        np.isnat(days), NAT, _BASE + add[_index(days), k].astype("timedelta64[D]")
    )
    return out


def _age(birth: Dates, on: Dates) -> Ints:
    year, md, _ = _tables()
    b, o = _index(birth), _index(on)
    out: Ints = year[o] - year[b] - (md[o] < md[b])
    return out


def _birthday(birth: Dates, age: int) -> Dates:
    """The day ``birth`` turns ``age``. Counting the day of the month from the first of the
    same month ``age`` years later makes 29 February 1 March in a year without it, as the
    scalar path does."""
    _, md, _ = _tables()
    month = birth.astype("datetime64[M]") + np.timedelta64(12 * age, "M")
    day = (md[_index(birth)] % 100 - 1).astype("timedelta64[D]")
    out: Dates = np.where(np.isnat(birth), NAT, month.astype("datetime64[D]") + day)
    return out


def _first_from(name: str) -> np.datetime64:
    return np.datetime64(parameter(name).values[0].valid_from, "D")


_param = values_on  # the value of a dated parameter on each date (NaT: the first value)


# --- scope matching ----------------------------------------------------------------------------


def _match(m: Measure, t: CaseTable, on: Dates, bit: Mapping[str, int]) -> tuple[Bools, Bools]:
    """(applies, possibly) for each row on date ``on`` — as Measure.match."""
    s = m.scope
    n = len(t)
    no = np.zeros(n, dtype=bool)
    possibly = np.zeros(n, dtype=bool)
    if s.nationalities:
        no |= ~np.isin(t.nationality, list(s.nationalities))
    if s.sexes:
        codes = [SEX_CODES[x] for x in s.sexes]
        unknown = t.sex == -1
        possibly |= unknown
        no |= ~unknown & ~np.isin(t.sex, codes)
    if s.age_min is not None or s.age_max is not None:
        unknown = np.isnat(t.birth)
        possibly |= unknown
        age = _age(np.where(unknown, on, t.birth), on)
        out = np.zeros(n, dtype=bool)
        if s.age_min is not None:
            out |= age < s.age_min
        if s.age_max is not None:
            out |= age > s.age_max
        no |= ~unknown & out
    if s.groups_any:
        mask = np.uint32(sum(bit[g] for g in s.groups_any))
        known = t.groups_known if t.groups_known.shape[0] == n else t.groups != 0
        unknown = ~known
        possibly |= unknown
        no |= ~unknown & ((t.groups & mask) == 0)
    if s.lodged_from is not None or s.lodged_before is not None:
        unknown = np.isnat(t.lodged)
        possibly |= unknown
        out = np.zeros(n, dtype=bool)
        if s.lodged_from is not None:
            out |= t.lodged < np.datetime64(s.lodged_from, "D")
        if s.lodged_before is not None:
            out |= t.lodged >= np.datetime64(s.lodged_before, "D")
        no |= ~unknown & out
    return ~no & ~possibly, ~no & possibly


def _take(t: CaseTable, rows: Ints) -> CaseTable:
    """The rows ``rows`` of ``t`` with the columns a measure's scope looks at (the others
    empty)."""
    n = len(t)
    none = np.zeros((rows.size, 0), dtype=np.int8)
    return CaseTable(
        start=t.start[rows],
        lodged=t.lodged[rows],
        nationality=t.nationality[rows],
        birth=t.birth[rows],
        sex=t.sex[rows],
        groups=t.groups[rows],
        groups_known=t.groups_known[rows] if t.groups_known.shape[0] == n else t.groups_known,
        first_decision=t.first_decision[rows],
        ext_date=none.astype("datetime64[D]"),
        ext_months=none.astype(np.int16),
        ext_ground=none,
        last_decision=t.last_decision[rows],
        short_appeal=t.short_appeal[rows],
        appeal_lodged=t.appeal_lodged[rows],
    )


def _first_touch(
    m: Measure,
    t: CaseTable,
    as_of: dt.date,
    bit: Mapping[str, int],
) -> tuple[Dates, Bools, Bools]:
    """(touch date, applies, possibly) per row, as decision_term.first_touch."""
    n = len(t)
    if m.scope.nationalities:
        # a measure for some nationalities: only their rows can match (most rows are not)
        rows = np.flatnonzero(np.isin(t.nationality, list(m.scope.nationalities)))
        if rows.size < n:
            when = np.full(n, NAT)
            applies = np.zeros(n, dtype=bool)
            possibly = np.zeros(n, dtype=bool)
            if rows.size:
                w, a, ps = _touch(m, _take(t, rows), as_of, bit)
                when[rows], applies[rows], possibly[rows] = w, a, ps
            return when, applies, possibly
    return _touch(m, t, as_of, bit)


def _touch(
    m: Measure,
    t: CaseTable,
    as_of: dt.date,
    bit: Mapping[str, int],
) -> tuple[Dates, Bools, Bools]:
    n = len(t)
    when = np.full(n, NAT)
    applies = np.zeros(n, dtype=bool)
    possibly = np.zeros(n, dtype=bool)
    found = np.isnat(t.start)  # rows whose term has not started never match
    for p in m.periods_known(as_of):
        start = t.start if p.start is None else np.maximum(t.start, np.datetime64(p.start, "D"))
        end = np.full(n, NAT) if p.until is None else np.full(n, np.datetime64(p.until, "D"))
        has_dec = ~np.isnat(t.first_decision)
        end = np.where(has_dec & (np.isnat(end) | (t.first_decision < end)), t.first_decision, end)
        open_ = ~found & (np.isnat(end) | (start < end))
        a, ps = _match(m, t, start, bit)
        hit = open_ & (a | ps)
        when = np.where(hit, start, when)
        applies |= hit & a
        possibly |= hit & ps
        found |= hit
        if m.scope.age_min is not None:
            known = ~np.isnat(t.birth)
            young = (
                open_
                & ~hit
                & known
                & (_age(np.where(known, t.birth, start), start) < m.scope.age_min)
            )
            t2 = _birthday(np.where(known, t.birth, start), m.scope.age_min)
            grow = young & (t2 > start) & (np.isnat(end) | (t2 < end))
            a2, ps2 = _match(m, t, np.where(grow, t2, start), bit)
            hit2 = grow & (a2 | ps2)
            when = np.where(hit2, t2, when)
            applies |= hit2 & a2
            possibly |= hit2 & ps2
            found |= hit2
    return when, applies, possibly


# --- the APR ---------------------------------------------------------------------------------


def _apr_weeks(code: npt.NDArray[np.int8], on: Dates) -> Ints:
    """The weeks of the new Vw 69 term ``code`` (an index into APPEAL_PARAMS) on ``on``."""
    out: Ints = np.choose(code.astype(np.int64), [_param(p, on) for p in APPEAL_PARAMS])
    return out


def _weeks_ends(cal: LegalCalendar, event: Dates, weeks: Ints) -> Dates:
    """A term of ``weeks`` weeks from ``event``, with the Atw where its art. 4 leaves it."""
    nominal = event + (7 * weeks).astype("timedelta64[D]")
    applies = atw_applies_to(TermUnit.WEEKS, weeks, event)
    end, _ = cal.atw_ends(event, nominal, 7 * weeks, applies)
    return end


def _border_term(
    t: CaseTable, border: Bools, cal: LegalCalendar, first_day: np.datetime64, last: np.datetime64
) -> tuple[Dates, Dates, Bools]:
    """(due, alternative, error) of the border rows, as apr._border: 5 weeks from
    registration, 4 more on relocation, with the Atw (its reach unconfirmed: the nominal
    end is the other date)."""
    reg = _col(t, "registered")[border]
    reg = np.where(np.isnat(reg), t.lodged[border], reg)
    err = (reg < _first_from("border_procedure_weeks")) | (reg > last)
    safe = np.where(err, first_day, reg)
    weeks = _param("border_procedure_weeks", safe) + np.where(
        _col(t, "relocation")[border], _param("border_procedure_relocation_weeks", safe), 0
    )
    due = _weeks_ends(cal, safe, weeks)
    err |= due > last
    nominal = safe + (7 * weeks).astype("timedelta64[D]")
    return due, np.where(due != nominal, nominal, NAT), err


def _apr_walk(
    t: CaseTable,
    rows: Ints,
    proc: npt.NDArray[np.int8],
    dates: Dates,
    order: Ints,
    k: int,
    eff: Sequence[Measure],
    effective: Sequence[int],
    n_measures: int,
    as_of: dt.date,
) -> tuple[Dates, Bools, Bools, Bools]:
    """(due, error, held, measures applied) of the APR rows ``rows`` outside the border
    procedure, as apr.apr_decision: the term of the procedure (regular where none is
    assigned) from ``start``, then the extensions and the measures in order of date."""
    m = rows.size
    start = t.start[rows]
    governing = np.where(proc == P_NONE, P_REGULAR, proc)
    months = np.zeros(m, dtype=np.int64)
    for p, name in TERM_PARAM.items():
        months = np.where(governing == PROCEDURE_CODES[p], _param(name, start), months)
    due = add_months(start, months)
    err = start < min(_first_from(name) for name in TERM_PARAM.values())
    held = np.zeros(m, dtype=bool)
    applied = np.zeros((m, n_measures), dtype=bool)
    if not m or dates.shape[1] == 0:
        return due, err, held, applied
    postponed = np.zeros(m, dtype=bool)
    ground_all = t.ext_ground[rows] if k else np.zeros((m, 0), dtype=np.int8)
    ind43 = np.any(ground_all == G_43, axis=1) if k else np.zeros(m, dtype=bool)
    used = {g: np.zeros(m, dtype=np.int64) for g in _APR_GROUND}
    m_general = np.array([x.kind is MeasureKind.GENERAL_TERM_EXTENSION for x in eff] + [True])
    m_months = np.array([x.term_extension_months or 0 for x in eff] + [0], dtype=np.int64)
    m_force = np.array([x.in_force_on(as_of, as_of) for x in eff] + [False])
    m_target = np.array([*effective, 0], dtype=np.int64)
    ext_proc = _col(t, "ext_procedure")[rows] if k else np.zeros((m, 0), dtype=np.int8)
    idx = np.arange(m)
    for col in range(dates.shape[1]):
        item = order[:, col]
        on = dates[idx, item]
        live = ~err & ~np.isnat(on)
        if not live.any():
            break
        expired = extends_expired_term(on, due)
        step = np.zeros(m, dtype=np.int64)
        if k:
            is_ext = live & (item < k)
            e = np.minimum(item, k - 1)
            ground = t.ext_ground[rows, e]
            e_months = t.ext_months[rows, e].astype(np.int64)
            is43 = is_ext & ~expired & (ground == G_43)
            bad = is_ext & expired
            for g, eg in _APR_GROUND.items():
                this = is_ext & ~expired & (ground == g)
                wanted = PROCEDURE_CODES[GROUND_PROCEDURE[eg]]
                wrong = this & other_procedure_at_the_time(ext_proc[idx, e], wanted, P_NONE)
                limit = _param(GROUND_MAX[eg], on)
                beyond = this & ~wrong & exceeds_apr_max(e_months, used[g], limit)
                bad |= wrong | beyond
                # an extension of a term that no longer governs changes nothing
                ok = this & ~wrong & ~beyond & (governing == wanted)
                used[g] += np.where(ok, e_months, 0)
                step = np.where(ok, e_months, step)
            err |= bad
            postponed |= is43
            step = np.where(is43, e_months, step)
        midx = np.clip(item - k, 0, len(eff))
        # a general extension of old Vw 42(4)(b) has no ground in the APR; a measure after
        # a postponement (or beside the applicant's own Vw 43 letter) is superseded
        is_m = live & (item >= k) & ~m_general[midx] & ~expired
        superseded = is_m & (postponed | ind43)
        now = is_m & ~superseded
        held |= (now | superseded) & m_force[midx]
        postponed |= now
        step = np.where(now, m_months[midx], step)
        due = add_months(due, step)
        hit = np.flatnonzero(now)
        applied[hit, m_target[midx[hit]]] = True
    return due, err, held, applied


# --- the computation ---------------------------------------------------------------------------


def compute(
    t: CaseTable,
    as_of: dt.date,
    measures: Mapping[str, Measure] | None = None,
    calendar: LegalCalendar | None = None,
) -> BulkResult:
    """Decision and appeal deadlines for every row of ``t`` on ``as_of``."""
    measures = load_measures() if measures is None else measures
    cal = legal_calendar() if calendar is None else calendar
    n = len(t)
    asof = np.datetime64(as_of, "D")
    bit = {g: 1 << i for i, g in enumerate(groups())}
    invalid = t.invalid if t.invalid.shape == (n,) else np.zeros(n, dtype=bool)
    error = invalid.copy()
    first_day = np.datetime64(dt.date(cal.first_year, 1, 1), "D")
    last_day = np.datetime64(dt.date(cal.last_year, 12, 31), "D")

    apr = (_col(t, "regime") == APR) & ~error
    proc = _col(t, "procedure")
    border = apr & (proc == P_BORDER) & ~np.isnat(t.lodged)
    started = ~np.isnat(t.start) & ~error
    start = np.where(started, t.start, np.datetime64("2000-01-01"))
    due = add_months(start, _param("decision_term_months", start))

    # Chronological items: k individual extensions, then the measures that can move a term,
    # sorted by date (stable, so same-day order matches the scalar path's).
    ms = [
        m
        for m in measures.values()
        if m.kind is not MeasureKind.DEPARTURE_MORATORIUM and m.known_on(as_of)
    ]
    k = t.ext_date.shape[1] if t.ext_date.ndim == 2 else 0
    cols: list[Dates] = [t.ext_date[:, j] for j in range(k)]
    effective: list[int] = []  # indexes into ms of measures that can move a term
    applies_cols: list[Bools] = []
    for j, m in enumerate(ms):
        if not m.applied_to_deadlines(as_of):
            continue  # unconfirmed, possibly-only or disapplied: never moves a term
        when, applies, _possibly = _first_touch(m, t, as_of, bit)
        applies &= ~border  # the border term knows no measures (Vw 2000 art. 3(6) new)
        if not applies.any():
            continue
        effective.append(j)
        cols.append(np.where(applies, when, NAT))
        applies_cols.append(applies)
    used_424 = np.zeros(n, dtype=np.int64)
    general_424 = np.zeros(n, dtype=np.int64)
    used_425 = np.zeros(n, dtype=np.int64)
    moratorium = np.zeros(n, dtype=bool)
    holding = np.zeros(n, dtype=bool)
    applied = np.zeros((n, len(ms)), dtype=bool)
    if cols:
        dates = np.stack(cols, axis=1)
        keyed = np.where(np.isnat(dates), np.datetime64("9999-12-31"), dates)
        order = np.argsort(keyed, axis=1, kind="stable")
        # only rows with at least one item need the chronological walk
        active = np.flatnonzero(started & ~apr & ~np.all(np.isnat(dates), axis=1))
    else:
        dates = np.full((n, 0), NAT)
        order = np.zeros((n, 0), dtype=np.int64)
        active = np.zeros(0, dtype=np.int64)
    if active.size:
        eff = [ms[j] for j in effective]
        m_general = np.array([m.kind is MeasureKind.GENERAL_TERM_EXTENSION for m in eff] + [False])
        m_months = np.array([m.term_extension_months or 0 for m in eff] + [0], dtype=np.int64)
        m_force = np.array([m.in_force_on(as_of, as_of) for m in eff] + [False])
        m_target = np.array([*effective, 0], dtype=np.int64)
        a_due, a_err = due[active], error[active]
        a_424, a_g424, a_425 = used_424[active], general_424[active], used_425[active]
        a_mor, a_hold = moratorium[active], holding[active]
        a_dates, a_order = dates[active], order[active]
        ind43 = (
            np.any(t.ext_ground[active] == G_43, axis=1) if k else np.zeros(active.size, dtype=bool)
        )
        rows = np.arange(active.size)
        a_applied = np.zeros((active.size, len(ms)), dtype=bool)
        for col in range(a_dates.shape[1]):
            item = a_order[:, col]
            on = a_dates[rows, item]
            live = ~a_err & ~np.isnat(on)
            if not live.any():
                break  # NaT sorts last: later columns are empty too
            limit424 = _param("decision_term_extension_42_4_max_months", on)
            if k:
                is_ext = live & (item < k)
                e_idx = np.minimum(item, k - 1)
                ground = t.ext_ground[active, e_idx]
                months = t.ext_months[active, e_idx].astype(np.int64)
                limit425 = _param("decision_term_extension_42_5_max_months", on)
                g424, g425 = is_ext & (ground == G_42_4), is_ext & (ground == G_42_5)
                bad = (
                    (is_ext & extends_expired_term(on, a_due))
                    | (g424 & exceeds_42_4(months, a_424, a_g424, limit424))
                    | (g425 & lacks_prior_42_4(a_424))
                    | (g425 & exceeds_42_5(months, a_425, limit425))
                )
                a_err |= bad
                ok = is_ext & ~bad
                # capped where a general extension already used part of the 42(4) maximum
                ok424 = ok & (ground == G_42_4)
                months = np.where(
                    ok424, letter_months_42_4(months, room_42_4(limit424, a_424)), months
                )
                a_424 += np.where(ok424, months, 0)
                a_425 += np.where(ok & (ground == G_42_5), months, 0)
                a_mor |= ok & (ground == G_43)
                a_due = np.where(ok, add_months(a_due, np.where(ok, months, 0)), a_due)
            midx = np.clip(item - k, 0, len(eff))
            is_m = live & (item >= k) & ~a_err & ~extends_expired_term(on, a_due)
            gen = is_m & m_general[midx]
            room = room_42_4(limit424, a_424)
            add = general_extension_months(room, m_months[midx])
            gen &= room > 0
            a_424 += np.where(gen, add, 0)
            a_g424 += np.where(gen, add, 0)
            mor = is_m & ~m_general[midx]
            a_hold |= mor & m_force[midx]
            mor &= ~ind43
            a_mor |= mor
            step = np.where(gen, add, np.where(mor, m_months[midx], 0))
            a_due = np.where(gen | mor, add_months(a_due, step), a_due)
            hit = np.flatnonzero(gen | mor)
            a_applied[hit, m_target[midx[hit]]] = True
        due[active], error[active] = a_due, a_err
        used_424[active], moratorium[active], holding[active] = a_424, a_mor, a_hold
        applied[active] = a_applied

    cap_moratorium = add_months(start, _param("moratorium_max_months", start))
    cap_plain = add_months(start, _param("decision_term_absolute_max_months", start))
    due = np.minimum(due, np.where(moratorium, cap_moratorium, cap_plain))
    # rows before the parameters' first date or past the calendar fail in the scalar path too
    error |= started & ~apr & ((start < _first_from("decision_term_months")) | (due > last_day))
    # APR rows: the examination term of art. 35, or the border term
    alternative = np.full(n, NAT)
    if apr.any():
        eff = [ms[j] for j in effective]
        a_rows = np.flatnonzero(apr & ~border & started)
        a_due, a_err, a_hold, a_applied = _apr_walk(
            t, a_rows, proc[a_rows], dates[a_rows], order[a_rows], k, eff, effective, len(ms), as_of
        )
        # Regulation 1182/71 art. 3(4) may roll a last day that is not a working day: not
        # settled for the APR, so the term ends on its day and the rolled day is the other
        in_cal = (a_due >= first_day) & (a_due <= last_day)
        a_err |= ~in_cal
        safe = np.where(in_cal & ~a_err, a_due, first_day)
        rolled = np.busday_offset(safe, 0, roll="forward", busdaycal=cal.busdaycalendar)
        due[a_rows], error[a_rows], holding[a_rows] = a_due, error[a_rows] | a_err, a_hold
        alternative[a_rows] = np.where(rolled != safe, rolled, NAT)
        applied[a_rows] = a_applied
        b_due, b_alt, b_err = _border_term(t, border, cal, first_day, last_day)
        due[border], alternative[border] = b_due, b_alt
        error[border] |= b_err
        holding[border] = False
        started |= border
        start = np.where(border, t.registered, start)
    ok_rows = started & ~error
    decided = ~np.isnat(t.first_decision)
    status = np.where(
        decided,
        np.where(t.first_decision <= due, MET, EXPIRED),
        np.where(asof > due, EXPIRED, RUNNING),
    )
    # a moratorium in force that holds the case suspends a running term (incl. individual 43)
    status = np.where((status == RUNNING) & holding, SUSPENDED, status)
    decision_due = np.where(ok_rows, due, NAT)
    decision_alternative = np.where(ok_rows, alternative, NAT)
    decision_status = np.where(ok_rows, status, NONE).astype(np.int8)

    # appeal ------------------------------------------------------------------------------
    has = ~np.isnat(t.last_decision) & ~invalid
    dec = np.where(has, t.last_decision, np.datetime64("2000-01-01"))
    short_w = _param("appeal_term_short_weeks", dec)
    long_w = _param("appeal_term_weeks", dec)
    weeks = np.where(t.short_appeal, short_w, long_w)
    computable = has & (dec >= _first_from("appeal_term_weeks"))
    # APR rows: the new Vw 69 (1, 2 or 4 weeks, as apr_appeal_term chose when the table was
    # built), and the other reading where the decision leaves it open
    apr_has = has & (_col(t, "regime") == APR)
    apr_idx = np.flatnonzero(apr_has)
    weeks[apr_idx] = _apr_weeks(_col(t, "apr_appeal")[apr_idx], dec[apr_idx])
    computable = np.where(apr_has, has & (dec >= _first_from(APPEAL_PARAMS[0])), computable)
    safe_dec = np.where(computable, dec, first_day)
    appeal = _weeks_ends(cal, safe_dec, weeks)
    in_range = computable & (appeal <= last_day)  # where the scalar path's calendar ends
    alt_code = _col(t, "apr_appeal_alt")
    with_alt = np.flatnonzero(in_range & apr_has & (alt_code >= 0))
    appeal_alternative = np.full(n, NAT)
    if with_alt.size:
        w_dec = safe_dec[with_alt]
        alt = _weeks_ends(cal, w_dec, _apr_weeks(alt_code[with_alt], w_dec))
        in_range[with_alt] &= alt <= last_day
        appeal_alternative[with_alt] = np.where(alt <= last_day, alt, NAT)
    done = t.appeal_lodged
    a_status = np.where(
        ~np.isnat(done),
        np.where(done <= appeal, MET, EXPIRED),
        np.where(asof > appeal, EXPIRED, RUNNING),
    )
    error |= has & ~in_range
    appeal_due = np.where(in_range, appeal, NAT)
    appeal_status = np.where(in_range, a_status, NONE).astype(np.int8)

    # transfer: the deadline the responsibility rules gave when the table was built
    t_due, t_done = _col(t, "transfer_due"), _col(t, "transfer_done")
    t_has = ~np.isnat(t_due) & ~invalid
    t_status = np.where(
        ~np.isnat(t_done),
        np.where(t_done <= t_due, MET, EXPIRED),
        np.where(asof > t_due, EXPIRED, RUNNING),
    )
    return BulkResult(
        decision_due=decision_due,
        decision_status=decision_status,
        appeal_due=appeal_due,
        appeal_status=appeal_status,
        measure_ids=tuple(m.id for m in ms),
        measure_applied=applied & ok_rows[:, None],
        error=error,
        decision_alternative=decision_alternative,
        appeal_alternative=appeal_alternative,
        transfer_due=np.where(t_has, t_due, NAT),
        transfer_alternative=np.where(t_has, _col(t, "transfer_alternative"), NAT),
        transfer_status=np.where(t_has, t_status, NONE).astype(np.int8),
    )


def result_row(r: BulkResult, i: int) -> dict[str, Any]:
    """One row of a result as plain Python values (for tests and the Django layer)."""

    def day(x: np.datetime64) -> dt.date | None:
        return None if np.isnat(x) else x.astype(object)

    def st(code: int) -> str | None:
        return None if code < 0 else STATUS_NAMES[code]

    return {
        "decision_due": day(r.decision_due[i]),
        "decision_status": st(int(r.decision_status[i])),
        "appeal_due": day(r.appeal_due[i]),
        "appeal_status": st(int(r.appeal_status[i])),
        "measures_applied": [mid for j, mid in enumerate(r.measure_ids) if r.measure_applied[i, j]],
        "error": bool(r.error[i]),
        "decision_alternative": day(r.decision_alternative[i]),
        "appeal_alternative": day(r.appeal_alternative[i]),
        "transfer_due": day(r.transfer_due[i]),
        "transfer_alternative": day(r.transfer_alternative[i]),
        "transfer_status": st(int(r.transfer_status[i])),
    }
