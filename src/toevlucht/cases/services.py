"""Writes: register applicants, open applications, record and correct procedure events,
recompute status projections, place applicants. (Mandates: :mod:`toevlucht.accounts.services`.)

Every service loads, asks the law engine, saves and audits — in one transaction. No legal
rule is written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from toevlucht import clock
from toevlucht.accounts.models import Organisation, User
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.audit.log import record
from toevlucht.cases import permissions
from toevlucht.cases.lawcase import law_case, raw_event
from toevlucht.cases.models import (
    Applicant,
    Application,
    CaseStatus,
    Placement,
    ProcedureEvent,
    ReceptionCentre,
)
from toevlucht.cases.projection import projection_from, projection_on, projection_write
from toevlucht.cases.selectors import applications_visible_to
from toevlucht.errors import EventRejected, NotFound, Rejected
from toevlucht.law import CaseInputError, HistoryError, LawError, assess, parse_event
from toevlucht.law.measures import groups
from toevlucht.law.model import EventKind, country_codes
from toevlucht.law.view import AssessmentView, assessment_view
from toevlucht.measures.selectors import all_measures

__all__ = [
    "applicant_register",
    "application_open",
    "applications_assign",
    "event_correct",
    "event_record",
    "placement_record",
    "status_recompute",
]


def _measures() -> Mapping[str, Any]:
    return all_measures()


# --- applicants and applications ---------------------------------------------------------------


@transaction.atomic
def applicant_register(
    *,
    actor: User | None,
    v_number: str,
    given_names: str,
    family_name: str,
    given_names_latin: str,
    family_name_latin: str,
    nationality: str,
    birth_date: dt.date | None = None,
    sex: str = "",
    languages: list[str] | None = None,
    applicant_groups: list[str] | None = None,
    purpose: str = "registration",
) -> Applicant:
    permissions.check_register(actor)
    if nationality not in country_codes():
        raise Rejected("nationality", f"{nationality!r} is not an ISO 3166-1 alpha-3 code")
    known = groups()
    for g in applicant_groups or []:
        if g not in known:
            raise Rejected("groups", f"unknown group {g!r} (known: {', '.join(known)})")
    if sex and sex not in ("male", "female", "x"):
        raise Rejected("sex", f"{sex!r} is not one of male, female, x")
    if Applicant.objects.filter(v_number=v_number).exists():
        raise Rejected("v_number", f"V-number {v_number} is already registered")
    a = Applicant.objects.create(
        v_number=v_number,
        given_names=given_names,
        family_name=family_name,
        given_names_latin=given_names_latin,
        family_name_latin=family_name_latin,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        languages=languages or [],
        groups=applicant_groups or [],
    )
    record(
        actor=actor, action="create", purpose=purpose, object_type="applicant", object_ids=[a.pk]
    )
    return a


def _next_reference() -> str:
    n = (Application.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    return f"TV-{n:07d}"


@transaction.atomic
def application_open(
    *,
    actor: User | None,
    applicant: Applicant,
    organisation: Organisation,
    kind: str = Application.Kind.FIRST,
    caseworker: User | None = None,
    reference: str = "",
    purpose: str = "registration",
) -> Application:
    permissions.check_register(actor)
    if organisation.kind != Organisation.Kind.AUTHORITY:
        raise Rejected("organisation", "an application belongs to an authority")
    app = Application.objects.create(
        reference=reference or _next_reference(),
        applicant=applicant,
        kind=kind,
        organisation=organisation,
        caseworker=caseworker,
    )
    CaseStatus.objects.create(application=app, computed_on=clock.today())
    record(
        actor=actor,
        action="create",
        purpose=purpose,
        object_type="application",
        object_ids=[app.pk],
        detail={"applicant": applicant.pk},
    )
    return app


@transaction.atomic
def applications_assign(
    *,
    actor: User | None,
    application_ids: list[int],
    caseworker: User | None,
    purpose: str = "assignment",
) -> int:
    """Assign these cases to ``caseworker`` (None: unassign), all or none. Every case must be
    one the actor may see, and the caseworker authority staff of each case's authority.
    Returns how many cases were assigned; audited."""
    permissions.check_assign(actor)
    if not application_ids:
        raise Rejected("cases", "choose at least one case")
    ids = sorted(set(application_ids))
    visible = Application.objects.filter(pk__in=ids)
    if actor is not None:
        visible = applications_visible_to(actor).filter(pk__in=ids)
    apps = list(visible.select_for_update().only("pk", "organisation_id"))
    if len(apps) != len(ids):
        raise NotFound("no such case")
    if caseworker is not None:
        if caseworker.role not in AUTHORITY or not caseworker.is_active:
            raise Rejected("caseworker", "cases are assigned to active authority staff")
        foreign = [a for a in apps if a.organisation_id != caseworker.organisation_id]
        if foreign:
            raise Rejected("caseworker", "the caseworker works for another authority")
    n = Application.objects.filter(pk__in=ids).update(caseworker=caseworker)
    record(
        actor=actor,
        action="assign",
        purpose=purpose,
        object_type="application",
        object_ids=ids,
        detail={"caseworker": caseworker.pk if caseworker else None},
    )
    return n


# --- events ------------------------------------------------------------------------------------


def _validate(
    kind: str, effective_date: dt.date, data: Mapping[str, Any], corrects: ProcedureEvent | None
) -> None:
    if "note" in data:  # the law's case files may carry one; here it is the event's own field
        raise EventRejected("data.note", "unknown field: an internal note is the event's note")
    raw = raw_event(
        kind=kind,
        effective_date=effective_date,
        data=data,
        recorded_on=None,
        pk=None,
        corrects_id=corrects.pk if corrects else None,
    )
    try:
        parse_event(raw, where="event")
    except CaseInputError as exc:
        field = exc.where.removeprefix("event.")
        field = (
            "kind"
            if field == "kind"
            else ("effective_date" if field == "date" else f"data.{field}")
        )
        raise EventRejected(field, exc.problem) from None


def _append(
    *,
    actor: User | None,
    application: Application,
    kind: str,
    effective_date: dt.date,
    data: Mapping[str, Any],
    note: str,
    corrects: ProcedureEvent | None,
    purpose: str,
) -> ProcedureEvent:
    """Validate with the law engine against the whole history, append, audit, recompute."""
    app = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    _validate(kind, effective_date, data, corrects)
    today = clock.today()
    if effective_date > today:
        raise EventRejected(
            "effective_date",
            f"{effective_date.isoformat()} is after today ({today.isoformat()}); "
            "record what happened, not what is planned",
        )
    existing = list(app.events.all())
    seq = (existing[-1].seq + 1) if existing else 1
    event = ProcedureEvent(
        application=app,
        seq=seq,
        kind=kind,
        effective_date=effective_date,
        data=dict(data),
        recorded_on=today,
        recorded_by=actor,
        corrects=corrects,
        note=note,
    )
    candidate = law_case(app.applicant, [*existing, event], app.reference)  # event: unsaved
    try:
        assessment = assess(candidate, today, measures=_measures())
    except HistoryError as exc:
        raise EventRejected("kind" if exc.index == seq else "history", exc.problem) from None
    except LawError as exc:
        raise EventRejected("effective_date", str(exc)) from None
    event.save(force_insert=True)
    record(
        actor=actor,
        action="correct" if corrects else "record",
        purpose=purpose,
        object_type="procedure_event",
        object_ids=[event.pk],
        detail={
            "application": app.pk,
            "kind": kind,
            **({"corrects": corrects.pk} if corrects else {}),
        },
    )
    projection_write([(app.pk, projection_from(candidate, assessment, _measures()))], today)
    return event


@transaction.atomic
def event_record(
    *,
    actor: User | None,
    application: Application,
    kind: str,
    effective_date: dt.date,
    data: Mapping[str, Any] | None = None,
    note: str = "",
    purpose: str = "case handling",
) -> ProcedureEvent:
    """Append an event to a case. Raises :class:`NotAllowed` or :class:`NotFound` when the
    actor may not, :class:`EventRejected` (nothing written) when the event is malformed or
    contradicts the case's history."""
    permissions.check_record_event(actor, application, kind)
    if kind == EventKind.RETRACTION:
        raise EventRejected("kind", "a retraction is recorded with event_correct")
    return _append(
        actor=actor,
        application=application,
        kind=kind,
        effective_date=effective_date,
        data=data or {},
        note=note,
        corrects=None,
        purpose=purpose,
    )


@transaction.atomic
def event_correct(
    *,
    actor: User | None,
    event: ProcedureEvent,
    effective_date: dt.date | None = None,
    data: Mapping[str, Any] | None = None,
    retract: bool = False,
    note: str,
    purpose: str = "correction",
) -> ProcedureEvent:
    """Record a correction of ``event`` (new date or data), or its retraction. The original
    stays in the history; from today the correction replaces it."""
    permissions.check_correct_event(actor, event.application, event.kind)
    if not note.strip():
        raise EventRejected("note", "say why the event is corrected")
    if retract:
        return _append(
            actor=actor,
            application=event.application,
            kind=EventKind.RETRACTION,
            effective_date=clock.today(),
            data={},
            note=note,
            corrects=event,
            purpose=purpose,
        )
    return _append(
        actor=actor,
        application=event.application,
        kind=event.kind,
        effective_date=effective_date or event.effective_date,
        data=event.data if data is None else data,
        note=note,
        corrects=event,
        purpose=purpose,
    )


def status_recompute(application: Application, as_of: dt.date | None = None) -> CaseStatus:
    """Recompute one case's projection from its events (no audit: no personal data read by a
    person)."""
    as_of = as_of or clock.today()
    app = Application.objects.select_related("applicant").get(pk=application.pk)
    case = law_case(app.applicant, app.events.all(), app.reference)
    projection_write([(app.pk, projection_on(case, as_of, _measures()))], as_of)
    return CaseStatus.objects.get(application=app)


def assessment_for(
    application: Application, as_of: dt.date | None = None, lang: str = "en"
) -> AssessmentView:
    """The full assessment of a case in ``lang`` (deadlines with traces), as typed values;
    ``.as_json()`` for the API."""
    as_of = as_of or clock.today()
    case = law_case(application.applicant, application.events.all(), application.reference)
    return assessment_view(assess(case, as_of, measures=_measures()), lang, application.reference)


# --- reception and mandates --------------------------------------------------------------------


@transaction.atomic
def placement_record(
    *,
    actor: User | None,
    applicant: Applicant,
    centre: ReceptionCentre,
    start: dt.date,
    purpose: str = "reception",
) -> Placement:
    """Place an applicant in a centre from ``start``, ending the current placement."""
    permissions.check_record_placement(actor)
    current = (
        Placement.objects.select_for_update().filter(applicant=applicant, end__isnull=True).first()
    )
    if current is not None:
        if start <= current.start:
            raise Rejected("start", f"the current placement started on {current.start}")
        Placement.objects.filter(pk=current.pk).update(end=start)
    p = Placement.objects.create(applicant=applicant, centre=centre, start=start)
    record(
        actor=actor,
        action="create",
        purpose=purpose,
        object_type="placement",
        object_ids=[p.pk],
        detail={"applicant": applicant.pk, "centre": centre.pk},
    )
    return p
