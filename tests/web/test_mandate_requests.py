"""Legal aid asks a client for a mandate on the pages (by V-number); the applicant confirms
it in the portal, and only then does legal aid see the case. Bad input is a field error and
writes nothing; the page never shows whom a V-number belongs to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.accounts import services as account_services
from toevlucht.accounts.models import Mandate
from toevlucht.audit.models import AuditEntry

D = dt.date
URL = "/mandates/requests/"


@pytest.fixture
def case(make_case: Any) -> Any:
    return make_case(
        given_names="Юлия",
        family_name="Щербакова",
        given_names_latin="Iuliia",
        family_name_latin="Shcherbakova",
        v_number="2205090007",
    )


@pytest.fixture
def la_user(make_user: Any) -> Any:
    return make_user("la", "legal_aid", "vwn", first_name="Anna", last_name="de Vries")


@pytest.fixture
def la(la_user: Any, client_for: Any) -> Any:
    return client_for(la_user)


def test_legal_aid_requests_and_the_applicant_confirms_in_the_portal(
    la: Any, la_user: Any, case: Any, make_user: Any, orgs: dict[str, Any]
) -> None:
    assert la.get(f"/cases/{case.pk}/").status_code == 404
    page = la.get("/")
    assert f'href="{URL}"' in page.content.decode()  # in legal aid's navigation
    r = la.post(URL, {"v_number": "2205090007", "valid_until": "2023-10-01"}, follow=True)
    assert r.redirect_chain == [(URL, 302)]
    html = r.content.decode()
    assert "was sent to the applicant to confirm" in html
    assert "2205090007" in html  # the request, listed as waiting
    for name in ("Iuliia", "Shcherbakova", "Юлия", "Щербакова", case.reference):
        assert name not in html  # whose V-number it is stays unknown
    m = Mandate.objects.get()
    assert (m.organisation_id, m.applicant_id, m.requested_by_id) == (
        orgs["vwn"].pk,
        case.applicant_id,
        la_user.pk,
    )
    assert (m.consent_date, m.lawyer, m.valid_until) == (None, "Anna de Vries", D(2023, 10, 1))
    assert AuditEntry.objects.filter(object_type="mandate", action="request").exists()
    assert AuditEntry.objects.filter(
        actor_id=la_user.pk, purpose="mandate requests", action="list"
    ).exists()
    assert la.get(f"/cases/{case.pk}/").status_code == 404  # a request alone gives no access
    applicant = make_user("app", "applicant", applicant=case.applicant)
    account_services.mandate_confirm(actor=applicant, mandate=m)
    assert la.get(f"/cases/{case.pk}/").status_code == 200
    assert "2205090007" not in la.get(URL).content.decode()  # no longer waiting


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"v_number": "12"}, "v_number", "a V-number is 10 digits"),
        ({"v_number": ""}, "v_number", "This field is required"),
        ({"v_number": "2205090099"}, "v_number", "no applicant with this V-number"),
        ({"valid_until": "2022-04-01"}, "valid_until", "is before today"),
        ({"valid_until": "2022-13-01"}, "valid_until", "Enter a valid date"),
        ({"lawyer": "x" * 201}, "lawyer", "at most 200"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(
    la: Any, case: Any, data: dict[str, str], field: str, says: str
) -> None:
    r = la.post(URL, {"v_number": "2205090007", **data})
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert list(errors) == [field], errors
    assert says in str(errors[field])
    assert not Mandate.objects.exists()


def test_a_second_request_and_a_held_mandate_are_refused_on_the_v_number(
    la: Any, case: Any, make_case: Any, mandate: Any
) -> None:
    assert la.post(URL, {"v_number": "2205090007"}).status_code == 302
    r = la.post(URL, {"v_number": "2205090007"})
    assert r.status_code == 400
    assert "waits for the applicant" in str(r.context["form"].errors["v_number"])
    held = make_case(v_number="2205090008")
    mandate(held.applicant, D(2022, 4, 1))
    r = la.post(URL, {"v_number": "2205090008"})
    assert r.status_code == 400
    assert "holds a mandate already" in str(r.context["form"].errors["v_number"])
    assert Mandate.objects.filter(consent_date__isnull=True).count() == 1


def test_legal_aid_withdraws_its_own_request_only(
    la: Any, case: Any, make_user: Any, client_for: Any
) -> None:
    la.post(URL, {"v_number": "2205090007"})
    m = Mandate.objects.get()
    other = client_for(make_user("la2", "legal_aid", "other_legal_aid"))
    assert "2205090007" not in other.get(URL).content.decode()
    assert other.post(f"{URL}{m.pk}/withdraw/").status_code == 404
    assert la.get(f"{URL}{m.pk}/withdraw/").status_code == 405
    r = la.post(f"{URL}{m.pk}/withdraw/", follow=True)
    assert r.redirect_chain == [(URL, 302)]
    assert "is withdrawn" in r.content.decode()
    m.refresh_from_db()
    assert m.revoked_on == D(2022, 5, 9)  # today on the case clock
    assert la.post(f"{URL}{m.pk}/withdraw/").status_code == 404  # nothing waiting any more
    # a new request may be made after a withdrawal
    assert la.post(URL, {"v_number": "2205090007"}).status_code == 302


@pytest.mark.parametrize("role", ["caseworker", "analyst"])
def test_only_legal_aid_requests(case: Any, make_user: Any, client_for: Any, role: str) -> None:
    c = client_for(make_user("u", role, "ind"))
    assert c.get(URL).status_code == 403
    assert c.post(URL, {"v_number": "2205090007"}).status_code == 403
    assert not Mandate.objects.exists()


def test_legal_aid_without_an_organisation_is_refused(
    case: Any, make_user: Any, client_for: Any
) -> None:
    c = client_for(make_user("lone", "legal_aid"))
    assert c.post(URL, {"v_number": "2205090007"}).status_code == 403
    assert not Mandate.objects.exists()


def test_the_page_is_in_dutch(la: Any, case: Any) -> None:
    la.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    page = la.get(URL).content.decode()
    assert "Een cliënt om een machtiging vragen" in page
    r = la.post(URL, {"v_number": "2205090099"})
    assert "geen aanvrager met dit V-nummer" in str(r.context["form"].errors["v_number"])
    r = la.post(URL, {"v_number": "2205090007"}, follow=True)
    assert "ter bevestiging naar de aanvrager gestuurd" in r.content.decode()


def test_the_page_shares_the_apis_limit_on_v_numbers_on_no_record(
    la: Any, case: Any, settings: Any
) -> None:
    """Probing V-numbers on the page is counted as in the API (one service): after the
    limit of misses within the hour, even a V-number on record waits, and nothing is
    written."""
    settings.TOEVLUCHT_MANDATE_REQUEST_MISSES = 2
    for v in ("2205099990", "2205099991"):
        r = la.post(URL, {"v_number": v})
        assert r.status_code == 400
        assert "no applicant with this V-number" in r.content.decode()
    assert AuditEntry.objects.filter(purpose="mandate request, no V-number match").count() == 2
    r = la.post(URL, {"v_number": "2205090007"})
    assert r.status_code == 400
    assert "too many V-numbers on no record within the hour" in r.content.decode()
    assert not Mandate.objects.exists()
