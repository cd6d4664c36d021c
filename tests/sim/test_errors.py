"""The simulator's errors in the reader's language: every ``SimError`` and ``ScenarioError``
the simulator builds carries a message key and its parameters, every key is in every
catalogue with the same placeholders as the parameters the source gives it, and the errors
a bad scenario raises render in every language — the English one as the English message
(the command line's), the others without English fallback — and survive being kept
(``dump_error``/``load_error``) as the analysis pages keep a run's error.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import toevlucht.sim
from toevlucht.law.text import format_date
from toevlucht.sim import ScenarioError, SimError, load_scenario, load_uploaded
from toevlucht.sim.errors import Word
from toevlucht.sim.loader import _parse, _resolve_bundled, parse_scenario
from toevlucht.sim.plan import build_plan
from toevlucht.sim.runner import run
from toevlucht.sim.text import (
    LANGUAGES,
    catalog,
    dump_error,
    load_error,
    placeholders,
    render_error,
    render_stored,
)

SIM = Path(toevlucht.sim.__file__).parent
BUILDERS = {"ScenarioError", "SimError", "err"}  # ``Table.err`` builds a ScenarioError


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def unkeyed(source: str) -> list[int]:
    """The lines of ``source`` where a simulator error is built without a message key or
    without its parameters."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node) in BUILDERS:
            kw = {k.arg: k.value for k in node.keywords}
            key = kw.get("message_key")
            no_key = key is None or (isinstance(key, ast.Constant) and key.value is None)
            if no_key or "params" not in kw:
                out.append(node.lineno)
    return out


def literal_keys(source: str) -> list[tuple[int, str, set[str] | None]]:
    """(line, message key, the parameters' names or None when not a literal dict) of every
    error built with a literal key in ``source``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node) in BUILDERS:
            kw = {k.arg: k.value for k in node.keywords}
            key, params = kw.get("message_key"), kw.get("params")
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names = None
                if isinstance(params, ast.Dict):
                    names = {str(k.value) for k in params.keys if isinstance(k, ast.Constant)}
                out.append((node.lineno, key.value, names))
    return out


def test_the_check_finds_an_error_without_a_key() -> None:
    assert unkeyed("raise SimError('x')\n") == [1]
    assert unkeyed("raise errors.ScenarioError('f', 'k', 'x', message_key=None, params={})\n") == [
        1
    ]
    assert unkeyed("raise t.err('k', 'x', message_key='error.required')\n") == [1]  # no params
    assert unkeyed("raise t.err('k', 'x', message_key='error.required', params={})\n") == []
    assert literal_keys("t.err('k', 'x', message_key='error.a', params={'b': 1})") == [
        (1, "error.a", {"b"})
    ]


SOURCES = {p.relative_to(SIM): p.read_text(encoding="utf-8") for p in sorted(SIM.rglob("*.py"))}


def test_every_error_the_simulator_builds_has_a_message_key_and_parameters() -> None:
    built = sum(s.count("ScenarioError(") + s.count(".err(") for s in SOURCES.values())
    assert built > 50, "hardly any ScenarioError found: the walk is broken"
    assert sum(s.count("SimError(") for s in SOURCES.values()) >= 6
    missing = [f"{rel}:{line}" for rel, s in SOURCES.items() for line in unkeyed(s)]
    assert not missing, f"an error without message_key= and params=: {missing}"


def test_every_key_is_in_every_catalogue_with_the_parameters_the_source_gives() -> None:
    used: set[str] = set()
    wrong = []
    for rel, source in SOURCES.items():
        for line, key, names in literal_keys(source):
            used.add(key)
            for lang in LANGUAGES:
                template = catalog(lang).get(key)
                if template is None:
                    wrong.append(f"{rel}:{line}: no {key} in the {lang} catalogue")
                elif names is not None and placeholders(template) != names:
                    wrong.append(f"{rel}:{line}: {key} ({lang}) wants {placeholders(template)}")
    assert not wrong, wrong
    keys = {k for k in catalog("en") if k.startswith("error.")}
    assert keys - used == set(), "error keys nothing builds"


def test_the_catalogues_have_the_same_keys_and_placeholders_and_say_it_in_their_language() -> None:
    en = catalog("en")
    for lang in LANGUAGES:
        cat = catalog(lang)
        assert set(cat) == set(en), (lang, set(cat) ^ set(en))
        for key, template in cat.items():
            assert placeholders(template) == placeholders(en[key]), (lang, key)
            words = template.replace("{", "").replace("}", "")
            if lang != "en" and key.startswith("error.") and words:
                assert template != en[key], f"{key} in {lang} is the English text"


# --- the errors a bad scenario raises ------------------------------------------------------

_, BASE = _resolve_bundled("nl-2022")


def bad(change: Callable[[dict[str, Any]], object]) -> Callable[[], object]:
    """nl-2022 with ``change`` made to its parsed TOML, validated."""

    def go() -> object:
        content = copy.deepcopy(BASE)
        change(content)
        return parse_scenario("bad.toml", content)

    return go


def setting(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set ``a.b[0].c`` to ``value`` (``...`` removes it)."""

    def change(content: dict[str, Any]) -> None:
        node: Any = content
        parts = path.replace("]", "").replace("[", ".").split(".")
        for p in parts[:-1]:
            node = node[int(p)] if p.isdigit() else node[p]
        last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
        if value is ...:
            del node[last]
        else:
            node[last] = value

    return change


def upload(text: str) -> Callable[[], object]:
    return lambda: load_uploaded("up.toml", text)


def on_disk(main: str, **files: str) -> Callable[[], object]:
    """``main.toml`` (and ``files``) in a temporary folder, loaded as the command line does;
    the file is named as given, so the message does not depend on the folder."""

    def go() -> object:
        with tempfile.TemporaryDirectory() as folder:
            for name, text in {"main": main, **files}.items():
                (Path(folder) / f"{name}.toml").write_text(text, encoding="utf-8")
            cwd = os.getcwd()
            os.chdir(folder)
            try:
                return load_scenario("main.toml")
            finally:
                os.chdir(cwd)

    return go


D = dt.date
PERIODS = [{"from": D(2022, 1, 1), "value": 5}, {"from": D(2022, 3, 1), "value": 6}]
INITIAL = {"stage": "registration", "count": 1, "lodged_from": D(2021, 1, 1)}
HOLD = {"measure": "ru-conscripts-2022-decision"}

CASES: list[tuple[str, Callable[[], object]]] = [
    ("error.required", bad(setting("group.0.id", ...))),
    ("error.expected", bad(setting("group.0.id", 5))),
    ("error.expected", bad(setting("scenario.start", "2022-01-01"))),
    ("error.expected", bad(setting("group.0.tracks", [1]))),
    ("error.expected", bad(setting("group.0.grant_rate", "high"))),
    ("error.expected", on_disk("[scenario]\nextends = 5\n")),
    ("error.extends_unknown", on_disk('[scenario]\nextends = "nope.toml"\n')),
    ("error.extends_too_deep", on_disk('[scenario]\nextends = "main.toml"\n')),
    ("error.no_file", lambda: load_scenario("nope.toml")),
    ("error.too_small", bad(setting("group.0.level_sd", -0.5))),
    ("error.too_small", bad(setting("appeals.lodged_after_days", -1))),
    ("error.not_share", bad(setting("remedies.notice_share", 1.5))),
    ("error.not_share", bad(setting("group.0.appeal_rate", 2))),
    (
        "error.until_not_after_from",
        bad(
            setting(
                "group.0.grant_rate", [{"from": D(2022, 3, 1), "value": 1, "until": D(2022, 2, 1)}]
            )
        ),
    ),
    (
        "error.period_not_after_previous",
        bad(setting("group.0.requests_per_month", PERIODS[::-1])),
    ),
    (
        "error.period_overlaps",
        bad(
            setting(
                "group.0.requests_per_month",
                [{**PERIODS[0], "until": D(2022, 5, 1)}, PERIODS[1]],
            )
        ),
    ),
    ("error.unknown_key", bad(setting("group.0.colour", "red"))),
    ("error.not_one_of", bad(setting("group.3.profile.0.sex", "m"))),
    ("error.not_one_of", bad(setting("stages.requested.days", "weekdays"))),
    ("error.not_one_of", bad(setting("validation.0.metric", "happiness"))),
    ("error.unknown_group", bad(setting("group.3.profile.0.groups", ["pilots"]))),
    ("error.profile_shares", bad(setting("group.3.profile.0.share", 0.5))),
    ("error.profile_ids", bad(setting("group.3.profile.1.id", "conscript"))),
    ("error.nationality", bad(setting("group.0.nationality", "Syria"))),
    ("error.seasonality", bad(setting("group.0.seasonality", [1, 2]))),
    (
        "error.shock_overlaps",
        bad(
            setting(
                "group.0.shocks",
                [
                    {"from": D(2022, 1, 1), "until": D(2022, 6, 1), "factor": 2},
                    {"from": D(2022, 3, 1), "until": D(2022, 7, 1), "factor": 2},
                ],
            )
        ),
    ),
    ("error.track_shares", bad(setting("group.0.tracks", {"general": 0.5}))),
    ("error.not_a_queue_name", bad(setting("stages.dublin.priority", ["nobody"]))),
    ("error.not_a_queue_name", bad(setting("stages.dublin.shares", {"nobody": 0.5}))),
    (
        "error.capacity_shares",
        bad(setting("stages.dublin.shares", {"SYR": 0.75, "AFG": 0.5})),
    ),
    ("error.cohort_id_taken", bad(setting("cohort", [{"id": "SYR"}]))),
    ("error.first_cohort_from", bad(setting("cohort", [{"id": "a", "from": D(2022, 1, 1)}]))),
    (
        "error.cohort_not_after_previous",
        bad(
            setting(
                "cohort",
                [
                    {"id": "a"},
                    {"id": "b", "from": D(2022, 6, 1)},
                    {"id": "c", "from": D(2022, 6, 1)},
                ],
            )
        ),
    ),
    (
        "error.at_least_one",
        bad(setting("cohort", [{"id": "a", "decision_term_months": 0, "source": "x"}])),
    ),
    (
        "error.term_twice",
        bad(
            setting(
                "cohort",
                [{"id": "a", "decision_term_months": 6, "source": "x", "decision_term": "y"}],
            )
        ),
    ),
    ("error.not_a_term", bad(setting("cohort", [{"id": "a", "decision_term": "nope"}]))),
    ("error.hold_not_a_measure", bad(setting("hold", [{"measure": "nope"}]))),
    (
        "error.hold_moratorium",
        bad(setting("hold", [{"measure": "ru-conscripts-2022-departure"}])),
    ),
    ("error.not_one_of", bad(setting("hold", [{**HOLD, "stages": ["appeal"]}]))),
    ("error.not_one_of", bad(setting("initial.0.stage", "appeal"))),
    ("error.second_backlog", bad(setting("initial.1.stage", "extended_procedure"))),
    (
        "error.before_calendar",
        bad(setting("initial.0.lodged_from", D(1990, 1, 1))),
    ),
    (
        "error.until_not_after_lodged_from",
        bad(setting("initial.0.lodged_until", D(2020, 1, 1))),
    ),
    ("error.unknown_scenario_group", bad(setting("initial.0.shares", {"XYZ": 1}))),
    ("error.shares", bad(setting("initial.0.shares", {"SYR": 0.5}))),
    ("error.backlog_not_fifo", bad(setting("initial.0.lodged_until", D(2021, 6, 1)))),
    ("error.end_not_after_start", bad(setting("scenario.end", D(2021, 1, 1)))),
    ("error.outside_calendar", bad(setting("scenario.start", D(1990, 1, 1)))),
    (
        "error.law_define",
        bad(
            setting(
                "law.define",
                [{"id": "x", "kind": "decision_moratorium", "title_en": "x", "title_nl": "x"}],
            )
        ),
    ),
    (
        "error.measure_id_taken",
        bad(
            setting(
                "law.define",
                [
                    {
                        "id": "nl-wbv-2022-22",
                        "kind": "decision_moratorium",
                        "title_en": "x",
                        "title_nl": "x",
                        "effect_status": "confirmed",
                        "legal_basis": "vw-43-1",
                        "term_extension_months": 12,
                        "periods": [{"from": D(2022, 5, 1), "source": "vw-43-1"}],
                    }
                ],
            )
        ),
    ),
    ("error.hold_by_lodging", bad(setting("hold", [{"measure": "nl-wbv-2022-22"}]))),
    (
        "error.hold_start_unknown",
        bad(
            lambda c: c.update(
                law={**c["law"], "measures": ["ru-decision-stop-2022-press"]},
                hold=[{"measure": "ru-decision-stop-2022-press"}],
            )
        ),
    ),
    ("error.not_utf8", lambda: _parse("bad.toml", b"name = '\xff'")),
    ("error.unknown_measure", bad(setting("law.measures", ["nope"]))),
    ("error.no_group", bad(setting("group", []))),
    ("error.group_ids", bad(setting("group.1.id", "SYR"))),
    (
        "error.backlog_after_start",
        bad(
            lambda c: c.update(
                initial=[{**INITIAL, "lodged_until": D(2022, 2, 1), "stage": "registration"}]
            )
        ),
    ),
    ("error.not_finite", upload("[scenario]\nname = 'x'\nx = inf\n")),
    ("error.too_large", upload("[scenario]\nname = 'x'\nx = 2e9\n")),
    ("error.too_deep", upload("a = " + "[" * 20 + "]" * 20 + "\n")),
    ("error.not_toml", upload("[scenario\nname = 1")),
    ("error.extends_upload", upload('[scenario]\nextends = "../etc/passwd"\n')),
    ("error.no_bundled", lambda: _resolve_bundled("nope")),
    ("error.nothing_flows", lambda: build_plan(_nothing())),
    ("error.replications", lambda: run(_scenario(), replications=0)),
]


def _scenario() -> Any:
    return bad(lambda c: None)()


def _nothing() -> Any:
    content = copy.deepcopy(BASE)
    content["initial"] = []
    for g in content["group"]:
        g["requests_per_month"] = 0
    return parse_scenario("bad.toml", content)


def _errors() -> list[tuple[str, int, SimError]]:
    out, wrong = [], []
    for i, (key, cause) in enumerate(CASES):
        try:
            cause()
        except SimError as exc:
            if exc.message_key != key:
                wrong.append((i, key, str(exc)))
            out.append((key, i, exc))
        else:
            wrong.append((i, key, "no error"))
    assert not wrong, wrong
    return out


ERRORS = _errors()


def _english(err: SimError) -> str:
    """The English message with its dates in the long form the catalogue gives them."""
    text = str(err)
    for v in err.params.values():
        if isinstance(v, dt.date):
            text = text.replace(v.isoformat(), format_date(v, "en"))
    return text


@pytest.mark.parametrize(("key", "i", "err"), ERRORS, ids=[f"{k}#{i}" for k, i, _ in ERRORS])
def test_every_error_renders_in_every_language(key: str, i: int, err: SimError) -> None:
    assert render_error(err, "en") == _english(err)
    assert render_error(err, "nl") != render_error(err, "en")
    for lang in LANGUAGES:
        text = render_error(err, lang)
        assert "{" not in text.replace("{from, value}", ""), text
        if isinstance(err, ScenarioError):
            assert text.startswith(f"{err.file}: {err.key}: " if err.key else f"{err.file}: ")


def test_every_key_a_bad_scenario_can_cause_is_raised_by_a_case() -> None:
    raised = {k for k, _, _ in ERRORS}
    # not from a scenario: the law's own data, a broken bundled file, the command line's
    # goals and Dask, the law rejecting a synthetic case (a bug, not the file)
    elsewhere = {
        "error.law_unreadable",
        "error.bundled_broken",
        "error.goal_year",
        "error.goal_day",
        "error.no_dask",
        "error.dask_unreachable",
        "error.synthetic_case",
    }
    keys = {k for k in catalog("en") if k.startswith("error.")}
    assert keys - raised - elsewhere == set()


def test_dutch_speaks_dutch_and_formats_dates_and_numbers_the_dutch_way() -> None:
    by_key: dict[str, SimError] = {}
    for k, _, e in ERRORS:
        by_key.setdefault(k, e)
    assert render_error(by_key["error.required"], "nl") == "bad.toml: group[0].id: is verplicht"
    assert (
        render_error(by_key["error.end_not_after_start"], "nl")
        == "bad.toml: scenario.end: 1 januari 2021 ligt niet na start = 1 januari 2022"
    )
    assert render_error(by_key["error.not_share"], "nl").endswith("maar dit is 1,5")
    assert render_error(by_key["error.expected"], "nl") == (
        "bad.toml: group[0].id: verwacht tekst, maar dit is geheel getal 5"
    )


@pytest.mark.parametrize(("key", "i", "err"), ERRORS, ids=[f"{k}#{i}" for k, i, _ in ERRORS])
def test_a_kept_error_renders_as_the_error_itself(key: str, i: int, err: SimError) -> None:
    kept = json.loads(json.dumps(dump_error(err)))
    again = load_error(kept)
    assert str(again) == str(err)
    assert type(again) is type(err)
    for lang in LANGUAGES:
        assert render_stored(kept, lang) == render_error(err, lang)


def test_a_kept_error_of_an_older_version_shows_its_english() -> None:
    kept = {"message_key": "error.gone", "params": {}, "problem": "old", "file": "f", "key": ""}
    assert render_stored(kept, "nl") == "f: old"
    with pytest.raises(ValueError, match="not a kept simulator error"):
        load_error({"problem": "x"})
    assert (
        Word("kind.text", "'a'")
        == load_error(
            json.loads(
                json.dumps(
                    dump_error(
                        SimError("x", message_key="k", params={"w": Word("kind.text", "'a'")})
                    )
                )
            )
        ).params["w"]
    )
