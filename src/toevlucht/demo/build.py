"""The spring-2022 demo: about 200 fictional applicants in three reception centres, about 30
of them Russian men — reservists called up, conscripts aged 18-27, one deserter from a
security service, critics of the war — with histories up to the demo date, one user per role.

Idempotent: run again, it finds the demo and leaves it as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction

from toevlucht.accounts.models import Mandate, Organisation, User
from toevlucht.audit.log import record
from toevlucht.cases.models import (
    Applicant,
    Application,
    CaseStatus,
    Placement,
    ProcedureEvent,
    ReceptionCentre,
)
from toevlucht.cases.refresh import recompute_applications
from toevlucht.demo.backlog import BacklogCase, pact_histories
from toevlucht.demo.backlog import histories as backlog_histories
from toevlucht.demo.fake import Person, history, person, procedure_events, weighted_nationality

DEMO_DATE = dt.date(2022, 5, 9)
AUTHORITY = "Immigratie- en Naturalisatiedienst (IND)"
LEGAL_AID = "VluchtelingenWerk Nederland"
RECEPTION = "Centraal Orgaan opvang asielzoekers (COA)"
# The IND's postal address for a notice of default in an asylum case, as VluchtelingenWerk
# Nederland gives it to applicants ("Asielprocedure: lang wachten op een beslissing? Dit kun
# je doen!", vluchtelingenwerk.nl, read December 2026): the IND's asylum office in Ter Apel.
# The demo's organisation data only: a real office enters the address the IND publishes on
# the day (in the admin, Organisations). It replaces the Almelo address the demo had
# without a source. The legal-aid office's address and phone are fictional.
AUTHORITY_ADDRESS = "Postbus 14\n9560 AA Ter Apel"
LEGAL_AID_ADDRESS = "Voorbeeldstraat 1\n1000 AA Amsterdam"
LEGAL_AID_PHONE = "020 000 0000"
CENTRES = [
    ("Aanmeldcentrum Ter Apel", "Westerwolde", 2000),
    ("azc Budel-Cranendonck", "Cranendonck", 800),
    ("azc Zwolle", "Zwolle", 400),
]
ROLES = [
    ("caseworker", User.Role.CASEWORKER, AUTHORITY),
    ("supervisor", User.Role.SUPERVISOR, AUTHORITY),
    ("legalaid", User.Role.LEGAL_AID, LEGAL_AID),
    ("analyst", User.Role.ANALYST, AUTHORITY),
    ("applicant", User.Role.APPLICANT, None),
    ("admin", User.Role.ADMINISTRATOR, AUTHORITY),
]


# The demo's users' first and last names: fictional people (any likeness is chance), so that
# the letters are signed with a person's name, not a login name. The applicant's login takes
# the name of the applicant it belongs to.
DEMO_NAMES = {
    "caseworker": ("Sanne", "Visser"),
    "supervisor": ("Pieter", "de Boer"),
    "legalaid": ("Lotte", "Bakker"),
    "analyst": ("Daan", "Smit"),
    "admin": ("Noor", "Mulder"),
}


def give_demo_names() -> int:
    """Give the demo's staff without a name theirs (a demo made before they had one);
    returns how many were given one."""
    n = 0
    for username, (first, last) in DEMO_NAMES.items():
        n += User.objects.filter(username=username, first_name="", last_name="").update(
            first_name=first, last_name=last
        )
    return n


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str


# The demo's users have e-mail addresses (the reserved .example domain: nothing is delivered)
# so that the reminders have recipients; the demo prints them on the console.
EMAIL_DOMAIN = "toevlucht-demo.example"


def demo_email(username: str) -> str:
    return f"{username}@{EMAIL_DOMAIN}"


def give_demo_emails() -> int:
    """Give the demo's users without an address theirs (a demo made before they had one);
    returns how many were given one."""
    n = 0
    for username, _role, _org in ROLES:
        n += User.objects.filter(username=username, email="").update(email=demo_email(username))
    return n


def logins_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-logins.json"


def demo_exists() -> bool:
    return Organisation.objects.filter(name=AUTHORITY).exists() and logins_file().exists()


def read_logins() -> list[DemoLogin]:
    return [DemoLogin(**x) for x in json.loads(logins_file().read_text())]


def _applicant(p: Person) -> Applicant:
    a = p.as_applicant()
    a.save()
    return a


def _events(app: Application, events: list[dict[str, Any]], by: User) -> None:
    ordered = sorted(events, key=lambda x: x["date"])
    ProcedureEvent.objects.bulk_create(procedure_events(app, ordered, recorded_by=by))


def _russians(rng: random.Random) -> list[tuple[Person, dict[str, Any]]]:
    """The group the demo is about: who they are and how their case went."""
    out: list[tuple[Person, dict[str, Any]]] = []
    for i in range(10):  # reservists called up, ~30, waiting without an interview
        out.append(
            (
                person(
                    rng,
                    "RUS",
                    sex="male",
                    age=rng.randint(28, 38),
                    groups=["reservist_refusing_service"] + (["war_critic"] if i % 3 == 0 else []),
                ),
                {
                    "requested": dt.date(2022, 3, 14) + dt.timedelta(days=rng.randint(0, 35)),
                    "interview_wait": 99,
                },
            )
        )
    for i in range(14):  # conscripts 18-27 refusing service or deserting
        out.append(
            (
                person(
                    rng,
                    "RUS",
                    sex="male",
                    age=rng.randint(18, 27),
                    groups=["conscript_deserter" if i % 4 == 0 else "conscript_refusing_service"],
                ),
                {
                    "requested": dt.date(2022, 3, 1) + dt.timedelta(days=rng.randint(0, 55)),
                    "interview_wait": rng.choice([10, 15, 99]),
                    "hold": True,
                },
            )
        )
    out.append(
        (
            person(rng, "RUS", sex="male", age=38, groups=["deserter"]),
            {"requested": dt.date(2022, 3, 21), "interview_wait": 15, "hold": True},
        )
    )
    for _ in range(5):  # critics of the war, activists
        out.append(
            (
                person(
                    rng,
                    "RUS",
                    age=rng.randint(22, 55),
                    groups=rng.choice([["war_critic"], ["political_activist"], ["lgbti"]]),
                ),
                {"requested": dt.date(2022, 3, 7) + dt.timedelta(days=rng.randint(0, 50))},
            )
        )
    return out


def _d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


# Cases under the law since 12 June 2026 (the EU Pact): each (nationality, sex, age, groups,
# events). The demo's clock decides what is known of them: before their first event they have
# no procedure step yet (``./start --as-of 2026-12-01`` shows them under the new rules).
PACT_CASES: list[tuple[str, str, int, list[str], list[dict[str, Any]]]] = [
    (  # a Russian reservist under the APR, regular examination
        "RUS",
        "male",
        31,
        ["reservist_refusing_service"],
        [
            {"kind": "asylum_requested", "date": _d("2026-07-01")},
            {"kind": "application_registered", "date": _d("2026-07-03")},
            {"kind": "application_lodged", "date": _d("2026-07-10")},
            {"kind": "procedure_assigned", "date": _d("2026-07-15"), "procedure": "regular"},
        ],
    ),
    (  # an Iranian lodged while the Iran moratorium was in force
        "IRN",
        "female",
        34,
        [],
        [
            {"kind": "asylum_requested", "date": _d("2026-06-29")},
            {"kind": "application_registered", "date": _d("2026-07-01")},
            {"kind": "application_lodged", "date": _d("2026-07-02")},
        ],
    ),
    (  # a Lebanese applicant under the Lebanon moratorium of 1 June 2026
        "LBN",
        "male",
        40,
        [],
        [
            {"kind": "asylum_requested", "date": _d("2026-06-22")},
            {"kind": "application_registered", "date": _d("2026-06-24")},
            {"kind": "application_lodged", "date": _d("2026-06-30")},
        ],
    ),
    (  # an Afghan on the Dublin track under the AMMR: a Eurodac hit in Greece
        "AFG",
        "male",
        24,
        [],
        [
            {"kind": "asylum_requested", "date": _d("2026-07-02")},
            {"kind": "application_registered", "date": _d("2026-07-03")},
            {"kind": "eurodac_hit", "date": _d("2026-07-03"), "member_state": "GRC"},
            {"kind": "application_lodged", "date": _d("2026-07-06")},
            {"kind": "track_assigned", "date": _d("2026-07-07"), "track": "dublin"},
            {
                "kind": "transfer_request_sent",
                "date": _d("2026-07-10"),
                "request": "take_back",
                "member_state": "GRC",
            },
            {"kind": "transfer_request_answered", "date": _d("2026-07-20"), "answer": "accepted"},
        ],
    ),
    (  # a Syrian in the border procedure
        "SYR",
        "male",
        27,
        [],
        [
            {"kind": "asylum_requested", "date": _d("2026-11-09")},
            {"kind": "application_registered", "date": _d("2026-11-10")},
            {"kind": "application_lodged", "date": _d("2026-11-11")},
            {"kind": "procedure_assigned", "date": _d("2026-11-11"), "procedure": "border"},
        ],
    ),
    (  # a Georgian refused as manifestly unfounded in the accelerated procedure
        "GEO",
        "male",
        45,
        [],
        [
            {"kind": "asylum_requested", "date": _d("2026-07-06")},
            {"kind": "application_registered", "date": _d("2026-07-08")},
            {"kind": "application_lodged", "date": _d("2026-07-10")},
            {"kind": "procedure_assigned", "date": _d("2026-07-15"), "procedure": "accelerated"},
            {
                "kind": "decision_notified",
                "date": _d("2026-10-05"),
                "outcome": "refused",
                "procedure": "accelerated",
                "refusal_ground": "manifestly_unfounded",
                "no_suspensive_effect": True,
            },
        ],
    ),
    (  # a Russian conscript lodged the day before the APR applied: the old rules
        "RUS",
        "male",
        20,
        ["conscript_refusing_service"],
        [
            {"kind": "asylum_requested", "date": _d("2026-06-08")},
            {"kind": "application_lodged", "date": _d("2026-06-11")},
        ],
    ),
]


def _pact_cases(
    rng: random.Random,
    today: dt.date,
    clock: dt.date,
    ind: Organisation,
    vwn: Organisation,
    by: User,
) -> list[Application]:
    """The 2026 cases of :data:`PACT_CASES` that exist by the demo's ``clock``, with their
    events up to it: a demo set in 2022 holds no case, event or mandate of 2026 (each
    person is still drawn, so that what follows is the same whatever the clock)."""
    out: list[Application] = []
    for n, (nat, sex, age, groups, events) in enumerate(PACT_CASES, start=1):
        p = person(rng, nat, sex=sex, age=age, on=events[0]["date"], groups=groups)
        known = [e for e in events if e["date"] <= clock]
        if not known:
            continue
        applicant = _applicant(p)
        app = Application.objects.create(
            reference=f"TV-2026-{n:04d}", applicant=applicant, organisation=ind, caseworker=by
        )
        _events(app, known, by)
        CaseStatus.objects.create(application=app, computed_on=today)
        if nat in ("RUS", "AFG"):
            day = known[0]["date"]
            Mandate.objects.create(
                organisation=vwn,
                applicant=applicant,
                consent_date=day,
                valid_from=day,
                granted_by=by,
            )
        out.append(app)
    return out


@transaction.atomic
def _background(
    rng: random.Random,
    cases: list[BacklogCase],
    until: dt.date,
    ind: Organisation,
    by: User,
    centre: ReceptionCentre,
) -> int:
    """The earlier and other applicants of :mod:`toevlucht.demo.backlog`."""
    n = 0
    for n, c in enumerate(cases, start=1):
        requested = c.events[0]["date"]
        applicant = _applicant(person(rng, c.nationality, on=requested))
        app = Application.objects.create(
            reference=f"TV-{requested.year}-{1000 + n:04d}",
            applicant=applicant,
            organisation=ind,
            caseworker=by,
        )
        _events(app, c.events, by)
        CaseStatus.objects.create(application=app, computed_on=until)
        if not any(e["kind"] == "decision_notified" for e in c.events):
            Placement.objects.create(applicant=applicant, centre=centre, start=requested)
    return n


def build_demo(
    today: dt.date = DEMO_DATE,
    size: int = 200,
    seed: int = 2022,
    *,
    history_until: dt.date | None = None,
) -> list[DemoLogin]:
    """Create the demo. Returns the logins (also written to var/demo-logins.json, 0600).

    ``history_until``: the day up to which the background's queues run (default ``today``;
    the demo command passes its clock, so a demo made for 1 October 2022 holds the months
    since the story's day). Events are recorded on the day they took effect, so on an
    earlier case-clock day the later ones are simply not known yet."""
    rng = random.Random(seed)
    ind = Organisation.objects.create(
        name=AUTHORITY, kind=Organisation.Kind.AUTHORITY, postal_address=AUTHORITY_ADDRESS
    )
    vwn = Organisation.objects.create(
        name=LEGAL_AID,
        kind=Organisation.Kind.LEGAL_AID,
        postal_address=LEGAL_AID_ADDRESS,
        phone=LEGAL_AID_PHONE,
    )
    coa = Organisation.objects.create(name=RECEPTION, kind=Organisation.Kind.RECEPTION)
    centres = [
        ReceptionCentre.objects.create(name=n, municipality=m, capacity=c, organisation=coa)
        for n, m, c in CENTRES
    ]

    people: list[tuple[Person, dict[str, Any]]] = _russians(rng)
    while len(people) < size:
        nat = weighted_nationality(rng)
        if nat == "RUS":
            continue
        people.append(
            (
                person(rng, nat),
                {"requested": dt.date(2022, 1, 10) + dt.timedelta(days=rng.randint(0, 115))},
            )
        )
    rng.shuffle(people)
    # The story's other applicants go through the IND's queues with the background
    # (demo.backlog); the Russian men keep the histories the story gives them.
    until = history_until or today
    story = [
        (k, plan["requested"], p.nationality)
        for k, (p, plan) in enumerate(people)
        if set(plan) == {"requested"}
    ]
    queue_rng = random.Random(seed + 1)
    generated = backlog_histories(queue_rng, until, [(d, nat) for _k, d, nat in story])
    queued = {story[c.key][0]: c.events for c in generated if c.key is not None}
    background = [c for c in generated if c.key is None]
    # the months around the EU Pact, for a demo set in 2026 (none before October 2025)
    background += pact_histories(random.Random(seed + 2), until)

    logins: list[DemoLogin] = []
    users: dict[str, User] = {}
    for username, role, org_name in ROLES:
        password = secrets.token_urlsafe(12)
        org = {AUTHORITY: ind, LEGAL_AID: vwn}.get(org_name or "")
        given, family = DEMO_NAMES.get(username, ("", ""))
        u = User(
            username=username,
            first_name=given,
            last_name=family,
            role=role,
            organisation=org,
            email=demo_email(username),
            # the legal-aid office reads its reminders in Dutch (the others in English)
            language="nl" if role == User.Role.LEGAL_AID else "en",
            is_staff=role
            in (
                User.Role.CASEWORKER,
                User.Role.SUPERVISOR,
                User.Role.LEGAL_AID,
                User.Role.ADMINISTRATOR,
            ),
            is_superuser=role == User.Role.ADMINISTRATOR,
        )
        u.set_password(password)
        users[username] = u
        logins.append(DemoLogin(username=username, role=role, password=password))
    caseworker = users["caseworker"]
    for u in users.values():
        if u.role != User.Role.APPLICANT:
            u.save()
    view = Permission.objects.filter(content_type__app_label="cases", codename__startswith="view_")
    for name in ("caseworker", "supervisor", "legalaid"):
        users[name].user_permissions.set(view)

    scenario_reservist: Applicant | None = None
    for n, (p, plan) in enumerate(people, start=1):
        applicant = _applicant(p)
        app = Application.objects.create(
            reference=f"TV-2022-{n:04d}",
            applicant=applicant,
            organisation=ind,
            caseworker=caseworker,
        )
        if n - 1 in queued:
            events = queued[n - 1]
        else:
            events = history(
                rng,
                plan["requested"],
                today,
                interview_wait=plan.get("interview_wait"),
                hold=plan.get("hold", False),
            )
        _events(app, events, caseworker)
        CaseStatus.objects.create(application=app, computed_on=today)
        first = centres[0]
        Placement.objects.create(applicant=applicant, centre=first, start=plan["requested"])
        interviewed = next(
            (e["date"] for e in events if e["kind"] == "registration_interview_held"), None
        )
        if interviewed is not None and rng.random() < 0.8:
            Placement.objects.filter(applicant=applicant).update(end=interviewed)
            Placement.objects.create(
                applicant=applicant, centre=rng.choice(centres[1:]), start=interviewed
            )
        if p.nationality == "RUS" or rng.random() < 0.15:
            Mandate.objects.create(
                organisation=vwn,
                applicant=applicant,
                consent_date=plan["requested"],
                valid_from=plan["requested"],
                granted_by=caseworker,
            )
        if scenario_reservist is None and "reservist_refusing_service" in p.groups:
            scenario_reservist = applicant
    # one revoked mandate, so legal aid can be shown not to see that case any more
    revoked = (
        Mandate.objects.filter(organisation=vwn)
        .exclude(applicant=scenario_reservist)
        .order_by("pk")
        .first()
    )
    if revoked is not None:
        Mandate.objects.filter(pk=revoked.pk).update(revoked_on=dt.date(2022, 4, 20))
    _pact_cases(rng, today, until, ind, vwn, caseworker)
    n_background = _background(queue_rng, background, until, ind, caseworker, centres[1])
    applicant_user = users["applicant"]
    applicant_user.applicant = scenario_reservist
    if scenario_reservist is not None:
        applicant_user.first_name = scenario_reservist.given_names_latin
        applicant_user.last_name = scenario_reservist.family_name_latin
    applicant_user.language = "ru"
    applicant_user.save()

    recompute_applications(list(Application.objects.values_list("pk", flat=True)), today)
    record(
        actor=None,
        action="create",
        purpose="demo data",
        object_type="demo",
        object_ids=[],
        detail={
            "applicants": len(people),
            "background": n_background,
            "as_of": today.isoformat(),
        },
    )
    path = logins_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([login.__dict__ for login in logins], indent=1))
    path.chmod(0o600)
    return logins
