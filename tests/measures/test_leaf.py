"""``measures`` is a leaf app (docs/architecture.md): its modules import the law core,
Django and the Django layer's exception tree, nothing of the other apps — function-local
imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import toevlucht.measures

ALLOWED = ("toevlucht.law", "toevlucht.measures", "toevlucht.errors")


def _imports(path: Path) -> list[str]:
    out: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def test_the_measures_app_imports_only_the_law_and_django() -> None:
    root = Path(str(toevlucht.measures.__file__)).parent
    wrong = [
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        for name in _imports(path)
        if name.startswith("toevlucht") and not name.startswith(ALLOWED)
    ]
    assert wrong == []
