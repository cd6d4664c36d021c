"""Policy measures as dated data: moratoria, decision stops, general term extensions.

A measure has a kind, a scope (nationalities, sex, age range, groups, lodging dates), one or
more periods (an extension of a moratorium is a new period, announced on its own date), a
legal effect with its status, and the court rulings about it. Only what was announced on the
assessment date counts, so a past date replays exactly what was known then.

Effect status:

* ``confirmed`` — applied to deadlines;
* ``contested`` — applied (it is the law as published) and the dispute is shown, until a
  ruling in the data disapplies it from its date;
* ``unconfirmed`` — shown, never applied to a deadline.

>>> ru = measure("ru-conscripts-2022-decision")
>>> ru.kind, ru.term_extension_months
(<MeasureKind.DECISION_MORATORIUM: 'decision_moratorium'>, 12)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from toevlucht.law.errors import DataError
from toevlucht.law.model import Applicant, Sex, country_codes
from toevlucht.law.params import value
from toevlucht.law.sources import Citation, TableReader, parse_source, read_data_file, resolve

__all__ = [
    "EffectStatus",
    "Group",
    "Match",
    "MatchStatus",
    "Measure",
    "MeasureException",
    "MeasureKind",
    "Period",
    "Ruling",
    "Scope",
    "groups",
    "implied_sex",
    "load_measures",
    "measure",
    "measure_from_dict",
    "parse_measures",
    "valid_measure_id",
]

FILE = "law/data/nl/measures.toml"


class MeasureKind(StrEnum):
    DECISION_MORATORIUM = "decision_moratorium"  # besluitmoratorium, Vw 2000 art. 43
    DEPARTURE_MORATORIUM = "departure_moratorium"  # vertrekmoratorium, Vw 2000 art. 45(4)
    DECISION_STOP = "decision_stop"  # beslisstop / beslispauze as announced
    GENERAL_TERM_EXTENSION = "general_term_extension"  # categorical Vw 2000 art. 42(4)(b)


class EffectStatus(StrEnum):
    CONFIRMED = "confirmed"
    CONTESTED = "contested"
    UNCONFIRMED = "unconfirmed"


class MatchStatus(StrEnum):
    APPLIES = "applies"
    POSSIBLY = "possibly"  # a fact the scope needs is not recorded
    NOT = "not"


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    id: str
    name_en: str
    name_nl: str
    # a fact membership implies, so that it is not asked for again: (sex, nationalities)
    implies_sex: Sex | None = None
    implies_for: frozenset[str] = frozenset()  # the nationalities for which it holds


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    nationalities: frozenset[str] = frozenset()  # empty: every nationality
    sexes: frozenset[Sex] = frozenset()
    age_min: int | None = None
    age_max: int | None = None
    groups_any: frozenset[str] = frozenset()
    lodged_from: dt.date | None = None
    lodged_before: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    start: dt.date | None  # None: start not established (shown as unknown)
    until: dt.date | None  # exclusive; None: open-ended
    announced: dt.date | None  # None: announcement date not established
    source: Citation
    note: str = ""

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (
            self.until is None or day < self.until
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Ruling:
    date: dt.date | None
    source: Citation
    holding: str
    disapplies: bool = False  # from this date the engine no longer applies the measure


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    status: MatchStatus
    reasons: tuple[str, ...]  # why not / what is missing, in plain English
    missing: tuple[str, ...] = ()  # message keys of the missing facts (missing.sex, ...)


class MeasureException(StrEnum):
    """Whom a measure leaves out, as its announcement says. Shown with the measure; the
    engine does not apply them itself (the facts they turn on, such as article 1F or a false
    nationality, are not recorded), except that a Dublin case has no running decision term."""

    DUBLIN = "dublin"  # another Member State is responsible
    OLD_FILE = "old_file"  # files older than 21 months with enough information are decided
    ARTICLE_1F = "article_1f"  # exclusion under art. 1F of the Refugee Convention
    FALSE_NATIONALITY = "false_nationality"  # the stated nationality is not believed
    PROTECTION_ELSEWHERE = "protection_elsewhere"  # protection in another country


@dataclass(frozen=True, slots=True, kw_only=True)
class Measure:
    id: str
    kind: MeasureKind
    title_en: str
    title_nl: str
    effect_status: EffectStatus
    legal_basis: Citation
    scope: Scope
    periods: tuple[Period, ...]
    term_extension_months: int | None = None
    extension_ground: str = ""
    effect_note: str = ""
    rulings: tuple[Ruling, ...] = ()
    note: str = ""
    title_ru: str = ""
    title_uk: str = ""
    exceptions: tuple[MeasureException, ...] = ()  # applicants it leaves out (shown)

    def title(self, lang: str) -> str:
        """The title in ``lang``, English where no translation is recorded."""
        return str(getattr(self, f"title_{lang}", "") or self.title_en)

    # --- what was known when -------------------------------------------------------------
    def periods_known(self, as_of: dt.date) -> tuple[Period, ...]:
        """Periods announced on or before ``as_of`` (an unknown announcement counts)."""
        return tuple(p for p in self.periods if p.announced is None or p.announced <= as_of)

    def known_on(self, as_of: dt.date) -> bool:
        return bool(self.periods_known(as_of))

    def start(self) -> dt.date | None:
        return self.periods[0].start

    def until_known(self, as_of: dt.date) -> dt.date | None:
        known = self.periods_known(as_of)
        return known[-1].until if known else None

    def in_force_on(self, day: dt.date, as_of: dt.date) -> bool:
        return any(p.covers(day) for p in self.periods_known(as_of))

    def disapplied_by(self, as_of: dt.date) -> Ruling | None:
        for r in self.rulings:
            if r.disapplies and r.date is not None and r.date <= as_of:
                return r
        return None

    def applied_to_deadlines(self, as_of: dt.date) -> bool:
        """Whether the engine lets this measure move a deadline, as known on ``as_of``."""
        if self.effect_status is EffectStatus.UNCONFIRMED or self.term_extension_months is None:
            return False
        return self.disapplied_by(as_of) is None

    # --- scope ---------------------------------------------------------------------------
    def match(self, applicant: Applicant, lodged: dt.date | None, on: dt.date) -> Match:
        """Does the measure's scope cover this applicant? Age is taken on ``on``."""
        s = self.scope
        missing: list[str] = []
        if s.nationalities and applicant.nationality not in s.nationalities:
            return Match(
                status=MatchStatus.NOT,
                reasons=(
                    f"nationality {applicant.nationality} is not "
                    + ", ".join(sorted(s.nationalities)),
                ),
            )
        keys: list[str] = []
        if s.sexes:
            sex = applicant.sex or implied_sex(applicant)
            if sex is None:
                missing.append("sex not recorded")
                keys.append("missing.sex")
            elif sex not in s.sexes:
                return Match(status=MatchStatus.NOT, reasons=(f"sex is {sex.value}",))
        if s.age_min is not None or s.age_max is not None:
            age = applicant.age_on(on)
            if age is None:
                missing.append("birth date not recorded")
                keys.append("missing.birth_date")
            elif (s.age_min is not None and age < s.age_min) or (
                s.age_max is not None and age > s.age_max
            ):
                return Match(
                    status=MatchStatus.NOT,
                    reasons=(f"aged {age} on {on.isoformat()}, outside {s.age_min}-{s.age_max}",),
                )
        if s.groups_any:
            if not applicant.groups_known:  # not recorded (an empty list is: recorded, none)
                missing.append("no group recorded (e.g. " + ", ".join(sorted(s.groups_any)) + ")")
                keys.append("missing.groups")
            elif not applicant.groups & s.groups_any:
                return Match(
                    status=MatchStatus.NOT,
                    reasons=("not in group " + " or ".join(sorted(s.groups_any)),),
                )
        if s.lodged_from is not None or s.lodged_before is not None:
            if lodged is None:
                missing.append("lodging date not recorded")
                keys.append("missing.lodged")
            elif (s.lodged_from is not None and lodged < s.lodged_from) or (
                s.lodged_before is not None and lodged >= s.lodged_before
            ):
                return Match(
                    status=MatchStatus.NOT,
                    reasons=(
                        f"lodged on {lodged.isoformat()}, outside the measure's lodging dates",
                    ),
                )
        if missing:
            return Match(status=MatchStatus.POSSIBLY, reasons=tuple(missing), missing=tuple(keys))
        return Match(status=MatchStatus.APPLIES, reasons=())


def implied_sex(applicant: Applicant) -> Sex | None:
    """The sex a recorded group implies for the applicant's nationality (measures.toml:
    ``implies_sex``), or None. A Russian conscript is a man: the law on military duty
    conscripts men only, so the fact is not asked for again."""
    known = groups()
    implied = {
        known[g].implies_sex
        for g in applicant.groups
        if g in known
        and known[g].implies_sex is not None
        and applicant.nationality in known[g].implies_for
    }
    return implied.pop() if len(implied) == 1 else None


# --- loading ----------------------------------------------------------------------------------


def _parse_groups(t: TableReader) -> dict[str, Group]:
    out: dict[str, Group] = {}
    for gid in t.keys():  # noqa: SIM118 (TableReader is not a dict)
        g = t.table(gid)
        assert g is not None
        implied = g.text("implies_sex", required=False)
        try:
            sex = Sex(implied) if implied else None
        except ValueError:
            raise g.error("implies_sex", f"{implied!r} must be male, female or x") from None
        for_ = frozenset(g.texts("implies_for_nationalities", required=sex is not None))
        g.text("implies_note", required=sex is not None)
        out[gid] = Group(
            id=gid,
            name_en=g.text("name_en"),
            name_nl=g.text("name_nl"),
            implies_sex=sex,
            implies_for=for_,
        )
        g.text("description", required=False)
        g.done()
    t.done()
    return out


def _parse_scope(t: TableReader | None, known_groups: Mapping[str, Group]) -> Scope:
    if t is None:
        return Scope()
    nationalities = frozenset(t.texts("nationalities", required=False))
    for n in nationalities:
        if n not in country_codes():
            raise t.error("nationalities", f"{n!r} is not an ISO 3166-1 alpha-3 code")
    sexes_raw = t.texts("sexes", required=False)
    try:
        sexes = frozenset(Sex(x) for x in sexes_raw)
    except ValueError:
        raise t.error("sexes", f"{sexes_raw} must be among male, female, x") from None
    groups_any = frozenset(t.texts("groups_any", required=False))
    for g in groups_any:
        if g not in known_groups:
            raise t.error("groups_any", f"unknown group {g!r}")
    scope = Scope(
        nationalities=nationalities,
        sexes=sexes,
        age_min=t.integer("age_min", required=False),
        age_max=t.integer("age_max", required=False),
        groups_any=groups_any,
        lodged_from=t.day("lodged_from", required=False),
        lodged_before=t.day("lodged_before", required=False),
    )
    t.done()
    return scope


def _source(t: TableReader, key: str, owner: str) -> Citation:
    """A source given by id (sources.toml) or inline as a table (measures announced in-app)."""
    raw = t._get(key, (str, dict), True)
    if isinstance(raw, str):
        return resolve(t.file, f"{t.key}.{key}", raw)
    return parse_source(TableReader(t.file, f"{t.key}.{key}", raw), f"{owner}:{key}")


# what a measure id may be: it is a URL path segment, a filter value and a column name
_MEASURE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
MEASURE_ID_RULE = (
    "1 to 80 lower-case letters, digits and hyphens, starting and ending with a letter or "
    "digit (e.g. 'ru-2022-decision')"
)


def valid_measure_id(mid: object) -> bool:
    return isinstance(mid, str) and _MEASURE_ID.fullmatch(mid) is not None


def _parse_measure(t: TableReader, known_groups: Mapping[str, Group]) -> Measure:
    mid = t.text("id")
    if not valid_measure_id(mid):
        raise t.error("id", f"{mid!r} is not a measure id: {MEASURE_ID_RULE}")
    kind = t.enum("kind", MeasureKind)
    status = t.enum("effect_status", EffectStatus)
    basis = _source(t, "legal_basis", mid)
    scope = _parse_scope(t.table("scope", required=False), known_groups)
    periods: list[Period] = []
    for p in t.tables("periods"):
        start, until = p.day("from", required=False), p.day("until", required=False)
        if start is None and status is not EffectStatus.UNCONFIRMED:
            raise p.error("from", "only an unconfirmed measure may have an unknown start")
        if start and until and until <= start:
            raise p.error("until", f"{until} is not after from = {start}")
        period = Period(
            start=start,
            until=until,
            announced=p.day("announced", required=False),
            source=_source(p, "source", mid),
            note=p.text("note", required=False),
        )
        p.done()
        if periods:
            prev = periods[-1]
            if prev.until is None or period.start is None or period.start < prev.until:
                raise p.error("from", "overlaps the previous period")
        periods.append(period)
    if not periods:
        raise t.error("periods", "a measure needs at least one period")
    rulings: list[Ruling] = []
    for r in t.tables("rulings", required=False):
        rulings.append(
            Ruling(
                date=r.day("date", required=False),
                source=_source(r, "source", mid),
                holding=r.text("holding"),
                disapplies=r.flag("disapplies", required=False),
            )
        )
        r.done()
    months = t.integer("term_extension_months", required=False)
    ground = t.text("extension_ground", required=False)
    if kind is MeasureKind.DEPARTURE_MORATORIUM and months is not None:
        raise t.error(
            "term_extension_months", "a departure moratorium does not extend the decision term"
        )
    if kind is MeasureKind.DECISION_MORATORIUM and months is None:
        raise t.error(
            "term_extension_months",
            "a decision moratorium extends the decision term: give the months (Vw 2000 art. 43)",
        )
    if kind is MeasureKind.GENERAL_TERM_EXTENSION and (months is None or not ground):
        raise t.error(
            "term_extension_months", "a general term extension needs months and extension_ground"
        )
    start = periods[0].start or dt.date.max
    if months is not None and months < 1:
        raise t.error("term_extension_months", f"must be at least 1, got {months}")
    if months is not None and kind is MeasureKind.GENERAL_TERM_EXTENSION:
        limit = int(value("decision_term_extension_42_4_max_months", start).value)
        if months > limit:
            raise t.error(
                "term_extension_months",
                f"{months} months; Vw 2000 art. 42(4) allows an extension of at most {limit}",
            )
    elif months is not None and start != dt.date.max:
        limit = int(value("moratorium_individual_extension_max_months", start).value)
        if months > limit:
            raise t.error(
                "term_extension_months",
                f"{months} months; Vc 2000 C3/2 extends an individual term by at most {limit}",
            )
    measure = Measure(
        id=mid,
        kind=kind,
        title_en=t.text("title_en"),
        title_nl=t.text("title_nl"),
        title_ru=t.text("title_ru", required=False),
        title_uk=t.text("title_uk", required=False),
        effect_status=status,
        legal_basis=basis,
        scope=scope,
        periods=tuple(periods),
        term_extension_months=months,
        extension_ground=ground,
        effect_note=t.text("effect_note", required=False),
        rulings=tuple(rulings),
        note=t.text("note", required=False),
        exceptions=_exceptions(t),
    )
    t.done()
    return measure


def _exceptions(t: TableReader) -> tuple[MeasureException, ...]:
    out: list[MeasureException] = []
    for raw in t.texts("exceptions", required=False):
        try:
            out.append(MeasureException(raw))
        except ValueError:
            allowed = ", ".join(e.value for e in MeasureException)
            raise t.error("exceptions", f"{raw!r} is not one of: {allowed}") from None
    return tuple(out)


def parse_measures(
    file: str, content: dict[str, Any]
) -> tuple[dict[str, Group], dict[str, Measure]]:
    top = TableReader(file, "", content)
    groups_t = top.table("groups")
    assert groups_t is not None
    known_groups = _parse_groups(groups_t)
    measures: dict[str, Measure] = {}
    for t in top.tables("measure"):
        m = _parse_measure(t, known_groups)
        if m.id in measures:
            raise t.error("id", f"duplicate measure id {m.id!r}")
        measures[m.id] = m
    top.done()
    return known_groups, measures


def measure_from_dict(raw: Mapping[str, Any], where: str = "measure") -> Measure:
    """Validate one measure given as a mapping in the measures.toml format.

    Sources may be ids from sources.toml or inline tables (``kind``, ``instrument``,
    ``url``, ``status``, ...). Used for measures a supervisor announces in the app.

    Raises:
        DataError: naming ``where`` and the key that is wrong.
    """
    return _parse_measure(TableReader(where, "", dict(raw)), groups())


@cache
def _load() -> tuple[dict[str, Group], dict[str, Measure]]:
    file, content = read_data_file("measures.toml")
    return parse_measures(file, content)


def load_measures() -> dict[str, Measure]:
    """Every measure in ``law/data/nl/measures.toml``, by id."""
    return _load()[1]


def groups() -> dict[str, Group]:
    """The applicant groups measures can be scoped to."""
    return _load()[0]


def measure(measure_id: str) -> Measure:
    try:
        return load_measures()[measure_id]
    except KeyError:
        raise DataError(FILE, measure_id, "no such measure") from None
