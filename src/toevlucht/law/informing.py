"""What the law tells the applicant about his own case, for the authority's letters to him:
the extensions and postponements of his decision term (with their ground, the rule they rest
on and the rule that requires him to be told), and the interviews planned for him.

Everything here is read from an :class:`~toevlucht.law.assess.Assessment` — the steps of the
decision term's trace and the events in force — so a letter says no more than the law
model does: an extension the model did not apply (an unconfirmed measure, a scope it may
not match) is not an extension here.

>>> from toevlucht.law.assess import assess
>>> from toevlucht.law.model import parse_case
>>> case = parse_case({"applicant": {"nationality": "GEO"}, "events": [
...     {"kind": "application_lodged", "date": "2022-03-10"},
...     {"kind": "decision_term_extended", "date": "2022-08-01", "months": 9,
...      "ground": "42(4)(a)"}]})
>>> [(e.ground, e.months, e.due, e.source) for e in term_extensions(assess(case, dt.date(2022, 9,
...     1)), "nl")]
[('42(4)(a)', 9, datetime.date(2023, 6, 10), 'Vw 2000 art. 42(4)')]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toevlucht.law.assess import Assessment
from toevlucht.law.deadlines import DeadlineKind, DeadlineStatus
from toevlucht.law.measures import Measure, MeasureKind
from toevlucht.law.model import EventKind, ExtensionGround, InterviewKind
from toevlucht.law.procedure import TRANSITIONS
from toevlucht.law.regime import Regime
from toevlucht.law.sources import Citation, Status, load_sources
from toevlucht.law.text import format_date, render_key, render_step, render_value
from toevlucht.law.trace import Label, Step

__all__ = [
    "ExtensionLine",
    "InterviewLine",
    "decision_term_open",
    "interviews_to_come",
    "term_caveats",
    "term_extensions",
    "term_limits",
]

# The trace steps of the decision term that moved it, in either regime (decision_term.py,
# apr.py), and whether a measure made them.
_MOVED_BY_EVENT = ("decision.extended", "apr.postponed")
_MOVED_BY_MEASURE = ("measure.extended", "measure.extended_contested", "apr.measure_postponed")
_MORATORIUM_KINDS = (MeasureKind.DECISION_MORATORIUM, MeasureKind.DECISION_STOP)

# The rule that requires the applicant to be told, where the law's data has one: Vw 2000
# art. 42(7) for an extension under art. 42(4) or (5), art. 43(2) for a moratorium under
# the old art. 43 (domain notes 2.4 and 3.1). For APR cases the data holds no such rule,
# so none is cited.
_INFORM_42 = "vw-42-7"
_INFORM_43 = "vw-43-2"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtensionLine:
    """One extension or postponement of the decision term that the law applied."""

    on: dt.date | None  # the day it was decided, or the day the measure touched the case
    months: int
    due: dt.date  # the end of the term after it
    ground: str  # the article's paragraph it rests on ("42(4)(a)", "43", "35(5)")
    moratorium: bool  # a decision moratorium or postponement (Vw 43, APR art. 35(7))
    measure_id: str  # "" for an individual extension
    measure_title: str
    contested: bool  # courts disagree about the measure's validity
    text: str  # the law's step, in the reader's language
    source: str  # the citation's label
    source_url: str | None
    citation: Citation
    informs: Citation | None  # the rule requiring the applicant to be told, if the data has one


def _inform(regime: Regime, moratorium: bool, ground: str) -> Citation | None:
    if regime is Regime.APR:
        return None
    if moratorium or ground == ExtensionGround.VW_43.value:
        return load_sources()[_INFORM_43]
    return load_sources()[_INFORM_42]


def _ground(value: object) -> str:
    """The ground's code, whether the step carries it as text or as its label
    (``extension_ground.42(4)(a)``)."""
    if isinstance(value, Label):
        return value.key.removeprefix("extension_ground.")
    return str(value)


def _line(step: Step, a: Assessment, lang: str) -> ExtensionLine | None:
    p = step.params
    measure = p.get("measure")
    if step.key in _MOVED_BY_EVENT:
        ground = _ground(p["ground"]) if "ground" in p else ExtensionGround.VW_43.value
        moratorium = step.key == "apr.postponed" or ground == ExtensionGround.VW_43.value
        on = p.get("on")
        title, mid = "", ""
    elif step.key in _MOVED_BY_MEASURE and isinstance(measure, Measure):
        moratorium = measure.kind in _MORATORIUM_KINDS or step.key == "apr.measure_postponed"
        ground = measure.extension_ground or (ExtensionGround.VW_43.value if moratorium else "")
        on = p.get("day")
        title, mid = render_value("measure", measure, lang), measure.id
    else:
        return None
    if step.source is None or step.date is None:
        return None
    return ExtensionLine(
        on=on if isinstance(on, dt.date) else None,
        months=int(p["months"]),
        due=step.date,
        ground=ground,
        moratorium=moratorium,
        measure_id=mid,
        measure_title=title,
        contested=step.key == "measure.extended_contested",
        text=render_step(step, lang),
        source=step.source.label,
        source_url=step.source.url,
        citation=step.source,
        informs=_inform(a.regime, moratorium, ground),
    )


def term_extensions(a: Assessment, lang: str) -> tuple[ExtensionLine, ...]:
    """The extensions and postponements that moved the decision term of ``a``, in the order
    the law applied them (texts in ``lang``). Empty when there is no decision term."""
    d = a.deadline(DeadlineKind.DECISION)
    if d is None:
        return ()
    lines = (_line(s, a, lang) for s in d.steps if s.status is Status.CONFIRMED)
    return tuple(x for x in lines if x is not None)


# The steps that hold the term back to a statutory maximum after the extensions.
_LIMITS = ("decision.extension_capped", "decision.capped")


def term_limits(a: Assessment, lang: str) -> tuple[tuple[str, str], ...]:
    """The law's maximum where it cut an extension short or capped the term: (text in
    ``lang``, the citation's label), so a letter's end date is explained by the law."""
    d = a.deadline(DeadlineKind.DECISION)
    if d is None:
        return ()
    return tuple(
        (render_step(s, lang), s.source.label if s.source else "")
        for s in d.steps
        if s.key in _LIMITS and s.status is Status.CONFIRMED
    )


# Unconfirmed steps that do not concern the end date told to the applicant: a measure the
# law did not apply (it did not move his term).
_NOT_CAVEATS = ("measure.unconfirmed", "measure.possibly")


def term_caveats(a: Assessment, lang: str) -> tuple[str, ...]:
    """The unconfirmed readings of the decision term of ``a`` (an unknown cap, another
    reading of a month's end): a letter telling the applicant his end date must say so."""
    d = a.deadline(DeadlineKind.DECISION)
    if d is None:
        return ()
    return tuple(
        render_step(s, lang)
        for s in d.steps
        if s.status is Status.UNCONFIRMED and s.key not in _NOT_CAVEATS
    )


def decision_term_open(a: Assessment) -> bool:
    """The decision term runs (or is held by a moratorium): there is something to tell the
    applicant about it. After a decision, or once it expired, there is not."""
    d = a.deadline(DeadlineKind.DECISION)
    return d is not None and d.status in (DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED)


@dataclass(frozen=True, slots=True, kw_only=True)
class InterviewLine:
    """An interview planned for the applicant (``interview_scheduled``), still to come."""

    kind: InterviewKind
    label: str  # the interview's name in the reader's language
    planned_on: dt.date  # the day it was planned
    day: dt.date  # the day of the interview
    day_text: str  # the day in the reader's language
    text: str  # the law's sentence: the interview is planned for that day
    source: str
    source_url: str | None
    citation: Citation | None


_HELD = {
    InterviewKind.REGISTRATION: EventKind.REGISTRATION_INTERVIEW_HELD,
    InterviewKind.DETAILED: EventKind.DETAILED_INTERVIEW_HELD,
}


def _interview_source(kind: InterviewKind, regime: Regime) -> Citation | None:
    """The rule of the interview, as the procedure's transitions cite it for the event
    that records it held."""
    row = next((t for t in TRANSITIONS if t.kind is _HELD[kind] and regime in t.regimes), None)
    return row.source if row is not None else None


def interviews_to_come(a: Assessment, lang: str) -> tuple[InterviewLine, ...]:
    """The interviews planned for the applicant whose day has not passed on the assessment
    date and that were not held after they were planned; soonest first."""
    h = a.history
    out = []
    for s in h.scheduled:
        when = s.get("scheduled_for")
        kind = s.interview
        held = (
            ([h.registration_interview] if h.registration_interview is not None else [])
            if kind is InterviewKind.REGISTRATION
            else list(h.detailed_interviews)
        )
        if not isinstance(when, dt.date) or when < a.as_of:
            continue
        if any(e.date >= s.date for e in held):
            continue
        cite = _interview_source(kind, a.regime)
        label = render_key(f"interview.{kind.value}", lang)
        out.append(
            InterviewLine(
                kind=kind,
                label=label,
                planned_on=s.date,
                day=when,
                day_text=format_date(when, lang),
                text=render_key(
                    "next.interview_scheduled",
                    lang,
                    {"interview": Label(f"interview.{kind.value}"), "day": when},
                ),
                source=cite.label if cite else "",
                source_url=cite.url if cite else None,
                citation=cite,
            )
        )
    return tuple(sorted(out, key=lambda x: (x.day, x.planned_on)))
