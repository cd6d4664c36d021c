"""Serializers: what the API shows of cases, events, deadlines, measures and placements.

They render what a selector or service returned; none of them decides anything.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from toevlucht import clock
from toevlucht.accounts.models import Mandate, Organisation, User
from toevlucht.accounts.roles import AUTHORITY
from toevlucht.cases.models import (
    Applicant,
    Application,
    Placement,
    ProcedureEvent,
    ReceptionCentre,
)
from toevlucht.errors import Rejected
from toevlucht.forecasts.shown import for_case as shown_forecast
from toevlucht.law import LANGUAGES, Measure, Stage
from toevlucht.law.measures import EffectStatus, MeasureException, MeasureKind
from toevlucht.law.model import Sex
from toevlucht.law.sources import SourceKind, Status
from toevlucht.law.view import measure_summary

__all__ = [
    "BIRTH_PATTERN",
    "V_NUMBER_PATTERN",
    "ApplicantInputSerializer",
    "ApplicantSerializer",
    "AssessmentSerializer",
    "CandidateQuerySerializer",
    "CandidateSerializer",
    "CaseDetailSerializer",
    "CaseInputSerializer",
    "CaseListSerializer",
    "CentreSerializer",
    "DeadlinesQuerySerializer",
    "EventSerializer",
    "MandateInputSerializer",
    "MandateRequestSerializer",
    "MandateSerializer",
    "MeasureDefinitionSerializer",
    "MeasurePreviewSerializer",
    "MeasureSerializer",
    "OrganisationSerializer",
    "PlacementCreateSerializer",
    "PlacementInputSerializer",
    "PlacementSerializer",
    "TokenSerializer",
]


# what the services accept (cases/services.py); declared here so the schema says it too
V_NUMBER_PATTERN = r"^[0-9]{10}$"
_V_NUMBER = re.compile(V_NUMBER_PATTERN)
BIRTH_PATTERN = r"^([0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)?$"


# What an ``ExistingPk`` names (its label), in the request's language for its refusal.
_NAMED: dict[str, Promise] = {
    "applicant": _("applicant"),
    "reception centre": _("reception centre"),
    "organisation": _("organisation"),
}


class ExistingPk(serializers.PrimaryKeyRelatedField[Any]):
    """A reference to a stored object by id. An id that is well formed but names nothing is
    a refusal of the input (422 ``input-rejected`` naming the field), as a V-number or a user
    name that names nobody is: the request fits the schema, what is stored refuses it."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        queryset: Any = self.get_queryset()
        obj = queryset.filter(pk=data).first() if 0 < data < 2**63 else None
        if obj is None:
            name = str(self.field_name)
            label = str(self.label or name)
            raise Rejected(
                name,
                gettext("no %(what)s with id %(id)s")
                % {"what": str(_NAMED.get(label, label)), "id": data},
            )
        return obj


def no_such(what: str, pk: Any) -> Rejected:
    """The refusal of an id that names nothing (or nothing the user may see: the same
    answer, so it tells nobody whether the id exists)."""
    return Rejected(
        what,
        gettext("no %(what)s with id %(id)s") % {"what": str(_NAMED.get(what, what)), "id": pk},
    )


class VNumberField(serializers.RegexField):
    """A V-number: 10 digits (the schema's ``pattern``). Anything else is a 400 that says
    so, in the service's words (``cases.services.applicant_register``), not DRF's generic
    "does not match the required pattern"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(V_NUMBER_PATTERN, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = str(super().to_internal_value(data))
        if not _V_NUMBER.fullmatch(value):
            shown = value if len(value) <= 20 else value[:20] + "…"
            raise serializers.ValidationError(
                gettext("%(value)s: a V-number is 10 digits") % {"value": repr(shown)},
                code="invalid",
            )
        return value


# --- cases -------------------------------------------------------------------------------------


class ApplicantBriefSerializer(serializers.ModelSerializer[Applicant]):
    name = serializers.CharField(source="display_name", help_text="in Latin script")

    class Meta:
        model = Applicant
        fields = ["id", "v_number", "name", "nationality"]


class ApplicantSerializer(serializers.ModelSerializer[Applicant]):
    birth = serializers.CharField(
        read_only=True, help_text="the birth date as far as known: YYYY-MM-DD, YYYY-MM, YYYY or ''"
    )

    class Meta:
        model = Applicant
        fields = [
            "id",
            "v_number",
            "given_names",
            "family_name",
            "given_names_latin",
            "family_name_latin",
            "birth_date",
            "birth",
            "nationality",
            "sex",
            "languages",
            "groups",
        ]


class NextDeadlineSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    due = serializers.DateField()


class ProjectedDeadlineSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    due = serializers.DateField()
    status = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)


class StatusSerializer(serializers.Serializer[Any]):
    """The stored projection (``CaseStatus``), computed by the law engine."""

    computed_on = serializers.DateField()
    stage = serializers.CharField(help_text="empty when the engine could not assess the case")
    regime = serializers.ChoiceField(
        choices=["vw2000", "apr"],
        help_text="the procedure regime: vw2000 (lodged before 12 June 2026) or apr",
    )
    open = serializers.BooleanField()
    next_deadline = serializers.SerializerMethodField()
    decision_due = serializers.DateField(allow_null=True)
    decision_status = serializers.CharField()
    overdue = serializers.BooleanField()
    suspended = serializers.BooleanField()
    measures_in_force = serializers.ListField(child=serializers.CharField())
    waiting_since = serializers.DateField(
        allow_null=True, help_text="the request (or pending appeal) the applicant waits on"
    )
    stage_since = serializers.DateField(allow_null=True, help_text="the day the stage began")
    late_since = serializers.DateField(
        allow_null=True,
        help_text="the first day the authority is late (a term it must meet expired, or no "
        "registration interview TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS after the request)",
    )
    late_reason = serializers.CharField(
        help_text="the deadline kind the authority is late on, or registration_interview"
    )
    queue_band = serializers.IntegerField(
        help_text="0 overdue, 1 waiting with the next step late, 2 a term running, 3 waiting, "
        "4 other: the default order of the case list"
    )

    @extend_schema_field(NextDeadlineSerializer(allow_null=True))
    def get_next_deadline(self, obj: Any) -> dict[str, Any] | None:
        if not obj.next_deadline_kind or obj.next_deadline_due is None:
            return None
        return {"kind": obj.next_deadline_kind, "due": obj.next_deadline_due.isoformat()}


class StatusDetailSerializer(StatusSerializer):
    deadlines = ProjectedDeadlineSerializer(many=True)
    error = serializers.CharField()


class CaseListSerializer(serializers.ModelSerializer[Application]):
    track = serializers.CharField(
        source="status.track", read_only=True, help_text="as the law engine replays the events"
    )
    applicant = ApplicantBriefSerializer()
    status = StatusSerializer(allow_null=True)
    caseworker: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Application
        fields = ["id", "reference", "kind", "track", "applicant", "caseworker", "status"]


class ForecastSerializer(serializers.Serializer[Any]):
    decision_p10 = serializers.DateField(help_text="10 % of such decisions came earlier")
    decision_p50 = serializers.DateField()
    decision_p90 = serializers.DateField(help_text="90 % came earlier")
    within_term_probability = serializers.FloatField(
        allow_null=True, help_text="of a decision by the end of the decision term (null: no term)"
    )
    backtest_coverage = serializers.FloatField(
        allow_null=True,
        help_text="share of such past estimates whose outcome fell inside the p10-p90 band",
    )
    computed_on = serializers.DateField(help_text="the case-clock day it was made for")
    next_step = serializers.CharField(help_text="the event that ends the current wait")
    next_step_p10 = serializers.DateField(allow_null=True)
    next_step_p50 = serializers.DateField(allow_null=True)
    next_step_p90 = serializers.DateField(allow_null=True)


def forecast_fields(app: Application) -> dict[str, Any]:
    """``forecast`` (or null) and ``forecast_unavailable_reason`` (or null) of a case."""
    s = shown_forecast(app)
    if s.decision is None:
        return {"forecast": None, "forecast_unavailable_reason": s.reason}
    nxt = s.next
    return {
        "forecast": {
            "decision_p10": s.decision.p10,
            "decision_p50": s.decision.p50,
            "decision_p90": s.decision.p90,
            "within_term_probability": s.within_term_probability,
            "backtest_coverage": s.decision.coverage,
            "computed_on": s.computed_on,
            "next_step": s.next_step,
            "next_step_p10": nxt.p10 if nxt else None,
            "next_step_p50": nxt.p50 if nxt else None,
            "next_step_p90": nxt.p90 if nxt else None,
        },
        "forecast_unavailable_reason": None,
    }


class CaseDetailSerializer(serializers.ModelSerializer[Application]):
    track = serializers.CharField(
        source="status.track", read_only=True, help_text="as the law engine replays the events"
    )
    applicant = ApplicantSerializer()
    status = StatusDetailSerializer(allow_null=True)
    caseworker: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    organisation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "kind",
            "track",
            "applicant",
            "organisation",
            "caseworker",
            "created_at",
            "retention_until",
            "status",
            "forecast",
            "forecast_unavailable_reason",
        ]

    forecast = serializers.SerializerMethodField(
        help_text="when the decision may come, from the real backlog (docs/forecasts.md); "
        "null where no estimate passed the backtest"
    )
    forecast_unavailable_reason = serializers.SerializerMethodField(
        help_text="why there is no forecast: dublin, moratorium_open_ended, set_aside, "
        "no_pace, beyond_horizon, no_backtest, backtest_too_few, backtest_failed, stale, "
        "not_computed, history_error, not_in_chain"
    )

    def _forecast(self, obj: Application) -> dict[str, Any]:
        cache: dict[int, dict[str, Any]] = self.__dict__.setdefault("_forecasts", {})
        if obj.pk not in cache:
            cache[obj.pk] = forecast_fields(obj)
        return cache[obj.pk]

    @extend_schema_field(ForecastSerializer(allow_null=True))
    def get_forecast(self, obj: Application) -> dict[str, Any] | None:
        return self._forecast(obj)["forecast"]  # type: ignore[no-any-return]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_forecast_unavailable_reason(self, obj: Application) -> str | None:
        return self._forecast(obj)["forecast_unavailable_reason"]  # type: ignore[no-any-return]


# --- events ------------------------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer[ProcedureEvent]):
    recorded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    corrects: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    corrected_by = serializers.SerializerMethodField(
        help_text="ids of the events that correct or retract this one"
    )
    note = serializers.SerializerMethodField(help_text="internal; empty for applicants")
    data = serializers.DictField()  # type: ignore[assignment]

    class Meta:
        model = ProcedureEvent
        fields = [
            "id",
            "seq",
            "kind",
            "effective_date",
            "data",
            "recorded_on",
            "recorded_at",
            "recorded_by",
            "corrects",
            "corrected_by",
            "note",
        ]

    def get_corrected_by(self, obj: ProcedureEvent) -> list[int]:
        return list(self.context.get("corrected_by", {}).get(obj.pk, []))

    def get_note(self, obj: ProcedureEvent) -> str:
        return "" if self.context.get("hide_notes") else obj.note


# --- deadlines (the law's assessment) ----------------------------------------------------------


class StepSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()
    source = serializers.CharField(allow_null=True)  # type: ignore[assignment]
    source_url = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    date = serializers.DateField(required=False)
    citation = serializers.DictField(required=False, help_text="the structured legal source")


class AssessedDeadlineSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    start = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    certainty = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    late_by_days = serializers.IntegerField(allow_null=True)
    alternative_due = serializers.DateField(allow_null=True)
    steps = StepSerializer(many=True, help_text="the explanation, step by step, with sources")


class KeyTextSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    text = serializers.CharField()


class AssessmentSerializer(serializers.Serializer[Any]):
    """The law engine's assessment of the case (``AssessmentView.as_json()``)."""

    reference = serializers.CharField()
    as_of = serializers.DateField()
    language = serializers.ChoiceField(choices=list(LANGUAGES))
    stage = serializers.CharField(allow_null=True)
    stage_label = serializers.CharField()
    track = serializers.CharField()
    overdue = serializers.BooleanField()
    next_deadline = NextDeadlineSerializer(allow_null=True)
    deadlines = AssessedDeadlineSerializer(many=True)
    measures = serializers.ListField(
        child=serializers.DictField(), help_text="measures touching the case, with their effect"
    )
    remedies = serializers.ListField(
        child=serializers.DictField(), help_text="remedies against a late decision"
    )
    next_steps = KeyTextSerializer(many=True)
    notes = KeyTextSerializer(many=True)
    disclaimer = serializers.CharField()


class DeadlinesQuerySerializer(serializers.Serializer[Any]):
    lang = serializers.ChoiceField(choices=list(LANGUAGES), default="en")
    as_of = serializers.DateField(
        required=False, help_text="assess on this day (default: the case clock's today)"
    )

    def validate_as_of(self, value: Any) -> Any:
        from toevlucht.law import legal_calendar

        cal = legal_calendar()
        if value is not None and not cal.first_year <= value.year <= cal.last_year:
            # a well-formed date the law's data do not cover, as for an event's date: 422
            raise Rejected(
                "as_of",
                gettext("the legal calendar covers %(first)d-%(last)d")
                % {"first": cal.first_year, "last": cal.last_year},
            )
        return value


# --- measures ----------------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer[Any]):
    start = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True, help_text="exclusive")
    announced = serializers.DateField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]
    source_url = serializers.CharField()


class MeasureSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    effect_status = serializers.CharField()
    term_extension_months = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]
    source_url = serializers.CharField()
    nationalities = serializers.ListField(child=serializers.CharField())
    groups = serializers.ListField(child=serializers.CharField())
    periods = PeriodSerializer(many=True)
    origin = serializers.ChoiceField(
        choices=["law_data", "announced"],
        help_text="from law/data/nl/measures.toml or announced in the app",
    )
    announced_by = serializers.CharField(allow_null=True)
    announced_at = serializers.DateTimeField(allow_null=True)
    cases_touched = serializers.IntegerField(allow_null=True)
    cases_changed = serializers.IntegerField(allow_null=True)
    recomputed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="announced in the app: when the cases it touches were recomputed (null while "
        "a background task recomputes them)",
    )


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


_TEXT: dict[str, Any] = {"type": "string"}
_DATE: dict[str, Any] = {"type": "string", "format": "date"}
_TEXTS: dict[str, Any] = {"type": "array", "items": _TEXT}
_SOURCE: dict[str, Any] = {
    "description": "the id of a source in law/data/nl/sources.toml, or the source itself",
    "oneOf": [
        _TEXT,
        _obj(
            ["kind", "instrument", "url", "status"],
            kind={"type": "string", "enum": [k.value for k in SourceKind]},
            instrument=_TEXT,
            abbreviation=_TEXT,
            bwb_id=_TEXT,
            article=_TEXT,
            paragraph=_TEXT,
            consolidation_date=_DATE,
            url=_TEXT,
            ecli=_TEXT,
            celex=_TEXT,
            date=_DATE,
            status={"type": "string", "enum": [s.value for s in Status]},
            note=_TEXT,
        ),
    ],
}
# The measures.toml format as the law's loader (law/measures.py) reads it: every key it knows,
# no other, no null (TOML has none). What JSON Schema cannot say (a period's until after its
# from, the months a kind needs, a source id that exists) the loader refuses: a 422
# measure-rejected naming the key.
MEASURE_DEFINITION_SCHEMA: dict[str, Any] = _obj(
    ["id", "kind", "title_en", "title_nl", "effect_status", "legal_basis", "periods"],
    id={"type": "string", "pattern": r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"},
    kind={"type": "string", "enum": [k.value for k in MeasureKind]},
    title_en=_TEXT,
    title_nl=_TEXT,
    title_ru=_TEXT,
    title_uk=_TEXT,
    effect_status={"type": "string", "enum": [e.value for e in EffectStatus]},
    legal_basis=_SOURCE,
    scope=_obj(
        [],
        nationalities=_TEXTS,
        sexes={"type": "array", "items": {"type": "string", "enum": [x.value for x in Sex]}},
        age_min={"type": "integer"},
        age_max={"type": "integer"},
        groups_any=_TEXTS,
        lodged_from=_DATE,
        lodged_before=_DATE,
    ),
    periods={
        "type": "array",
        "minItems": 1,
        "items": _obj(
            ["source"], source=_SOURCE, note=_TEXT, announced=_DATE, until=_DATE, **{"from": _DATE}
        ),
    },
    rulings={
        "type": "array",
        "items": _obj(
            ["source", "holding"],
            date=_DATE,
            source=_SOURCE,
            holding=_TEXT,
            disapplies={"type": "boolean"},
        ),
    },
    term_extension_months={"type": "integer"},
    extension_ground=_TEXT,
    effect_note=_TEXT,
    note=_TEXT,
    exceptions={
        "type": "array",
        "items": {"type": "string", "enum": [e.value for e in MeasureException]},
    },
)


def _has_nul(node: Any) -> bool:
    if isinstance(node, str):
        return "\x00" in node
    if isinstance(node, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_has_nul(v) for v in node)
    return False


@extend_schema_field(MEASURE_DEFINITION_SCHEMA)
class MeasureDefinitionField(serializers.DictField):
    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if _has_nul(value):  # as DRF's own strings: PostgreSQL cannot store a NUL
            # DRF's own message, so DRF's catalogues translate it
            raise serializers.ValidationError(gettext("Null characters are not allowed."))
        return value


class MeasureDefinitionSerializer(serializers.Serializer[Any]):
    definition = MeasureDefinitionField(
        help_text=(
            "the measure in the format of law/data/nl/measures.toml (id, kind, title_en, "
            "title_nl, effect_status, legal_basis, scope, periods, ...), dates as YYYY-MM-DD"
        )
    )


class MeasurePreviewSerializer(serializers.Serializer[Any]):
    as_of = serializers.DateField()
    touched = serializers.IntegerField(help_text="open cases whose decision term it moves")
    changed = serializers.IntegerField(help_text="of which due date or status changes today")


# --- reception ---------------------------------------------------------------------------------


class CentreSerializer(serializers.ModelSerializer[ReceptionCentre]):
    occupancy = serializers.IntegerField(read_only=True, help_text="current placements")

    class Meta:
        model = ReceptionCentre
        fields = ["id", "name", "municipality", "capacity", "occupancy"]


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    centre: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )
    centre_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "centre_id", "centre", "start", "end"]


class PlacementInputSerializer(serializers.Serializer[Any]):
    centre = ExistingPk(queryset=ReceptionCentre.objects.all(), label="reception centre")
    start = serializers.DateField()


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


STAGES = [s.value for s in Stage]


def measure_as_dict(m: Measure, row: Any | None, lang: str = "en") -> dict[str, Any]:
    """A law ``Measure`` (its typed summary, ``law.view.measure_summary``) and its
    ``AnnouncedMeasure`` row, if announced in the app."""
    v = measure_summary(m, lang)

    def d(day: Any) -> str | None:
        return day.isoformat() if day is not None else None

    return {
        "id": v.id,
        "kind": v.kind.value,
        "title": v.title,
        "effect_status": v.effect_status.value,
        "term_extension_months": v.term_extension_months,
        "source": v.legal_basis.label,
        "source_url": v.legal_basis.url,
        "nationalities": list(v.scope.nationalities),
        "groups": list(v.scope.groups),
        "periods": [
            {
                "start": d(p.start),
                "until": d(p.until),
                "announced": d(p.announced),
                "source": p.source,
                "source_url": p.source_url,
            }
            for p in v.periods
        ],
        "origin": "announced" if row is not None else "law_data",
        "announced_by": row.announced_by.username if row is not None else None,
        "announced_at": row.announced_at.isoformat() if row is not None else None,
        "cases_touched": row.cases_touched if row is not None else None,
        "cases_changed": row.cases_changed if row is not None else None,
        "recomputed_at": row.recomputed_at if row is not None else None,
    }


# --- intake ------------------------------------------------------------------------------------


class ApplicantInputSerializer(serializers.Serializer[Any]):
    """A new applicant; the service validates the values (and names the wrong field)."""

    v_number = VNumberField(help_text="10 digits, unique")
    given_names = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True, help_text="original script"
    )
    family_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True, help_text="original script"
    )
    given_names_latin = serializers.CharField(max_length=200, allow_blank=True)
    family_name_latin = serializers.CharField(max_length=200)
    birth_date = serializers.RegexField(
        BIRTH_PATTERN,
        max_length=10,
        required=False,
        default="",
        allow_blank=True,
        help_text="YYYY-MM-DD, YYYY-MM, YYYY or empty (unknown)",
    )
    nationality = serializers.CharField(max_length=3, help_text="ISO 3166-1 alpha-3")
    sex = serializers.ChoiceField(choices=["male", "female", "x", ""], required=False, default="")
    languages = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, default=list, max_length=10
    )
    groups = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, default=list, max_length=10
    )
    duplicate_reason = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text="why a second record is made although candidates were found (audited)",
    )


class CandidateSerializer(serializers.Serializer[Any]):
    applicant = ApplicantSerializer()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="v_number, name, birth_date, nationality"
    )


class CandidateQuerySerializer(serializers.Serializer[Any]):
    """Search terms; an empty one is not given."""

    v_number = serializers.CharField(max_length=12, required=False, default="", allow_blank=True)
    given_names = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    family_name = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    given_names_latin = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    family_name_latin = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    birth_date = serializers.RegexField(
        BIRTH_PATTERN,
        max_length=10,
        required=False,
        default="",
        allow_blank=True,
        help_text="YYYY-MM-DD, YYYY-MM, YYYY or empty",
    )
    nationality = serializers.CharField(max_length=3, required=False, default="", allow_blank=True)


class CaseInputSerializer(serializers.Serializer[Any]):
    applicant = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=["first", "subsequent"], default="first")
    caseworker = serializers.CharField(
        max_length=150,
        required=False,
        allow_null=True,
        default=None,
        help_text="user name of the caseworker (default: the requesting user, if a caseworker)",
    )


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class MandateSerializer(serializers.ModelSerializer[Mandate]):
    """A mandate or a request. ``applicant`` (the internal id) is shown to authority staff,
    and to legal aid only while the mandate gives it access (``active``): a request, a
    future or an ended mandate names no applicant to legal aid, who know the client by the
    V-number they gave. Needs ``context["viewer"]``; without it no id is shown."""

    organisation = OrganisationSerializer()
    applicant = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Mandate
        fields = [
            "id",
            "organisation",
            "applicant",
            "lawyer",
            "consent_date",
            "valid_from",
            "valid_until",
            "revoked_on",
            "requested_on",
            "status",
        ]

    @extend_schema_field(
        serializers.IntegerField(
            allow_null=True,
            help_text="the applicant's id; null for legal aid unless the mandate is active",
        )
    )
    def get_applicant(self, obj: Mandate) -> int | None:
        role = str(getattr(self.context.get("viewer"), "role", ""))
        if role in AUTHORITY or (role == User.Role.LEGAL_AID and self.get_status(obj) == "active"):
            return int(obj.applicant_id)
        return None

    @extend_schema_field(serializers.ChoiceField(["requested", "active", "ended", "future"]))
    def get_status(self, obj: Mandate) -> str:
        today = clock.today()
        if obj.revoked_on is not None and obj.revoked_on <= today:
            return "ended"
        if obj.consent_date is None:
            return "requested"
        if obj.valid_until is not None and obj.valid_until < today:
            return "ended"
        if obj.valid_from is not None and obj.valid_from > today:
            return "future"
        return "active"


class MandateInputSerializer(serializers.Serializer[Any]):
    applicant = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    organisation = ExistingPk(queryset=Organisation.objects.all(), label="organisation")
    consent_date = serializers.DateField()
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    lawyer = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class MandateRequestSerializer(serializers.Serializer[Any]):
    v_number = VNumberField(help_text="the client's V-number (10 digits)")
    lawyer = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class PlacementCreateSerializer(PlacementInputSerializer):
    applicant = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
