"""Reminders: who gets one, when (working days of the law's calendar), what it says, and
that each goes out exactly once — also when the worker is killed while sending."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from toevlucht.accounts import services as account_services
from toevlucht.cases.models import CaseStatus
from toevlucht.cases.tasks import refresh_periodic as run_reminders
from toevlucht.cases.tasks import schedule_next
from toevlucht.law import legal_calendar
from toevlucht.reminders.models import Reminder
from toevlucht.reminders.services import due_reminders, reminders_send

D = dt.date
TODAY = D(2022, 5, 9)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people(orgs: dict[str, Any], make_user: Any, make_case: Any) -> dict[str, Any]:
    cw = make_user("cw", "caseworker", "ind", email="cw@example.org")
    la = make_user("la", "legal_aid", "vwn", email="la@example.org")
    other_la = make_user("la2", "legal_aid", "other_legal_aid", email="la2@example.org")
    nomail = make_user("cw2", "caseworker", "ind")
    case = make_case(
        events=[
            ("application_lodged", D(2022, 4, 20), {}),
            ("registration_interview_held", D(2022, 4, 25), {}),
        ]
    )
    case.caseworker = cw
    case.save(update_fields=["caseworker"])
    account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=case.applicant,
        consent_date=D(2022, 4, 20),
        valid_from=D(2022, 4, 20),
    )
    return {"cw": cw, "la": la, "other_la": other_la, "nomail": nomail, "case": case}


def _running(case: Any) -> list[tuple[str, dt.date]]:
    status = CaseStatus.objects.get(pk=case.pk)
    return [
        (d["kind"], D.fromisoformat(d["due"])) for d in status.deadlines if d["status"] == "running"
    ]


@pytest.mark.django_db
def test_caseworker_and_mandated_legal_aid_each_get_one_reminder_per_deadline(
    people: dict[str, Any],
) -> None:
    running = _running(people["case"])
    assert running
    report = reminders_send(TODAY, lead=400)
    assert report.sent == 2 * len(running)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["cw@example.org", "la@example.org"] * len(running)
    )
    assert "la2@example.org" not in {m.to[0] for m in mail.outbox}
    again = reminders_send(TODAY, lead=400)
    assert (again.sent, again.already_sent) == (0, 2 * len(running))
    assert len(mail.outbox) == 2 * len(running)


@pytest.mark.django_db
def test_a_reminder_is_sent_the_configured_number_of_working_days_before(
    people: dict[str, Any],
) -> None:
    kind, due = min(_running(people["case"]), key=lambda kd: kd[1])
    left = legal_calendar().working_days_after(TODAY, due)
    assert left >= 1
    assert reminders_send(TODAY, lead=left - 1).sent == 0
    assert reminders_send(TODAY, lead=left).sent == 2
    assert {r.deadline_kind for r in Reminder.objects.all()} == {kind}


@pytest.mark.django_db
def test_a_reminder_names_the_case_reference_deadline_and_date_and_no_personal_data(
    people: dict[str, Any],
) -> None:
    reminders_send(TODAY, lead=400)
    case = people["case"]
    for m in mail.outbox:
        text = m.subject + m.body
        assert case.reference in text
        for personal in (
            case.applicant.family_name,
            case.applicant.family_name_latin,
            case.applicant.v_number,
            case.applicant.nationality,
        ):
            assert personal not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "words", "month"),
    [
        ("nl", ("Herinnering Toevlucht", "Zaak", "werkdag"), "oktober"),
        ("ru", ("Напоминание Toevlucht", "Дело", "рабоч"), "октября"),
        ("uk", ("Нагадування Toevlucht", "Справа", "робоч"), "жовтня"),
        ("en", ("Toevlucht reminder", "Case", "working day"), "October"),
    ],
)
def test_a_reminder_is_in_the_recipients_language_with_a_local_date_and_a_link_to_the_case(
    people: dict[str, Any], settings: Any, lang: str, words: tuple[str, ...], month: str
) -> None:
    settings.TOEVLUCHT_BASE_URL = "https://toevlucht.example/"
    for u in (people["cw"], people["la"]):
        u.language = lang
        u.save(update_fields=["language"])
    kind, due = min(_running(people["case"]), key=lambda kd: kd[1])
    left = legal_calendar().working_days_after(TODAY, due)
    reminders_send(TODAY, lead=left)
    assert len(mail.outbox) == 2
    from toevlucht.law.text import format_date, render_key

    for m in mail.outbox:
        text = m.subject + "\n" + m.body
        for w in words:
            assert w in text, (w, text)
        assert format_date(due, lang) in text
        assert due == D(2022, 10, 20)  # the month below is this date's
        assert month in text
        assert due.isoformat() not in text  # the local form, not the ISO one
        assert render_key(f"deadline.{kind}", lang) in text
        assert f"https://toevlucht.example/cases/{people['case'].pk}/" in m.body


@pytest.mark.django_db
def test_no_reminder_without_an_active_mandate_or_an_email_address(
    people: dict[str, Any], orgs: dict[str, Any]
) -> None:
    from toevlucht.accounts.models import Mandate

    case = people["case"]
    for m in Mandate.objects.filter(applicant=case.applicant):
        account_services.mandate_revoke(actor=None, mandate=m, on=D(2022, 5, 1))
    case.caseworker = people["nomail"]
    case.save(update_fields=["caseworker"])
    report = reminders_send(TODAY, lead=400)
    assert report.sent == 0
    assert report.no_email == len(_running(case))


@pytest.mark.django_db
def test_the_database_refuses_a_second_marker_for_the_same_reminder(
    people: dict[str, Any],
) -> None:
    kw = {
        "application": people["case"],
        "deadline_kind": "decision",
        "due": D(2022, 10, 20),
        "recipient": people["cw"],
        "sent_on": TODAY,
    }
    Reminder.objects.create(**kw)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**kw)


@pytest.mark.django_db
def test_the_schedule_keeps_one_waiting_run(people: dict[str, Any]) -> None:
    from django_tasks_db.models import DBTaskResult

    assert schedule_next(now=True)
    assert not schedule_next(now=True)
    assert not schedule_next()  # a run is waiting: no second chain
    waiting = DBTaskResult.objects.filter(task_path=run_reminders.module_path)
    assert waiting.count() == 1


# --- the worker, killed ------------------------------------------------------------------------


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


WORKER = [
    sys.executable,
    "-m",
    "django",
    "db_worker",
    "--batch",
    "--no-startup-delay",
    "--no-reload",
]


def _worker(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WORKER, "--settings=toevlucht.settings", "-v0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_sends_each_reminder_exactly_once(
    people: dict[str, Any], make_case: Any, tmp_path: Path
) -> None:
    for _ in range(3):
        extra = make_case(events=[("application_lodged", D(2022, 4, 28), {})])
        extra.caseworker = people["cw"]
        extra.save(update_fields=["caseworker"])
    expected, users, _ = due_reminders(TODAY, lead=400)
    assert len(expected) >= 5
    log = tmp_path / "mail.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_EMAIL_BACKEND": "tests.reminders.mailfile.KillingFileBackend",
        "REMINDER_MAIL_LOG": str(log),
        "REMINDER_KILL_AT": "3",
        "TOEVLUCHT_AS_OF": TODAY.isoformat(),
        "TOEVLUCHT_REMINDER_WORKING_DAYS": "400",
        "TOEVLUCHT_AUDIT_CHECKPOINT": str(tmp_path / "checkpoint.json"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    assert schedule_next(now=True)
    killed = _worker(env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(log.read_text().splitlines()) == 2  # the third died with its transaction
    assert Reminder.objects.count() == 2

    env["REMINDER_KILL_AT"] = "0"
    assert schedule_next(now=True)  # the operator restarts: `reminders_schedule`
    done = _worker(env)
    assert done.returncode == 0, done.stderr
    lines = log.read_text().splitlines()
    assert len(lines) == len(set(lines)) == len(expected)
    assert Reminder.objects.count() == len(expected)
    assert sorted(line.split("|")[1] for line in lines) == sorted(
        users[e.recipient_id].email for e in expected
    )

    assert schedule_next(now=True)
    assert _worker(env).returncode == 0
    assert len(log.read_text().splitlines()) == len(expected)  # nothing sent twice
