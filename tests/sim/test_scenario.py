"""Scenario files: the bundled ones load; a bad file gets one clear message naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sim.helpers import scenario_text, write
from toevlucht.sim import ScenarioError, SimError, bundled_scenarios, load_scenario
from toevlucht.sim.plan import build_plan


@pytest.mark.parametrize("name", bundled_scenarios())
def test_every_bundled_scenario_loads(name: str) -> None:
    sc = load_scenario(name)
    assert sc.name == name
    assert sc.groups


def test_the_bundled_scenarios_include_nl_2022_and_the_three_russia_variants() -> None:
    assert {"nl-2022", "ru-2022-none", "ru-2022-press-stop", "ru-2022-moratorium"} <= set(
        bundled_scenarios()
    )
    assert {"nl-2022-fitted", "nl-2026", "nl-2026-fifo"} <= set(bundled_scenarios())


BAD = [
    # (what is wrong, replace this, with this, key in the message, words in the message)
    ("unknown top-level key", "[appeals]", 'colour = "red"\n[appeals]', "colour", "unknown key"),
    (
        "unknown key in a stage",
        "[stages.dublin]\n",
        "[stages.dublin]\nspeed = 3\n",
        "stages.dublin.speed",
        "unknown key",
    ),
    (
        "wrong type",
        "capacity = 36",
        'capacity = "fast"',
        "stages.registration.capacity",
        "expected a number",
    ),
    (
        "a date as text",
        "start = 2022-01-01",
        'start = "2022-01-01"',
        "scenario.start",
        "expected a date",
    ),
    (
        "overlapping periods",
        "capacity = 36",
        "capacity = [{ from = 2022-01-01, value = 30, until = 2022-04-01 },"
        " { from = 2022-03-01, value = 40 }]",
        "stages.registration.capacity[1].from",
        "overlaps the previous period",
    ),
    (
        "periods out of order",
        "capacity = 36",
        "capacity = [{ from = 2022-03-01, value = 30 }, { from = 2022-01-01, value = 40 }]",
        "stages.registration.capacity[1].from",
        "not after",
    ),
    (
        "unknown nationality",
        'nationality = "SYR"',
        'nationality = "XYZ"',
        "group[0].nationality",
        "ISO 3166-1",
    ),
    (
        "unknown measure",
        "measures = []",
        'measures = ["no-such-measure"]',
        "law.measures[0]",
        "unknown measure",
    ),
    (
        "a share above 1",
        "grant_rate = 0.9",
        "grant_rate = 1.9",
        "group[0].grant_rate",
        "between 0 and 1",
    ),
    (
        "tracks not adding up",
        "tracks = { general = 1.0 }",
        "tracks = { general = 0.7 }",
        "group[0].tracks",
        "add up to 0.7",
    ),
    ("end before start", "end = 2022-06-30", "end = 2021-06-30", "scenario.end", "not after start"),
    (
        "an unknown priority",
        "[stages.dublin]\n",
        '[stages.dublin]\npriority = ["express"]\n',
        "stages.dublin.priority[0]",
        "not a route, group, cohort or lane",
    ),
    (
        "outside the legal calendar",
        "start = 2022-01-01",
        "start = 2012-01-01",
        "scenario.start",
        "outside the legal calendar",
    ),
    ("a missing section", "[remedies]", "[remedies_]", "remedies", "is required"),
]


@pytest.mark.parametrize(("why", "old", "new", "key", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_scenario_file_names_file_and_key(
    tmp_path: Path, why: str, old: str, new: str, key: str, words: str
) -> None:
    text = scenario_text()
    assert old in text, why
    path = write(tmp_path, text.replace(old, new, 1), "bad.toml")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(str(path))
    msg = str(exc.value)
    assert msg.startswith(f"{path}: ")
    assert key in msg
    assert words in msg
    assert "\n" not in msg


def test_a_hold_needs_the_measure_in_the_scenario_and_a_start_when_the_law_has_none(
    tmp_path: Path,
) -> None:
    hold = '[[hold]]\nmeasure = "ru-decision-stop-2022-press"\n'
    path = write(tmp_path, scenario_text(holds=hold))
    with pytest.raises(ScenarioError, match=r"hold\[0\]\.measure: .*not among law.measures"):
        load_scenario(str(path))
    path = write(tmp_path, scenario_text(holds=hold, measures='["ru-decision-stop-2022-press"]'))
    with pytest.raises(ScenarioError, match=r"hold\[0\]\.assume_from: the law does not know when"):
        load_scenario(str(path))


def test_an_unknown_applicant_group_in_a_profile_is_refused(tmp_path: Path) -> None:
    text = scenario_text(extra_group="RUS").replace("conscript_refusing_service", "pilots")
    with pytest.raises(
        ScenarioError, match=r"group\[1\]\.profile\[0\]\.groups\[0\]: unknown group 'pilots'"
    ):
        load_scenario(str(write(tmp_path, text)))


def test_the_initial_backlog_must_be_first_in_first_out(tmp_path: Path) -> None:
    blocks = """
[[initial]]
stage = "extended_procedure"
count = 100
lodged_from = 2021-06-01
lodged_until = 2021-10-01
[[initial]]
stage = "registration"
count = 100
lodged_from = 2021-09-01
lodged_until = 2021-12-01
"""
    with pytest.raises(
        ScenarioError, match="further along the procedure must have been lodged earlier"
    ):
        load_scenario(str(write(tmp_path, scenario_text() + blocks)))


def test_not_toml_and_no_such_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(str(write(tmp_path, "[scenario\nname=1")))
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(str(tmp_path / "nope.toml"))


def test_a_scenario_can_extend_another_and_override_only_what_differs(tmp_path: Path) -> None:
    write(tmp_path, scenario_text(), "base.toml")
    child = write(
        tmp_path,
        '[scenario]\nextends = "base.toml"\nname = "child"\n'
        "[stages.general_procedure]\ncapacity = 50\n",
        "child.toml",
    )
    sc = load_scenario(str(child))
    assert sc.name == "child"
    assert sc.stages[next(iter(sc.stages))].capacity  # the rest came from the base
    gp = next(v for v in sc.stages.values() if v.stage.value == "general_procedure")
    assert gp.capacity.values == (50.0,)


def test_a_bad_measure_definition_names_the_key(tmp_path: Path) -> None:
    define = """
[[law.define]]
id = "x"
kind = "decision_moratorium"
title_en = "x"
title_nl = "x"
effect_status = "confirmed"
legal_basis = "vw-43-1"
[[law.define.periods]]
until = 2022-05-01
source = "vw-43-1"
"""
    text = scenario_text().replace("\n[[group]]", define + "\n[[group]]", 1)
    with pytest.raises(
        ScenarioError, match=r"law\.define\[0\]\.periods\[0\]\.from: only an unconfirmed"
    ):
        load_scenario(str(write(tmp_path, text)))


def test_a_scenario_where_nothing_flows_is_a_clear_error(tmp_path: Path) -> None:
    sc = load_scenario(str(write(tmp_path, scenario_text(rate_syr=0))))
    with pytest.raises(SimError, match="nothing flows"):
        build_plan(sc)


def test_extending_a_missing_scenario_names_the_key(tmp_path: Path) -> None:
    child = write(tmp_path, '[scenario]\nextends = "nope.toml"\n', "child.toml")
    with pytest.raises(
        ScenarioError, match=r"child\.toml: scenario\.extends: 'nope\.toml' is neither"
    ):
        load_scenario(str(child))
