"""The law's history errors in the reader's language: every ``HistoryError`` the law builds
carries a message key, and every key renders in every language of the catalogue with the
parameters the law gives it — no missing placeholder, no English fallback, no raw event code.

The errors themselves come from the lawyer-reviewable scenarios (``scenarios/*.toml``, the
ones with ``error``): each ``error.*`` key of the catalogue must be raised by at least one.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import toevlucht.law
from tests.law.test_scenarios import SCENARIOS, _jsonable
from toevlucht.law import EventKind, HistoryError, assess, groups, parse_case
from toevlucht.law.text import LANGUAGES, catalog, placeholders, render_error

LAW = Path(toevlucht.law.__file__).parent


def _is_history_error(call: ast.Call) -> bool:
    f = call.func
    return (isinstance(f, ast.Name) and f.id == "HistoryError") or (
        isinstance(f, ast.Attribute) and f.attr == "HistoryError"
    )


def unkeyed(source: str) -> list[int]:
    """The lines of ``source`` where a ``HistoryError`` is built without a message key or
    without its parameters (raised or returned, it reaches a reader the same way)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _is_history_error(node):
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


def test_every_history_error_in_the_law_has_a_message_key() -> None:
    built = 0
    missing = []
    for path in sorted(LAW.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        built += source.count("HistoryError(")
        missing += [f"{path.relative_to(LAW)}:{line}" for line in unkeyed(source)]
    assert built > 20, "no HistoryError found: the walk is broken"
    assert not missing, f"HistoryError without key= and params=: {missing}"


def test_every_error_key_the_law_names_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in LAW.rglob("*.py"):
        used |= _error_keys_in(path.read_text(encoding="utf-8"))
    assert used
    assert used <= set(catalog("en")), used - set(catalog("en"))


def _scenario_errors() -> dict[str, list[tuple[str, HistoryError]]]:
    out: dict[str, list[tuple[str, HistoryError]]] = defaultdict(list)
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


ERRORS = _scenario_errors()
CODES = [k.value for k in EventKind if "_" in k.value]  # "transferred" is also a word


def test_every_error_key_of_the_catalogue_is_raised_by_a_scenario() -> None:
    keys = {k for k in catalog("en") if k.startswith("error.")}
    assert keys - set(ERRORS) == set(), "error keys no scenario raises"


@pytest.mark.parametrize("key", sorted(ERRORS))
def test_every_error_renders_in_every_language(key: str) -> None:
    for name, err in ERRORS[key]:
        english = render_error(err, "en")
        assert english.startswith(f"events[{err.index}]: "), name
        for lang in LANGUAGES:
            template = catalog(lang).get(key)
            assert template, f"{name}: no {key} in the {lang} catalogue (English fallback)"
            assert placeholders(template) == set(err.params), (name, lang)
            text = render_error(err, lang)  # a placeholder without a parameter: KeyError
            assert "{" not in text, (name, lang, text)
            assert not [c for c in CODES if c in text], (name, lang, text)
            assert "=" not in text, (name, lang, text)  # no field=code: values by name
            if lang != "en":
                assert text != english, (name, lang)
