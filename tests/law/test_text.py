"""Message catalogues (law/locale/*.toml): complete, consistent, and every key used exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import toevlucht.law
from toevlucht.law.text import (
    LANGUAGES,
    PLURAL_FORMS,
    catalog,
    format_date,
    format_money,
    placeholders,
    plural_specs,
    render_key,
)

LAW = Path(toevlucht.law.__file__).parent


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_language_has_the_same_keys_and_placeholders_as_english(lang: str) -> None:
    en, other = catalog("en"), catalog(lang)
    assert set(other) == set(en), set(en) ^ set(other)
    for key, template in en.items():
        assert placeholders(other[key]) == placeholders(template), key


def test_every_message_key_in_the_code_exists_in_english() -> None:
    en = catalog("en")
    pattern = re.compile(
        r'"((?:atw|calendar|registration|gp|view|decision|measure|appeal|'
        r'further|court_order|remedy_step|note|next|error)\.[a-z0-9_.]+)"'
    )
    used: set[str] = set()
    for path in LAW.glob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "no keys found: pattern broken"
    missing = {k for k in used if k not in en}
    assert not missing


def test_dates_are_written_in_each_language() -> None:
    import datetime as dt

    d = dt.date(2022, 5, 9)
    assert format_date(d, "en") == "9 May 2022"
    assert format_date(d, "nl") == "9 mei 2022"
    assert format_date(d, "ru") == "9 мая 2022 г."
    assert format_date(d, "uk") == "9 травня 2022 р."


def test_money_is_written_in_each_language() -> None:
    assert format_money(1442, "en") == "€1,442"
    assert format_money(1442, "nl") == "€ 1.442"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_plural_has_the_forms_of_its_language(lang: str) -> None:
    for key, template in catalog(lang).items():
        for forms in plural_specs(template):
            assert len(forms) == PLURAL_FORMS[lang], (lang, key, forms)


@pytest.mark.parametrize(
    ("lang", "days", "expected"),
    [
        ("en", 1, "1 day late"),
        ("en", 21, "21 days late"),
        ("nl", 1, "1 dag te laat"),
        ("nl", 2, "2 dagen te laat"),
        ("ru", 1, "опоздание на 1 день"),
        ("ru", 3, "опоздание на 3 дня"),
        ("ru", 11, "опоздание на 11 дней"),
        ("ru", 21, "опоздание на 21 день"),
        ("ru", 24, "опоздание на 24 дня"),
        ("uk", 2, "запізнення на 2 дні"),
        ("uk", 14, "запізнення на 14 днів"),
        ("uk", 101, "запізнення на 101 день"),
    ],
)
def test_counts_take_the_plural_form_of_the_language(lang: str, days: int, expected: str) -> None:
    assert render_key("ui.late_by", lang, {"days": days}) == expected


def test_a_measure_shown_for_information_is_not_said_to_have_been_announced() -> None:
    """The unconfirmed extension of the Iran moratorium (not known whether it exists) is
    shown beside the decision term; the step must not say it was announced."""
    import datetime as dt

    from toevlucht.law import assess, parse_case
    from toevlucht.law.text import render_step

    case = parse_case(
        {
            "applicant": {"nationality": "IRN"},
            "events": [{"kind": "application_lodged", "date": "2026-02-02"}],
        }
    )
    steps = assess(case, dt.date(2026, 12, 1)).deadline("decision").steps
    shown = [s for s in steps if s.key == "measure.unconfirmed"]
    assert any("after 19 September 2026" in render_step(s, "en") for s in shown)
    for s in shown:
        for lang, announced in (("en", "announced"), ("nl", "aangekondigd")):
            assert announced not in render_step(s, lang)
