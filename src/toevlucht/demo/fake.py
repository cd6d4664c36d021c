"""Realistic fictional applicants and event histories for the demo and for ``seed``.

Names are generated (Faker's ru_RU, uk_UA, tr_TR and ka_GE locales; short lists of common
Arabic, Persian and Tigrinya names in script with their usual Latin spelling) — never the
names of real people. Histories follow the procedure: request, lodging within a few working
days (or weeks, in a backlog), registration interview after days or weeks, rest period,
general procedure, sometimes the extended procedure, decisions and appeals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from faker import Faker

from toevlucht.cases.translit import georgian, icao

if TYPE_CHECKING:
    from toevlucht.accounts.models import User
    from toevlucht.cases.models import Applicant, Application, ProcedureEvent

ARABIC_GIVEN = [
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmad"),
    ("علي", "Ali"),
    ("عمر", "Omar"),
    ("يوسف", "Yusuf"),
    ("حسن", "Hassan"),
    ("خالد", "Khaled"),
    ("محمود", "Mahmoud"),
    ("إبراهيم", "Ibrahim"),
    ("فاطمة", "Fatima"),
    ("عائشة", "Aisha"),
    ("مريم", "Mariam"),
    ("نور", "Nour"),
    ("رانيا", "Rania"),
    ("ليلى", "Layla"),
    ("زينب", "Zainab"),
    ("هدى", "Huda"),
    ("سامر", "Samer"),
    ("باسل", "Basel"),
    ("رامي", "Rami"),
]
ARABIC_FAMILY = [
    ("الحسن", "Al-Hassan"),
    ("حداد", "Haddad"),
    ("خليل", "Khalil"),
    ("ناصر", "Nasser"),
    ("صالح", "Saleh"),
    ("درويش", "Darwish"),
    ("منصور", "Mansour"),
    ("عباس", "Abbas"),
    ("حمدان", "Hamdan"),
    ("يوسف", "Yousef"),
    ("الأحمد", "Al-Ahmad"),
    ("شيخ", "Sheikh"),
    ("العلي", "Al-Ali"),
    ("قاسم", "Kassem"),
    ("سعيد", "Said"),
]
PERSIAN_GIVEN = [
    ("احمد", "Ahmad"),
    ("محمد", "Mohammad"),
    ("علی", "Ali"),
    ("رضا", "Reza"),
    ("حسین", "Hossein"),
    ("مهدی", "Mehdi"),
    ("زهرا", "Zahra"),
    ("مریم", "Maryam"),
    ("فاطمه", "Fatemeh"),
    ("سارا", "Sara"),
    ("نسرین", "Nasrin"),
    ("جواد", "Javad"),
    ("شبنم", "Shabnam"),
    ("فرید", "Farid"),
    ("نوید", "Navid"),
]
PERSIAN_FAMILY = [
    ("احمدی", "Ahmadi"),
    ("محمدی", "Mohammadi"),
    ("حسینی", "Hosseini"),
    ("رضایی", "Rezaei"),
    ("کریمی", "Karimi"),
    ("رحیمی", "Rahimi"),
    ("نوری", "Nouri"),
    ("هاشمی", "Hashemi"),
    ("صدیقی", "Sediqi"),
    ("عزیزی", "Azizi"),
    ("حیدری", "Heidari"),
    ("قادری", "Ghaderi"),
]
TIGRINYA_GIVEN = [
    ("ዳዊት", "Dawit"),
    ("ሰለሞን", "Solomon"),
    ("ዮናስ", "Yonas"),
    ("ሳምሶን", "Samson"),
    ("ኤልሳ", "Elsa"),
    ("ሄለን", "Helen"),
    ("ፊሊሞን", "Filmon"),
    ("ሚኪኤል", "Mikiel"),
    ("ሰናይት", "Senait"),
    ("ብርሃነ", "Berhane"),
]
TIGRINYA_FAMILY = [
    ("ተስፋይ", "Tesfay"),
    ("ገብረሂወት", "Gebrehiwet"),
    ("ኪዳነ", "Kidane"),
    ("ሃብተ", "Habte"),
    ("ተወልደ", "Tewolde"),
    ("መስፍን", "Mesfin"),
    ("ዘርኣይ", "Zerai"),
    ("ኣብርሃ", "Abraha"),
]

# nationality -> (weight, script family, language codes)
NATIONALITIES: dict[str, tuple[float, str, list[str]]] = {
    "SYR": (30, "ar", ["ar"]),
    "AFG": (12, "fa", ["fa", "ps"]),
    "TUR": (10, "tr", ["tr"]),
    "ERI": (8, "ti", ["ti"]),
    "YEM": (5, "ar", ["ar"]),
    "IRQ": (5, "ar", ["ar", "ku"]),
    "IRN": (5, "fa", ["fa"]),
    "GEO": (4, "ka", ["ka", "ru"]),
    "MAR": (4, "ar", ["ar"]),
    "UKR": (3, "uk", ["uk", "ru"]),
    "RUS": (3, "ru", ["ru"]),
    "SOM": (3, "ar", ["so"]),
    "DZA": (2, "ar", ["ar", "fr"]),
}

_fakers: dict[str, Faker] = {}


def _faker(locale: str, seed: int) -> Faker:
    if locale not in _fakers:
        f = Faker(locale)
        f.seed_instance(seed)
        _fakers[locale] = f
    return _fakers[locale]


@dataclass
class Person:
    v_number: str
    given_names: str
    family_name: str
    given_names_latin: str
    family_name_latin: str
    birth_date: dt.date
    nationality: str
    sex: str
    languages: list[str]
    groups: list[str] = field(default_factory=list)

    def as_applicant(self) -> Applicant:
        """An unsaved applicant with these facts (``create`` or ``bulk_create`` it)."""
        from toevlucht.cases.models import Applicant

        return Applicant(**asdict(self))


def procedure_events(
    app: Application, events: Iterable[dict[str, Any]], recorded_by: User | None = None
) -> list[ProcedureEvent]:
    """Unsaved procedure events of ``app`` from generated ``{kind, date, **data}`` dicts, in
    the given order (for ``bulk_create``: generated histories need no validation), each
    recorded on the day it took effect."""
    from toevlucht.cases.models import ProcedureEvent

    return [
        ProcedureEvent(
            application=app,
            seq=seq,
            kind=e["kind"],
            effective_date=e["date"],
            data={k: v for k, v in e.items() if k not in ("kind", "date")},
            recorded_on=e["date"],
            recorded_by=recorded_by,
        )
        for seq, e in enumerate(events, start=1)
    ]


def person(
    rng: random.Random,
    nationality: str,
    *,
    sex: str | None = None,
    age: int | None = None,
    on: dt.date = dt.date(2022, 5, 9),
    groups: list[str] | None = None,
) -> Person:
    """A fictional applicant of ``nationality``."""
    _, script, languages = NATIONALITIES.get(nationality, (1, "ar", ["ar"]))
    sex = sex or ("male" if rng.random() < 0.68 else "female")
    age = age if age is not None else max(18, int(rng.gauss(29, 9)))
    birth = on - dt.timedelta(days=365 * age + rng.randint(0, 364))
    female = sex == "female"
    if script in ("ru", "uk"):
        f = _faker("ru_RU" if script == "ru" else "uk_UA", rng.randint(0, 10**6))
        given = f.first_name_female() if female else f.first_name_male()
        family = f.last_name_female() if female else f.last_name_male()
        given_l, family_l = icao(given, script == "uk"), icao(family, script == "uk")
    elif script in ("tr", "ka"):
        f = _faker("tr_TR" if script == "tr" else "ka_GE", rng.randint(0, 10**6))
        given = f.first_name_female() if female else f.first_name_male()
        family = f.last_name()
        given_l, family_l = (
            (given, family) if script == "tr" else (georgian(given), georgian(family))
        )
    else:
        given_list, family_list = {
            "ar": (ARABIC_GIVEN, ARABIC_FAMILY),
            "fa": (PERSIAN_GIVEN, PERSIAN_FAMILY),
            "ti": (TIGRINYA_GIVEN, TIGRINYA_FAMILY),
        }[script]
        pool = given_list[len(given_list) // 2 :] if female else given_list[: len(given_list) // 2]
        given, given_l = rng.choice(pool)
        family, family_l = rng.choice(family_list)
    return Person(
        v_number=str(rng.randint(10**9, 10**10 - 1)),
        given_names=given,
        family_name=family,
        given_names_latin=given_l,
        family_name_latin=family_l,
        birth_date=birth,
        nationality=nationality,
        sex=sex,
        languages=languages,
        groups=groups or [],
    )


def _wd(day: dt.date, n: int) -> dt.date:
    """Roughly n working days later (weekends skipped; holidays do not matter for fakes)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def history(
    rng: random.Random,
    requested: dt.date,
    today: dt.date,
    *,
    interview_wait: int | None = None,
    hold: bool = False,
) -> list[dict[str, Any]]:
    """A plausible event history up to ``today`` for a request made on ``requested``.

    ``hold``: the IND takes no further step after the registration interview (a case kept
    waiting, as the Russian applicants were in spring 2022).
    """
    ev: list[dict[str, Any]] = [{"kind": "asylum_requested", "date": requested}]

    def add(kind: str, day: dt.date, **data: Any) -> bool:
        if day > today:
            return False
        ev.append({"kind": kind, "date": day, **data})
        return True

    lodged = _wd(requested, rng.choice([1, 2, 3, 3, 3, 5, 12]))
    if not add("application_lodged", lodged):
        return ev
    if rng.random() < 0.12:
        add("track_assigned", lodged, track="dublin")
        if rng.random() < 0.5:
            add(
                "decision_notified",
                _wd(lodged, rng.randint(30, 90)),
                outcome="refused",
                procedure="extended",
                refusal_ground="dublin",
            )
        return ev
    wait = interview_wait if interview_wait is not None else rng.choice([5, 10, 15, 25, 40, 60])
    if not add("registration_interview_held", _wd(lodged, wait)):
        return ev
    if hold:
        return ev
    interview = ev[-1]["date"]
    start = _wd(interview, rng.randint(6, 30))
    if not add("general_procedure_started", start):
        return ev
    add("detailed_interview_held", start)
    r = rng.random()
    if r < 0.35:  # decided within the general procedure
        if rng.random() < 0.6:
            add("decision_notified", _wd(start, 5), outcome="granted", procedure="general")
        else:
            add("intention_issued", _wd(start, 2), procedure="general")
            add("view_submitted", _wd(start, 3))
            if add("decision_notified", _wd(start, 5), outcome="refused", procedure="general"):
                decided = ev[-1]["date"]
                if rng.random() < 0.7:
                    add("appeal_lodged", decided + dt.timedelta(days=rng.randint(1, 6)))
        return ev
    if not add("referred_to_extended_procedure", _wd(start, 5)):
        return ev
    referred = ev[-1]["date"]
    if rng.random() < 0.5:
        return ev
    if rng.random() < 0.5:
        add(
            "decision_notified",
            referred + dt.timedelta(days=rng.randint(30, 120)),
            outcome="granted",
            procedure="extended",
        )
        return ev
    if add(
        "intention_issued", referred + dt.timedelta(days=rng.randint(20, 90)), procedure="extended"
    ):
        issued = ev[-1]["date"]
        if rng.random() < 0.8:
            add("view_submitted", issued + dt.timedelta(days=rng.randint(5, 26)))
        if add(
            "decision_notified",
            issued + dt.timedelta(days=rng.randint(30, 60)),
            outcome="refused",
            procedure="extended",
        ):
            decided = ev[-1]["date"]
            if rng.random() < 0.75:
                add("appeal_lodged", decided + dt.timedelta(days=rng.randint(3, 27)))
    return ev


def weighted_nationality(rng: random.Random) -> str:
    codes = list(NATIONALITIES)
    return rng.choices(codes, weights=[NATIONALITIES[c][0] for c in codes])[0]
