"""The spring-2022 demo tells the scenario's story."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from toevlucht.accounts.models import Mandate, User
from toevlucht.cases.models import (
    Applicant,
    Application,
    CaseStatus,
    Placement,
    ProcedureEvent,
    ReceptionCentre,
)
from toevlucht.demo.build import DEMO_DATE, build_demo, demo_exists, give_demo_names


def test_the_demo_has_the_people_and_cases_of_the_scenario(
    db: None, settings: Any, tmp_path: Any
) -> None:
    settings.VAR_DIR = tmp_path
    logins = build_demo()
    assert demo_exists()
    assert {x.role for x in logins} == set(User.Role.values)
    # the story's applicants (TV-2022-0001 ... and TV-2026-...), and about a thousand
    # earlier and other ones through the queues (TV-2021-1001 ...: demo.backlog)
    background = Applicant.objects.filter(applications__reference__regex=r"-1[0-9]{3}$")
    story = Applicant.objects.exclude(pk__in=background.values("pk"))
    assert 190 <= story.count() <= 210
    assert 700 <= background.count() <= 1300
    russians = story.filter(nationality="RUS")
    assert 28 <= russians.count() <= 32
    groups = Counter(g for a in russians for g in a.groups)
    assert groups["reservist_refusing_service"] >= 8
    assert groups["conscript_refusing_service"] + groups["conscript_deserter"] >= 12
    assert groups["deserter"] == 1
    assert len(Counter(Applicant.objects.values_list("nationality", flat=True))) >= 8
    assert ReceptionCentre.objects.count() == 3
    assert CaseStatus.objects.exclude(error="").count() == 0
    # some applicants have waited weeks without a registration interview
    assert CaseStatus.objects.filter(stage="registration").count() >= 20
    assert Mandate.objects.filter(revoked_on__isnull=False).count() == 1
    me = User.objects.get(username="applicant")
    assert "reservist_refusing_service" in me.applicant.groups  # type: ignore[union-attr]
    assert (tmp_path / "demo-logins.json").stat().st_mode & 0o777 == 0o600
    # every user has an e-mail address (reserved domain), so reminders have recipients
    emails = list(User.objects.values_list("email", flat=True))
    assert all(e.endswith("@toevlucht-demo.example") for e in emails), emails
    assert len(set(emails)) == len(emails)
    # nothing after the demo's clock: no case, event, mandate or placement of a later day
    day = DEMO_DATE
    assert not ProcedureEvent.objects.filter(effective_date__gt=day).exists()
    assert not ProcedureEvent.objects.filter(recorded_on__gt=day).exists()
    assert not Mandate.objects.filter(consent_date__gt=day).exists()
    assert not Placement.objects.filter(start__gt=day).exists()
    assert not Application.objects.filter(reference__startswith="TV-2026-").exists()
    # every user has a first and last name, so letters are signed by a person, not a login
    for u in User.objects.all():
        assert u.first_name, u.username
        assert u.last_name, u.username
        assert u.get_full_name() != u.username
    assert me.get_full_name() == me.applicant.display_name  # type: ignore[union-attr]
    # a demo made before the names had them given on its next start
    User.objects.filter(username="legalaid").update(first_name="", last_name="")
    assert give_demo_names() == 1
    assert User.objects.get(username="legalaid").get_full_name() == "Lotte Bakker"


def test_the_pact_cases_exist_from_their_first_event_with_what_is_known_by_the_clock(
    db: None,
) -> None:
    from toevlucht.accounts.models import Organisation
    from toevlucht.demo.build import PACT_CASES, _pact_cases

    ind = Organisation.objects.create(name="IND", kind="authority")
    vwn = Organisation.objects.create(name="VWN", kind="legal_aid")
    by = User.objects.create(username="cw", role="caseworker", organisation=ind)
    clock = dt.date(2026, 7, 1)
    drawn = random.Random(1)
    made = _pact_cases(drawn, clock, clock, ind, vwn, by)
    started = [c for c in PACT_CASES if c[4][0]["date"] <= clock]
    assert 0 < len(made) == len(started) < len(PACT_CASES)
    assert not ProcedureEvent.objects.filter(effective_date__gt=clock).exists()
    assert ProcedureEvent.objects.filter(effective_date=clock).exists()  # the clock's own day
    assert not Mandate.objects.filter(consent_date__gt=clock).exists()
    # every person is drawn whatever the clock: the rest of the demo does not depend on it
    none = random.Random(1)
    assert _pact_cases(none, clock, dt.date(2026, 1, 1), ind, vwn, by) == []
    assert drawn.random() == none.random()


def test_the_demo_shows_on_the_console_the_reminders_it_sends(tmp_path: Any) -> None:
    """``toevlucht demo`` sends the reminders due on its day and prints each one, readable:
    recipient, subject in the recipient's language, the date and the link to the case."""
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "TOEVLUCHT_AS_OF", "DJANGO_EMAIL_BACKEND")
    }
    env["TOEVLUCHT_VAR"] = str(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "toevlucht.cli", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "✉ to caseworker@toevlucht-demo.example: Toevlucht reminder: TV-2022-" in out
    # legal aid reads Dutch (User.language): its reminders are in Dutch, Dutch dates
    assert "✉ to legalaid@toevlucht-demo.example: Herinnering Toevlucht: TV-2022-" in out
    assert "http://127.0.0.1:8000/cases/" in out
    assert "May 2022" in out
    assert " mei 2022" in out
    assert "2022-05-1" not in out  # dates in the reader's form, not ISO
    assert "Content-Transfer-Encoding" not in out  # not the raw MIME
    sent = int(out.split("reminders on 2022-05-09: ")[1].split(" sent")[0])
    assert sent == out.count("✉ to ")
    assert sent > 0
    # the commands run on the demo's folder afterwards keep the demo's clock
    after = subprocess.run(
        [sys.executable, "-m", "toevlucht.cli", "retention"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert after.returncode == 0, after.stderr
    assert "retention on 2022-05-09:" in after.stdout
