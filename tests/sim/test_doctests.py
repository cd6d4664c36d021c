"""The examples in the simulator's docstrings are tests: every one of them passes."""

from __future__ import annotations

import pytest

import toevlucht.sim
from tests.law.doctests import modules_of, run_doctests

MODULES = modules_of(toevlucht.sim)


@pytest.mark.parametrize("name", MODULES)
def test_the_doctests_of_every_sim_module_pass(name: str) -> None:
    failed, _, report = run_doctests(name)
    assert failed == 0, report


def test_the_simulator_modules_with_examples_run_them() -> None:
    attempted = {name: run_doctests(name)[1] for name in MODULES}
    assert all(attempted[f"toevlucht.sim.{m}"] > 0 for m in ("flow", "loader", "scenario"))
