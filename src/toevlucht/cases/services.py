"""Writes: register applicants, open applications, record and correct procedure events,
recompute status projections, place applicants. (Mandates: :mod:`toevlucht.accounts.services`.)

Every service loads, asks the law engine, saves and audits — in one transaction. No legal
rule is written here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import get_language, gettext, ngettext

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
from toevlucht.cases.translit import ARABIC_MARK, arabic_keys, has_arabic_names, search_key
from toevlucht.errors import DuplicateSuspected, EventRejected, NotFound, Rejected
from toevlucht.law import LANGUAGES, CaseInputError, HistoryError, LawError, assess, parse_event
from toevlucht.law.measures import groups
from toevlucht.law.model import EventKind, country_codes
from toevlucht.law.text import format_date, render_error, render_problem
from toevlucht.law.view import AssessmentView, assessment_view
from toevlucht.measures.selectors import all_measures

__all__ = [
    "Candidate",
    "applicant_candidates",
    "applicant_field_errors",
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


V_NUMBER = re.compile(r"[0-9]{10}")
LANGUAGE = re.compile(r"[a-z]{2}")
MAX_CANDIDATES = 10


def parse_birth(text: str | dt.date | None) -> tuple[dt.date | None, int | None, int | None]:
    """A birth date as far as it is known: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty
    (unknown), as (full date, year, month). Raises :class:`Rejected` naming ``birth_date``."""
    if text is None or text == "":
        return None, None, None
    if isinstance(text, dt.date):
        return text, text.year, text.month
    raw = text.strip()
    m = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", raw)
    if m is None:
        raise Rejected(
            "birth_date",
            gettext("%(value)s: give YYYY-MM-DD, YYYY-MM or YYYY (or leave it empty)")
            % {"value": repr(raw)},
        )
    year, month, day = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    today = clock.today()
    if not 1900 <= year <= today.year:
        raise Rejected("birth_date", gettext("%(year)d is not a year of birth") % {"year": year})
    if month is not None and not 1 <= month <= 12:
        raise Rejected("birth_date", gettext("%(month)d is not a month") % {"month": month})
    full = None
    if day is not None:
        assert month is not None
        try:
            full = dt.date(year, month, day)
        except ValueError:
            raise Rejected(
                "birth_date", gettext("%(value)s is not a date") % {"value": raw}
            ) from None
        if full > today:
            raise Rejected("birth_date", gettext("%(value)s is after today") % {"value": raw})
    return full, year, month


@dataclass(frozen=True)
class Candidate:
    """An applicant on record who may be the person being registered, and why."""

    applicant: Applicant
    reasons: tuple[str, ...]  # v_number, name, birth_date, nationality


def _name_keys(*names: str, arabic: bool = False) -> set[str]:
    """The search words of ``names`` as the applicant's stored key has them (``models.
    applicant_search_key``): with the Arabic-spelling keys when ``arabic``."""
    keys = {w for n in names for w in search_key(n).split() if w}
    if arabic:
        keys |= {ARABIC_MARK + k for n in names for k in arabic_keys(n)}
    return keys


def applicant_candidates(
    *,
    actor: User | None,
    v_number: str = "",
    given_names: str = "",
    family_name: str = "",
    given_names_latin: str = "",
    family_name_latin: str = "",
    birth: str | dt.date | None = None,
    nationality: str = "",
    purpose: str = "duplicate check",
) -> list[Candidate]:
    """Applicants on record who may be this person: the same V-number, or a family name and
    a given name that meet in any spelling or script (``translit.search_key``; an Arabic or
    Persian name also in its other Latin spellings, ``translit.arabic_keys``) with a birth
    date that does not contradict (same day, or same month or year where only that is
    known, or unknown). Every applicant is searched, whichever authority holds the case:
    the check is about the person. The candidates shown are audited."""
    permissions.check_register(actor)
    full, year, month = parse_birth(birth) if birth else (None, None, None)
    found: dict[int, set[str]] = {}
    if v_number:
        for pk in Applicant.objects.filter(v_number=v_number).values_list("pk", flat=True):
            found.setdefault(pk, set()).add("v_number")
    names = [given_names, family_name, given_names_latin, family_name_latin]
    arabic = has_arabic_names(names, nationality)  # Mohammed Hashimi meets Muhammad Hashemi
    family = _name_keys(family_name, family_name_latin, arabic=arabic)
    given = _name_keys(given_names, given_names_latin, arabic=arabic)
    if family and given:
        q = Q()
        for key in family:
            q |= Q(search_key__contains=f" {key} ")
        for a in Applicant.objects.filter(q, erased_on__isnull=True).only(
            "pk", "search_key", "birth_date", "birth_year", "birth_month", "nationality"
        )[:500]:
            words = set(a.search_key.split())
            if not (family & words and given & words):
                continue
            # a whole birth date may be stored without its year and month (demo, seed)
            a_year = a.birth_date.year if a.birth_date is not None else a.birth_year
            a_month = a.birth_date.month if a.birth_date is not None else a.birth_month
            if year is not None and a_year is not None:
                if a_year != year:
                    continue
                if month is not None and a_month is not None and a_month != month:
                    continue
                if full is not None and a.birth_date is not None and a.birth_date != full:
                    continue
            reasons = found.setdefault(a.pk, set())
            reasons.add("name")
            if year is not None and a_year == year:
                reasons.add("birth_date")
            if nationality and a.nationality == nationality:
                reasons.add("nationality")
    order = ("v_number", "name", "birth_date", "nationality")
    ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), "v_number" not in kv[1], kv[0]))
    ranked = ranked[:MAX_CANDIDATES]
    rows = Applicant.objects.in_bulk([pk for pk, _ in ranked])
    out = [
        Candidate(applicant=rows[pk], reasons=tuple(r for r in order if r in why))
        for pk, why in ranked
    ]
    if out:
        record(
            actor=actor,
            action="list",
            purpose=purpose,
            object_type="applicant",
            object_ids=[c.applicant.pk for c in out],
        )
    return out


def _check_v_number(v_number: str) -> None:
    if not V_NUMBER.fullmatch(v_number):
        raise Rejected(
            "v_number", gettext("%(value)s: a V-number is 10 digits") % {"value": repr(v_number)}
        )


def _check_v_number_free(v_number: str) -> None:
    """(A malformed V-number is not looked up.)"""
    if V_NUMBER.fullmatch(v_number) and Applicant.objects.filter(v_number=v_number).exists():
        raise Rejected(
            "v_number", gettext("V-number %(value)s is already registered") % {"value": v_number}
        )


def _check_groups(applicant_groups: list[str]) -> None:
    known = groups()
    for g in applicant_groups:
        if g not in known:
            dutch = _page_language() == "nl"
            names = ", ".join(k.name_nl if dutch else k.name_en for k in known.values())
            raise Rejected(
                "groups",
                gettext("unknown group %(value)s (known: %(known)s)")
                % {"value": repr(g), "known": names},
            )


def _check_languages(languages: list[str]) -> None:
    for lang in languages:
        if not LANGUAGE.fullmatch(lang):
            raise Rejected(
                "languages",
                gettext("%(value)s is not an ISO 639-1 code (two letters)") % {"value": repr(lang)},
            )


def applicant_field_errors(
    *,
    v_number: str,
    given_names: str,
    family_name: str,
    given_names_latin: str,
    family_name_latin: str,
    nationality: str,
    birth_date: str | dt.date | None = None,
    sex: str = "",
    languages: list[str] | None = None,
    applicant_groups: list[str] | None = None,
) -> dict[str, str]:
    """What is wrong with a new applicant's facts, every field at once (field -> its first
    message): a page shows them together, :func:`applicant_register`
    refuses with the first (in this order). Writes nothing; the V-number is looked up (is it
    registered already?) only when it is well formed."""
    given_latin, family_latin = given_names_latin.strip(), family_name_latin.strip()
    names = {
        "given_names": given_names.strip() or given_latin,
        "family_name": family_name.strip() or family_latin,
        "given_names_latin": given_latin,
        "family_name_latin": family_latin,
    }

    def names_check(field_name: str) -> Any:
        def check() -> None:
            if field_name == "family_name_latin" and not family_latin:
                raise Rejected(field_name, gettext("the family name in Latin letters is required"))
            if len(names[field_name]) > 200:
                raise Rejected(field_name, gettext("at most 200 characters"))

        return check

    def nationality_check() -> None:
        if nationality not in country_codes():
            raise Rejected(
                "nationality",
                gettext("%(value)s is not an ISO 3166-1 alpha-3 code")
                % {"value": repr(nationality)},
            )

    def sex_check() -> None:
        if sex and sex not in ("male", "female", "x"):
            raise Rejected(
                "sex",
                gettext(
                    "%(value)s is not a sex: choose male, female or X (neither male nor female)"
                )
                % {"value": repr(sex)},
            )

    checks: list[Any] = [
        lambda: _check_v_number(v_number.strip()),
        *(names_check(f) for f in names),
        nationality_check,
        lambda: parse_birth(birth_date),
        lambda: _check_groups(applicant_groups or []),
        sex_check,
        lambda: _check_languages(languages or []),
        lambda: _check_v_number_free(v_number.strip()),
    ]
    errors: dict[str, str] = {}
    for check in checks:
        try:
            check()
        except Rejected as exc:
            errors.setdefault(exc.field, exc.message)
    return errors


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
    birth_date: str | dt.date | None = None,
    sex: str = "",
    languages: list[str] | None = None,
    applicant_groups: list[str] | None = None,
    duplicate_reason: str | None = None,
    purpose: str = "registration",
) -> Applicant:
    """Register an applicant. Names in the original script and in Latin (the Latin ones are
    required; the original ones default to them); a birth date as far as it is known.

    With ``duplicate_reason=None`` (the system: demo, seed) no duplicate check is made. A
    person (``actor``) always gets one: when someone on record may be this person,
    :class:`DuplicateSuspected` lists them unless ``duplicate_reason`` says why a second
    record is made anyway; that reason is audited. The same V-number is never registered
    twice. Raises :class:`Rejected` naming the field; nothing is written then."""
    permissions.check_register(actor)
    errors = applicant_field_errors(
        v_number=v_number,
        given_names=given_names,
        family_name=family_name,
        given_names_latin=given_names_latin,
        family_name_latin=family_name_latin,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        languages=languages,
        applicant_groups=applicant_groups,
    )
    if errors:
        field_name, message = next(iter(errors.items()))
        raise Rejected(field_name, message)
    v_number = v_number.strip()
    given_names_latin, family_name_latin = given_names_latin.strip(), family_name_latin.strip()
    given_names = given_names.strip() or given_names_latin
    family_name = family_name.strip() or family_name_latin
    full, year, month = parse_birth(birth_date)
    reason = (duplicate_reason or "").strip()
    if actor is not None:
        candidates = applicant_candidates(
            actor=actor,
            given_names=given_names,
            family_name=family_name,
            given_names_latin=given_names_latin,
            family_name_latin=family_name_latin,
            birth=birth_date,
            nationality=nationality,
        )
        if candidates and not reason:
            raise DuplicateSuspected(
                [c.applicant.pk for c in candidates],
                ngettext(
                    "%(n)d applicant on record may be this person: check the record, "
                    "or say why a second record is made",
                    "%(n)d applicants on record may be this person: check them, "
                    "or say why a second record is made",
                    len(candidates),
                )
                % {"n": len(candidates)},
            )
    a = Applicant.objects.create(
        v_number=v_number,
        given_names=given_names,
        family_name=family_name,
        given_names_latin=given_names_latin,
        family_name_latin=family_name_latin,
        nationality=nationality,
        birth_date=full,
        birth_year=year,
        birth_month=month,
        sex=sex,
        languages=list(dict.fromkeys(languages or [])),
        groups=list(dict.fromkeys(applicant_groups or [])),
    )
    record(
        actor=actor,
        action="create",
        purpose=purpose,
        object_type="applicant",
        object_ids=[a.pk],
        detail={"duplicate_reason": reason} if reason else None,
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
    """Open an application (a case) for ``applicant`` at the authority ``organisation``,
    assigned to ``caseworker`` (authority staff of that authority). A subsequent
    application needs an earlier one of the same applicant. Its history starts empty:
    record the request or the lodging next."""
    permissions.check_register(actor)
    if organisation.kind != Organisation.Kind.AUTHORITY:
        raise Rejected("organisation", gettext("an application belongs to an authority"))
    if (
        actor is not None
        and actor.organisation_id not in (None, organisation.pk)
        and actor.role != User.Role.ADMINISTRATOR
    ):
        raise Rejected("organisation", gettext("you open applications at your own authority only"))
    if kind not in Application.Kind.values:
        raise Rejected(
            "kind",
            gettext(
                "%(value)s is not a kind of application: choose a first or a subsequent application"
            )
            % {"value": repr(kind)},
        )
    if applicant.erased_on is not None:
        raise Rejected("applicant", gettext("this applicant's personal data was erased"))
    earlier = Application.objects.filter(applicant=applicant).exists()
    if kind == Application.Kind.SUBSEQUENT and not earlier:
        raise Rejected("kind", gettext("a subsequent application needs an earlier one"))
    if kind == Application.Kind.FIRST and earlier:
        raise Rejected(
            "kind", gettext("this applicant has an application already: open a subsequent one")
        )
    if caseworker is not None and (
        caseworker.role not in AUTHORITY
        or not caseworker.is_active
        or caseworker.organisation_id != organisation.pk
    ):
        raise Rejected("caseworker", gettext("assign the case to active staff of its authority"))
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
        raise Rejected("cases", gettext("choose at least one case"))
    ids = sorted(set(application_ids))
    visible = Application.objects.filter(pk__in=ids)
    if actor is not None:
        visible = applications_visible_to(actor).filter(pk__in=ids)
    apps = list(visible.select_for_update().only("pk", "organisation_id"))
    if len(apps) != len(ids):
        raise NotFound(gettext("no such case"))
    if caseworker is not None:
        if caseworker.role not in AUTHORITY or not caseworker.is_active:
            raise Rejected("caseworker", gettext("cases are assigned to active authority staff"))
        foreign = [a for a in apps if a.organisation_id != caseworker.organisation_id]
        if foreign:
            raise Rejected("caseworker", gettext("the caseworker works for another authority"))
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


def _page_language() -> str:
    """The language of the page (the request's), if the law's catalogue speaks it."""
    lang = (get_language() or "en")[:2]
    return lang if lang in LANGUAGES else "en"


def _validate(
    kind: str, effective_date: dt.date, data: Mapping[str, Any], corrects: ProcedureEvent | None
) -> None:
    if "note" in data:  # the law's case files may carry one; here it is the event's own field
        raise EventRejected(
            "data.note", gettext("unknown field: an internal note is the event's note")
        )
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
        raise EventRejected(field, render_problem(exc, _page_language())) from None


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
        lang = _page_language()
        raise EventRejected(
            "effective_date",
            gettext("%(day)s is after today (%(today)s); record what happened, not what is planned")
            % {"day": format_date(effective_date, lang), "today": format_date(today, lang)},
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
        problem = render_error(exc, _page_language())
        raise EventRejected("kind" if exc.index == seq else "history", problem) from None
    except LawError as exc:  # a date the law's calendar or data do not cover
        raise EventRejected("effective_date", render_error(exc, _page_language())) from None
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
        raise EventRejected(
            "kind", gettext("a retraction is recorded as a correction of the event it retracts")
        )
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
        raise EventRejected("note", gettext("say why the event is corrected"))
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
    """Place an applicant in a centre from ``start`` (not after today), ending the current
    placement."""
    permissions.check_record_placement(actor)
    today = clock.today()
    if start > today:  # a placement records what happened, as an event does
        lang = _page_language()
        raise Rejected(
            "start",
            gettext("%(day)s is after today (%(today)s)")
            % {"day": format_date(start, lang), "today": format_date(today, lang)},
        )
    current = (
        Placement.objects.select_for_update().filter(applicant=applicant, end__isnull=True).first()
    )
    if current is not None:
        if start <= current.start:
            raise Rejected(
                "start",
                gettext("the current placement started on %(day)s: a move starts after that day")
                % {"day": format_date(current.start, _page_language())},
            )
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
