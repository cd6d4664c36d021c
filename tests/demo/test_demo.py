"""The spring-2022 demo tells the scenario's story."""

from __future__ import annotations

from collections import Counter
from typing import Any

from toevlucht.accounts.models import Mandate, User
from toevlucht.cases.models import Applicant, CaseStatus, ReceptionCentre
from toevlucht.demo.build import build_demo, demo_exists


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
