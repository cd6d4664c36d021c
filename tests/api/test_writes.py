"""Writes over the API: events (record, correct, retract), placements and measures, with
the roles that may make them and the problem documents for what is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.cases.models import ProcedureEvent

from ..assessments import counting_assessments

pytestmark = pytest.mark.django_db


def _events(world: dict[str, Any]) -> str:
    return f"/api/cases/{world['own'].pk}/events/"


def test_a_caseworker_records_an_interview_and_the_deadlines_change(
    world: dict[str, Any], client_for: Any
) -> None:
    c = client_for("caseworker")
    before = c.get(f"/api/cases/{world['own'].pk}/").json()["status"]
    r = c.post(
        _events(world),
        {"kind": "general_procedure_started", "effective_date": "2022-05-02"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["kind"] == "general_procedure_started"
    assert r.json()["recorded_by"] == "cw"
    after = c.get(f"/api/cases/{world['own'].pk}/").json()["status"]
    assert after["stage"] == "general_procedure" != before["stage"]
    assert after["next_deadline"] != before["next_deadline"]


def test_event_data_is_checked_against_the_laws_field_schema(
    world: dict[str, Any], client_for: Any
) -> None:
    c = client_for("caseworker")
    r = c.post(
        _events(world),
        {
            "kind": "decision_term_extended",
            "effective_date": "2022-05-02",
            "data": {"months": 40, "ground": "42(4)(a)"},
        },
        format="json",
    )
    assert r.status_code == 400
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["field"] == "data.months"
    r = c.post(
        _events(world),
        {"kind": "detailed_interview_held", "effective_date": "2022-05-02", "data": {"x": 1}},
        format="json",
    )
    assert (r.status_code, r.json()["field"]) == (400, "data.x")
    r = c.post(
        _events(world), {"kind": "decision_notified", "effective_date": "2022-05-02"}, format="json"
    )
    assert (r.status_code, r.json()["field"]) == (400, "data")


def test_an_event_that_contradicts_the_history_is_a_422_naming_the_field(
    world: dict[str, Any], client_for: Any
) -> None:
    n = ProcedureEvent.objects.count()
    r = client_for("caseworker").post(
        _events(world), {"kind": "appeal_lodged", "effective_date": "2022-05-02"}, format="json"
    )
    assert r.status_code == 422
    body = r.json()
    assert body["type"] == "urn:toevlucht:problem:event-rejected"
    assert body["field"] == "kind"
    assert "no decision" in body["detail"]
    assert ProcedureEvent.objects.count() == n


def test_an_event_in_the_future_is_refused(world: dict[str, Any], client_for: Any) -> None:
    r = client_for("caseworker").post(
        _events(world),
        {"kind": "detailed_interview_held", "effective_date": "2022-06-01"},
        format="json",
    )
    assert (r.status_code, r.json()["field"]) == (422, "effective_date")


@pytest.mark.parametrize(
    ("role", "kind", "expected"),
    [
        ("supervisor", "detailed_interview_held", 201),
        ("administrator", "detailed_interview_held", 201),
        ("legal_aid", "detailed_interview_held", 403),
        ("legal_aid", "notice_of_default_received", 201),
        ("applicant", "notice_of_default_received", 403),
        ("analyst", "detailed_interview_held", 404),  # sees no case at all
        ("other_legal_aid", "notice_of_default_received", 404),
    ],
)
def test_who_may_record_what(
    world: dict[str, Any], client_for: Any, role: str, kind: str, expected: int
) -> None:
    r = client_for(role).post(
        _events(world), {"kind": kind, "effective_date": "2022-05-02"}, format="json"
    )
    assert r.status_code == expected, r.json()


def test_a_correction_keeps_the_original_and_is_shown_as_such(
    world: dict[str, Any], client_for: Any
) -> None:
    c = client_for("caseworker")
    original = ProcedureEvent.objects.get(
        application=world["own"], kind="registration_interview_held"
    )
    url = f"/api/cases/{world['own'].pk}/events/{original.pk}/corrections/"
    r = c.post(url, {"effective_date": "2022-03-16", "note": "wrong day typed"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["corrects"] == original.pk
    events = c.get(_events(world)).json()
    shown = next(e for e in events if e["id"] == original.pk)
    assert shown["corrected_by"] == [r.json()["id"]]
    assert shown["effective_date"] == "2022-03-15"


def test_a_correction_needs_a_reason(world: dict[str, Any], client_for: Any) -> None:
    original = ProcedureEvent.objects.filter(application=world["own"]).last()
    assert original is not None
    r = client_for("caseworker").post(
        f"/api/cases/{world['own'].pk}/events/{original.pk}/corrections/",
        {"retract": True, "note": "   "},
        format="json",
    )
    assert r.status_code in (400, 422)
    assert r.json()["field"] == "note"


def test_a_retraction_voids_the_event(world: dict[str, Any], client_for: Any) -> None:
    c = client_for("caseworker")
    original = ProcedureEvent.objects.get(
        application=world["own"], kind="registration_interview_held"
    )
    r = c.post(
        f"/api/cases/{world['own'].pk}/events/{original.pk}/corrections/",
        {"retract": True, "note": "recorded in the wrong case"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["kind"] == "retraction"
    assert c.get(f"/api/cases/{world['own'].pk}/").json()["status"]["stage"] == "registration"


def test_an_event_of_another_case_is_404(world: dict[str, Any], client_for: Any) -> None:
    foreign = ProcedureEvent.objects.filter(application=world["revoked"]).first()
    assert foreign is not None
    r = client_for("caseworker").post(
        f"/api/cases/{world['own'].pk}/events/{foreign.pk}/corrections/",
        {"retract": True, "note": "x"},
        format="json",
    )
    assert r.status_code == 404


def test_staff_record_a_placement_and_the_previous_one_ends(
    world: dict[str, Any], client_for: Any
) -> None:
    from toevlucht.cases.models import ReceptionCentre

    other = ReceptionCentre.objects.create(
        name="azc Budel",
        municipality="Cranendonck",
        capacity=800,
        organisation=world["centre"].organisation,
    )
    url = f"/api/cases/{world['own'].pk}/placements/"
    r = client_for("caseworker").post(
        url, {"centre": other.pk, "start": "2022-04-01"}, format="json"
    )
    assert r.status_code == 201, r.json()
    rows = client_for("caseworker").get(url).json()
    assert [(p["centre"], p["end"]) for p in rows] == [
        ("azc Ter Apel", "2022-04-01"),
        ("azc Budel", None),
    ]
    r = client_for("caseworker").post(
        url, {"centre": other.pk, "start": "2022-03-01"}, format="json"
    )
    assert (r.status_code, r.json()["field"]) == (422, "start")
    r = client_for("legal_aid").post(
        url, {"centre": other.pk, "start": "2022-05-01"}, format="json"
    )
    assert r.status_code == 403


NEWCOMER = {
    "v_number": "2205100001",
    "given_names_latin": "Ivan",
    "family_name_latin": "Sidorov",
    "nationality": "QQQ",
}


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, "'QQQ' is not an ISO 3166-1 alpha-3 code"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "'QQQ' is not an ISO 3166-1 alpha-3 code"),
        ({"HTTP_ACCEPT_LANGUAGE": "nl"}, "'QQQ' is geen ISO 3166-1 alpha-3-code"),
        (
            {"HTTP_ACCEPT_LANGUAGE": "nl-NL,nl;q=0.9,en;q=0.5"},
            "'QQQ' is geen ISO 3166-1 alpha-3-code",
        ),
    ],
)
def test_a_refused_intake_is_told_in_english_unless_the_client_asks_for_dutch(
    world: dict[str, Any], client_for: Any, headers: dict[str, str], says: str
) -> None:
    from toevlucht.cases.models import Applicant

    r = client_for("caseworker").post("/api/applicants/", NEWCOMER, format="json", **headers)
    assert r.status_code == 422
    body = r.json()
    assert (body["field"], body["detail"]) == ("nationality", says)
    assert body["errors"] == [{"field": "nationality", "message": says}]
    assert not Applicant.objects.filter(v_number=NEWCOMER["v_number"]).exists()


def test_a_placement_and_a_role_refused_are_told_in_dutch_when_asked(
    world: dict[str, Any], client_for: Any
) -> None:
    url = f"/api/cases/{world['own'].pk}/placements/"
    body = {"centre": world["centre"].pk, "start": "2022-03-01"}  # before the current one
    en = client_for("caseworker").post(url, body, format="json")
    nl = client_for("caseworker").post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert (en.status_code, nl.status_code) == (422, 422)
    assert en.json()["detail"] == (
        "the current placement started on 10 March 2022: a move starts after that day"
    )
    assert nl.json()["detail"] == (
        "de huidige plaatsing begon op 10 maart 2022: een overplaatsing begint na die dag"
    )
    # the title follows the language; the type a client keys on does not
    assert (en.json()["title"], nl.json()["title"]) == (
        "The input was refused",
        "De invoer is geweigerd",
    )
    assert en.json()["type"] == nl.json()["type"] == "urn:toevlucht:problem:input-rejected"
    la = client_for("legal_aid").post(
        url, {**body, "start": "2022-05-01"}, format="json", HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert la.status_code == 403
    assert la.json()["detail"] == "alleen medewerkers van een autoriteit leggen plaatsingen vast"


MEASURE = {
    "id": "test-syr-pause",
    "kind": "decision_moratorium",
    "title_en": "Decision moratorium for Syrians (test)",
    "title_nl": "Besluitmoratorium Syriërs (test)",
    "effect_status": "confirmed",
    "legal_basis": "vw-43-1",
    "term_extension_months": 6,
    "extension_ground": "43",
    "scope": {"nationalities": ["SYR"]},
    "periods": [
        {
            "from": "2022-05-01",
            "until": "2022-11-01",
            "announced": "2022-05-01",
            "source": "vw-43-1",
        }
    ],
}


def test_a_supervisor_previews_then_announces_a_measure(
    world: dict[str, Any], client_for: Any, make_case: Any
) -> None:
    make_case(nationality="SYR", events=[("application_lodged", dt.date(2022, 4, 1), {})])
    c = client_for("supervisor")
    r = c.post("/api/measures/preview/", {"definition": MEASURE}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["touched"] == 1
    r = c.post("/api/measures/", {"definition": MEASURE}, format="json")
    assert r.status_code == 201, r.json()
    assert (r.json()["origin"], r.json()["cases_touched"]) == ("announced", 1)
    listed = {m["id"] for m in c.get("/api/measures/").json()}
    assert "test-syr-pause" in listed
    assert c.get("/api/measures/test-syr-pause/").json()["announced_by"] == "sv"
    again = c.post("/api/measures/", {"definition": MEASURE}, format="json")
    assert (again.status_code, again.json()["field"]) == (422, "id")


def test_a_caseworker_may_not_announce_a_measure(world: dict[str, Any], client_for: Any) -> None:
    r = client_for("caseworker").post("/api/measures/", {"definition": MEASURE}, format="json")
    assert r.status_code == 403
    r = client_for("caseworker").post(
        "/api/measures/preview/", {"definition": MEASURE}, format="json"
    )
    assert r.status_code == 403


def test_a_malformed_measure_names_the_key(world: dict[str, Any], client_for: Any) -> None:
    bad = {**MEASURE, "kind": "holiday"}
    r = client_for("supervisor").post("/api/measures/preview/", {"definition": bad}, format="json")
    assert r.status_code == 422
    assert r.json()["type"] == "urn:toevlucht:problem:measure-rejected"
    assert r.json()["field"]


def test_token_endpoint_needs_a_browser_session(world: dict[str, Any], client_for: Any) -> None:
    from rest_framework.test import APIClient

    assert client_for("caseworker").post("/api/auth/token/").status_code == 403
    c = APIClient()
    c.force_login(world["users"]["caseworker"])
    r = c.post("/api/auth/token/")
    assert r.status_code == 201
    key = r.json()["token"]
    t = APIClient()
    t.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert t.get("/api/cases/").status_code == 200
    assert c.delete("/api/auth/token/").status_code == 204
    assert t.get("/api/cases/").status_code == 401


def test_recording_an_event_over_the_api_assesses_the_case_once(
    world: dict[str, Any], client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = client_for("caseworker")
    with counting_assessments(monkeypatch) as calls:
        r = c.post(
            _events(world),
            {"kind": "general_procedure_started", "effective_date": "2022-05-02"},
            format="json",
        )
    assert r.status_code == 201, r.json()
    assert calls[0] == 1


def test_a_dublin_case_has_the_same_track_in_the_case_and_in_its_deadlines(
    world: dict[str, Any], client_for: Any
) -> None:
    c = client_for("caseworker")
    r = c.post(
        _events(world),
        {"kind": "track_assigned", "effective_date": "2022-03-16", "data": {"track": "dublin"}},
        format="json",
    )
    assert r.status_code == 201, r.json()
    case = c.get(f"/api/cases/{world['own'].pk}/").json()
    deadlines = c.get(f"/api/cases/{world['own'].pk}/deadlines/").json()
    assert deadlines["track"] == "dublin"
    assert case["track"] == deadlines["track"]


@pytest.mark.parametrize(
    ("event", "status", "field", "says"),
    [
        (  # an unknown member state: the law's field schema
            {"kind": "eurodac_hit", "data": {"member_state": "XYZ"}},
            400,
            "data.member_state",
            '"XYZ" is not a valid choice',
        ),
        (  # the Netherlands itself cannot be asked to take the applicant over
            {
                "kind": "transfer_request_sent",
                "data": {"request": "take_charge", "member_state": "NLD"},
            },
            400,
            "data.member_state",
            '"NLD" is not a valid choice',
        ),
        (  # an answer without a request: the history
            {"kind": "transfer_request_answered", "data": {"answer": "accepted"}},
            422,
            "kind",
            "no transfer request precedes it",
        ),
        (  # an APR ground on a case lodged in 2022
            {"kind": "decision_term_extended", "data": {"months": 3, "ground": "35(5)"}},
            422,
            "kind",
            "not part of the old procedure",
        ),
        (  # a step of the APR on an old case
            {"kind": "application_registered"},
            422,
            "kind",
            "is not a step of the old procedure",
        ),
    ],
)
def test_bad_input_for_the_pact_events_is_a_field_error_and_writes_nothing(
    world: dict[str, Any],
    client_for: Any,
    event: dict[str, Any],
    status: int,
    field: str,
    says: str,
) -> None:
    n = ProcedureEvent.objects.count()
    r = client_for("caseworker").post(
        _events(world), {**event, "effective_date": "2022-05-02"}, format="json"
    )
    assert r.status_code == status, r.json()
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["field"] == field
    assert says in r.json()["detail"]
    assert ProcedureEvent.objects.count() == n
