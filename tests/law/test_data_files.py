"""The strict loaders of law/data/nl (sources, parameters, holidays, measures)."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest

from toevlucht.law import calendar, measures, params, sources
from toevlucht.law.errors import DataError

D = dt.date

STATUTE = {
    "kind": "statute",
    "instrument": "Vreemdelingenwet 2000",
    "abbreviation": "Vw 2000",
    "bwb_id": "BWBR0011823",
    "article": "42",
    "paragraph": "1",
    "consolidation_date": D(2022, 1, 1),
    "url": "https://wetten.overheid.nl/BWBR0011823/2022-01-01#Artikel42",
    "status": "confirmed",
}


def test_all_packaged_data_files_load() -> None:
    assert len(sources.load_sources()) > 40
    assert "decision_term_months" in params.load_parameters()
    assert len(measures.load_measures()) >= 10
    assert calendar.legal_calendar().holidays(2022)


def test_every_statute_source_is_structured() -> None:
    for s in sources.load_sources().values():
        if s.kind is sources.SourceKind.STATUTE:
            assert s.bwb_id.startswith("BWBR")
            assert s.article
            assert s.consolidation_date is not None
            assert s.url.startswith(f"https://wetten.overheid.nl/{s.bwb_id}/")


def test_a_source_with_an_unknown_key_names_file_and_key() -> None:
    with pytest.raises(DataError, match=r"x.toml: vw.colour: unknown key"):
        sources.parse_sources("x.toml", {"vw": {**STATUTE, "colour": "red"}})


def test_a_statute_without_bwb_id_is_rejected() -> None:
    raw = {k: v for k, v in STATUTE.items() if k != "bwb_id"}
    with pytest.raises(DataError, match="bwb_id: is required for a statute"):
        sources.parse_sources("x.toml", {"vw": raw})


def test_a_source_with_an_unknown_status_is_rejected() -> None:
    with pytest.raises(DataError, match="status: 'probably' is not one of"):
        sources.parse_sources("x.toml", {"vw": {**STATUTE, "status": "probably"}})


def _param(values: list[dict[str, Any]]) -> dict[str, Any]:
    return {"p": {"description": "d", "unit": "months", "values": values}}


def test_parameter_values_are_found_by_date() -> None:
    p = params.parse_parameters(
        "t.toml",
        _param(
            [
                {"from": D(2020, 1, 1), "value": 6, "source": "vw-42-1"},
                {"from": D(2023, 1, 1), "value": 9, "source": "vw-42-1"},
            ]
        ),
    )["p"]
    assert p.on(D(2022, 12, 31)).value == 6
    assert p.on(D(2023, 1, 1)).value == 9
    with pytest.raises(DataError, match="no value in force on 2019-12-31"):
        p.on(D(2019, 12, 31))


def test_overlapping_parameter_periods_are_rejected() -> None:
    with pytest.raises(DataError, match=r"t.toml: p.values\[1\].from: overlaps"):
        params.parse_parameters(
            "t.toml",
            _param(
                [
                    {
                        "from": D(2020, 1, 1),
                        "until": D(2024, 1, 1),
                        "value": 6,
                        "source": "vw-42-1",
                    },
                    {"from": D(2023, 1, 1), "value": 9, "source": "vw-42-1"},
                ]
            ),
        )


def test_parameter_values_out_of_order_are_rejected() -> None:
    with pytest.raises(DataError, match="values must be in date order"):
        params.parse_parameters(
            "t.toml",
            _param(
                [
                    {"from": D(2023, 1, 1), "value": 9, "source": "vw-42-1"},
                    {"from": D(2020, 1, 1), "value": 6, "source": "vw-42-1"},
                ]
            ),
        )


def test_a_parameter_value_without_source_is_rejected() -> None:
    with pytest.raises(DataError, match=r"p.values\[0\].source: is required"):
        params.parse_parameters("t.toml", _param([{"from": D(2020, 1, 1), "value": 6}]))


def test_a_parameter_citing_an_unknown_source_is_rejected() -> None:
    with pytest.raises(DataError, match="unknown source 'vw-99'"):
        params.parse_parameters(
            "t.toml", _param([{"from": D(2020, 1, 1), "value": 6, "source": "vw-99"}])
        )


def test_a_parameter_with_an_unknown_unit_is_rejected() -> None:
    raw = _param([{"from": D(2020, 1, 1), "value": 6, "source": "vw-42-1"}])
    raw["p"]["unit"] = "fortnights"
    with pytest.raises(DataError, match="unit: 'fortnights' is not one of"):
        params.parse_parameters("t.toml", raw)


def test_a_parameter_with_a_string_date_is_rejected() -> None:
    with pytest.raises(DataError, match=r"from: expected a date"):
        params.parse_parameters(
            "t.toml", _param([{"from": "2020-01-01", "value": 6, "source": "vw-42-1"}])
        )


def _holidays(extra: str) -> dict[str, Any]:
    return tomllib.loads(
        "[calendar]\nfirst_year = 2020\nlast_year = 2030\n"
        '[[rule]]\nid = "ny"\nname_en = "n"\nname_nl = "n"\nkind = "recognised"\n'
        'fixed = "01-01"\nsource = "atw-3-1"\nfrom = 1965-04-01\n' + extra
    )


def test_two_decrees_covering_the_same_year_are_rejected() -> None:
    extra = (
        '[[decree]]\nsource = "kb-stcrt-2022-7812"\nstatus = "confirmed"\nyears = [2023]\n'
        '[[decree]]\nsource = "kb-stcrt-2025-24713"\nstatus = "confirmed"\nyears = [2023]\n'
    )
    with pytest.raises(DataError, match="2023 is already covered by another decree"):
        calendar._parse("h.toml", _holidays(extra))


def test_an_equated_day_outside_its_decrees_years_is_rejected() -> None:
    extra = (
        '[[decree]]\nsource = "kb-stcrt-2022-7812"\nstatus = "confirmed"\nyears = [2023]\n'
        '[[decree.days]]\ndate = 2024-05-10\nname_en = "x"\nname_nl = "x"\n'
    )
    with pytest.raises(DataError, match="2024-05-10 is not in the decree's years"):
        calendar._parse("h.toml", _holidays(extra))


def test_a_holiday_rule_with_a_bad_fixed_date_is_rejected() -> None:
    raw = _holidays("")
    raw["rule"][0]["fixed"] = "02-30"
    with pytest.raises(DataError, match="fixed: expected MM-DD"):
        calendar._parse("h.toml", raw)


MEASURE: dict[str, Any] = {
    "id": "m",
    "kind": "decision_moratorium",
    "title_en": "t",
    "title_nl": "t",
    "effect_status": "confirmed",
    "legal_basis": "vw-43-1",
    "term_extension_months": 6,
    "scope": {"nationalities": ["SYR"]},
    "periods": [{"from": D(2023, 1, 1), "until": D(2023, 7, 1), "source": "vw-43-1"}],
}


def test_a_measure_from_a_mapping_accepts_an_inline_source() -> None:
    raw = {
        **MEASURE,
        "periods": [
            {
                "from": D(2023, 1, 1),
                "source": {
                    "kind": "decree",
                    "instrument": "WBV 2023/99",
                    "url": "https://example.org/wbv",
                    "status": "confirmed",
                },
            }
        ],
    }
    m = measures.measure_from_dict(raw)
    assert m.periods[0].source.instrument == "WBV 2023/99"


def test_overlapping_measure_periods_are_rejected() -> None:
    raw = {
        **MEASURE,
        "periods": [
            {"from": D(2023, 1, 1), "until": D(2023, 7, 1), "source": "vw-43-1"},
            {"from": D(2023, 6, 1), "until": D(2023, 12, 1), "source": "vw-43-1"},
        ],
    }
    with pytest.raises(DataError, match="overlaps the previous period"):
        measures.measure_from_dict(raw)


def test_a_confirmed_measure_needs_a_start_date() -> None:
    raw = {**MEASURE, "periods": [{"until": D(2023, 7, 1), "source": "vw-43-1"}]}
    with pytest.raises(DataError, match="only an unconfirmed measure may have an unknown start"):
        measures.measure_from_dict(raw)


def test_a_moratorium_extension_beyond_a_year_is_rejected() -> None:
    with pytest.raises(DataError, match="at most 12"):
        measures.measure_from_dict({**MEASURE, "term_extension_months": 15})


def test_a_general_extension_beyond_nine_months_is_rejected() -> None:
    raw = {
        **MEASURE,
        "kind": "general_term_extension",
        "term_extension_months": 10,
        "extension_ground": "42(4)(b)",
    }
    with pytest.raises(DataError, match="at most 9"):
        measures.measure_from_dict(raw)


def test_a_measure_scoped_to_an_unknown_group_is_rejected() -> None:
    raw = {**MEASURE, "scope": {"groups_any": ["astronaut"]}}
    with pytest.raises(DataError, match="unknown group 'astronaut'"):
        measures.measure_from_dict(raw)


def test_a_measure_scoped_to_a_non_iso_nationality_is_rejected() -> None:
    raw = {**MEASURE, "scope": {"nationalities": ["RU"]}}
    with pytest.raises(DataError, match="'RU' is not an ISO 3166-1 alpha-3 code"):
        measures.measure_from_dict(raw)


def test_a_departure_moratorium_cannot_extend_the_decision_term() -> None:
    with pytest.raises(DataError, match="does not extend the decision term"):
        measures.measure_from_dict({**MEASURE, "kind": "departure_moratorium"})


def test_every_unconfirmed_domain_fact_is_marked_unconfirmed_in_the_data() -> None:
    """The facts the domain notes mark U stay visibly unconfirmed."""
    s = sources.load_sources()
    assert s["press-ru-stop-2022"].status is sources.Status.UNCONFIRMED
    assert s["vw-further-appeal-short"].status is sources.Status.UNCONFIRMED
    assert s["abrvs-final-after-cjeu"].status is sources.Status.UNCONFIRMED
    m = measures.load_measures()
    assert m["ru-decision-stop-2022-press"].effect_status is measures.EffectStatus.UNCONFIRMED
    assert m["nl-wbv-2022-22"].effect_status is measures.EffectStatus.CONTESTED
    assert params.value("further_appeal_term_short_weeks", D(2022, 1, 1)).status is (
        sources.Status.UNCONFIRMED
    )
