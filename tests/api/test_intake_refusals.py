"""Refusals of the intake and mandate writes (a user's walk through the demo's API): an id in
a body that names nobody, or nobody the user may see, is one 422 naming ``applicant``; a
role that may not write gets its 403 whatever it names; the mandate request names
``v_number``, says what a V-number is, shows legal aid no applicant id, and throttles
V-numbers on no record (docs/api.md, "Asking for a mandate by V-number")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from toevlucht.accounts.models import Mandate
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Application, Placement

pytestmark = pytest.mark.django_db

UNKNOWN = 10**12


def _bodies(world: dict[str, Any], applicant: int) -> dict[str, dict[str, Any]]:
    return {
        "/api/cases/": {"applicant": applicant, "kind": "subsequent"},
        "/api/mandates/": {
            "applicant": applicant,
            "organisation": world["users"]["legal_aid"].organisation_id,
            "consent_date": "2022-03-01",
        },
        "/api/placements/": {
            "applicant": applicant,
            "centre": world["centre"].pk,
            "start": "2022-03-01",
        },
    }


def _written() -> tuple[int, int, int]:
    return Application.objects.count(), Mandate.objects.count(), Placement.objects.count()


@pytest.mark.parametrize("path", ["/api/cases/", "/api/mandates/", "/api/placements/"])
def test_an_applicant_id_on_no_record_or_out_of_sight_is_one_422_naming_applicant(
    world: dict[str, Any], client_for: Any, path: str
) -> None:
    cw = client_for("caseworker")
    hidden = world["other"].applicant.pk  # on record, at another authority
    before = _written()
    answers = []
    for pk in (UNKNOWN, hidden):
        r = cw.post(path, _bodies(world, pk)[path], format="json")
        assert r.status_code == 422, r.json()
        assert r["Content-Type"] == "application/problem+json"
        body = r.json()
        assert body["type"] == "urn:toevlucht:problem:input-rejected"
        assert body["field"] == "applicant"
        assert body["detail"] == f"no applicant with id {pk}"
        answers.append(re.sub(r"\d+", "N", str(sorted(body.items()))))
    assert answers[0] == answers[1]  # nothing tells which one exists
    assert _written() == before
    r = cw.post(path, _bodies(world, UNKNOWN)[path], format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert r.json()["detail"] == f"geen aanvrager met id {UNKNOWN}"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/cases/", "only authority staff register applicants and open applications"),
        ("/api/mandates/", "only authority staff record or revoke a mandate"),
        ("/api/placements/", "only authority staff record placements"),
    ],
)
@pytest.mark.parametrize("role", ["legal_aid", "analyst"])
def test_a_role_that_may_not_write_gets_403_with_the_services_message_whatever_it_names(
    world: dict[str, Any], client_for: Any, path: str, message: str, role: str
) -> None:
    c = client_for(role)
    before = _written()
    for pk in (world["own"].applicant.pk, world["other"].applicant.pk, UNKNOWN):
        r = c.post(path, _bodies(world, pk)[path], format="json")
        assert r.status_code == 403, (pk, r.json())
        assert r.json()["detail"] == message
    assert _written() == before


def _request(c: Any, v_number: str, **kw: Any) -> Any:
    return c.post("/api/mandates/requests/", {"v_number": v_number, **kw}, format="json")


def test_legal_aids_request_answers_without_the_applicants_id(
    world: dict[str, Any], client_for: Any
) -> None:
    la = client_for("legal_aid")
    stranger = world["other"].applicant  # a client legal aid cannot see yet
    r = _request(la, stranger.v_number, lawyer="mr. L. Jansen")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["applicant"] is None
    assert body["status"] == "requested"
    assert body["organisation"]["id"] == world["users"]["legal_aid"].organisation_id
    assert body["requested_on"] is not None
    assert set(body) == {
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
    }
    m = Mandate.objects.get(pk=body["id"])
    assert m.applicant_id == stranger.pk
    assert m.consent_date is None

    # the list: the request names no applicant to legal aid; an active mandate does
    rows = {row["id"]: row for row in la.get("/api/mandates/").json()}
    assert rows[m.pk]["applicant"] is None
    active = Mandate.objects.get(
        applicant=world["own"].applicant, organisation__name="VluchtelingenWerk"
    )
    assert rows[active.pk]["applicant"] == world["own"].applicant.pk
    # authority staff see whose mandate it is (their own applicants)
    rows = {row["id"]: row for row in client_for("caseworker").get("/api/mandates/").json()}
    assert rows[active.pk]["applicant"] == world["own"].applicant.pk


def test_a_refused_request_names_v_number(world: dict[str, Any], client_for: Any) -> None:
    la = client_for("legal_aid")
    stranger = world["other"].applicant
    assert _request(la, stranger.v_number).status_code == 201
    r = _request(la, stranger.v_number)
    assert r.status_code == 422
    assert r.json()["field"] == "v_number"
    assert r.json()["detail"] == "a request of your organisation waits for the applicant"
    # a client whose mandate to this organisation is in force already
    r = _request(la, world["own"].applicant.v_number)
    assert r.status_code == 422
    assert r.json()["field"] == "v_number"
    assert "holds a mandate already" in r.json()["detail"]
    r = _request(la, stranger.v_number, valid_until="2000-01-01")
    assert r.status_code == 422
    assert r.json()["field"] == "valid_until"  # a field of this input keeps its name


@pytest.mark.parametrize("path", ["/api/mandates/requests/", "/api/applicants/"])
def test_a_short_v_number_is_a_400_that_says_what_a_v_number_is(
    world: dict[str, Any], client_for: Any, path: str
) -> None:
    c = client_for("legal_aid" if "requests" in path else "caseworker")
    r = c.post(path, {"v_number": "12345"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["type"] == "urn:toevlucht:problem:invalid-input"
    assert body["field"] == "v_number"
    message = next(e["message"] for e in body["errors"] if e["field"] == "v_number")
    assert message == "'12345': a V-number is 10 digits"
    r = c.post(path, {"v_number": "12345"}, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    message = next(e["message"] for e in r.json()["errors"] if e["field"] == "v_number")
    assert message == "'12345': een V-nummer bestaat uit 10 cijfers"


def test_other_roles_learn_nothing_about_v_numbers(world: dict[str, Any], client_for: Any) -> None:
    for role in ("supervisor", "caseworker", "analyst"):
        c = client_for(role)
        for v in (world["other"].applicant.v_number, "9999999999"):
            r = _request(c, v)
            assert r.status_code == 403, (role, v)
            assert r.json()["detail"] == "only legal aid requests a mandate"


def test_v_numbers_on_no_record_are_refused_audited_and_throttled(
    world: dict[str, Any], client_for: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.TOEVLUCHT_MANDATE_REQUEST_MISSES = 3
    la = client_for("legal_aid")
    for n in range(3):
        r = _request(la, f"999999999{n}")
        assert r.status_code == 422
        assert r.json()["field"] == "v_number"
        assert r.json()["detail"] == "no applicant with this V-number"
    misses = AuditEntry.objects.filter(
        actor_id=world["users"]["legal_aid"].pk, purpose="mandate request, no V-number match"
    )
    assert misses.count() == 3
    assert all(m.object_ids == [] and m.detail == {} for m in misses)  # no V-number kept
    # the fourth within the hour: 429, a V-number on record included
    before = Mandate.objects.count()
    r = _request(la, world["other"].applicant.v_number)
    assert r.status_code == 429
    assert r["Content-Type"] == "application/problem+json"
    assert 1 <= int(r["Retry-After"]) <= 3600
    assert Mandate.objects.count() == before
    assert misses.count() == 3  # a throttled try is not looked up
    # another lawyer is not held up by the first one's misses
    r = _request(client_for("other_legal_aid"), world["other"].applicant.v_number)
    assert r.status_code == 201, r.json()
    # an hour later the misses no longer count
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _request(la, world["other"].applicant.v_number).status_code == 201


def test_the_schema_keeps_the_v_number_pattern_and_declares_the_429(client_for: Any) -> None:
    r = client_for("supervisor").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = r.json()
    components = schema["components"]["schemas"]
    for name in ("MandateRequestRequest", "ApplicantInputRequest"):
        assert components[name]["properties"]["v_number"]["pattern"] == "^[0-9]{10}$", name
    assert components["Mandate"]["properties"]["applicant"]["nullable"] is True
    responses = schema["paths"]["/api/mandates/requests/"]["post"]["responses"]
    assert "429" in responses
    assert "429" not in schema["paths"]["/api/mandates/"]["post"]["responses"]
