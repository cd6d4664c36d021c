"""No statutory number is a literal in the law's code: every term, maximum and amount is read
from the dated data (law/data/nl/terms.toml), with its source.

The check: every number the data hold (but 0 and 1, which no term can be told from) that
appears as a literal in ``toevlucht.law`` or ``sim/lawbridge.py`` must be one of the few
known uses below, each with the reason it is no law. A new ``min(days, 42)`` or
``weeks <= 12`` fails here, naming the file and line; so does one of the listed uses gone
(update the list).
"""

from __future__ import annotations

import ast
import tomllib
from collections import Counter
from pathlib import Path

import toevlucht.law
import toevlucht.sim

LAW = Path(str(toevlucht.law.__file__)).parent
FILES = [*sorted(LAW.glob("*.py")), Path(str(toevlucht.sim.__file__)).parent / "lawbridge.py"]
EXEMPT = {"text.py": "the plural rules of English, Dutch, Russian and Ukrainian"}

# (file, number): (how often, why it is no legal number)
KNOWN: dict[tuple[str, int | float], tuple[int, str]] = {
    ("bulk.py", 2): (5, "status, sex, ground and procedure codes; a 2-dimensional array"),
    ("bulk.py", 3): (3, "status, ground and procedure codes"),
    ("bulk.py", 4): (1, "ground codes (35(2))"),
    ("bulk.py", 5): (1, "ground codes (35(5))"),
    ("bulk.py", 12): (3, "months in a year; December"),
    ("bulk.py", 100): (2, "the month * 100 + day encoding of the lookup table"),
    ("calendar.py", 2): (3, "the Easter algorithm; Atw article codes"),
    ("calendar.py", 3): (1, "the Easter algorithm"),
    ("calendar.py", 4): (4, "the Easter algorithm; April (King's Day)"),
    ("calendar.py", 5): (2, "Saturday is weekday 5"),
    ("calendar.py", 6): (2, "Sunday is weekday 6"),
    ("calendar.py", 8): (1, "the Easter algorithm"),
    ("calendar.py", 100): (1, "the Easter algorithm"),
    ("decision_term.py", 3): (1, "March: a 29 February birthday in a common year"),
    ("lawbridge.py", 2): (1, "February: a 29 February lodging day"),
    ("lawbridge.py", 4): (1, "a quarter of the largest int64 (a due date that never comes)"),
    ("lawbridge.py", 12): (1, "twelve months of seasonality"),
    ("model.py", 21): (1, "the form's bound on one letter's months; the law checks the term"),
    ("periods.py", 12): (3, "months in a year"),
    ("terms.py", 5): (1, "Saturday is weekday 5"),
    ("validity.py", 2): (1, "the third element of a (nationality, sex, groups) key"),
}


def legal_numbers() -> set[int | float]:
    terms = tomllib.loads((LAW / "data" / "nl" / "terms.toml").read_text(encoding="utf-8"))
    out: set[int | float] = set()

    def walk(v: object) -> None:
        if isinstance(v, bool):
            return
        if isinstance(v, int | float):
            out.add(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for p in terms.values():
        for v in p["values"]:
            walk(v["value"])
    return out - {0, 1}


def literals(path: Path, numbers: set[int | float]) -> list[tuple[int, int | float]]:
    """(line, number) of every numeric literal of ``path`` that is one of ``numbers``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Constant)
            and type(node.value) in (int, float)
            and node.value in numbers
        ):
            out.append((node.lineno, node.value))
    return sorted(out)


def test_the_data_hold_the_numbers_this_check_looks_for() -> None:
    assert {90, 12, 3, 2, 6, 9, 18, 21, 42, 23, 35, 45, 14} <= legal_numbers()


def test_no_legal_number_is_a_literal_in_the_law_code() -> None:
    numbers = legal_numbers()
    found: Counter[tuple[str, int | float]] = Counter()
    where: dict[tuple[str, int | float], list[int]] = {}
    for path in FILES:
        if path.name in EXEMPT:
            continue
        for line, n in literals(path, numbers):
            found[path.name, n] += 1
            where.setdefault((path.name, n), []).append(line)
    unexpected = {
        f"{f}:{where[f, n]}: {n}": count
        for (f, n), count in found.items()
        if count != KNOWN.get((f, n), (0, ""))[0]
    }
    gone = [key for key in KNOWN if key not in found]
    assert not unexpected, f"legal numbers as literals (read them from terms.toml): {unexpected}"
    assert not gone, f"listed uses no longer in the code (update KNOWN): {gone}"


def test_the_check_finds_a_penalty_cap_written_in_code(tmp_path: Path) -> None:
    bad = tmp_path / "remedies.py"
    bad.write_text('"""Cap: 42 days."""\n\ndays = min(days, 42)\n', encoding="utf-8")
    assert literals(bad, legal_numbers()) == [(3, 42)]  # the docstring's 42 is prose
