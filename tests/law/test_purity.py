"""toevlucht.law is pure: no Django, no I/O beyond its own data; a stable public surface."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import toevlucht.law

LAW = Path(toevlucht.law.__file__).parent
FORBIDDEN = ("django", "rest_framework")


def test_no_module_of_the_law_package_imports_django() -> None:
    for path in LAW.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


def test_importing_and_running_the_law_engine_loads_no_django() -> None:
    code = (
        "import sys, datetime as dt\n"
        "from toevlucht.law import assess, parse_case\n"
        "c = parse_case({'applicant': {'nationality': 'RUS'}, 'events': "
        "[{'kind': 'application_lodged', 'date': '2022-03-10'}]})\n"
        "assess(c, dt.date(2022, 5, 9))\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_public_surface_is_exactly_all() -> None:
    exported = set(toevlucht.law.__all__)
    public = {n for n in dir(toevlucht.law) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(toevlucht.law, n)).__name__ == "module"}
    assert public - modules == exported
    for name in exported:
        assert hasattr(toevlucht.law, name)
