"""The Django admin as the interim interface: scoped by the selectors, read-only, audited,
and writes only through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from tests.measures.test_announce import SYRIA
from toevlucht.accounts import services as account_services
from toevlucht.accounts.models import Mandate
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.announce import measure_announce

D = dt.date


@pytest.fixture
def staff(orgs: dict[str, Any], make_user: Any, make_case: Any) -> dict[str, Any]:
    cw = make_user("cw", "caseworker", "ind", is_staff=True)
    cw.user_permissions.set(
        Permission.objects.filter(content_type__app_label="cases", codename__startswith="view_")
    )
    admin = make_user("ad", "administrator", "ind", is_staff=True, is_superuser=True)
    own = make_case(
        org="ind", nationality="RUS", birth_date=D(1990, 1, 1), sex="male"
    )  # lodged 10 March 2022: the reported stop until 21 May concerns it
    other = make_case(org="other_authority")
    return {"cw": cw, "admin": admin, "own": own, "other": other}


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_admin_list_of_cases_shows_only_visible_ones_and_audits_their_ids(
    staff: dict[str, Any],
) -> None:
    before = AuditEntry.objects.count()
    page = client_for(staff["cw"]).get("/admin/cases/application/")
    assert page.status_code == 200
    assert staff["own"].reference in page.text
    assert staff["other"].reference not in page.text
    entry = AuditEntry.objects.get(seq=before + 1)
    assert (entry.actor_id, entry.action, entry.object_type) == (
        staff["cw"].pk,
        "list",
        "application",
    )
    assert entry.object_ids == [str(staff["own"].pk)]


def test_an_admin_list_of_applicants_is_audited_too(staff: dict[str, Any]) -> None:
    before = AuditEntry.objects.count()
    assert client_for(staff["cw"]).get("/admin/cases/applicant/").status_code == 200
    entry = AuditEntry.objects.get(seq=before + 1)
    assert (entry.action, entry.object_type) == ("list", "applicant")
    assert entry.object_ids == [str(staff["own"].applicant_id)]


def test_another_authoritys_case_cannot_be_opened_and_nothing_is_logged_as_read(
    staff: dict[str, Any],
) -> None:
    before = AuditEntry.objects.count()
    page = client_for(staff["cw"]).get(f"/admin/cases/application/{staff['other'].pk}/change/")
    assert page.status_code == 302  # the admin's "does not exist" redirect
    assert AuditEntry.objects.filter(action="read").filter(seq__gt=before).count() == 0


def test_the_case_page_shows_the_status_and_an_unconfirmed_measure_that_is_not_applied(
    staff: dict[str, Any],
) -> None:
    before = AuditEntry.objects.count()
    page = client_for(staff["cw"]).get(f"/admin/cases/application/{staff['own'].pk}/change/")
    assert page.status_code == 200
    assert "decision due 2022-09-10 (running)" in page.text
    assert "Reported pause on decisions for Russian applicants until 21 May 2022" in page.text
    assert "unconfirmed: does not move the decision term" in page.text
    assert 'name="_save"' not in page.text  # read-only
    read = AuditEntry.objects.filter(seq__gt=before, action="read").get()
    assert read.object_ids == [str(staff["own"].pk)]


def test_mandates_are_read_only_in_the_admin_and_revoked_through_the_service(
    staff: dict[str, Any], orgs: dict[str, Any]
) -> None:
    m = account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=staff["own"].applicant,
        consent_date=D(2022, 3, 10),
        valid_from=D(2022, 3, 10),
    )
    c = client_for(staff["admin"])
    page = c.get(f"/admin/accounts/mandate/{m.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert c.get("/admin/accounts/mandate/add/").status_code == 403
    assert c.get(f"/admin/accounts/mandate/{m.pk}/delete/").status_code == 403
    done = c.post(
        "/admin/accounts/mandate/",
        {"action": "revoke", "_selected_action": [m.pk]},
    )
    assert done.status_code == 302
    m.refresh_from_db()
    assert m.revoked_on == D(2022, 5, 9)  # the case clock's today
    entry = AuditEntry.objects.filter(action="revoke").get()
    assert (entry.actor_id, entry.object_ids) == (staff["admin"].pk, [str(m.pk)])
    assert Mandate.objects.count() == 1


def test_an_announced_measure_cannot_be_deleted_in_the_admin(
    staff: dict[str, Any], make_user: Any
) -> None:
    supervisor = make_user("sv", "supervisor", "ind")
    definition = {**SYRIA, "id": "syr-admin-test"}
    row, _ = measure_announce(actor=supervisor, definition=definition)
    c = client_for(staff["admin"])
    assert c.get(f"/admin/measures/announcedmeasure/{row.pk}/delete/").status_code == 403
