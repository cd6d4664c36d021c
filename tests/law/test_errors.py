"""The law's errors in the reader's language: every ``HistoryError``, ``CaseInputError`` and
``CalendarRangeError`` the law builds carries a message key, and every key renders in every
language of the catalogue with the parameters the law gives it — no missing placeholder, no
English fallback, no raw event code in a history error.

The history errors come from the lawyer-reviewable scenarios (``scenarios/*.toml``, the ones
with ``error``), the input errors from the table below; each ``error.*`` key of the
catalogue must be raised by at least one of them.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import toevlucht.law
from tests.law.test_scenarios import SCENARIOS, _jsonable
from toevlucht.law import (
    CalendarRangeError,
    CaseInputError,
    DataError,
    EventKind,
    HistoryError,
    LawError,
    assess,
    groups,
    legal_calendar,
    parse_case,
)
from toevlucht.law.text import LANGUAGES, catalog, placeholders, render_error

LAW = Path(toevlucht.law.__file__).parent


KEYED = {"HistoryError", "CaseInputError", "CalendarRangeError"}  # a user can cause each


def _is_keyed_error(call: ast.Call) -> bool:
    f = call.func
    return (isinstance(f, ast.Name) and f.id in KEYED) or (
        isinstance(f, ast.Attribute) and f.attr in KEYED
    )


def unkeyed(source: str) -> list[int]:
    """The lines of ``source`` where a history, input or calendar error is built without a
    message key or without its parameters (raised or returned, it reaches a reader the
    same way)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _is_keyed_error(node):
            kw = {k.arg: k.value for k in node.keywords}
            key = kw.get("key")
            no_key = key is None or (isinstance(key, ast.Constant) and key.value is None)
            if no_key or "params" not in kw:
                out.append(node.lineno)
    return out


def _error_keys_in(source: str) -> set[str]:
    return {
        n.value
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("error.")
    }


def test_the_check_finds_an_error_without_a_key() -> None:
    assert unkeyed("raise HistoryError('x', index=1)\n") == [1]
    assert unkeyed("raise errors.HistoryError('x', key=None, params={})\n") == [1]
    assert unkeyed("raise HistoryError('x', key='error.after_end')\n") == [1]  # no params
    assert unkeyed("raise HistoryError('x', key=k, params={'day': d})\n") == []
    assert unkeyed("raise CaseInputError('events', 'is required')\n") == [1]
    assert unkeyed("raise CalendarRangeError('2101-01-01 is outside')\n") == [1]


def test_every_history_input_and_calendar_error_in_the_law_has_a_message_key() -> None:
    built: dict[str, int] = defaultdict(int)
    missing = []
    for path in sorted(LAW.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for name in KEYED:
            built[name] += source.count(f"{name}(")
        missing += [f"{path.relative_to(LAW)}:{line}" for line in unkeyed(source)]
    assert built["HistoryError"] > 20, "no HistoryError found: the walk is broken"
    assert built["CaseInputError"] > 20, "no CaseInputError found: the walk is broken"
    assert not missing, f"an error without key= and params=: {missing}"


def test_every_error_key_the_law_names_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in LAW.rglob("*.py"):
        used |= _error_keys_in(path.read_text(encoding="utf-8"))
    assert used
    assert used <= set(catalog("en")), used - set(catalog("en"))


def _scenario_errors() -> dict[str, list[tuple[str, LawError]]]:
    out: dict[str, list[tuple[str, LawError]]] = defaultdict(list)
    for name, sc in SCENARIOS:
        if "error" not in sc["expect"]:
            continue
        case = parse_case(
            {"applicant": _jsonable(sc["applicant"]), "events": _jsonable(sc["events"])},
            known_groups=list(groups()),
        )
        with pytest.raises(HistoryError) as info:
            assess(case, sc["as_of"])
        assert info.value.key, name
        out[info.value.key].append((name, info.value))
    return out


def _case(*events: dict[str, Any], **fields: Any) -> Callable[[], object]:
    raw = {"applicant": {"nationality": "SYR"}, "events": list(events), **fields}
    return lambda: parse_case(raw, known_groups=list(groups()))


LODGED = {"kind": "application_lodged", "date": "2022-03-10"}
EXTENDED = {"kind": "decision_term_extended", "date": "2022-04-01", "ground": "42(4)(a)"}
DECIDED = {"kind": "decision_notified", "date": "2022-04-01", "procedure": "general"}

# (the key, what raises it): the input and calendar errors a user can cause
INPUT_ERRORS: list[tuple[str, Callable[[], object]]] = [
    ("error.input.date_format", _case({**LODGED, "date": "10-03-2022"})),
    ("error.input.date_invalid", _case({**LODGED, "date": "2022-13-01"})),
    ("error.input.unknown_field", _case({**LODGED, "colour": "red"})),
    (
        "error.input.not_bool",
        _case({"kind": "asylum_requested", "date": "2022-03-01", "to_other_authority": "yes"}),
    ),
    ("error.input.not_int", _case({**EXTENDED, "months": "3"})),
    ("error.input.too_small", _case({**EXTENDED, "months": 0})),
    ("error.input.too_large", _case({**EXTENDED, "months": 22})),
    ("error.input.not_text", _case({**LODGED, "id": 5})),
    ("error.input.not_text", _case(LODGED, reference=5)),
    ("error.input.not_a_choice", _case({**DECIDED, "outcome": "maybe"})),
    (
        "error.input.not_a_choice",
        lambda: parse_case({"applicant": {"nationality": "SYR", "sex": "m"}}),
    ),
    ("error.input.not_object", _case(5)),  # type: ignore[arg-type]
    ("error.input.not_object", lambda: parse_case([])),
    ("error.input.not_object", lambda: parse_case({"applicant": 5})),
    ("error.input.required", _case({"date": "2022-03-10"})),
    ("error.input.required", _case({"kind": "application_lodged"})),
    ("error.input.required", lambda: parse_case({"events": []})),
    ("error.input.required_for", _case({**EXTENDED, "ground": None, "months": 3})),
    ("error.input.unknown_kind", _case({**LODGED, "kind": "flew"})),
    ("error.input.retraction_without_target", _case({"kind": "retraction", "date": "2022-04-01"})),
    (
        "error.input.granted_with_refusal_ground",
        _case({**DECIDED, "outcome": "granted", "refusal_ground": "unfounded"}),
    ),
    (
        "error.input.refused_with_grant",
        _case({**DECIDED, "outcome": "refused", "granted_under": "29"}),
    ),
    ("error.input.nationality_format", lambda: parse_case({"applicant": {"nationality": "Syria"}})),
    ("error.input.nationality_unknown", lambda: parse_case({"applicant": {"nationality": "QQQ"}})),
    (
        "error.input.groups_not_list",
        lambda: parse_case({"applicant": {"nationality": "RUS", "groups": "conscript"}}),
    ),
    (
        "error.input.unknown_group",
        lambda: parse_case(
            {"applicant": {"nationality": "RUS", "groups": ["astronaut"]}},
            known_groups=list(groups()),
        ),
    ),
    (
        "error.input.events_not_list",
        lambda: parse_case({"applicant": {"nationality": "SYR"}, "events": {}}),
    ),
    ("error.input.duplicate_id", _case({**LODGED, "id": "a"}, {**LODGED, "id": "a"})),
    ("error.input.unknown_id", _case(LODGED, {**LODGED, "corrects": "b"})),
    ("error.calendar_range", lambda: legal_calendar().holiday_on(dt.date(2101, 1, 1))),
    (
        "error.no_value_in_force",  # lodged before the law's data begin
        lambda: assess(_case({**LODGED, "date": "2010-03-10"})(), dt.date(2022, 5, 1)),  # type: ignore[arg-type]
    ),
]


def _input_errors() -> dict[str, list[tuple[str, LawError]]]:
    out: dict[str, list[tuple[str, LawError]]] = defaultdict(list)
    for i, (key, cause) in enumerate(INPUT_ERRORS):
        with pytest.raises((CaseInputError, CalendarRangeError, DataError)) as info:
            cause()
        err = info.value
        got = err.message_key if isinstance(err, DataError) else err.key
        assert got == key, (i, key, str(err))
        out[key].append((f"{key} #{i}", err))
    return out


ERRORS: dict[str, list[tuple[str, LawError]]] = {**_scenario_errors(), **_input_errors()}
CODES = [k.value for k in EventKind if "_" in k.value]  # "transferred" is also a word


def test_every_error_key_of_the_catalogue_is_raised_by_a_scenario_or_an_input() -> None:
    keys = {k for k in catalog("en") if k.startswith("error.")}
    assert keys - set(ERRORS) == set(), "error keys nothing raises"


def _where(err: LawError) -> str:
    if isinstance(err, HistoryError):
        return f"events[{err.index}]: "
    if isinstance(err, CaseInputError):
        return f"{err.where}: "
    return ""


@pytest.mark.parametrize("key", sorted(ERRORS))
def test_every_error_renders_in_every_language(key: str) -> None:
    for name, err in ERRORS[key]:
        english = render_error(err, "en")
        assert english.startswith(_where(err)), name
        for lang in LANGUAGES:
            template = catalog(lang).get(key)
            assert template, f"{name}: no {key} in the {lang} catalogue (English fallback)"
            assert placeholders(template) == set(err.params), (name, lang)
            text = render_error(err, lang)  # a placeholder without a parameter: KeyError
            assert "{" not in text.removeprefix(_where(err)), (name, lang, text)
            if lang != "en":
                assert text != english, (name, lang)
            if isinstance(err, CaseInputError):
                continue  # it quotes the input, whose vocabulary is the codes
            assert not [c for c in CODES if c in text], (name, lang, text)
            assert "=" not in text, (name, lang, text)  # no field=code: values by name
