"""An applicant sees only their own case: every portal URL is tried with another person's
case, a made-up one, as another role and signed out. Staff pages: only caseworkers and
supervisors of the case's authority."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from toevlucht.audit.models import AuditEntry
from toevlucht.portal import services, urls

CASE_PAGES = ["case", "deadlines", "measures", "late", "appointments"]
STAFF_CASE_PAGES = ["staff_invitation"]
STAFF_PK_PAGES = ["staff_letter"]
MANDATE_PAGES = ["access_confirm", "access_end"]  # POST only, a mandate's id
OWN_PAGES = ["home", "my_data", "account", "second_factor"]


@pytest.fixture
def world(
    conscript_case: Any, reservist_case: Any, make_case: Any, applicant_of: Any, make_user: Any
) -> dict[str, Any]:
    other_authority = make_case(org="other_authority")
    users = {
        "own": applicant_of(conscript_case),
        "other_applicant": applicant_of(reservist_case),
        "caseworker": make_user("cw", "caseworker", "ind"),
        "supervisor": make_user("sv", "supervisor", "ind"),
        "foreign_caseworker": make_user("cw2", "caseworker", "other_authority"),
        "legal_aid": make_user("la", "legal_aid", "vwn"),
        "analyst": make_user("an", "analyst", "ind"),
        "administrator": make_user("ad", "administrator", "ind"),
    }
    return {
        "own": conscript_case,
        "other": reservist_case,
        "other_authority": other_authority,
        "users": users,
    }


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_every_url_with_an_identifier_is_covered_by_these_tests() -> None:
    with_ids = {
        p.name
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and ("<str:" in str(p.pattern) or "<int:" in str(p.pattern))
    }
    assert with_ids == set(CASE_PAGES + STAFF_CASE_PAGES + STAFF_PK_PAGES + MANDATE_PAGES)


@pytest.mark.parametrize("name", MANDATE_PAGES)
def test_nobody_answers_a_mandate_request_of_another_applicant(
    world: dict[str, Any], name: str
) -> None:
    from toevlucht.accounts import services as account_services
    from toevlucht.accounts.models import Mandate

    lawyer = world["users"]["legal_aid"]
    m = account_services.mandate_request(actor=lawyer, applicant=world["other"].applicant)
    url = reverse(f"portal:{name}", args=[m.pk])
    assert client_for(world["users"]["own"]).post(url).status_code == 404
    assert client_for(world["users"]["own"]).get(url).status_code == 405
    for role in ("caseworker", "legal_aid", "analyst"):
        assert client_for(world["users"][role]).post(url).status_code in (302, 403, 404)
    assert Mandate.objects.get(pk=m.pk).pending


@pytest.mark.parametrize("name", CASE_PAGES)
def test_an_applicant_reads_their_own_case_and_nobody_elses(
    world: dict[str, Any], name: str
) -> None:
    c = client_for(world["users"]["own"])
    assert c.get(reverse(f"portal:{name}", args=[world["own"].reference])).status_code == 200
    for ref in (
        world["other"].reference,
        world["other_authority"].reference,
        "TV-9999999",
        world["own"].reference.lower(),
        f"{world['own'].reference}%00",
    ):
        assert c.get(reverse(f"portal:{name}", args=[ref])).status_code == 404, ref


@pytest.mark.parametrize("name", CASE_PAGES)
@pytest.mark.parametrize(
    "role",
    [
        "caseworker",
        "supervisor",
        "foreign_caseworker",
        "legal_aid",
        "analyst",
        "administrator",
    ],
)
def test_the_applicant_pages_are_not_for_staff(world: dict[str, Any], name: str, role: str) -> None:
    c = client_for(world["users"][role])
    assert c.get(reverse(f"portal:{name}", args=[world["own"].reference])).status_code == 404


@pytest.mark.parametrize("name", CASE_PAGES)
def test_signed_out_the_pages_ask_to_sign_in_and_reveal_nothing(
    world: dict[str, Any], name: str
) -> None:
    r = Client().get(reverse(f"portal:{name}", args=[world["own"].reference]))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name", OWN_PAGES)
def test_pages_without_an_identifier_are_the_signed_in_applicants_own(
    world: dict[str, Any], name: str
) -> None:
    assert Client().get(reverse(f"portal:{name}")).status_code == 302
    assert (
        client_for(world["users"]["caseworker"]).get(reverse(f"portal:{name}")).status_code == 404
    )
    assert client_for(world["users"]["own"]).get(reverse(f"portal:{name}")).status_code in (
        200,
        302,
    )


def test_my_data_is_always_the_signed_in_applicants_whatever_is_asked(
    world: dict[str, Any],
) -> None:
    c = client_for(world["users"]["own"])
    other = world["other"].applicant
    for query in ("", f"?v_number={other.v_number}", f"?applicant={other.pk}"):
        r = c.post(reverse("portal:my_data_download") + query, {"v_number": other.v_number})
        assert r.status_code == 200
        data = r.json()
        assert data["applicant"]["v_number"] == world["own"].applicant.v_number
        assert other.v_number not in r.content.decode()
    assert c.get(reverse("portal:my_data_download")).status_code == 405


@pytest.mark.parametrize("role", ["caseworker", "supervisor"])
def test_caseworkers_and_supervisors_of_the_authority_open_the_staff_pages(
    world: dict[str, Any], role: str
) -> None:
    c = client_for(world["users"][role])
    url = reverse("portal:staff_invitation", args=[world["own"].reference])
    assert c.get(url).status_code == 200
    r = c.post(url, {"language": "ru"})
    assert r.status_code == 200
    assert "Введите этот код" in r.content.decode()


@pytest.mark.parametrize(
    "role",
    ["own", "other_applicant", "foreign_caseworker", "legal_aid", "analyst", "administrator"],
)
def test_nobody_else_opens_the_staff_pages_or_letters(world: dict[str, Any], role: str) -> None:
    issued = services.invitation_issue(
        actor=world["users"]["caseworker"], application=world["own"], language="ru"
    )
    c = client_for(world["users"][role])
    url = reverse("portal:staff_invitation", args=[world["own"].reference])
    assert c.get(url).status_code == 404
    assert c.post(url, {"language": "ru"}).status_code == 404
    assert c.get(reverse("portal:staff_letter", args=[issued.invitation.pk])).status_code == 404


def test_a_caseworker_cannot_reach_another_authoritys_case_or_letter(
    world: dict[str, Any],
) -> None:
    foreign = world["users"]["foreign_caseworker"]
    issued = services.invitation_issue(
        actor=foreign, application=world["other_authority"], language="ru"
    )
    c = client_for(world["users"]["caseworker"])
    ref = world["other_authority"].reference
    assert c.get(reverse("portal:staff_invitation", args=[ref])).status_code == 404
    assert c.get(reverse("portal:staff_letter", args=[issued.invitation.pk])).status_code == 404
    assert (
        c.get(reverse("portal:staff_letter", args=[issued.invitation.pk + 999])).status_code == 404
    )


def test_staff_pages_signed_out_go_to_the_sign_in(world: dict[str, Any]) -> None:
    r = Client().get(reverse("portal:staff_invitation", args=[world["own"].reference]))
    assert r.status_code == 302


def test_reading_a_case_page_is_audited(world: dict[str, Any]) -> None:
    before = AuditEntry.objects.count()
    client_for(world["users"]["own"]).get(reverse("portal:case", args=[world["own"].reference]))
    entry = AuditEntry.objects.filter(action="read", purpose="applicant portal").last()
    assert entry is not None
    assert entry.object_ids == [str(world["own"].pk)]
    assert AuditEntry.objects.count() > before
