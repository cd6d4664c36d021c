"""Counting the law engine's assessments: every ``law.assess`` call computes the deadlines
once (``law.assess.compute_deadlines``), whichever module imported ``assess``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

# the module, not the function the package exports under the same name
assess_module = importlib.import_module("toevlucht.law.assess")


@contextmanager
def counting_assessments(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Yields a one-element list holding the number of assessments made inside the block."""
    calls = [0]
    real = assess_module.compute_deadlines

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(assess_module, "compute_deadlines", counted)
        yield calls
