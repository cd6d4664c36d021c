"""Retention: the personal data of an applicant whose every case closed more than
TOEVLUCHT_RETENTION_YEARS ago is erased; the cases, their history and the audit trail stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Applicant, Application, ProcedureEvent
from toevlucht.privacy.retention import due_for_erasure, erase_applicant, erase_due

D = dt.date
# withdrawn on the demo's day (the case clock in tests): retention until 9 May 2032
CLOSED = [
    ("application_lodged", D(2022, 3, 10), {}),
    ("withdrawn", D(2022, 5, 9), {}),
]


@pytest.fixture
def closed(make_case: Any) -> Any:
    return make_case(
        nationality="RUS",
        given_names="Дмитрий",
        family_name="Соколов",
        given_names_latin="Dmitrii",
        family_name_latin="Sokolov",
        birth_date=D(1994, 2, 1),
        events=CLOSED,
    )


def test_a_closed_case_gets_its_retention_date_and_is_due_from_that_day(closed: Any) -> None:
    closed.refresh_from_db()
    assert closed.retention_until == D(2032, 5, 9)
    assert not due_for_erasure(D(2032, 5, 8)).exists()  # the day before: kept
    assert list(due_for_erasure(D(2032, 5, 9))) == [closed.applicant]


def test_an_open_case_of_the_same_person_keeps_the_data(closed: Any, orgs: dict[str, Any]) -> None:
    from toevlucht.cases import services

    services.application_open(
        actor=None, applicant=closed.applicant, organisation=orgs["ind"], kind="subsequent"
    )
    assert not due_for_erasure(D(2040, 1, 1)).exists()


def test_erasing_removes_who_the_person_is_and_keeps_the_case(
    closed: Any, make_user: Any, client: Any
) -> None:
    applicant = closed.applicant
    old_v = applicant.v_number
    account = make_user("dmitrii", "applicant", applicant=applicant, email="d@example.org")
    events_before = ProcedureEvent.objects.filter(application=closed).count()

    assert erase_applicant(applicant, as_of=D(2032, 5, 9))

    a = Applicant.objects.get(pk=applicant.pk)
    assert (a.given_names, a.family_name, a.given_names_latin, a.family_name_latin) == (
        "",
        "",
        "",
        "",
    )
    assert a.birth_date is None
    assert a.v_number != old_v
    assert "sokolov" not in a.search_key
    assert a.erased_on == D(2032, 5, 9)
    assert a.display_name == "—"
    assert (a.nationality, a.sex) == (applicant.nationality, applicant.sex)  # statistics
    account.refresh_from_db()
    assert not account.is_active
    assert not account.has_usable_password()
    assert "dmitrii" not in account.username
    assert account.email == ""
    assert ProcedureEvent.objects.filter(application=closed).count() == events_before
    assert Application.objects.filter(pk=closed.pk).exists()
    entry = AuditEntry.objects.filter(action="erase").get()
    assert entry.object_ids == [str(applicant.pk)]
    assert entry.detail == {"applications": [closed.pk]}
    # the old V-number finds no one
    from toevlucht.privacy.export import SubjectNotFound, export_subject

    with pytest.raises(SubjectNotFound):
        export_subject(v_number=old_v, actor=None, purpose="test")
    # done once
    assert not erase_applicant(applicant, as_of=D(2032, 5, 9))
    assert AuditEntry.objects.filter(action="erase").count() == 1


def test_erasing_before_the_retention_date_does_nothing(closed: Any) -> None:
    assert not erase_applicant(closed.applicant, as_of=D(2032, 5, 8))
    assert Applicant.objects.get(pk=closed.applicant.pk).family_name == "Соколов"


def test_erase_due_reports_and_the_audit_log_still_verifies(closed: Any, make_case: Any) -> None:
    from toevlucht.audit.log import verify

    make_case(nationality="SYR")  # open: kept
    seen: list[tuple[int, int]] = []
    report = erase_due(D(2033, 1, 1), lambda done, total: seen.append((done, total)))
    assert (report.applicants, report.applications) == (1, 1)
    assert seen == [(1, 1)]
    assert verify().ok


def test_the_command_counts_first_and_erases_with_apply(tmp_path: Path) -> None:
    from tests.cases.test_commands import cli

    assert cli(tmp_path, "seed", "--cases", "300", "--quiet").returncode == 0
    count = cli(tmp_path, "retention", "--as-of", "2040-01-01")
    assert count.returncode == 0, count.stderr
    assert "are past their retention date; run with --apply" in count.stdout
    n = int(count.stdout.split(": ")[1].split(" ")[0])
    assert n > 0
    erased = cli(tmp_path, "retention", "--as-of", "2040-01-01", "--apply", "--quiet")
    assert erased.returncode == 0, erased.stderr
    assert f"erased the personal data of {n} applicants" in erased.stdout
    again = cli(tmp_path, "retention", "--as-of", "2040-01-01")
    assert again.stdout.startswith("retention on 2040-01-01: 0 applicants")
    assert cli(tmp_path, "audit", "verify").returncode == 0


def test_erasing_removes_the_letters_sent_about_the_person(closed: Any, make_case: Any) -> None:
    from toevlucht.letters.models import SentLetter

    keep = make_case()
    for app in (closed, keep):
        SentLetter.objects.create(
            application=app, kind="notice_of_default", sent_on=D(2022, 5, 9), body="x", pdf=b"%"
        )
    assert erase_applicant(closed.applicant, as_of=D(2032, 5, 9))
    assert list(SentLetter.objects.values_list("application_id", flat=True)) == [keep.pk]
