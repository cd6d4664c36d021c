"""Checks that a pure package (``toevlucht.law``, ``toevlucht.sim``) stays free of Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

FRAMEWORKS = ("django", "rest_framework")


def framework_imports(package: ModuleType) -> Iterator[str]:
    """``file: module`` for every import of Django or DRF in the package's source."""
    for path in Path(str(package.__file__)).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            yield from (f"{path.name}: {n}" for n in names if n.startswith(FRAMEWORKS))


def frameworks_loaded_by(code: str) -> list[str]:
    """The Django/DRF modules loaded after running ``code`` in a fresh interpreter."""
    loaded = f"[m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r}]"
    probe = f"{code}\nimport sys\nprint({loaded})\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(ast.literal_eval(out.stdout.strip().splitlines()[-1]))


def public_surface_is_all(package: ModuleType) -> bool:
    public = {n for n in dir(package) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(package, n)).__name__ == "module"}
    return public - modules == set(package.__all__)
