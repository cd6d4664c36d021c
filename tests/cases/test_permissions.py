"""Every write service checks its actor first (cases/permissions.py, accounts/roles.py): the
wrong role is refused with NotAllowed, a case the actor may not see is NotFound, and nothing
is written either way — whether the call comes from a page, the API or anywhere else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.accounts import services as account_services
from toevlucht.accounts.models import Mandate
from toevlucht.audit.models import AuditEntry
from toevlucht.cases import services
from toevlucht.cases.models import Applicant, ProcedureEvent, ReceptionCentre
from toevlucht.errors import NotAllowed, NotFound

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "caseworker": make_user("cw", "caseworker", "ind"),
        "other_caseworker": make_user("cw2", "caseworker", "other_authority"),
        "legal_aid": make_user("la", "legal_aid", "vwn"),
        "analyst": make_user("an", "analyst", "ind"),
    }


def _writes(app: Any) -> tuple[int, int]:
    return ProcedureEvent.objects.filter(application=app).count(), AuditEntry.objects.count()


def test_legal_aid_may_not_record_a_decision_even_on_a_mandated_case(
    people: dict[str, Any], make_case: Any, mandate: Any
) -> None:
    app = make_case()
    mandate(app.applicant, D(2022, 3, 10))
    before = _writes(app)
    with pytest.raises(NotAllowed, match="the role legal-aid worker may not record the decision"):
        services.event_record(
            actor=people["legal_aid"],
            application=app,
            kind="decision_notified",
            effective_date=D(2022, 5, 2),
            data={"outcome": "refused"},
        )
    assert _writes(app) == before


def test_legal_aid_records_the_notice_it_sent_only_while_it_holds_a_mandate(
    people: dict[str, Any], make_case: Any
) -> None:
    app = make_case()
    with pytest.raises(NotFound):  # no mandate: the case does not exist for legal aid
        services.event_record(
            actor=people["legal_aid"],
            application=app,
            kind="notice_of_default_received",
            effective_date=D(2022, 5, 2),
        )
    assert ProcedureEvent.objects.filter(application=app).count() == 1


def test_a_caseworker_of_another_authority_cannot_write_to_the_case(
    people: dict[str, Any], make_case: Any
) -> None:
    app = make_case(org="ind")
    event = app.events.get()
    with pytest.raises(NotFound):
        services.event_record(
            actor=people["other_caseworker"],
            application=app,
            kind="registration_interview_held",
            effective_date=D(2022, 3, 15),
        )
    with pytest.raises(NotFound):
        services.event_correct(
            actor=people["other_caseworker"], event=event, retract=True, note="x"
        )
    assert app.events.count() == 1


def test_the_own_caseworker_records_and_the_system_may_too(
    people: dict[str, Any], make_case: Any
) -> None:
    app = make_case(org="ind")
    services.event_record(
        actor=people["caseworker"],
        application=app,
        kind="registration_interview_held",
        effective_date=D(2022, 3, 15),
    )
    services.event_record(
        actor=None,
        application=app,
        kind="general_procedure_started",
        effective_date=D(2022, 3, 22),
    )
    assert app.events.count() == 3


def test_only_authority_staff_register_place_and_manage_mandates(
    people: dict[str, Any], make_case: Any, orgs: dict[str, Any]
) -> None:
    app = make_case()
    centre = ReceptionCentre.objects.create(
        name="azc", municipality="Westerwolde", capacity=10, organisation=orgs["coa"]
    )
    for role in ("legal_aid", "analyst"):
        actor = people[role]
        with pytest.raises(NotAllowed):
            services.applicant_register(
                actor=actor,
                v_number="9999999999",
                given_names="Иван",
                family_name="Иванов",
                given_names_latin="Ivan",
                family_name_latin="Ivanov",
                nationality="RUS",
            )
        with pytest.raises(NotAllowed):
            services.application_open(
                actor=actor, applicant=app.applicant, organisation=orgs["ind"]
            )
        with pytest.raises(NotAllowed):
            services.placement_record(
                actor=actor, applicant=app.applicant, centre=centre, start=D(2022, 3, 10)
            )
        with pytest.raises(NotAllowed):
            account_services.mandate_grant(
                actor=actor,
                organisation=orgs["vwn"],
                applicant=app.applicant,
                consent_date=D(2022, 3, 10),
                valid_from=D(2022, 3, 10),
            )
    assert not Applicant.objects.filter(v_number="9999999999").exists()
    assert not Mandate.objects.exists()
    m = account_services.mandate_grant(
        actor=people["caseworker"],
        organisation=orgs["vwn"],
        applicant=app.applicant,
        consent_date=D(2022, 3, 10),
        valid_from=D(2022, 3, 10),
    )
    with pytest.raises(NotAllowed):
        account_services.mandate_revoke(actor=people["analyst"], mandate=m)
    m.refresh_from_db()
    assert m.revoked_on is None
    # the organisation holding a mandate may end it itself (the applicant too, in the portal)
    account_services.mandate_revoke(actor=people["legal_aid"], mandate=m)
    m.refresh_from_db()
    assert m.revoked_on is not None
