"""REST API views: validate input, call one selector or service, render.

Access to cases is decided by ``toevlucht.cases.selectors`` alone (a case the user may not see
is a 404); who may write is checked inside the services (:mod:`toevlucht.cases.permissions`);
errors are problem documents (:mod:`toevlucht.api.problems`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views.decorators.csp import csp_override
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from toevlucht import clock
from toevlucht.accounts.models import Organisation, User
from toevlucht.accounts.roles import check_manage_mandates
from toevlucht.accounts.services import mandate_grant, mandate_revoke
from toevlucht.api.events import (
    EVENT_INPUT_SCHEMA,
    EventCorrectionSerializer,
    EventInputSerializer,
)
from toevlucht.api.filters import CaseFilter
from toevlucht.api.serializers import (
    ApplicantInputSerializer,
    ApplicantSerializer,
    AssessmentSerializer,
    CandidateQuerySerializer,
    CandidateSerializer,
    CaseDetailSerializer,
    CaseInputSerializer,
    CaseListSerializer,
    CentreSerializer,
    DeadlinesQuerySerializer,
    EventSerializer,
    MandateInputSerializer,
    MandateRequestSerializer,
    MandateSerializer,
    MeasureDefinitionSerializer,
    MeasurePreviewSerializer,
    MeasureSerializer,
    OrganisationSerializer,
    PlacementCreateSerializer,
    PlacementInputSerializer,
    PlacementSerializer,
    TokenSerializer,
    measure_as_dict,
    no_such,
)
from toevlucht.audit.log import record
from toevlucht.cases.announce import measure_announce, measure_preview
from toevlucht.cases.mandate_requests import request_by_v_number
from toevlucht.cases.models import (
    Applicant,
    Application,
    Placement,
    ProcedureEvent,
    ReceptionCentre,
)
from toevlucht.cases.permissions import check_record_placement, check_register
from toevlucht.cases.selectors import (
    applicant_for_intake,
    application_get_for_user,
    application_list_for_user,
    audit_list_read,
    events_for_application,
    mandates_visible_to,
)
from toevlucht.cases.services import (
    applicant_candidates,
    applicant_register,
    application_open,
    assessment_for,
    event_correct,
    event_record,
    placement_record,
)
from toevlucht.errors import Rejected, TooManyMisses
from toevlucht.law import LANGUAGES
from toevlucht.measures.models import AnnouncedMeasure
from toevlucht.measures.selectors import all_measures

LANG_PARAM = OpenApiParameter(
    "lang", str, enum=list(LANGUAGES), description="language of the texts (default en)"
)


def _case(request: Request, pk: int, purpose: str) -> Application:
    """The case, if the user may see it (audited); 404 otherwise."""
    return application_get_for_user(user=request.user, pk=pk, purpose=purpose)


def _applicant(actor: User, pk: int, purpose: str) -> Applicant:
    """The applicant a request's body names, if the user may act on them (audited). An id
    that names nobody, or someone the user may not see, is the same 422 naming the field
    ``applicant`` (an id in a body is input, not a path; one answer for both, so it tells
    nothing about who is on record). Check the role first: a role that may not write gets
    its 403 whatever the id."""
    try:
        return applicant_for_intake(user=actor, pk=pk, purpose=purpose)
    except Http404:
        raise no_such("applicant", pk) from None


# --- cases -------------------------------------------------------------------------------------


class CaseList(generics.ListAPIView[Application]):
    """Cases the user may see by legal urgency (overdue first, most days late first; then
    waiting cases whose next step is late; soonest next deadline; waiting; the rest), or
    ``ordering``; filtered and paginated."""

    serializer_class = CaseListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self) -> Any:
        return application_list_for_user(user=self.request.user, purpose="api case list")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.filter_queryset(self.get_queryset()).select_related("caseworker")
        page = self.paginate_queryset(qs)
        assert page is not None  # the API always paginates
        audit_list_read(user=request.user, applications=page, purpose="api case list")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CaseDetail(APIView):
    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """One case: applicant, status projection with every deadline."""
        app = _case(request, pk, "api case detail")
        return Response(CaseDetailSerializer(app).data)


# --- intake ------------------------------------------------------------------------------------


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class ApplicantCreate(APIView):
    @extend_schema(
        request=ApplicantInputSerializer,
        responses={201: ApplicantSerializer},
        description="Register an applicant (authority staff). When someone on record may be "
        "this person (the same person under another spelling or script, birth date and "
        "nationality), the answer is a 422 problem ``duplicate-suspected`` naming the field "
        "``duplicate_reason`` and listing the ``candidates``' ids; send a "
        "``duplicate_reason`` to register anyway (audited). The same V-number is refused.",
    )
    def post(self, request: Request) -> Response:
        s = ApplicantInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        a = applicant_register(
            actor=_actor(request),
            v_number=v["v_number"],
            given_names=v["given_names"],
            family_name=v["family_name"],
            given_names_latin=v["given_names_latin"],
            family_name_latin=v["family_name_latin"],
            birth_date=v["birth_date"],
            nationality=v["nationality"],
            sex=v["sex"],
            languages=v["languages"],
            applicant_groups=v["groups"],
            duplicate_reason=v["duplicate_reason"],
            purpose="api registration",
        )
        return Response(ApplicantSerializer(a).data, status=status.HTTP_201_CREATED)


class ApplicantCandidates(APIView):
    @extend_schema(parameters=[CandidateQuerySerializer], responses=CandidateSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Applicants on record who may be the person described (authority staff; the
        candidates shown are audited)."""
        q = CandidateQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        v = dict(q.validated_data)
        found = applicant_candidates(actor=_actor(request), birth=v.pop("birth_date"), **v)
        rows = [{"applicant": c.applicant, "reasons": list(c.reasons)} for c in found]
        return Response(CandidateSerializer(rows, many=True).data)


class CaseCreate(CaseList):
    @extend_schema(request=CaseInputSerializer, responses={201: CaseDetailSerializer})
    def post(self, request: Request) -> Response:
        """Open an application (``first`` or ``subsequent``) for an applicant at the
        requesting user's authority, assigned to ``caseworker``. Record its request or
        lodging next (``POST /api/cases/{id}/events/``)."""
        s = CaseInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        actor = _actor(request)
        check_register(actor)
        applicant = _applicant(actor, v["applicant"], "api open case")
        if actor.organisation is None:
            raise PermissionDenied(gettext("you belong to no authority"))
        worker = None
        if v["caseworker"]:
            worker = User.objects.filter(username=v["caseworker"]).first()
            if worker is None:
                raise Rejected(
                    "caseworker", gettext("no user %(name)s") % {"name": repr(v["caseworker"])}
                )
        elif actor.role == User.Role.CASEWORKER:
            worker = actor
        app = application_open(
            actor=actor,
            applicant=applicant,
            organisation=actor.organisation,
            kind=v["kind"],
            caseworker=worker,
            purpose="api open case",
        )
        app = _case(request, app.pk, "api open case")
        return Response(CaseDetailSerializer(app).data, status=status.HTTP_201_CREATED)


class OrganisationList(APIView):
    @extend_schema(responses=OrganisationSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Authorities, legal-aid organisations and reception (no personal data): the ids
        a mandate names."""
        return Response(
            OrganisationSerializer(Organisation.objects.order_by("kind", "name"), many=True).data
        )


class MandateList(APIView):
    @extend_schema(responses=MandateSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The mandates and requests the user may see (authority staff: of their
        applicants; legal aid: its own; an applicant: who has access to their case)."""
        rows = list(mandates_visible_to(request.user).order_by("-pk")[:500])
        if rows:
            record(
                actor=request.user,
                action="list",
                purpose="api mandates",
                object_type="mandate",
                object_ids=[m.pk for m in rows],
            )
        ctx = {"viewer": request.user}
        return Response(MandateSerializer(rows, many=True, context=ctx).data)

    @extend_schema(request=MandateInputSerializer, responses={201: MandateSerializer})
    def post(self, request: Request) -> Response:
        """Record a mandate as the authority receives it (authority staff): from then on
        the organisation's legal-aid workers see the applicant's cases."""
        s = MandateInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        actor = _actor(request)
        check_manage_mandates(actor)
        applicant = _applicant(actor, v["applicant"], "api mandate")
        m = mandate_grant(
            actor=actor,
            organisation=v["organisation"],
            applicant=applicant,
            consent_date=v["consent_date"],
            valid_from=v["valid_from"],
            valid_until=v["valid_until"],
            lawyer=v["lawyer"],
        )
        ctx = {"viewer": request.user}
        return Response(MandateSerializer(m, context=ctx).data, status=status.HTTP_201_CREATED)


class MandateRequestCreate(APIView):
    @extend_schema(
        request=MandateRequestSerializer,
        responses={201: MandateSerializer},
        description="Legal aid asks a client, by the V-number the client gave, for a mandate; "
        "the client confirms it in the portal, and until then it gives no access. The answer "
        "is the request (its id, status, organisation, lawyer, dates) without the applicant's "
        "id. A V-number on no record is a 422 naming ``v_number`` (audited); after "
        "``TOEVLUCHT_MANDATE_REQUEST_MISSES`` (10) of them within an hour, a 429 with "
        "``Retry-After`` (docs/api.md, 'Asking for a mandate by V-number').",
    )
    def post(self, request: Request) -> Response:
        """Legal aid asks a client (by V-number) for a mandate; the client confirms it in
        the portal. A request gives no access until then."""
        s = MandateRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        actor = _actor(request)
        try:
            m = request_by_v_number(
                actor=actor,
                v_number=v["v_number"],
                lawyer=v["lawyer"],
                valid_until=v["valid_until"],
            )
        except TooManyMisses as e:
            raise Throttled(e.wait, e.message) from None
        ctx = {"viewer": actor}
        return Response(MandateSerializer(m, context=ctx).data, status=status.HTTP_201_CREATED)


class MandateRevoke(APIView):
    @extend_schema(request=None, responses=MandateSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """End a mandate, or withdraw a request, from today."""
        m = mandates_visible_to(request.user).filter(pk=pk).first()
        if m is None:
            raise NotFound(gettext("no such mandate"))
        m = mandate_revoke(actor=_actor(request), mandate=m)
        return Response(MandateSerializer(m, context={"viewer": request.user}).data)


class PlacementCreate(APIView):
    @extend_schema(request=PlacementCreateSerializer, responses={201: PlacementSerializer})
    def post(self, request: Request) -> Response:
        """Place an applicant in a reception centre from ``start``, or move them: the open
        placement ends then (at most one open placement, enforced by the database)."""
        s = PlacementCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        actor = _actor(request)
        check_record_placement(actor)
        applicant = _applicant(actor, v["applicant"], "api placement")
        p = placement_record(
            actor=actor,
            applicant=applicant,
            centre=v["centre"],
            start=v["start"],
            purpose="api record placement",
        )
        return Response(PlacementSerializer(p).data, status=status.HTTP_201_CREATED)


# --- events ------------------------------------------------------------------------------------


def _render_events(request: Request, events: list[ProcedureEvent]) -> Any:
    corrected_by: dict[int, list[int]] = defaultdict(list)
    for e in events:
        if e.corrects_id is not None:
            corrected_by[e.corrects_id].append(e.pk)
    hide = getattr(request.user, "role", "") == "applicant"
    ctx = {"corrected_by": corrected_by, "hide_notes": hide}
    return EventSerializer(events, many=True, context=ctx).data


class EventList(APIView):
    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        """The case's history in the order it was recorded, corrections included."""
        app = _case(request, pk, "api events")
        return Response(_render_events(request, list(events_for_application(app))))

    @extend_schema(request=EVENT_INPUT_SCHEMA, responses={201: EventSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Record an event. The law engine checks it against the whole history; a refused
        event is a 422 problem naming the field, and nothing is written."""
        app = _case(request, pk, "api record event")
        s = EventInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        event = event_record(
            actor=request.user,  # type: ignore[arg-type]
            application=app,
            kind=v["kind"],
            effective_date=v["effective_date"],
            data=v["data"],
            note=v["note"],
            purpose="api record event",
        )
        return Response(_render_events(request, [event])[0], status=status.HTTP_201_CREATED)


class EventCorrection(APIView):
    @extend_schema(request=EventCorrectionSerializer, responses={201: EventSerializer})
    def post(self, request: Request, pk: int, event_pk: int) -> Response:
        """Correct an event (new date or data) or retract it (``retract: true``); the
        original stays in the history."""
        app = _case(request, pk, "api correct event")
        event = events_for_application(app).filter(pk=event_pk).first()
        if event is None:
            raise NotFound(gettext("no such event in this case"))
        s = EventCorrectionSerializer(data=request.data, context={"kind": event.kind})
        s.is_valid(raise_exception=True)
        v = s.validated_data
        new = event_correct(
            actor=request.user,  # type: ignore[arg-type]
            event=event,
            effective_date=v.get("effective_date"),
            data=v.get("data"),
            retract=v["retract"],
            note=v["note"],
            purpose="api correct event",
        )
        return Response(_render_events(request, [new])[0], status=status.HTTP_201_CREATED)


# --- deadlines ---------------------------------------------------------------------------------


class Deadlines(APIView):
    @extend_schema(
        parameters=[
            LANG_PARAM,
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="default: today"),
        ],
        responses=AssessmentSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        """Every deadline of the case with its explanation step by step (each step with its
        legal source), the measures touching it and the remedies — the law engine's
        assessment on ``as_of``."""
        q = DeadlinesQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        app = _case(request, pk, "api deadlines")
        view = assessment_for(app, q.validated_data.get("as_of"), q.validated_data["lang"])
        return Response(view.as_json())


# --- placements and centres --------------------------------------------------------------------


class PlacementList(APIView):
    @extend_schema(responses=PlacementSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        """Where the case's applicant stayed, from when until when."""
        app = _case(request, pk, "api placements")
        rows = Placement.objects.filter(applicant_id=app.applicant_id).select_related("centre")
        return Response(PlacementSerializer(rows, many=True).data)

    @extend_schema(request=PlacementInputSerializer, responses={201: PlacementSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Place the applicant in a centre from ``start``; the current placement ends then."""
        app = _case(request, pk, "api record placement")
        s = PlacementInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        p = placement_record(
            actor=request.user,  # type: ignore[arg-type]
            applicant=app.applicant,
            centre=s.validated_data["centre"],
            start=s.validated_data["start"],
            purpose="api record placement",
        )
        return Response(PlacementSerializer(p).data, status=status.HTTP_201_CREATED)


class CentreList(APIView):
    @extend_schema(responses=CentreSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Reception centres with capacity and current occupancy (no personal data)."""
        rows = ReceptionCentre.objects.annotate(
            occupancy=Count("placements", filter=Q(placements__end__isnull=True))
        ).order_by("name")
        return Response(CentreSerializer(rows, many=True).data)


# --- measures ----------------------------------------------------------------------------------


def _measures(lang: str) -> list[dict[str, Any]]:
    rows = {r.measure_id: r for r in AnnouncedMeasure.objects.select_related("announced_by")}
    return [measure_as_dict(m, rows.get(mid), lang) for mid, m in all_measures().items()]


def _lang(request: Request) -> str:
    """The ``lang`` query parameter; one the schema does not list is a 400 naming it."""
    lang = request.query_params.get("lang", "en")
    if lang not in LANGUAGES:
        raise ValidationError(
            {
                "lang": [
                    gettext("%(value)s is not one of %(choices)s")
                    % {"value": repr(lang), "choices": ", ".join(LANGUAGES)}
                ]
            }
        )
    return lang


class MeasureList(APIView):
    @extend_schema(parameters=[LANG_PARAM], responses=MeasureSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every policy measure: the law data's and those announced in the app."""
        return Response(MeasureSerializer(_measures(_lang(request)), many=True).data)

    @extend_schema(
        parameters=[LANG_PARAM],
        request=MeasureDefinitionSerializer,
        responses={201: MeasureSerializer},
    )
    def post(self, request: Request) -> Response:
        """Announce a measure (supervisors): stored, then every case it touches is
        recomputed; the answer says how many were touched and changed. Past
        TOEVLUCHT_ANNOUNCE_INLINE_MAX cases a background task recomputes them and
        ``recomputed_at`` is null until it is done."""
        lang = _lang(request)  # before anything is stored
        s = MeasureDefinitionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        row, _preview = measure_announce(
            actor=request.user,  # type: ignore[arg-type]
            definition=s.validated_data["definition"],
        )
        data = next(m for m in _measures(lang) if m["id"] == row.measure_id)
        return Response(MeasureSerializer(data).data, status=status.HTTP_201_CREATED)


class MeasurePreview(APIView):
    @extend_schema(request=MeasureDefinitionSerializer, responses=MeasurePreviewSerializer)
    def post(self, request: Request) -> Response:
        """How many open cases a measure would touch, and change today, before announcing
        it. Nothing is stored."""
        s = MeasureDefinitionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        preview = measure_preview(
            actor=request.user,  # type: ignore[arg-type]
            definition=s.validated_data["definition"],
        )
        out = {"as_of": clock.today(), "touched": len(preview.touched)}
        out["changed"] = len(preview.changed)
        return Response(MeasurePreviewSerializer(out).data)


class MeasureDetail(APIView):
    @extend_schema(parameters=[LANG_PARAM], responses=MeasureSerializer)
    def get(self, request: Request, measure_id: str) -> Response:
        """One policy measure."""
        found = next((m for m in _measures(_lang(request)) if m["id"] == measure_id), None)
        if found is None:
            raise NotFound(gettext("no such measure"))
        return Response(MeasureSerializer(found).data)


class NotFoundView(APIView):
    """Every other path under /api/: a 404 problem document, whoever asks."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    schema = None

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.http_method_names = [*APIView.http_method_names]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound()

    post = put = patch = delete = get


# --- tokens and docs ---------------------------------------------------------------------------


class TokenView(APIView):
    """The API token of the signed-in user. Only a browser session (signed in with the second
    factor where the user has one) can get one, so a token never bypasses two-factor sign-in."""

    authentication_classes = [SessionAuthentication]

    def _check(self, request: Request) -> None:
        from toevlucht.accounts.signin import api_refusal

        reason = api_refusal(request.user, session=True)
        if reason is not None:
            raise PermissionDenied(reason)

    @extend_schema(request=None, responses={201: TokenSerializer})
    def post(self, request: Request) -> Response:
        """Create (or replace) the user's API token."""
        self._check(request)
        from toevlucht.api.tokens import issue

        key = issue(request.user)  # stored hashed: this answer is the only place it shows
        return Response({"token": key}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the user's API token."""
        from toevlucht.api.tokens import revoke

        revoke(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _docs_csp() -> dict[str, Any]:
    """The site's policy, widened for the docs page only by the origin Swagger UI's files
    come from (nothing when they are served from our own static files)."""
    policy: dict[str, Any] = dict(settings.SECURE_CSP)
    dist = str(getattr(settings, "SPECTACULAR_SETTINGS", {}).get("SWAGGER_UI_DIST", ""))
    if dist.startswith(("https://", "http://")):
        origin = "/".join(dist.split("/")[:3])
        policy["script-src"] = [*policy.get("script-src", []), origin]
        policy["style-src"] = [*policy.get("style-src", []), origin]
        policy["img-src"] = [*policy.get("img-src", []), origin]
    return policy


@method_decorator(csp_override(_docs_csp()), name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI without inline script: its start-up script is a separate same-origin file
    (``?script``), and our template has no inline style."""

    template_name = "api/swagger_ui.html"
