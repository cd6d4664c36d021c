"""The journey of issue 11, through the API of a fresh demo at 1 October 2022: the case list
starts with an overdue case; a caseworker registers an applicant (a duplicate check first),
opens a case and records its lodging; legal aid cannot see that case until a mandate is
recorded, and then can."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from toevlucht.accounts.models import User
from toevlucht.api import tokens
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Applicant
from toevlucht.cases.refresh import refresh_all
from toevlucht.demo.build import build_demo

AS_OF = dt.date(2022, 10, 1)


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path
    build_demo()
    settings.TOEVLUCHT_AS_OF = AS_OF.isoformat()
    refresh_all(AS_OF)  # as `toevlucht demo --as-of 2022-10-01` does


def client(username: str) -> APIClient:
    key = tokens.issue(User.objects.get(username=username))  # tokens are stored hashed
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


NEW = {
    "v_number": "2209300001",
    "given_names": "Алексей",
    "family_name": "Муравьёв",
    "given_names_latin": "Aleksei",
    "family_name_latin": "Muravev",
    "birth_date": "1991-04",
    "nationality": "RUS",
    "sex": "male",
    "languages": ["ru", "en"],
    "groups": ["reservist_refusing_service"],
}


def test_the_api_journey_of_a_new_case_at_1_october_2022(demo: None) -> None:
    cw, la = client("caseworker"), client("legalaid")

    listing = cw.get("/api/cases/").json()
    first = listing["results"][0]["status"]
    assert first["overdue"] is True
    assert first["late_reason"] == "decision"
    late = [x["status"]["late_since"] for x in listing["results"] if x["status"]["overdue"]]
    assert late == sorted(late)  # most days late first

    orgs = {o["kind"]: o["id"] for o in cw.get("/api/organisations/").json()}
    assert set(orgs) == {"authority", "legal_aid", "reception"}

    r = cw.post("/api/applicants/", NEW, format="json")
    assert r.status_code == 201, r.json()
    applicant = r.json()
    assert applicant["birth"] == "1991-04"
    assert applicant["birth_date"] is None

    # the same person under an English spelling is a duplicate candidate
    again = {**NEW, "v_number": "2209300002", "given_names": "", "family_name": ""}
    again |= {"given_names_latin": "Alexey", "family_name_latin": "Muravyov"}
    r = cw.post("/api/applicants/", again, format="json")
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["field"] == "duplicate_reason"
    assert r.json()["candidates"] == [applicant["id"]]
    assert not Applicant.objects.filter(v_number="2209300002").exists()

    r = cw.post("/api/cases/", {"applicant": applicant["id"], "kind": "first"}, format="json")
    assert r.status_code == 201, r.json()
    case = r.json()
    assert case["caseworker"] == "caseworker"
    r = cw.post(
        f"/api/cases/{case['id']}/events/",
        {"kind": "application_lodged", "effective_date": "2022-09-30"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    detail = cw.get(f"/api/cases/{case['id']}/").json()
    assert detail["status"]["stage"] == "registration"
    assert detail["status"]["decision_due"] is not None

    assert la.get(f"/api/cases/{case['id']}/").status_code == 404
    r = cw.post(
        "/api/mandates/",
        {
            "applicant": applicant["id"],
            "organisation": orgs["legal_aid"],
            "consent_date": "2022-10-01",
            "lawyer": "mr. L. Jansen",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "active"
    r = la.get(f"/api/cases/{case['id']}/")
    assert r.status_code == 200
    assert r.json()["reference"] == case["reference"]
    assert AuditEntry.objects.filter(action="create", object_type="mandate").exists()


def test_bad_input_at_every_intake_endpoint_names_the_field_and_writes_nothing(
    demo: None,
) -> None:
    cw = client("caseworker")
    before = (Applicant.objects.count(), AuditEntry.objects.filter(action="create").count())
    for body, field in (
        ({**NEW, "v_number": "12"}, "v_number"),
        ({**NEW, "nationality": "QQQ"}, "nationality"),
        ({**NEW, "birth_date": "1991-13"}, "birth_date"),
        ({**NEW, "birth_date": "14-04-1991"}, "birth_date"),
        ({**NEW, "groups": ["nobody"]}, "groups"),
        ({**NEW, "languages": ["rus"]}, "languages.0"),
        ({**NEW, "languages": ["r1"]}, "languages"),
        ({**NEW, "family_name_latin": ""}, "family_name_latin"),
    ):
        r = cw.post("/api/applicants/", body, format="json")
        assert r.status_code in (400, 422), (field, r.json())
        assert r.json()["field"] == field
    assert before == (
        Applicant.objects.count(),
        AuditEntry.objects.filter(action="create").count(),
    )
    some = Applicant.objects.first()
    assert some is not None
    r = cw.post("/api/cases/", {"applicant": some.pk, "kind": "first"}, format="json")
    assert r.status_code == 422
    assert r.json()["field"] == "kind"  # it has an application: a subsequent one
    r = cw.post("/api/cases/", {"applicant": 10**12, "kind": "first"}, format="json")
    assert r.status_code == 422  # an id in the body that names nobody: input, not a path
    assert r.json()["field"] == "applicant"
    r = cw.post(
        "/api/mandates/",
        {"applicant": some.pk, "organisation": 10**6, "consent_date": "2022-10-01"},
        format="json",
    )
    assert r.status_code == 422  # well formed, but names no organisation
    assert r.json()["field"] == "organisation"
    la = client("legalaid")
    r = la.post("/api/applicants/", {**NEW, "v_number": "2209300009"}, format="json")
    assert r.status_code == 403
    r = la.post("/api/cases/", {"applicant": some.pk, "kind": "subsequent"}, format="json")
    assert r.status_code == 403  # as at /api/applicants/: the role, not the applicant
    assert r.json()["detail"] == "only authority staff register applicants and open applications"
    r = la.post("/api/mandates/requests/", {"v_number": "12"}, format="json")
    assert r.status_code == 400
    assert "a V-number is 10 digits" in r.json()["detail"]
