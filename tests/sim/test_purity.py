"""toevlucht.sim is pure: no Django; a stable public surface."""

from __future__ import annotations

import toevlucht.sim
from tests.purity import framework_imports, frameworks_loaded_by, public_surface_is_all


def test_no_module_of_the_simulator_imports_django() -> None:
    assert list(framework_imports(toevlucht.sim)) == []


def test_running_a_simulation_loads_no_django() -> None:
    code = (
        "from toevlucht.sim import load_scenario, run\n"
        "run(load_scenario('ru-2022-moratorium'), 2, workers=1)\n"
    )
    assert frameworks_loaded_by(code) == []


def test_the_public_surface_is_exactly_all() -> None:
    assert public_surface_is_all(toevlucht.sim)
