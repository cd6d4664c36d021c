"""The examples in the law's docstrings are tests: every one of them passes."""

from __future__ import annotations

import pytest

import toevlucht.law
from tests.law.doctests import modules_of, run_doctests

MODULES = modules_of(toevlucht.law)


@pytest.mark.parametrize("name", MODULES)
def test_the_doctests_of_every_law_module_pass(name: str) -> None:
    failed, _, report = run_doctests(name)
    assert failed == 0, report


def test_the_core_law_modules_carry_doctest_examples() -> None:
    with_examples = {name for name in MODULES if run_doctests(name)[1] > 0}
    core = {"calendar", "params", "periods", "assess", "bulk", "remedies", "model", "sources"}
    assert {f"toevlucht.law.{m}" for m in core} <= with_examples


def test_a_failing_example_is_reported() -> None:
    import sys
    import types

    module = types.ModuleType("toevlucht_doctest_probe")
    module.__doc__ = ">>> 1 + 1\n3\n"
    sys.modules[module.__name__] = module
    try:
        failed, attempted, report = run_doctests(module.__name__)
    finally:
        del sys.modules[module.__name__]
    assert (failed, attempted) == (1, 1)
    assert "Expected:\n    3\nGot:\n    2" in report
