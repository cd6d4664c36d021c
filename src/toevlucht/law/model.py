"""The vocabulary of the procedure: stages, tracks, event kinds, applicants, cases.

A case is its history: an applicant and a list of procedure events, each with the date it
took effect (``date``) and, optionally, the date it was recorded (``recorded``). The field
schema of every event kind lives in :data:`EVENT_FIELDS`, which the Django layer reuses to
build its forms, so an event is validated the same way everywhere.

>>> case = parse_case({"applicant": {"nationality": "RUS"},
...                    "events": [{"kind": "application_lodged", "date": "2022-03-10"}]})
>>> case.events[0].kind, case.events[0].date
(<EventKind.APPLICATION_LODGED: 'application_lodged'>, datetime.date(2022, 3, 10))
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from toevlucht.law.errors import CaseInputError
from toevlucht.law.trace import Label

__all__ = [
    "EVENT_FIELDS",
    "AppealAgainst",
    "AppealLevel",
    "Applicant",
    "Case",
    "DecisionOutcome",
    "Event",
    "EventKind",
    "ExtensionGround",
    "FieldSpec",
    "GpExtensionGround",
    "GrantGround",
    "InterviewKind",
    "Procedure",
    "RefusalGround",
    "RulingOutcome",
    "Sex",
    "Stage",
    "Track",
    "TransferAnswer",
    "TransferExtensionGround",
    "TransferRequest",
    "country_codes",
    "parse_case",
    "parse_date",
    "parse_event",
]


class Stage(StrEnum):
    """Where a case stands. The order of the members is the order of the procedure."""

    REQUESTED = "requested"  # asylum requested (aanmelding; APR: made), not yet lodged
    REGISTERED = "registered"  # APR art. 27: registered, waiting to be lodged (art. 28)
    REGISTRATION = "registration"  # application lodged; registration phase (aanmeldfase)
    REST_PERIOD = "rest_period"  # after the registration interview (RVT)
    GENERAL_PROCEDURE = "general_procedure"  # algemene asielprocedure (AA)
    EXTENDED_PROCEDURE = "extended_procedure"  # verlengde asielprocedure (VA)
    EXAMINATION = "examination"  # APR: lodged, examined under art. 34-35 (no AA/VA stages)
    DECIDED = "decided"  # decision notified; appeal term running
    APPEAL = "appeal"  # appeal pending before the district court
    APPEAL_DECIDED = "appeal_decided"  # district court ruled; further-appeal term running
    FURTHER_APPEAL = "further_appeal"  # further appeal pending before the Council of State
    FINAL = "final"  # the decision can no longer be challenged in the ordinary way
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"  # handed over to the Member State responsible (Dublin/AMMR)

    @property
    def rank(self) -> int:
        return _STAGE_ORDER.index(self)

    @property
    def awaiting_decision(self) -> bool:
        """Still before the authority's decision on the application. (Not the same as a
        case being open, :attr:`closed`: a decided case is open while it can be appealed.)"""
        return self.rank <= Stage.EXAMINATION.rank

    @property
    def closed(self) -> bool:
        """The case is over: final, or withdrawn. The status projection's ``open`` is its
        negation."""
        return self in (Stage.FINAL, Stage.WITHDRAWN, Stage.TRANSFERRED)


_STAGE_ORDER = list(Stage)


class Track(StrEnum):
    """Track (spoor) of an asylum application (since 1 March 2016)."""

    DUBLIN = "dublin"  # spoor 1: another member state may be responsible
    SAFE_COUNTRY = "safe_country"  # spoor 2: safe country of origin / protection elsewhere
    GENERAL = "general"  # spoor 4: general procedure, possibly extended


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    X = "x"


class EventKind(StrEnum):
    ASYLUM_REQUESTED = "asylum_requested"
    APPLICATION_REGISTERED = "application_registered"  # APR art. 27
    APPLICATION_LODGED = "application_lodged"
    TRACK_ASSIGNED = "track_assigned"
    DUBLIN_RESPONSIBILITY_ESTABLISHED = "dublin_responsibility_established"
    EURODAC_HIT = "eurodac_hit"
    TRANSFER_REQUEST_SENT = "transfer_request_sent"
    TRANSFER_REQUEST_ANSWERED = "transfer_request_answered"
    TRANSFER_PERIOD_EXTENDED = "transfer_period_extended"
    TRANSFERRED = "transferred"
    RESPONSIBILITY_ASSUMED = "responsibility_assumed"  # the Netherlands examines the claim
    PROCEDURE_ASSIGNED = "procedure_assigned"  # APR: regular, accelerated, border, admissibility
    INTERVIEW_SCHEDULED = "interview_scheduled"
    REGISTRATION_INTERVIEW_HELD = "registration_interview_held"
    GENERAL_PROCEDURE_STARTED = "general_procedure_started"
    GENERAL_PROCEDURE_EXTENDED = "general_procedure_extended"
    DETAILED_INTERVIEW_HELD = "detailed_interview_held"
    INTENTION_ISSUED = "intention_issued"
    VIEW_SUBMITTED = "view_submitted"
    REFERRED_TO_EXTENDED_PROCEDURE = "referred_to_extended_procedure"
    DECISION_TERM_EXTENDED = "decision_term_extended"
    DECISION_NOTIFIED = "decision_notified"
    NOTICE_OF_DEFAULT_RECEIVED = "notice_of_default_received"
    APPEAL_LODGED = "appeal_lodged"
    COURT_RULING = "court_ruling"
    WITHDRAWN = "withdrawn"
    RETRACTION = "retraction"  # a correction that voids the event it corrects


# --- the closed choices of event data -------------------------------------------------------
# parse_event turns each into its member; a member is a str, equal to its value and written
# as it in JSON, so stored and rendered data are what they were as plain strings.


class InterviewKind(StrEnum):
    """``interview_scheduled.interview``."""

    REGISTRATION = "registration"  # aanmeldgehoor (Vb 2000 art. 3.108d)
    DETAILED = "detailed"  # nader gehoor (Vb 2000 art. 3.113)


class GpExtensionGround(StrEnum):
    """``general_procedure_extended.ground``: the grounds a-g of Vb 2000 art. 3.115(2)."""

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"
    F = "f"
    G = "g"


class Procedure(StrEnum):
    """``intention_issued.procedure``, ``decision_notified.procedure`` and
    ``procedure_assigned.procedure``. The first two are the old regime's (Vb 2000), the
    others the APR's (Regulation 2024/1348 art. 35, Vw 2000 art. 3(6) as amended)."""

    GENERAL = "general"  # algemene asielprocedure
    EXTENDED = "extended"  # verlengde asielprocedure
    REGULAR = "regular"  # APR art. 35(4): examination on the merits
    ACCELERATED = "accelerated"  # APR art. 35(3)
    BORDER = "border"  # APR art. 43-44, Vw 2000 art. 3(6)
    ADMISSIBILITY = "admissibility"  # APR art. 35(1), 38

    @property
    def apr(self) -> bool:
        """A procedure of the APR regime (not the old general/extended procedure)."""
        return self not in (Procedure.GENERAL, Procedure.EXTENDED)


APR_PROCEDURES = tuple(p for p in Procedure if p.apr)
OLD_PROCEDURES = tuple(p for p in Procedure if not p.apr)
PROCEDURE_VALUES = tuple(p.value for p in Procedure)  # the API schema's enums
APR_PROCEDURE_VALUES = tuple(p.value for p in APR_PROCEDURES)


class ExtensionGround(StrEnum):
    """``decision_term_extended.ground``: the article a decision-term extension rests on."""

    VW_42_4_A = "42(4)(a)"  # complex case
    VW_42_4_B = "42(4)(b)"  # many simultaneous applications
    VW_42_4_C = "42(4)(c)"  # delay due to the applicant
    VW_42_5 = "42(5)"  # further extension, only after one under 42(4)
    VW_43 = "43"  # decision moratorium (old Vw 43; for APR cases new Vw 43, APR art. 35(7))
    APR_35_2 = "35(2)"  # APR: admissibility term extended (at most 2 months)
    APR_35_5 = "35(5)"  # APR: examination term extended (at most 6 months)

    @property
    def apr(self) -> bool:
        """A ground of the APR, valid only for applications under it."""
        return self in (ExtensionGround.APR_35_2, ExtensionGround.APR_35_5)

    @property
    def old_regime(self) -> bool:
        """A ground of the old Vw 2000 art. 42, repealed for APR applications."""
        return self.under_42_4 or self is ExtensionGround.VW_42_5

    @property
    def under_42_4(self) -> bool:
        """One of the three grounds of Vw 2000 art. 42(4), which share its maximum."""
        return self in (
            ExtensionGround.VW_42_4_A,
            ExtensionGround.VW_42_4_B,
            ExtensionGround.VW_42_4_C,
        )


class DecisionOutcome(StrEnum):
    """``decision_notified.outcome``."""

    GRANTED = "granted"
    REFUSED = "refused"


class RefusalGround(StrEnum):
    """``decision_notified.refusal_ground``: refusals under Vw 2000 art. 30, 30a, 30b, 30c."""

    DUBLIN = "dublin"  # art. 30: another Member State is responsible (a transfer decision)
    INADMISSIBLE = "inadmissible"  # art. 30a
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded"  # art. 30b
    NOT_PROCESSED = "not_processed"  # art. 30c (APR: set aside after implicit withdrawal)
    UNFOUNDED = "unfounded"  # art. 31: refused as unfounded (the ordinary refusal)

    @property
    def short_old(self) -> bool:
        """One of the grounds of art. 30-30c that shorten old Vw 69 to one week."""
        return self is not RefusalGround.UNFOUNDED


class GrantGround(StrEnum):
    """``decision_notified.granted_under``: the article a grant rests on (APR cases)."""

    REFUGEE = "29"  # Vw 2000 art. 29 (as amended): refugee status
    SUBSIDIARY = "29a"  # Vw 2000 art. 29a: subsidiary protection


class TransferRequest(StrEnum):
    """``transfer_request_sent.request``."""

    TAKE_CHARGE = "take_charge"  # Dublin III art. 21, AMMR art. 39
    TAKE_BACK = "take_back"  # Dublin III art. 23-24 (request), AMMR art. 41 (notification)


class TransferAnswer(StrEnum):
    """``transfer_request_answered.answer``."""

    ACCEPTED = "accepted"
    REFUSED = "refused"


class TransferExtensionGround(StrEnum):
    """``transfer_period_extended.ground`` (Dublin III art. 29(2), AMMR art. 46(2))."""

    IMPRISONMENT = "imprisonment"
    ABSCONDING = "absconding"


class AppealAgainst(StrEnum):
    """``appeal_lodged.against``."""

    DECISION = "decision"
    FAILURE_TO_DECIDE = "failure_to_decide"  # beroep niet tijdig beslissen (Awb 6:12)


class AppealLevel(StrEnum):
    """``appeal_lodged.level`` and ``court_ruling.level``."""

    COURT = "court"  # the district court (beroep)
    COUNCIL_OF_STATE = "council_of_state"  # the Council of State (hoger beroep)


class RulingOutcome(StrEnum):
    """``court_ruling.outcome``."""

    WELL_FOUNDED = "well_founded"  # gegrond
    UNFOUNDED = "unfounded"  # ongegrond
    INADMISSIBLE = "inadmissible"  # niet-ontvankelijk


ChoiceEnum = type[StrEnum]  # (the field ``type`` below shadows the builtin in the class)


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldSpec:
    """Schema of one data field of an event kind.

    A field with a closed list of choices names its ``enum``; ``choices`` are then the
    enum's values, and the parsed event holds the member.
    """

    type: type  # str, int, bool or dt.date
    required: bool = False
    choices: tuple[str, ...] = ()
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    help: str = ""
    enum: ChoiceEnum | None = None


def _choice(
    enum: type[StrEnum],
    *,
    required: bool = False,
    default: StrEnum | None = None,
    help: str = "",
    only: tuple[StrEnum, ...] | None = None,
) -> FieldSpec:
    return FieldSpec(
        type=str,
        required=required,
        choices=tuple(m.value for m in (enum if only is None else only)),
        default=default,
        help=help,
        enum=enum,
    )


@cache
def responsibility_states() -> tuple[str, ...]:
    """The states bound by Dublin III and the AMMR, except the Netherlands itself (the
    state a transfer request can name)."""
    raw = resources.files("toevlucht.law.data.nl").joinpath("countries.toml").read_bytes()
    states = tomllib.loads(raw.decode())["responsibility_states"]
    return tuple(sorted(s for s in states if s != "NLD"))


_MEMBER_STATE = FieldSpec(
    type=str,
    required=True,
    choices=responsibility_states(),
    help="ISO 3166-1 alpha-3 code of a state bound by Dublin III / the AMMR, not NLD",
)

EXTENSION_GROUNDS = tuple(g.value for g in ExtensionGround)
REFUSAL_GROUNDS = tuple(g.value for g in RefusalGround)

EVENT_FIELDS: Mapping[EventKind, Mapping[str, FieldSpec]] = {
    EventKind.ASYLUM_REQUESTED: {
        "to_other_authority": FieldSpec(
            type=bool,
            default=False,
            help="the request was made to an authority other than the IND, border or aliens police",
        ),
    },
    EventKind.APPLICATION_REGISTERED: {},
    EventKind.APPLICATION_LODGED: {},
    EventKind.TRACK_ASSIGNED: {
        "track": _choice(Track, required=True),
    },
    EventKind.DUBLIN_RESPONSIBILITY_ESTABLISHED: {},
    EventKind.EURODAC_HIT: {"member_state": _MEMBER_STATE},
    EventKind.TRANSFER_REQUEST_SENT: {
        "request": _choice(TransferRequest, required=True),
        "member_state": _MEMBER_STATE,
        "urgent": FieldSpec(
            type=bool, default=False, help="an urgent reply was asked (Dublin III art. 21(2))"
        ),
    },
    EventKind.TRANSFER_REQUEST_ANSWERED: {"answer": _choice(TransferAnswer, required=True)},
    EventKind.TRANSFER_PERIOD_EXTENDED: {"ground": _choice(TransferExtensionGround, required=True)},
    EventKind.TRANSFERRED: {},
    EventKind.RESPONSIBILITY_ASSUMED: {},
    EventKind.PROCEDURE_ASSIGNED: {
        "procedure": _choice(Procedure, required=True, only=APR_PROCEDURES),
        "relocation": FieldSpec(
            type=bool,
            default=False,
            help="border procedure: the applicant is subject to relocation (Vw 2000 art. 3(6))",
        ),
    },
    EventKind.INTERVIEW_SCHEDULED: {
        "interview": _choice(InterviewKind, required=True),
        "scheduled_for": FieldSpec(type=dt.date, required=True),
    },
    EventKind.REGISTRATION_INTERVIEW_HELD: {},
    EventKind.GENERAL_PROCEDURE_STARTED: {},
    EventKind.GENERAL_PROCEDURE_EXTENDED: {
        "days": FieldSpec(
            type=int,
            required=True,
            minimum=1,
            maximum=60,
            help="procedure days added (Vb 2000 art. 3.115(3))",
        ),
        "ground": _choice(
            GpExtensionGround,
            help="ground of Vb 2000 art. 3.115(2), for an extension after the start",
        ),
    },
    EventKind.DETAILED_INTERVIEW_HELD: {},
    EventKind.INTENTION_ISSUED: {
        "procedure": _choice(Procedure, required=True),
    },
    EventKind.VIEW_SUBMITTED: {},
    EventKind.REFERRED_TO_EXTENDED_PROCEDURE: {},
    EventKind.DECISION_TERM_EXTENDED: {
        "months": FieldSpec(type=int, required=True, minimum=1, maximum=21),
        "ground": _choice(ExtensionGround, required=True),
    },
    EventKind.DECISION_NOTIFIED: {
        "outcome": _choice(DecisionOutcome, required=True),
        "procedure": _choice(Procedure, required=True),
        "refusal_ground": _choice(RefusalGround),
        "granted_under": _choice(
            GrantGround, help="APR cases: the article the grant rests on (Vw 2000 art. 29, 29a)"
        ),
        "no_suspensive_effect": FieldSpec(
            type=bool,
            default=False,
            help="APR cases: the decision says an appeal does not suspend it (APR art. 68(3))",
        ),
    },
    EventKind.NOTICE_OF_DEFAULT_RECEIVED: {},
    EventKind.APPEAL_LODGED: {
        "against": _choice(AppealAgainst, default=AppealAgainst.DECISION),
        "level": _choice(AppealLevel, default=AppealLevel.COURT),
        "interim_relief": FieldSpec(
            type=bool,
            default=False,
            help="a request for interim relief (voorlopige voorziening) was lodged with it",
        ),
    },
    EventKind.COURT_RULING: {
        "level": _choice(AppealLevel, default=AppealLevel.COURT),
        "outcome": _choice(RulingOutcome, required=True),
        "decide_within_weeks": FieldSpec(type=int, minimum=1, maximum=104),
        "penalty_per_day_eur": FieldSpec(type=int, minimum=1, maximum=10_000),
        "penalty_max_eur": FieldSpec(type=int, minimum=1, maximum=1_000_000),
    },
    EventKind.WITHDRAWN: {},
    EventKind.RETRACTION: {},
}


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes (and ICAO XXA/XXB/XXC/XXX) accepted as nationality."""
    raw = resources.files("toevlucht.law.data.nl").joinpath("countries.toml").read_bytes()
    return frozenset(tomllib.loads(raw.decode())["codes"])


@dataclass(frozen=True, slots=True, kw_only=True)
class Applicant:
    nationality: str
    birth_date: dt.date | None = None
    sex: Sex | None = None
    groups: frozenset[str] = frozenset()
    # whether the groups were recorded: an explicitly empty list is "recorded: none", a
    # missing one "not recorded". None: judged from ``groups`` (recorded if any is given).
    groups_recorded: bool | None = None

    @property
    def groups_known(self) -> bool:
        """The applicant's groups were recorded (perhaps as none)."""
        return self.groups_recorded if self.groups_recorded is not None else bool(self.groups)

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    kind: EventKind
    date: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)
    recorded: dt.date | None = None
    id: str | None = None
    corrects: str | None = None
    index: int = 0  # position in the input, for error messages

    @property
    def known_from(self) -> dt.date:
        """The first day on which this event counts in an assessment."""
        return self.recorded if self.recorded is not None else self.date

    def get(self, name: str) -> Any:
        """The value of data field ``name``, or the field's default."""
        value = self.data.get(name)
        if value is None:
            return EVENT_FIELDS[self.kind][name].default
        return value

    # Typed views of the closed choices. ``data`` holds members when the event came through
    # parse_event; a caller that builds an Event itself (the shell's trusted fast path) may
    # give plain strings, which these turn into members. Only for kinds with the field.
    @property
    def level(self) -> AppealLevel:
        """Court or Council of State (``appeal_lodged``, ``court_ruling``)."""
        return AppealLevel(self.get("level"))

    @property
    def against(self) -> AppealAgainst:
        """What an ``appeal_lodged`` is against."""
        return AppealAgainst(self.get("against"))

    @property
    def procedure(self) -> Procedure:
        """General or extended procedure (``intention_issued``, ``decision_notified``)."""
        return Procedure(self.get("procedure"))

    @property
    def decision_outcome(self) -> DecisionOutcome:
        """Granted or refused (``decision_notified``)."""
        return DecisionOutcome(self.get("outcome"))

    @property
    def refusal_ground(self) -> RefusalGround | None:
        """The refusal ground of a ``decision_notified``, if one was given."""
        ground = self.get("refusal_ground")
        return None if ground is None else RefusalGround(ground)

    @property
    def ruling_outcome(self) -> RulingOutcome:
        """How the court ruled (``court_ruling``)."""
        return RulingOutcome(self.get("outcome"))

    @property
    def extension_ground(self) -> ExtensionGround:
        """The article a ``decision_term_extended`` rests on."""
        return ExtensionGround(self.get("ground"))

    @property
    def granted_under(self) -> GrantGround | None:
        """The article a grant rests on (``decision_notified``, APR cases), if given."""
        g = self.get("granted_under")
        return None if g is None else GrantGround(g)

    @property
    def transfer_request(self) -> TransferRequest:
        """Take charge or take back (``transfer_request_sent``)."""
        return TransferRequest(self.get("request"))

    @property
    def transfer_answer(self) -> TransferAnswer:
        """Accepted or refused (``transfer_request_answered``)."""
        return TransferAnswer(self.get("answer"))

    @property
    def transfer_extension_ground(self) -> TransferExtensionGround:
        """Imprisonment or absconding (``transfer_period_extended``)."""
        return TransferExtensionGround(self.get("ground"))

    @property
    def interview(self) -> InterviewKind:
        """Which interview an ``interview_scheduled`` is for."""
        return InterviewKind(self.get("interview"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    applicant: Applicant
    events: tuple[Event, ...]
    reference: str = ""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any, where: str) -> dt.date:
    """A date from an ISO string (or a date), or a :class:`CaseInputError` naming ``where``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise CaseInputError(
            where,
            f"expected a date as YYYY-MM-DD, got {value!r}",
            key="error.input.date_format",
            params={"value": repr(value)},
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CaseInputError(
            where,
            f"{value!r} is not a valid calendar date",
            key="error.input.date_invalid",
            params={"value": repr(value)},
        ) from None


def _check_keys(obj: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise CaseInputError(
            f"{where}.{unknown[0]}" if where else unknown[0],
            f"unknown field (allowed: {', '.join(sorted(allowed))})",
            key="error.input.unknown_field",
            params={"allowed": ", ".join(sorted(allowed))},
        )


def _parse_field(spec: FieldSpec, value: Any, where: str) -> Any:
    if spec.type is dt.date:
        return parse_date(value, where)
    if spec.type is bool:
        if not isinstance(value, bool):
            raise CaseInputError(
                where,
                f"expected true or false, got {value!r}",
                key="error.input.not_bool",
                params={"value": repr(value)},
            )
        return value
    if spec.type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CaseInputError(
                where,
                f"expected a whole number, got {value!r}",
                key="error.input.not_int",
                params={"value": repr(value)},
            )
        if spec.minimum is not None and value < spec.minimum:
            raise CaseInputError(
                where,
                f"must be at least {spec.minimum}, got {value}",
                key="error.input.too_small",
                params={"minimum": spec.minimum, "value": value},
            )
        if spec.maximum is not None and value > spec.maximum:
            raise CaseInputError(
                where,
                f"must be at most {spec.maximum}, got {value}",
                key="error.input.too_large",
                params={"maximum": spec.maximum, "value": value},
            )
        return value
    if not isinstance(value, str):
        raise CaseInputError(
            where,
            f"expected text, got {value!r}",
            key="error.input.not_text",
            params={"value": repr(value)},
        )
    if spec.choices and value not in spec.choices:
        raise CaseInputError(
            where,
            f"{value!r} is not one of: {', '.join(spec.choices)}",
            key="error.input.not_a_choice",
            params={"value": repr(value), "choices": ", ".join(spec.choices)},
        )
    return spec.enum(value) if spec.enum is not None else value


_EVENT_KEYS = {"kind", "date", "recorded", "id", "corrects", "note"}  # note: free text, unused


def parse_event(raw: Any, index: int = 0, where: str | None = None) -> Event:
    """Validate one event given as a JSON-like mapping."""
    where = where if where is not None else f"events[{index}]"
    if not isinstance(raw, Mapping):
        raise CaseInputError(
            where,
            f"expected an object, got {type(raw).__name__}",
            key="error.input.not_object",
            params={"type": type(raw).__name__},
        )
    if "kind" not in raw:
        raise CaseInputError(f"{where}.kind", "is required", key="error.input.required", params={})
    try:
        kind = EventKind(raw["kind"])
    except ValueError:
        allowed = ", ".join(k.value for k in EventKind)
        raise CaseInputError(
            f"{where}.kind",
            f"unknown event kind {raw['kind']!r} (known: {allowed})",
            key="error.input.unknown_kind",
            params={"value": repr(raw["kind"]), "known": allowed},
        ) from None
    if "date" not in raw:
        raise CaseInputError(f"{where}.date", "is required", key="error.input.required", params={})
    specs = EVENT_FIELDS[kind]
    _check_keys(raw, _EVENT_KEYS | set(specs), where)
    date = parse_date(raw["date"], f"{where}.date")
    recorded = None
    if raw.get("recorded") is not None:
        recorded = parse_date(raw["recorded"], f"{where}.recorded")
    data: dict[str, Any] = {}
    for name, spec in specs.items():
        if raw.get(name) is None:
            if spec.required:
                raise CaseInputError(
                    f"{where}.{name}",
                    f"is required for {kind.value}",
                    key="error.input.required_for",
                    params={"event": Label(f"event.{kind.value}")},
                )
            continue
        data[name] = _parse_field(spec, raw[name], f"{where}.{name}")
    for key in ("id", "corrects"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise CaseInputError(
                f"{where}.{key}",
                f"expected text, got {raw[key]!r}",
                key="error.input.not_text",
                params={"value": repr(raw[key])},
            )
    if kind is EventKind.RETRACTION and not raw.get("corrects"):
        raise CaseInputError(
            f"{where}.corrects",
            "a retraction must name the event it voids",
            key="error.input.retraction_without_target",
            params={},
        )
    if (
        kind is EventKind.DECISION_NOTIFIED
        and data.get("outcome") == DecisionOutcome.GRANTED
        and "refusal_ground" in data
    ):
        raise CaseInputError(
            f"{where}.refusal_ground",
            "a granted application has no refusal ground",
            key="error.input.granted_with_refusal_ground",
            params={},
        )
    if (
        kind is EventKind.DECISION_NOTIFIED
        and data.get("outcome") == DecisionOutcome.REFUSED
        and "granted_under" in data
    ):
        raise CaseInputError(
            f"{where}.granted_under",
            "a refused application rests on no grant article",
            key="error.input.refused_with_grant",
            params={},
        )
    return Event(
        kind=kind,
        date=date,
        data=data,
        recorded=recorded,
        id=raw.get("id"),
        corrects=raw.get("corrects"),
        index=index,
    )


def parse_applicant(raw: Any, known_groups: Sequence[str] | None = None) -> Applicant:
    if not isinstance(raw, Mapping):
        raise CaseInputError(
            "applicant",
            "expected an object",
            key="error.input.not_object",
            params={"type": type(raw).__name__},
        )
    _check_keys(raw, {"nationality", "birth_date", "sex", "groups"}, "applicant")
    nationality = raw.get("nationality")
    if isinstance(nationality, str) and re.fullmatch(r"\s*[A-Za-z]{3}\s*", nationality):
        nationality = nationality.strip().upper()  # "rus" is RUS
    if not isinstance(nationality, str) or not re.fullmatch(r"[A-Z]{3}", nationality):
        raise CaseInputError(
            "applicant.nationality",
            f"expected an ISO 3166-1 alpha-3 code such as 'RUS', got {nationality!r}",
            key="error.input.nationality_format",
            params={"value": repr(nationality)},
        )
    if nationality not in country_codes():
        raise CaseInputError(
            "applicant.nationality",
            f"{nationality!r} is not an ISO 3166-1 alpha-3 code",
            key="error.input.nationality_unknown",
            params={"value": repr(nationality)},
        )
    birth = None
    if raw.get("birth_date") is not None:
        birth = parse_date(raw["birth_date"], "applicant.birth_date")
    sex = None
    if raw.get("sex") is not None:
        try:
            sex = Sex(raw["sex"])
        except ValueError:
            choices = ", ".join(s.value for s in Sex)
            raise CaseInputError(
                "applicant.sex",
                f"{raw['sex']!r} is not one of: {choices}",
                key="error.input.not_a_choice",
                params={"value": repr(raw["sex"]), "choices": choices},
            ) from None
    recorded = raw.get("groups") is not None
    groups_raw = raw.get("groups") or []
    if not isinstance(groups_raw, list) or not all(isinstance(g, str) for g in groups_raw):
        raise CaseInputError(
            "applicant.groups",
            "expected a list of group names",
            key="error.input.groups_not_list",
            params={},
        )
    if known_groups is not None:
        for i, g in enumerate(groups_raw):
            if g not in known_groups:
                raise CaseInputError(
                    f"applicant.groups[{i}]",
                    f"unknown group {g!r} (known: {', '.join(sorted(known_groups))})",
                    key="error.input.unknown_group",
                    params={"value": repr(g), "known": ", ".join(sorted(known_groups))},
                )
    return Applicant(
        nationality=nationality,
        birth_date=birth,
        sex=sex,
        groups=frozenset(groups_raw),
        groups_recorded=recorded,
    )


def parse_case(raw: Any, known_groups: Sequence[str] | None = None) -> Case:
    """Validate a whole case file (the JSON of ``toevlucht assess``)."""
    if not isinstance(raw, Mapping):
        raise CaseInputError(
            "case",
            f"expected a JSON object, got {type(raw).__name__}",
            key="error.input.not_object",
            params={"type": type(raw).__name__},
        )
    _check_keys(raw, {"applicant", "events", "reference"}, "")
    if "applicant" not in raw:
        raise CaseInputError("applicant", "is required", key="error.input.required", params={})
    applicant = parse_applicant(raw["applicant"], known_groups)
    events_raw = raw.get("events", [])
    if not isinstance(events_raw, list):
        raise CaseInputError(
            "events", "expected a list of events", key="error.input.events_not_list", params={}
        )
    events = tuple(parse_event(e, i) for i, e in enumerate(events_raw))
    ids = [e.id for e in events if e.id is not None]
    if len(ids) != len(set(ids)):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise CaseInputError(
            "events",
            f"event id {dup!r} is used twice",
            key="error.input.duplicate_id",
            params={"value": repr(dup)},
        )
    for e in events:
        if e.corrects is not None and e.corrects not in ids:
            raise CaseInputError(
                f"events[{e.index}].corrects",
                f"no event has id {e.corrects!r}",
                key="error.input.unknown_id",
                params={"value": repr(e.corrects)},
            )
    reference = raw.get("reference", "")
    if not isinstance(reference, str):
        raise CaseInputError(
            "reference",
            "expected text",
            key="error.input.not_text",
            params={"value": repr(reference)},
        )
    return Case(applicant=applicant, events=events, reference=reference)
