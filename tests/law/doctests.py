"""Run the doctests of a pure package (``toevlucht.law``, ``toevlucht.sim``) under pytest.

Plain ``pytest`` (as CI runs it) collects ``tests/``; these helpers let a test module there
run the examples in the docstrings of every module of one package, and only of that package:
``--doctest-modules`` would apply to every path pytest collects, and must not import the
Django apps' modules as doctests.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def modules_of(package: ModuleType) -> list[str]:
    """Every module of ``package`` (recursively), by dotted name, the package itself first."""
    names = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        names.append(info.name)
    return sorted(names)


def run_doctests(name: str) -> tuple[int, int, str]:
    """(failed, attempted, report) for the doctests of module ``name``."""
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    lines: list[str] = []
    for test in finder.find(module, name):
        runner.run(test, out=lines.append)
    result = runner.summarize(verbose=False)
    return result.failed, result.attempted, "".join(lines)
