"""What the law hands the shell: an assessment as typed, frozen values in one language.

An :class:`AssessmentView` holds everything a page, a letter or the API shows of an
assessment — dates as ``datetime.date``, statuses and kinds as the law's enums, texts already
rendered in the reader's language — so no module outside the law parses dates or status
strings back out of JSON. JSON is made from it, and only for the API and the CLI
(:meth:`AssessmentView.as_json`; the shape is the contract described in
:mod:`toevlucht.law.report`).

>>> from toevlucht.law.assess import assess
>>> from toevlucht.law.model import parse_case
>>> case = parse_case({"applicant": {"nationality": "RUS"},
...     "events": [{"kind": "application_lodged", "date": "2022-03-10"}]})
>>> v = assessment_view(assess(case, dt.date(2022, 5, 9)), "nl")
>>> v.deadline("decision").due, v.deadline("decision").status.value
(datetime.date(2022, 9, 10), 'running')
>>> v.as_json()["deadlines"][0]["due"]
'2022-09-10'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toevlucht.law.assess import Assessment, MeasureView
from toevlucht.law.deadlines import Deadline, DeadlineKind, DeadlineStatus
from toevlucht.law.measures import EffectStatus, MatchStatus, Measure, MeasureKind, Period
from toevlucht.law.model import Event, EventKind, Stage, Track
from toevlucht.law.regime import Framework, Regime
from toevlucht.law.remedies import Remedy, RemedyKind
from toevlucht.law.sources import Citation, Status
from toevlucht.law.text import render_key, render_step, render_value
from toevlucht.law.trace import Step

__all__ = [
    "AssessmentView",
    "DeadlineLine",
    "EventLine",
    "MeasureLine",
    "MeasureSummary",
    "PeriodLine",
    "RemedyLine",
    "RulingLine",
    "ScopeLine",
    "StepLine",
    "TextLine",
    "WarningLine",
    "assessment_view",
    "coming_interviews",
    "legal_effect_text",
    "measure_line",
    "measure_summary",
    "step_lines",
]


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepLine:
    """One step of a trace: what was done, on which date, by which article."""

    text: str
    source: str | None  # the citation's label
    source_url: str | None
    status: Status
    date: dt.date | None
    citation: Citation | None
    regime: Regime  # whose rule the step applies

    def as_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "text": self.text,
            "source": self.source,
            "source_url": self.source_url,
            "status": self.status.value,
            "regime": self.regime.value,
        }
        if self.date is not None:
            item["date"] = self.date.isoformat()
        if self.citation is not None:
            item["citation"] = self.citation.as_dict()
        return item


def step_regime(step: Step, regime: Regime) -> Regime:
    """The regime whose rule ``step`` applies: the old Vw 2000/Vb 2000 or the APR and the
    amended Vw 2000 where its source is one of theirs; otherwise (the Awb, the Atw, the
    responsibility regulations, a measure) the regime of the case it is applied to."""
    sid = step.source.id if step.source is not None else ""
    if sid.startswith(("apr-", "vw26-")):
        return Regime.APR
    if sid.startswith(("vw-", "vb-")):
        return Regime.VW2000
    return regime


def step_lines(
    steps: tuple[Step, ...], lang: str, regime: Regime = Regime.VW2000
) -> tuple[StepLine, ...]:
    return tuple(
        StepLine(
            text=render_step(s, lang),
            source=s.source.label_in(lang) if s.source else None,
            source_url=s.source.url if s.source else None,
            status=s.status,
            date=s.date,
            citation=s.source,
            regime=step_regime(s, regime),
        )
        for s in steps
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineLine:
    kind: DeadlineKind
    label: str
    start: dt.date | None
    due: dt.date
    status: DeadlineStatus
    certainty: Status
    done_on: dt.date | None
    late_by_days: int | None
    alternative_due: dt.date | None
    steps: tuple[StepLine, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "label": self.label,
            "start": _d(self.start),
            "due": _d(self.due),
            "status": self.status.value,
            "certainty": self.certainty.value,
            "done_on": _d(self.done_on),
            "late_by_days": self.late_by_days,
            "alternative_due": _d(self.alternative_due),
            "steps": [s.as_json() for s in self.steps],
        }


def _deadline_line(d: Deadline, lang: str, regime: Regime) -> DeadlineLine:
    return DeadlineLine(
        kind=d.kind,
        label=render_key(f"deadline.{d.kind.value}", lang),
        start=d.start,
        due=d.due,
        status=d.status,
        certainty=d.certainty,
        done_on=d.done_on,
        late_by_days=d.late_by_days,
        alternative_due=d.alternative_due,
        steps=step_lines(d.steps, lang, regime),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodLine:
    """A period of a measure as announced."""

    start: dt.date | None
    until: dt.date | None
    announced: dt.date | None
    source: str
    source_url: str | None


def _period_line(p: Period, lang: str = "en") -> PeriodLine:
    return PeriodLine(
        start=p.start,
        until=p.until,
        announced=p.announced,
        source=p.source.label_in(lang),
        source_url=p.source.url,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ScopeLine:
    """Whom a measure is for; empty means every one."""

    nationalities: tuple[str, ...]
    sexes: tuple[str, ...]
    age_min: int | None
    age_max: int | None
    groups: tuple[str, ...]
    lodged_from: dt.date | None
    lodged_before: dt.date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureSummary:
    """A policy measure on its own (not as it touches one case): for the list of measures,
    a measure's page and the API."""

    id: str
    kind: MeasureKind
    title: str
    effect_status: EffectStatus
    legal_basis: Citation
    term_extension_months: int | None
    extension_ground: str
    effect_note: str
    note: str
    scope: ScopeLine
    periods: tuple[PeriodLine, ...]
    exceptions: tuple[str, ...] = ()
    legal_basis_label: str = ""  # the legal basis's label in the reader's language

    @property
    def first_start(self) -> dt.date | None:
        return self.periods[0].start if self.periods else None


def measure_summary(m: Measure, lang: str) -> MeasureSummary:
    s = m.scope
    return MeasureSummary(
        id=m.id,
        kind=m.kind,
        title=m.title(lang),
        effect_status=m.effect_status,
        legal_basis=m.legal_basis,
        term_extension_months=m.term_extension_months,
        extension_ground=m.extension_ground,
        effect_note=m.effect_note,
        note=m.note,
        scope=ScopeLine(
            nationalities=tuple(sorted(s.nationalities)),
            sexes=tuple(sorted(x.value for x in s.sexes)),
            age_min=s.age_min,
            age_max=s.age_max,
            groups=tuple(sorted(s.groups_any)),
            lodged_from=s.lodged_from,
            lodged_before=s.lodged_before,
        ),
        periods=tuple(_period_line(p, lang) for p in m.periods),
        exceptions=exception_texts(m, lang),
        legal_basis_label=m.legal_basis.label_in(lang),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class RulingLine:
    date: dt.date | None
    holding: str
    source: str
    source_url: str | None
    disapplies: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureLine:
    """A policy measure that touches the case, as known on the assessment date."""

    id: str
    kind: MeasureKind
    kind_label: str
    title: str
    start: dt.date | None  # "from" in JSON
    until: dt.date | None
    in_force: bool
    holds: bool
    touches_from: dt.date | None
    scope_match: MatchStatus
    missing: tuple[str, ...]
    missing_text: tuple[str, ...]
    applied: bool
    reason: str
    reason_text: str
    effect_status: EffectStatus
    legal_effect: str
    effect_note: str
    source: str
    source_url: str | None
    announcement: tuple[PeriodLine, ...]
    rulings: tuple[RulingLine, ...]
    exceptions: tuple[str, ...] = ()  # whom the measure leaves out, in the reader's language

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "kind_label": self.kind_label,
            "title": self.title,
            "from": _d(self.start),
            "until": _d(self.until),
            "in_force": self.in_force,
            "holds": self.holds,
            "touches_from": _d(self.touches_from),
            "scope_match": self.scope_match.value,
            "missing": list(self.missing),
            "missing_text": list(self.missing_text),
            "applied": self.applied,
            "reason": self.reason,
            "reason_text": self.reason_text,
            "effect_status": self.effect_status.value,
            "legal_effect": self.legal_effect,
            "effect_note": self.effect_note,
            "source": self.source,
            "source_url": self.source_url,
            "announcement": [
                {
                    "from": _d(p.start),
                    "until": _d(p.until),
                    "announced": _d(p.announced),
                    "source": p.source,
                    "source_url": p.source_url,
                }
                for p in self.announcement
            ],
            "rulings": [
                {
                    "date": _d(r.date),
                    "holding": r.holding,
                    "source": r.source,
                    "source_url": r.source_url,
                    "disapplies": r.disapplies,
                }
                for r in self.rulings
            ],
            "exceptions": list(self.exceptions),
        }


def legal_effect_text(v: MeasureView, lang: str) -> str:
    m = v.measure
    if m.term_extension_months is not None and m.kind is not MeasureKind.DEPARTURE_MORATORIUM:
        effect = render_key("ui.effect_extends", lang, {"months": m.term_extension_months})
    else:
        effect = render_key("ui.effect_none", lang)
    status = render_key(f"ui.effect_status_{m.effect_status.value}", lang)
    return render_key("ui.legal_effect", lang, {"status": status, "effect": effect})


def measure_line(v: MeasureView, lang: str) -> MeasureLine:
    m = v.measure
    return MeasureLine(
        id=m.id,
        kind=m.kind,
        kind_label=render_key(f"measure_kind.{m.kind.value}", lang),
        title=render_value("measure", m, lang),
        start=m.start(),
        until=v.until,
        in_force=v.in_force,
        holds=v.holds,
        touches_from=v.on,
        scope_match=v.match.status,
        missing=tuple(v.match.reasons),
        missing_text=tuple(render_key(k, lang) for k in v.match.missing),
        applied=v.applied,
        reason=v.reason,
        reason_text=render_key(f"measure_reason.{v.reason}", lang),
        effect_status=m.effect_status,
        legal_effect=legal_effect_text(v, lang),
        effect_note=m.effect_note,
        source=m.legal_basis.label_in(lang),
        source_url=m.legal_basis.url,
        announcement=tuple(_period_line(p, lang) for p in m.periods),
        rulings=tuple(
            RulingLine(
                date=r.date,
                holding=r.holding,
                source=r.source.label_in(lang),
                source_url=r.source.url,
                disapplies=r.disapplies,
            )
            for r in m.rulings
        ),
        exceptions=exception_texts(m, lang),
    )


def exception_texts(m: Measure, lang: str) -> tuple[str, ...]:
    """Whom ``m`` leaves out, in ``lang``."""
    return tuple(render_key(f"measure_exception.{e.value}", lang) for e in m.exceptions)


@dataclass(frozen=True, slots=True, kw_only=True)
class RemedyLine:
    kind: RemedyKind
    label: str
    available: bool
    available_from: dt.date | None
    amount_eur: int
    used_on: dt.date | None
    certainty: Status
    steps: tuple[StepLine, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "label": self.label,
            "available": self.available,
            "available_from": _d(self.available_from),
            "amount_eur": self.amount_eur,
            "used_on": _d(self.used_on),
            "certainty": self.certainty.value,
            "steps": [s.as_json() for s in self.steps],
        }


def _remedy_line(r: Remedy, lang: str, regime: Regime) -> RemedyLine:
    return RemedyLine(
        kind=r.kind,
        label=render_key(f"remedy.{r.kind.value}", lang),
        available=r.available,
        available_from=r.available_from,
        amount_eur=r.amount_eur,
        used_on=r.used_on,
        certainty=r.certainty,
        steps=step_lines(r.steps, lang, regime),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningLine:
    """An incomplete history: a step the law requires first is missing (with its article)."""

    key: str
    text: str
    source: str
    source_url: str
    event_index: int

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "source": self.source,
            "source_url": self.source_url,
            "event_index": self.event_index,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class TextLine:
    """A next step or a note: its message key and its text in the reader's language."""

    key: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EventLine:
    """A procedure event in force on the assessment date (corrections applied, retractions
    gone): what happened and when, with its data as the law parsed it."""

    kind: EventKind
    date: dt.date
    data: Mapping[str, Any]


_HELD = {
    EventKind.REGISTRATION_INTERVIEW_HELD: "registration",
    EventKind.DETAILED_INTERVIEW_HELD: "detailed",
}


def coming_interviews(events: tuple[EventLine, ...], as_of: dt.date) -> tuple[EventLine, ...]:
    """The interviews planned (``interview_scheduled``) that are still to come on ``as_of``:
    their day has not passed and no interview of their kind was held after they were
    planned. Soonest first.

    >>> plan = EventLine(kind=EventKind.INTERVIEW_SCHEDULED, date=dt.date(2022, 5, 2),
    ...     data={"interview": "registration", "scheduled_for": dt.date(2022, 5, 20)})
    >>> len(coming_interviews((plan,), dt.date(2022, 5, 9)))
    1
    >>> held = EventLine(kind=EventKind.REGISTRATION_INTERVIEW_HELD, date=dt.date(2022, 5, 6),
    ...     data={})
    >>> coming_interviews((plan, held), dt.date(2022, 5, 9))
    ()
    """
    out = []
    for e in events:
        when = e.data.get("scheduled_for")
        if e.kind is not EventKind.INTERVIEW_SCHEDULED or not isinstance(when, dt.date):
            continue
        held = any(
            _HELD.get(h.kind) == e.data.get("interview") and h.date >= e.date for h in events
        )
        if when >= as_of and not held:
            out.append(e)
    return tuple(sorted(out, key=lambda e: e.data["scheduled_for"]))


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentView:
    """An assessment in one language, as typed values. ``assessment`` is the law's own
    value it was made from (for code that needs more than is shown)."""

    reference: str
    as_of: dt.date
    language: str
    stage: Stage | None
    stage_label: str
    track: Track
    overdue: bool
    regime: Regime
    regime_label: str
    framework: Framework
    stage_since: dt.date | None  # the day the case reached its stage
    stage_since_event: EventKind | None  # the event that brought it there
    warnings: tuple[WarningLine, ...]
    deadlines: tuple[DeadlineLine, ...]
    measures: tuple[MeasureLine, ...]
    remedies: tuple[RemedyLine, ...]
    next_steps: tuple[TextLine, ...]
    notes: tuple[TextLine, ...]
    disclaimer: str
    events: tuple[EventLine, ...]
    assessment: Assessment

    def deadline(self, kind: str | DeadlineKind) -> DeadlineLine | None:
        return next((d for d in self.deadlines if d.kind == kind), None)

    def remedy(self, kind: str | RemedyKind) -> RemedyLine | None:
        return next((r for r in self.remedies if r.kind == kind), None)

    @property
    def next_deadline(self) -> DeadlineLine | None:
        """The earliest deadline still running or suspended."""
        nxt = self.assessment.next_deadline
        return self.deadline(nxt.kind) if nxt is not None else None

    @property
    def days_in_stage(self) -> int | None:
        """Days from the event that brought the case to its stage to the assessment date."""
        return None if self.stage_since is None else (self.as_of - self.stage_since).days

    @property
    def coming_interviews(self) -> tuple[EventLine, ...]:
        return coming_interviews(self.events, self.as_of)

    @property
    def applied_measures(self) -> tuple[MeasureLine, ...]:
        """The measures that moved the decision term."""
        return tuple(m for m in self.measures if m.applied)

    def as_json(self) -> dict[str, Any]:
        """The JSON contract of ``toevlucht assess --format json`` and of the API."""
        nxt = self.next_deadline
        return {
            "reference": self.reference,
            "as_of": self.as_of.isoformat(),
            "language": self.language,
            "stage": self.stage.value if self.stage else None,
            "stage_label": self.stage_label,
            "regime": self.regime.value,
            "regime_label": self.regime_label,
            "stage_since": (
                {"date": self.stage_since.isoformat(), "event": self.stage_since_event.value}
                if self.stage_since is not None and self.stage_since_event is not None
                else None
            ),
            "responsibility": self.framework.value,
            "track": self.track.value,
            "overdue": self.overdue,
            "next_deadline": {"kind": nxt.kind.value, "due": nxt.due.isoformat()} if nxt else None,
            "deadlines": [d.as_json() for d in self.deadlines],
            "measures": [m.as_json() for m in self.measures],
            "remedies": [r.as_json() for r in self.remedies],
            "next_steps": [{"key": s.key, "text": s.text} for s in self.next_steps],
            "notes": [{"key": n.key, "text": n.text} for n in self.notes],
            "warnings": [w.as_json() for w in self.warnings],
            "disclaimer": self.disclaimer,
        }


def _event_line(e: Event) -> EventLine:
    return EventLine(kind=e.kind, date=e.date, data=e.data)


def assessment_view(a: Assessment, lang: str = "en", reference: str = "") -> AssessmentView:
    """The assessment ``a`` as typed values, texts in ``lang``."""
    return AssessmentView(
        reference=reference,
        as_of=a.as_of,
        language=lang,
        stage=a.stage,
        stage_label=render_key(f"stage.{a.stage.value if a.stage else 'none'}", lang),
        track=a.history.track,
        overdue=a.overdue,
        regime=a.regime,
        regime_label=render_key(f"regime.{a.regime.value}", lang),
        stage_since=a.history.stage_since.date if a.history.stage_since else None,
        stage_since_event=a.history.stage_since.kind if a.history.stage_since else None,
        framework=a.framework,
        warnings=tuple(
            WarningLine(
                key=w.key,
                text=render_key(w.key, lang, w.params),
                source=w.source.label_in(lang),
                source_url=w.source.url,
                event_index=w.index,
            )
            for w in a.warnings
        ),
        deadlines=tuple(_deadline_line(d, lang, a.regime) for d in a.deadlines),
        measures=tuple(measure_line(v, lang) for v in a.measures),
        remedies=tuple(_remedy_line(r, lang, a.regime) for r in a.remedies),
        next_steps=tuple(
            TextLine(key=s.key, text=render_key(s.key, lang, s.params)) for s in a.next_steps
        ),
        notes=tuple(TextLine(key=n, text=render_key(n, lang)) for n in a.notes),
        disclaimer=render_key("ui.disclaimer", lang),
        events=tuple(_event_line(e) for e in a.history.events),
        assessment=a,
    )
