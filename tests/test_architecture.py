"""The package map of ``docs/architecture.md``, checked against the code: which package of
``src/toevlucht`` imports which (function-local imports included), with no cycle, and no
module outside the law and the simulator reading dates or statuses out of the law's JSON."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "toevlucht"

# Top-level modules that are a package of their own in the map (leaves of the Django layer).
LEAF_MODULES = {"errors", "clock", "appendonly", "settings", "urls", "wsgi"}

# What each package may import (besides itself and the leaf modules above); the import rule
# of docs/architecture.md. Anything not listed here is a new edge to draw in the map first.
ALLOWED: dict[str, set[str]] = {
    "law": set(),
    "sim": {"law"},
    "audit": set(),
    "measures": {"law"},
    "accounts": {"audit"},
    "cases": {"law", "accounts", "audit", "measures"},
    "privacy": {"cases", "accounts", "audit", "law"},
    "letters": {"cases", "accounts", "audit", "law", "privacy"},
    "reminders": {"cases", "accounts", "audit", "law"},
    "forecasts": {"cases", "law", "sim", "audit", "measures"},
    "portal": {"cases", "accounts", "audit", "law", "privacy", "forecasts"},
    "web": {"cases", "accounts", "audit", "law", "letters", "measures"},
    "api": {"cases", "accounts", "audit", "law", "measures", "forecasts"},
    "analysis": {"sim", "accounts", "web", "forecasts", "cases"},
    "demo": {"cases", "accounts", "audit", "law", "measures", "portal", "forecasts"},
    "cli": {
        "law",
        "sim",
        "cases",
        "accounts",
        "audit",
        "measures",
        "privacy",
        "demo",
        "portal",
        "forecasts",
        "reminders",
        "api",
    },
}


def _package(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _module_parts(path: Path) -> list[str]:
    parts = ["toevlucht", *path.relative_to(SRC).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def imports_between_packages() -> dict[tuple[str, str], set[str]]:
    """``(from_package, to_package) -> {file:line}`` for every import, at any depth."""
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        here = _package(path)
        parts = _module_parts(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    package = parts if path.name == "__init__.py" else parts[:-1]
                    base = package[: len(package) - node.level + 1]
                    targets = [".".join([*base, *([node.module] if node.module else [])])]
                else:
                    targets = [node.module or ""]
            for t in targets:
                bits = t.split(".")
                if bits[0] != "toevlucht" or len(bits) < 2:
                    continue
                there = bits[1]
                if there != here:
                    edges[(here, there)].add(f"{path.relative_to(SRC)}:{node.lineno}")
    return edges


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_packages_function_local_imports_included() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for src, dst in imports_between_packages():
        graph[src].add(dst)
    assert _cycles(graph) == []


def test_every_import_between_packages_is_an_edge_of_the_map() -> None:
    stray = {
        f"{src} -> {dst}": sorted(where)[:3]
        for (src, dst), where in imports_between_packages().items()
        if dst not in LEAF_MODULES
        and src not in LEAF_MODULES
        and dst not in ALLOWED.get(src, set())
    }
    assert stray == {}


def test_the_map_knows_every_package() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - {"data"} == set(ALLOWED)


# Calls that read an ISO date from text outside the law and the simulator, and why each is
# not the law's JSON: a setting, a command-line argument, the web session's own rows, or an
# event's stored data read back when the case core hands it to the law.
DATE_PARSING_ALLOWED = {
    "clock.py",  # TOEVLUCHT_AS_OF, a setting
    "cli/_django.py",  # --as-of on the command line
    "web/presenters.py",  # the session's "what changed" rows the web wrote itself
    "cases/lawcase.py",  # stored event data handed to the law without re-validation
    "cases/projection.py",  # the projection reads back its own deadlines column
    "cases/refresh.py",  # the bulk reader takes the events' date columns as text (faster)
    "portal/formatting.py",  # the |day filter given a string by a template
}


@pytest.mark.parametrize("package", ["web", "portal", "api", "letters", "reminders", "cases"])
def test_no_shell_module_reads_the_laws_json(package: str) -> None:
    """The shell takes the law's AssessmentView (typed values); JSON is made from it for the
    API and the CLI only, never parsed back."""
    offenders = []
    for path in (SRC / package).rglob("*.py"):
        rel = str(path.relative_to(SRC))
        text = path.read_text(encoding="utf-8")
        if "assessment_json" in text or "parse_dates" in text:
            offenders.append(f"{rel}: reads the assessment as JSON")
        if "fromisoformat" in text and rel not in DATE_PARSING_ALLOWED:
            offenders.append(f"{rel}: parses an ISO date")
    assert offenders == []
