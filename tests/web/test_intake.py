"""Intake on the staff pages: register an applicant after a duplicate check (a reason to
register anyway, audited), then open the application; bad input is a field error and
nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Applicant, Application

FORM = {
    "v_number": "2205010001",
    "given_names": "Фёдор",
    "family_name": "Муравьёв",
    "given_names_latin": "Fedor",
    "family_name_latin": "Muravev",
    "birth_date": "1990",
    "nationality": "RUS",
    "sex": "male",
    "languages": "ru, en",
    "groups": ["reservist_refusing_service"],
}


@pytest.fixture
def caseworker(make_user: Any, client: Any) -> Any:
    user = make_user("cw", "caseworker", "ind")
    client.force_login(user)
    return user


def test_register_then_open_a_case(caseworker: Any, client: Any) -> None:
    r = client.post("/applicants/new/", FORM)
    a = Applicant.objects.get(v_number="2205010001")
    assert r.status_code == 302
    assert r["Location"] == f"/applicants/{a.pk}/cases/new/"
    assert (a.birth, a.languages, a.groups) == ("1990", ["ru", "en"], FORM["groups"])
    page = client.get(r["Location"])
    assert page.status_code == 200
    r = client.post(r["Location"], {"kind": "first", "caseworker": caseworker.pk})
    app = Application.objects.get(applicant=a)
    assert r["Location"] == f"/cases/{app.pk}/"
    assert app.caseworker == caseworker


def test_a_possible_duplicate_is_shown_and_needs_a_reason(caseworker: Any, client: Any) -> None:
    client.post("/applicants/new/", FORM)
    other = {**FORM, "v_number": "2205010002", "given_names": "", "family_name": ""}
    other |= {"given_names_latin": "Fyodor", "family_name_latin": "Muravyov"}
    r = client.post("/applicants/new/", other)
    assert r.status_code == 409
    html = r.content.decode()
    assert "This person may be on record already" in html
    assert "2205010001" in html  # the candidate
    assert not Applicant.objects.filter(v_number="2205010002").exists()
    r = client.post("/applicants/new/", {**other, "duplicate_check": "1"})
    assert r.status_code == 409  # again without a reason: still refused
    assert not Applicant.objects.filter(v_number="2205010002").exists()
    r = client.post(
        "/applicants/new/",
        {**other, "duplicate_check": "1", "duplicate_reason": "brothers, checked passports"},
    )
    assert r.status_code == 302
    a = Applicant.objects.get(v_number="2205010002")
    entry = AuditEntry.objects.get(action="create", object_type="applicant", object_ids=[str(a.pk)])
    assert entry.detail == {"duplicate_reason": "brothers, checked passports"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"v_number": "abc"}, "v_number"),
        ({"nationality": "QQQ"}, "nationality"),
        ({"birth_date": "1990-02-30"}, "birth_date"),
        ({"languages": "russian"}, "languages"),
        ({"family_name_latin": ""}, "family_name_latin"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(
    caseworker: Any, client: Any, change: dict[str, str], field: str
) -> None:
    r = client.post("/applicants/new/", {**FORM, **change})
    assert r.status_code == 400
    assert r.context["form"].errors[field]
    assert not Applicant.objects.exists()


def test_legal_aid_cannot_register(make_user: Any, client: Any) -> None:
    client.force_login(make_user("la", "legal_aid", "vwn"))
    assert client.post("/applicants/new/", FORM).status_code == 403
    assert not Applicant.objects.exists()
