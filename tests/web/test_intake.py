"""Intake on the staff pages: register an applicant after a duplicate check (a reason to
register anyway, audited), then open the application; bad input is a field error and
nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.html import escape

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
    assert "similar name, same birth date, same nationality" in html  # why, not as codes
    assert "birth_date</td>" not in html
    assert ", nationality<" not in html
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


@pytest.mark.parametrize(
    ("change", "field", "en", "nl"),
    [
        (
            {"v_number": "abc"},
            "v_number",
            "'abc': a V-number is 10 digits",
            "'abc': een V-nummer bestaat uit 10 cijfers",
        ),
        (
            {"birth_date": "1990-02-30"},
            "birth_date",
            "1990-02-30 is not a date",
            "1990-02-30 is geen datum",
        ),
        (
            {"birth_date": "1990-13"},
            "birth_date",
            "13 is not a month",
            "13 is geen maand",
        ),
        (
            {"nationality": "QQQ"},
            "nationality",
            "'QQQ' is not an ISO 3166-1 alpha-3 code",
            "'QQQ' is geen ISO 3166-1 alpha-3-code",
        ),
        (
            {"languages": "russian"},
            "languages",
            "'russian' is not an ISO 639-1 code (two letters)",
            "'russian' is geen ISO 639-1-code (twee letters)",
        ),
    ],
)
def test_the_intakes_refusals_are_in_the_pages_language(
    caseworker: Any, client: Any, change: dict[str, str], field: str, en: str, nl: str
) -> None:
    for lang, says in (("en", en), ("nl", nl)):
        r = client.post("/applicants/new/", {**FORM, **change}, headers={"Accept-Language": lang})
        assert r.status_code == 400
        assert r.context["form"].errors[field] == [says]
        assert escape(says) in r.content.decode()  # shown on the page, by its field
    assert not Applicant.objects.exists()


def test_a_registered_v_number_and_a_possible_duplicate_are_told_in_dutch(
    caseworker: Any, client: Any
) -> None:
    dutch = {"headers": {"Accept-Language": "nl"}}
    client.post("/applicants/new/", FORM)
    r = client.post("/applicants/new/", FORM, **dutch)
    assert r.context["form"].errors["v_number"] == ["V-nummer 2205010001 is al geregistreerd"]
    other = {**FORM, "v_number": "2205010002", "given_names": "", "family_name": ""}
    r = client.post("/applicants/new/", {**other, "duplicate_check": "1"}, **dutch)
    assert r.status_code == 409  # asked again without a reason
    assert "gelijkende naam, zelfde geboortedatum, zelfde nationaliteit" in r.content.decode()
    assert r.context["form"].errors["duplicate_reason"] == [
        "1 geregistreerde aanvrager kan deze persoon zijn: controleer de registratie, of geef "
        "aan waarom toch een tweede registratie wordt gemaakt"
    ]
    assert Applicant.objects.count() == 1


def test_opening_a_second_first_application_is_refused_in_dutch(
    caseworker: Any, client: Any
) -> None:
    r = client.post("/applicants/new/", FORM)
    case_new = r["Location"]
    client.post(case_new, {"kind": "first", "caseworker": caseworker.pk})
    r = client.post(case_new, {"kind": "first"}, headers={"Accept-Language": "nl"})
    assert r.status_code == 400
    assert r.context["form"].errors["kind"] == [
        "deze aanvrager heeft al een aanvraag: open een opvolgende aanvraag"
    ]
    assert Application.objects.count() == 1


def test_legal_aid_cannot_register(make_user: Any, client: Any) -> None:
    client.force_login(make_user("la", "legal_aid", "vwn"))
    assert client.post("/applicants/new/", FORM).status_code == 403
    assert not Applicant.objects.exists()


def test_every_wrong_field_is_told_at_once_and_nothing_is_written(
    caseworker: Any, client: Any
) -> None:
    """The user's walk: V-number "12", birth date "1990-13", nationality "ZZZ" showed only
    the V-number's error; each field's own error shows, in one answer."""
    change = {"v_number": "12", "birth_date": "1990-13", "nationality": "ZZZ", "languages": "x"}
    r = client.post("/applicants/new/", {**FORM, **change})
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert set(errors) == {"v_number", "birth_date", "nationality", "languages"}, errors
    assert errors["v_number"] == ["'12': a V-number is 10 digits"]
    assert errors["birth_date"] == ["13 is not a month"]
    assert errors["nationality"] == ["'ZZZ' is not an ISO 3166-1 alpha-3 code"]
    html = r.content.decode()
    for field in errors:
        assert f'id="id_{field}_error"' in html
    assert not Applicant.objects.exists()
    assert not AuditEntry.objects.filter(object_type="applicant", action="create").exists()


def test_a_registered_v_number_is_told_with_the_other_errors(caseworker: Any, client: Any) -> None:
    assert client.post("/applicants/new/", FORM).status_code == 302
    r = client.post("/applicants/new/", {**FORM, "family_name_latin": "", "sex": "?"})
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert "is already registered" in str(errors["v_number"])
    assert {"family_name_latin", "sex"} <= set(errors), errors
    assert Applicant.objects.count() == 1
