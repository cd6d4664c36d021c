"""The change mark: renewed once a write to case data commits, not by reads, not by a write
that is rolled back, and not before the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction

from toevlucht.cases import changes, services
from toevlucht.cases.models import Application, ReceptionCentre

D = dt.date


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "cases_application" ("reference") VALUES (%s)',
        'UPDATE "cases_casestatus" SET "open" = %s WHERE "application_id" = %s',
        'DELETE FROM "cases_placement" WHERE "id" = %s',
        "update cases_applicant set nationality = 'SYR'",
        'INSERT OR IGNORE INTO "cases_procedureevent" ("kind") VALUES (%s)',
        'UPDATE "accounts_mandate" SET "revoked_on" = %s',
    ],
)
def test_a_write_to_case_data_is_watched(sql: str) -> None:
    assert changes.WATCHED.match(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "cases_application"."id" FROM "cases_application"',
        'UPDATE "cases_changemark" SET token = %s WHERE id = 1',
        'INSERT INTO "audit_auditentry" ("id") VALUES (%s)',
        'UPDATE "accounts_user" SET "last_login" = %s',
        "VACUUM",
    ],
)
def test_reads_and_other_tables_are_not(sql: str) -> None:
    assert not changes.WATCHED.match(sql)


@pytest.mark.django_db(transaction=True)
def test_the_mark_moves_when_a_write_commits_and_only_then(make_case: Any, orgs: Any) -> None:
    app = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    first = changes.mark()
    assert first  # the case's writes committed

    list(Application.objects.all())  # a read
    assert changes.mark() == first

    with transaction.atomic():
        services.event_record(
            actor=None,
            application=app,
            kind="registration_interview_held",
            effective_date=D(2022, 4, 20),
        )
        assert changes.mark() == first  # not before the commit
    second = changes.mark()
    assert second != first

    with transaction.atomic():
        ReceptionCentre.objects.create(
            name="azc Zwolle", municipality="Zwolle", capacity=400, organisation=orgs["coa"]
        )
        transaction.set_rollback(True)
    assert not ReceptionCentre.objects.filter(name="azc Zwolle").exists()
    assert changes.mark() == second

    ReceptionCentre.objects.create(  # autocommit
        name="azc Ter Apel", municipality="Ter Apel", capacity=2000, organisation=orgs["coa"]
    )
    assert changes.mark() != second


@pytest.mark.django_db(transaction=True)
def test_a_raw_statement_moves_it_too(make_case: Any) -> None:
    app = make_case()
    before = changes.mark()
    with connection.cursor() as cursor:  # as the projection's prepared UPDATE
        cursor.executemany(
            'UPDATE "cases_casestatus" SET "suspended" = %s WHERE "application_id" = %s',
            [[True, app.pk]],
        )
    assert changes.mark() != before
