"""Until when an assessment holds: the first day on which the passage of time alone can
change what it says.

An assessment on day A stays true on the days after A until something happens — an event is
recorded (the shell recomputes the case then) — or time itself moves it:

* a running or suspended deadline falls due: the day after its due date it has expired
  (and a decided case whose appeal term passed unused becomes final; the further-appeal
  term's other reading, ``alternative_due``, counts the same way);
* a remedy becomes available (``available_from``: a notice of default, an appeal against
  failure to decide, a penalty), or, once the authority is late, a dated value that the
  remedies read on the day itself changes (:data:`REMEDY_PARAMETERS`: whether asylum
  decisions allow an appeal against failure to decide or a penalty, and court practice);
* a measure that touches the case starts, ends, has a period announced, or is disapplied
  by a ruling;
* a measure that does not touch the case yet, but can (:func:`may_touch`: its scope,
  matched by the law's own matching, can cover the applicant while the case is pending),
  has a period announced;
* an event of the case that is not known yet on A becomes known (recorded or effective
  later: a past date replays only what was known then).

Nothing else the assessment holds depends on the day (a penalty amount that accrues day by
day does, but it is not part of what is kept). It cannot know about a measure or a dated
value that is not in the data it is given: a measure announced later, or law data changed
afterwards, must recompute the cases it touches itself.

>>> from toevlucht.law import assess, load_measures, parse_case
>>> case = parse_case({"applicant": {"nationality": "SYR"},
...     "events": [{"kind": "application_lodged", "date": "2022-03-10"}]})
>>> a = assess(case, dt.date(2022, 5, 9))
>>> a.deadline("decision").due
datetime.date(2022, 9, 10)
>>> valid_until(case, a, load_measures())  # the day after the decision term
datetime.date(2022, 9, 11)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from functools import cache

import numpy as np
import numpy.typing as npt

from toevlucht.law.assess import Assessment
from toevlucht.law.bulk import SEX_CODES, CaseTable
from toevlucht.law.measures import MatchStatus, Measure, MeasureKind, groups
from toevlucht.law.model import Applicant, Case
from toevlucht.law.params import parameter
from toevlucht.law.terms import DeadlineKind, DeadlineStatus

__all__ = ["REMEDY_PARAMETERS", "may_touch", "may_touch_table", "measure_days", "valid_until"]

ONE_DAY = dt.timedelta(days=1)
_OPEN = (DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED)
# the dated values ``compute_remedies`` reads on the assessment date itself (or on the first
# day in default, if later): a new value changes what the remedies say without any event
REMEDY_PARAMETERS = (
    "appeal_failure_to_decide_for_asylum",
    "administrative_penalty_for_asylum",
    "court_penalty_for_asylum",
    "court_penalty_eur_per_day",
    "court_penalty_decide_within_weeks",
    "court_penalty_max_eur",
)


@cache
def _remedy_parameter_days() -> frozenset[dt.date]:
    return frozenset(v.valid_from for name in REMEDY_PARAMETERS for v in parameter(name).values)


def may_touch(
    measure: Measure,
    applicant: Applicant,
    lodged: dt.date | None,
    decided: dt.date | None = None,
) -> bool:
    """Whether the measure can touch this case on some day.

    The law's own matching (:meth:`Measure.match`), with the age range left aside: an
    applicant grows into it and out of it, so an age-scoped measure may touch anyone whose
    other facts it covers. A fact the scope needs that is not recorded (sex, groups, the
    lodging date) may still be recorded, so it counts as a match. A measure on the decision
    term touches a case only while it is undecided: not one decided (``decided``, the first
    decision) before any of its periods starts.

    Args:
        measure: the measure.
        applicant: the applicant of the case.
        lodged: the day the application was lodged, if it was.
        decided: the day of the case's first decision, if there was one.

    Returns:
        False only if the measure cannot touch the case whatever the day.

    >>> from toevlucht.law import Applicant, measure
    >>> ru = measure("ru-conscripts-2022-decision")
    >>> may_touch(ru, Applicant(nationality="SYR"), None)
    False
    >>> may_touch(ru, Applicant(nationality="RUS"), None)  # sex and groups not recorded
    True
    >>> may_touch(ru, Applicant(nationality="RUS"), dt.date(2022, 1, 3), dt.date(2022, 6, 1))
    False
    """
    if (
        decided is not None
        and measure.kind is not MeasureKind.DEPARTURE_MORATORIUM
        and all(p.start is not None and decided <= p.start for p in measure.periods)
    ):
        return False
    ageless = replace(measure, scope=replace(measure.scope, age_min=None, age_max=None))
    return ageless.match(applicant, lodged, dt.date.min).status is not MatchStatus.NOT


def may_touch_table(measure: Measure, table: CaseTable) -> npt.NDArray[np.bool_]:
    """:func:`may_touch` for every row of a :mod:`law.bulk <toevlucht.law.bulk>` table.

    >>> from toevlucht.law import measure, parse_case
    >>> from toevlucht.law.bulk import table_from_cases
    >>> cases = [parse_case({"applicant": {"nationality": n}, "events": [
    ...     {"kind": "application_lodged", "date": "2022-03-10"}]}) for n in ("RUS", "SYR")]
    >>> t = table_from_cases(cases, dt.date(2022, 5, 9))
    >>> may_touch_table(measure("ru-conscripts-2022-decision"), t).tolist()
    [True, False]
    """
    sexes = {code: sex for sex, code in SEX_CODES.items()}
    bits = [(1 << i, g) for i, g in enumerate(groups())]

    def day(x: np.datetime64) -> dt.date | None:
        return None if np.isnat(x) else dt.date.fromisoformat(str(x))

    seen: dict[tuple[str, int, int, str, str], bool] = {}
    out = np.zeros(len(table), dtype=bool)
    for i in range(len(table)):
        key = (
            str(table.nationality[i]),
            int(table.sex[i]),
            int(table.groups[i]),
            str(table.lodged[i]),
            str(table.first_decision[i]),
        )
        if key not in seen:
            applicant = Applicant(
                nationality=key[0],
                sex=sexes[key[1]],
                groups=frozenset(g for bit, g in bits if key[2] & bit),
            )
            seen[key] = may_touch(
                measure, applicant, day(table.lodged[i]), day(table.first_decision[i])
            )
        out[i] = seen[key]
    return out


def measure_days(measure: Measure) -> set[dt.date]:
    """Every day on which the measure can change an assessment it touches: a period starts,
    ends or is announced, or a ruling disapplies it.

    >>> from toevlucht.law import measure
    >>> sorted(d.isoformat() for d in measure_days(measure("ua-2022-departure")))
    ['2022-02-28', '2023-02-28']
    """
    days: set[dt.date] = set()
    for p in measure.periods:
        days |= {d for d in (p.start, p.until, p.announced) if d is not None}
    days |= {r.date for r in measure.rulings if r.disapplies and r.date is not None}
    return days


def valid_until(
    case: Case, assessment: Assessment, measures: Mapping[str, Measure]
) -> dt.date | None:
    """The first day after the assessment's date on which time alone can change it.

    Args:
        case: the case that was assessed.
        assessment: ``assess(case, as_of, measures=measures)``.
        measures: the measures it was assessed with.

    Returns:
        The first day D > ``assessment.as_of`` on which ``assess(case, D, ...)`` may differ
        from the assessment (beyond its date, the remedies' accrued amounts and the next
        steps' wording), or None if it holds until an event is recorded. On every day from
        ``as_of`` up to the day before D, the case stands where the assessment says.
    """
    as_of = assessment.as_of
    days: set[dt.date] = set()
    for d in assessment.deadlines:
        if d.done_on is not None:
            continue
        if d.status in _OPEN:
            days.add(d.due + ONE_DAY)
        if d.alternative_due is not None:
            days.add(d.alternative_due + ONE_DAY)
    for r in assessment.remedies:
        if r.available_from is not None and r.used_on is None:
            days.add(r.available_from)
    decision = assessment.deadline(DeadlineKind.DECISION)
    if decision is not None and decision.status is DeadlineStatus.EXPIRED:
        days |= _remedy_parameter_days()  # the authority is (or was) late: remedies apply
    shown = set()
    for v in assessment.measures:
        shown.add(v.measure.id)
        days |= measure_days(v.measure)
    h = assessment.history
    lodged = h.lodged.date if h.lodged is not None else None
    decided = h.decisions[0].date if h.decisions else None
    for m in measures.values():
        if m.id not in shown and may_touch(m, case.applicant, lodged, decided):
            days |= {p.announced for p in m.periods if p.announced is not None}
    days |= {max(e.known_from, e.date) for e in case.events}
    return min((d for d in days if d > as_of), default=None)
