"""Writes through the services: validated by the law engine, append-only, audited."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from toevlucht.accounts import services as account_services
from toevlucht.audit.models import AuditEntry
from toevlucht.cases import services
from toevlucht.cases.models import CaseStatus, ProcedureEvent
from toevlucht.errors import EventRejected, Rejected

D = dt.date


def test_recording_an_event_appends_audits_and_recomputes_the_status(make_case: Any) -> None:
    app = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    before = AuditEntry.objects.count()
    services.event_record(
        actor=None,
        application=app,
        kind="registration_interview_held",
        effective_date=D(2022, 4, 20),
    )
    assert list(app.events.values_list("kind", flat=True)) == [
        "application_lodged",
        "registration_interview_held",
    ]
    status = CaseStatus.objects.get(application=app)
    assert status.stage == "rest_period"
    assert status.decision_due == D(2022, 9, 10)
    assert status.next_deadline_kind == "decision"
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.last().action == "record"  # type: ignore[union-attr]


def test_an_impossible_event_is_rejected_with_the_reason_and_nothing_is_written(
    make_case: Any,
) -> None:
    app = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    n_events, n_audit = ProcedureEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(EventRejected) as info:
        services.event_record(
            actor=None, application=app, kind="appeal_lodged", effective_date=D(2022, 4, 1)
        )
    assert "no decision of the authority precedes it" in info.value.message
    assert ProcedureEvent.objects.count() == n_events
    assert AuditEntry.objects.count() == n_audit


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        ("teleported", {}, "kind", "unknown event kind"),
        (
            "decision_notified",
            {"outcome": "maybe", "procedure": "general"},
            "data.outcome",
            "'maybe' is not one of",
        ),
        ("decision_term_extended", {"months": 9}, "data.ground", "is required"),
        (
            "decision_term_extended",
            {"months": 30, "ground": "42(4)(a)"},
            "data.months",
            "at most 21",
        ),
        # never into the data, which the applicant's portal may show: a note is internal
        ("registration_interview_held", {"note": "nervous"}, "data.note", "unknown field"),
    ],
)
def test_malformed_events_name_the_field(
    make_case: Any, kind: str, data: dict[str, Any], field: str, message: str
) -> None:
    app = make_case()
    with pytest.raises(EventRejected) as info:
        services.event_record(
            actor=None, application=app, kind=kind, effective_date=D(2022, 4, 1), data=data
        )
    assert info.value.field == field
    assert message in info.value.message


def test_an_event_in_the_future_of_the_case_clock_is_rejected(make_case: Any) -> None:
    app = make_case()
    with pytest.raises(EventRejected, match="after today"):
        services.event_record(
            actor=None,
            application=app,
            kind="registration_interview_held",
            effective_date=D(2022, 6, 1),
        )


def test_a_correction_replaces_the_event_from_today_and_keeps_the_original(make_case: Any) -> None:
    app = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    original = app.events.get()
    services.event_correct(
        actor=None,
        event=original,
        effective_date=D(2022, 3, 14),
        note="the lodging date was typed wrong",
    )
    assert app.events.count() == 2
    assert CaseStatus.objects.get(application=app).decision_due == D(2022, 9, 14)
    correction = app.events.get(seq=2)
    assert correction.corrects_id == original.pk


def test_a_correction_needs_a_reason(make_case: Any) -> None:
    app = make_case()
    with pytest.raises(EventRejected, match="say why"):
        services.event_correct(actor=None, event=app.events.get(), note=" ")


def test_a_retraction_voids_an_event(make_case: Any) -> None:
    app = make_case(
        events=[
            ("application_lodged", D(2022, 3, 10), {}),
            ("registration_interview_held", D(2022, 4, 20), {}),
        ]
    )
    services.event_correct(
        actor=None, event=app.events.get(seq=2), retract=True, note="recorded on the wrong case"
    )
    assert CaseStatus.objects.get(application=app).stage == "registration"


def test_events_cannot_be_updated_or_deleted_through_the_orm(make_case: Any) -> None:
    app = make_case()
    e = app.events.get()
    e.effective_date = D(2022, 1, 1)
    with pytest.raises(TypeError, match="append-only"):
        e.save()
    with pytest.raises(TypeError, match="append-only"):
        e.delete()
    with pytest.raises(TypeError, match="append-only"):
        ProcedureEvent.objects.filter(pk=e.pk).update(kind="withdrawn")
    with pytest.raises(TypeError, match="append-only"):
        ProcedureEvent.objects.filter(pk=e.pk).delete()


@pytest.mark.usefixtures("append_only")
def test_the_database_refuses_to_update_or_delete_an_event(make_case: Any) -> None:
    app = make_case()
    pk = app.events.get().pk
    for sql in (
        f"UPDATE cases_procedureevent SET kind = 'withdrawn' WHERE id = {pk}",
        f"DELETE FROM cases_procedureevent WHERE id = {pk}",
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql)
    assert ProcedureEvent.objects.filter(pk=pk, kind="application_lodged").exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_on_one_case_at_once_lose_no_event(make_case: Any) -> None:
    app = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(kind: str, day: dt.date) -> None:
        try:
            barrier.wait()
            services.event_record(actor=None, application=app, kind=kind, effective_date=day)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=("registration_interview_held", D(2022, 4, 1))),
        threading.Thread(target=work, args=("detailed_interview_held", D(2022, 4, 2))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    seqs = sorted(app.events.values_list("seq", flat=True))
    assert seqs == [1, 2, 3]


def test_a_mandate_is_revoked_once_and_not_before_the_consent(
    make_case: Any, orgs: dict[str, Any]
) -> None:
    app = make_case()
    m = account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=app.applicant,
        consent_date=D(2022, 3, 10),
        valid_from=D(2022, 3, 10),
    )
    with pytest.raises(Rejected, match="1 March 2022 is before the consent of 10 March 2022"):
        account_services.mandate_revoke(actor=None, mandate=m, on=D(2022, 3, 1))
    account_services.mandate_revoke(actor=None, mandate=m, on=D(2022, 4, 1))
    with pytest.raises(Rejected, match="was revoked on 1 April 2022"):
        account_services.mandate_revoke(actor=None, mandate=m, on=D(2022, 5, 1))
    m.refresh_from_db()
    assert m.revoked_on == D(2022, 4, 1)
    assert AuditEntry.objects.filter(action="revoke").count() == 1


def test_an_applicant_has_at_most_one_open_placement_in_the_database(
    make_case: Any, orgs: dict[str, Any]
) -> None:
    from toevlucht.cases.models import Placement, ReceptionCentre

    app = make_case()
    centre = ReceptionCentre.objects.create(
        name="azc", municipality="Westerwolde", capacity=10, organisation=orgs["coa"]
    )
    services.placement_record(
        actor=None, applicant=app.applicant, centre=centre, start=D(2022, 3, 10)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(applicant=app.applicant, centre=centre, start=D(2022, 4, 1))
    services.placement_record(
        actor=None, applicant=app.applicant, centre=centre, start=D(2022, 4, 1)
    )  # the service ends the open one first
    assert Placement.objects.filter(applicant=app.applicant, end__isnull=True).count() == 1


def test_the_duplicate_check_compares_a_full_birth_date_stored_without_its_year(
    make_user: Any,
) -> None:
    """The demo and the seed store a whole birth date in ``birth_date`` alone (``birth_year``
    empty): the check must still compare it, not pass every birth date."""
    from toevlucht.cases.models import Applicant

    Applicant.objects.create(
        v_number="5121280529",
        given_names="Селиван",
        family_name="Муравьев",
        given_names_latin="Selivan",
        family_name_latin="Muravev",
        birth_date=D(1988, 12, 21),
        nationality="RUS",
    )
    cw = make_user("cw", "caseworker", "ind")
    ask = {"actor": cw, "given_names_latin": "Selivan", "family_name_latin": "Muravyov"}
    same = services.applicant_candidates(**ask, birth="1988-12-21", nationality="RUS")
    assert [c.reasons for c in same] == [("name", "birth_date", "nationality")]
    assert services.applicant_candidates(**ask, birth="1988-12", nationality="RUS")
    assert services.applicant_candidates(**ask, birth="1970-01-01", nationality="RUS") == []
    assert services.applicant_candidates(**ask, birth="1988-11", nationality="RUS") == []


def test_a_placement_cannot_start_after_today(make_case: Any, orgs: dict[str, Any]) -> None:
    """Like an event or a mandate, a placement records what happened: one starting after
    the case clock's today would count as the centre's current occupant and block every
    earlier move."""
    from toevlucht import clock
    from toevlucht.cases.models import Placement, ReceptionCentre

    app = make_case()
    centre = ReceptionCentre.objects.create(
        name="azc", municipality="Westerwolde", capacity=10, organisation=orgs["coa"]
    )
    n_audit = AuditEntry.objects.count()
    with pytest.raises(Rejected) as info:
        services.placement_record(
            actor=None,
            applicant=app.applicant,
            centre=centre,
            start=clock.today() + dt.timedelta(days=1),
        )
    assert info.value.field == "start"
    assert not Placement.objects.filter(applicant=app.applicant).exists()
    assert AuditEntry.objects.count() == n_audit
    services.placement_record(
        actor=None, applicant=app.applicant, centre=centre, start=clock.today()
    )
    assert Placement.objects.filter(applicant=app.applicant).count() == 1
