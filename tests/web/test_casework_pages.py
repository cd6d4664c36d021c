"""Mandates and placements on the staff pages: a caseworker records and ends a mandate and
records a placement or a move; bad input is a field error and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.accounts.models import Mandate
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Placement, ReceptionCentre

D = dt.date


@pytest.fixture
def cw(make_user: Any, client_for: Any) -> Any:
    return client_for(make_user("cw", "caseworker", "ind"))


@pytest.fixture
def case(make_case: Any) -> Any:
    return make_case()


@pytest.fixture
def centres(orgs: dict[str, Any]) -> list[Any]:
    return [
        ReceptionCentre.objects.create(
            name=n, municipality=n, capacity=100, organisation=orgs["coa"]
        )
        for n in ("Ter Apel", "Budel")
    ]


def test_a_caseworker_records_a_mandate_and_legal_aid_then_sees_the_case(
    cw: Any, case: Any, orgs: dict[str, Any], make_user: Any, client_for: Any
) -> None:
    la = client_for(make_user("la", "legal_aid", "vwn"))
    assert la.get(f"/cases/{case.pk}/").status_code == 404
    page = cw.get(f"/cases/{case.pk}/mandates/new/")
    assert page.status_code == 200
    assert orgs["vwn"].name in page.content.decode()
    options = page.content.decode()
    assert f'<option value="{orgs["ind"].pk}"' not in options  # only legal-aid organisations
    assert f'<option value="{orgs["other_legal_aid"].pk}"' in options
    r = cw.post(
        f"/cases/{case.pk}/mandates/new/",
        {"organisation": orgs["vwn"].pk, "lawyer": "mr. A. de Vries", "consent_date": "2022-04-01"},
    )
    assert r.status_code == 302
    assert r["Location"].endswith(f"/cases/{case.pk}/#mandates")
    m = Mandate.objects.get()
    assert (m.applicant_id, m.organisation_id, m.lawyer) == (
        case.applicant_id,
        orgs["vwn"].pk,
        "mr. A. de Vries",
    )
    assert (m.consent_date, m.valid_from) == (D(2022, 4, 1), D(2022, 4, 1))
    assert AuditEntry.objects.filter(object_type="mandate", action="create").exists()
    html = cw.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="mandates-heading"' in html
    assert "mr. A. de Vries" in html
    assert la.get(f"/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"consent_date": ""}, "consent_date"),
        ({"consent_date": "2022-13-01"}, "consent_date"),
        ({"organisation": "999999"}, "organisation"),
        ({"valid_until": "2022-03-01"}, "valid_until"),  # before it starts: the service says
        ({"lawyer": "x" * 201}, "lawyer"),
    ],
)
def test_a_bad_mandate_is_a_field_error_and_nothing_is_written(
    cw: Any, case: Any, orgs: dict[str, Any], data: dict[str, str], field: str
) -> None:
    form = {"organisation": str(orgs["vwn"].pk), "consent_date": "2022-04-01", **data}
    r = cw.post(f"/cases/{case.pk}/mandates/new/", form)
    assert r.status_code == 400
    assert field in r.context["form"].errors, r.context["form"].errors
    assert not Mandate.objects.exists()


def test_a_second_mandate_of_the_same_organisation_is_refused_on_its_field(
    cw: Any, case: Any, orgs: dict[str, Any]
) -> None:
    form = {"organisation": orgs["vwn"].pk, "consent_date": "2022-04-01"}
    assert cw.post(f"/cases/{case.pk}/mandates/new/", form).status_code == 302
    r = cw.post(f"/cases/{case.pk}/mandates/new/", form)
    assert r.status_code == 400
    assert "holds a mandate already" in str(r.context["form"].errors["organisation"])
    assert Mandate.objects.count() == 1


def test_a_caseworker_ends_a_mandate_once(cw: Any, case: Any, orgs: dict[str, Any]) -> None:
    cw.post(
        f"/cases/{case.pk}/mandates/new/",
        {"organisation": orgs["vwn"].pk, "consent_date": "2022-04-01"},
    )
    m = Mandate.objects.get()
    assert cw.get(f"/cases/{case.pk}/mandates/{m.pk}/end/").status_code == 200
    early = cw.post(f"/cases/{case.pk}/mandates/{m.pk}/end/", {"revoked_on": "2022-03-01"})
    assert early.status_code == 400  # before the consent
    assert "revoked_on" in early.context["form"].errors
    m.refresh_from_db()
    assert m.revoked_on is None
    r = cw.post(f"/cases/{case.pk}/mandates/{m.pk}/end/", {})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.revoked_on == D(2022, 5, 9)  # today on the case clock
    again = cw.post(f"/cases/{case.pk}/mandates/{m.pk}/end/", {})
    assert again.status_code == 400
    assert "revoked_on" in again.context["form"].errors


def test_a_mandate_of_another_applicant_is_not_found(
    cw: Any, case: Any, make_case: Any, orgs: dict[str, Any]
) -> None:
    other = make_case()
    cw.post(
        f"/cases/{other.pk}/mandates/new/",
        {"organisation": orgs["vwn"].pk, "consent_date": "2022-04-01"},
    )
    m = Mandate.objects.get()
    assert cw.post(f"/cases/{case.pk}/mandates/{m.pk}/end/", {}).status_code == 404
    m.refresh_from_db()
    assert m.revoked_on is None


def test_a_placement_and_a_move(cw: Any, case: Any, centres: list[Any]) -> None:
    page = cw.get(f"/cases/{case.pk}/placements/new/")
    assert page.status_code == 200
    r = cw.post(
        f"/cases/{case.pk}/placements/new/", {"centre": centres[0].pk, "start": "2022-03-10"}
    )
    assert r.status_code == 302
    # a move that does not start after the current placement: a field error, nothing ended
    bad = cw.post(
        f"/cases/{case.pk}/placements/new/", {"centre": centres[1].pk, "start": "2022-03-10"}
    )
    assert bad.status_code == 400
    assert "start" in bad.context["form"].errors
    assert list(Placement.objects.values_list("centre_id", "end")) == [(centres[0].pk, None)]
    assert (
        cw.post(f"/cases/{case.pk}/placements/new/", {"centre": "", "start": ""}).status_code == 400
    )
    ok = cw.post(
        f"/cases/{case.pk}/placements/new/", {"centre": centres[1].pk, "start": "2022-04-02"}
    )
    assert ok.status_code == 302
    rows = list(Placement.objects.order_by("start").values_list("centre_id", "start", "end"))
    assert rows == [
        (centres[0].pk, D(2022, 3, 10), D(2022, 4, 2)),
        (centres[1].pk, D(2022, 4, 2), None),
    ]
    assert "Budel" in cw.get(f"/cases/{case.pk}/").content.decode()


@pytest.mark.parametrize("role", ["legal_aid", "analyst"])
def test_only_authority_staff_open_these_pages(
    case: Any, make_user: Any, client_for: Any, orgs: dict[str, Any], role: str
) -> None:
    org = "vwn" if role == "legal_aid" else "ind"
    c = client_for(make_user("u", role, org))
    for url in (f"/cases/{case.pk}/mandates/new/", f"/cases/{case.pk}/placements/new/"):
        assert c.get(url).status_code == 403
        assert (
            c.post(url, {"organisation": orgs["vwn"].pk, "consent_date": "2022-04-01"}).status_code
            == 403
        )
    assert not Mandate.objects.exists()
