"""Everything held about one person (GDPR right of access)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.accounts import services as account_services
from toevlucht.audit.models import AuditEntry
from toevlucht.cases import services
from toevlucht.cases.models import ReceptionCentre
from toevlucht.privacy.export import SubjectNotFound, export_subject

D = dt.date


def test_the_export_holds_every_fact_about_the_person(
    make_case: Any, orgs: dict[str, Any], make_user: Any
) -> None:
    app = make_case(
        v_number="1234567890",
        nationality="RUS",
        birth_date=D(1992, 6, 14),
        sex="male",
        applicant_groups=["reservist_refusing_service"],
    )
    e = app.events.get()
    services.event_correct(actor=None, event=e, effective_date=D(2022, 3, 11), note="typo")
    centre = ReceptionCentre.objects.create(
        name="Ter Apel", municipality="Westerwolde", capacity=2000, organisation=orgs["coa"]
    )
    services.placement_record(
        actor=None, applicant=app.applicant, centre=centre, start=D(2022, 3, 9)
    )
    account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=app.applicant,
        consent_date=D(2022, 3, 10),
        valid_from=D(2022, 3, 10),
    )
    data = export_subject(v_number="1234567890", actor=None, purpose="test")
    assert data["applicant"]["family_name"] == app.applicant.family_name
    assert data["applicant"]["groups"] == ["reservist_refusing_service"]
    [application] = data["applications"]
    assert [x["kind"] for x in application["events"]] == ["application_lodged"] * 2
    assert application["events"][1]["corrects_seq"] == 1
    assert application["events"][1]["internal_note"] == "typo"
    assert application["status"]["deadlines"][0]["kind"] == "decision"
    assert data["placements"] == [{"centre": "Ter Apel", "start": "2022-03-09", "end": None}]
    assert data["mandates"][0]["organisation"] == "VluchtelingenWerk"
    logged = {(x["action"], x["object"]) for x in data["access_log"]}
    assert {
        ("create", "applicant"),
        ("create", "application"),
        ("record", "procedure_event"),
        ("correct", "procedure_event"),
        ("create", "placement"),
        ("create", "mandate"),
    } <= logged
    assert "account" not in data  # no portal account
    assert AuditEntry.objects.order_by("seq").last().action == "export"  # type: ignore[union-attr]


def test_the_export_without_internal_notes_leaves_them_out(make_case: Any) -> None:
    app = make_case(v_number="1234567891")
    services.event_correct(
        actor=None, event=app.events.get(), effective_date=D(2022, 3, 11), note="internal remark"
    )
    data = export_subject(
        v_number="1234567891", actor=None, purpose="portal", include_internal=False
    )
    assert "internal remark" not in repr(data)


def test_an_unknown_v_number_is_reported(db: None) -> None:
    with pytest.raises(SubjectNotFound, match="no applicant with V-number 42"):
        export_subject(v_number="42", actor=None, purpose="test")


def test_the_export_names_the_persons_account_and_not_other_peoples_entries(
    make_case: Any, make_user: Any
) -> None:
    app = make_case(v_number="1234567892")
    other = make_case(v_number="1234567893")
    make_user("ap", "applicant", applicant=app.applicant, email="ap@example.org")
    data = export_subject(v_number="1234567892", actor=None, purpose="test")
    assert data["account"]["username"] == "ap"
    assert data["account"]["email"] == "ap@example.org"
    theirs = export_subject(v_number="1234567893", actor=None, purpose="test")
    assert len(data["access_log"]) == len(theirs["access_log"]) == 3  # create x2, record
    assert other.reference not in repr(data)
