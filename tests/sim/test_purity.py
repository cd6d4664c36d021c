"""toevlucht.sim is pure: no Django; a stable public surface."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import toevlucht.sim

SIM = Path(toevlucht.sim.__file__).parent
FORBIDDEN = ("django", "rest_framework")


def test_no_module_of_the_simulator_imports_django() -> None:
    for path in SIM.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


def test_running_a_simulation_loads_no_django() -> None:
    code = (
        "import sys\n"
        "from toevlucht.sim import load_scenario, run\n"
        "run(load_scenario('ru-2022-moratorium'), 2, workers=1)\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_public_surface_is_exactly_all() -> None:
    public = {n for n in dir(toevlucht.sim) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(toevlucht.sim, n)).__name__ == "module"}
    assert public - modules == set(toevlucht.sim.__all__)
