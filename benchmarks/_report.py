"""What every benchmark writes: the machine it ran on, and its own section of a Markdown
file (between its start and end markers, added at the end the first time)."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine(*versions: str) -> str:
    """CPU, cores, memory, Python and ``versions`` (e.g. ``"numpy 2.3"``), operating system."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    parts = [f"{cpu}, {os.cpu_count()} cores{mem}", f"Python {platform.python_version()}"]
    return ", ".join([*parts, *versions, f"{platform.system()} {platform.machine()}"])


def load() -> float:
    """The 1-minute load average (above about 1 on two cores, other jobs shared them)."""
    return os.getloadavg()[0]


def write_section(doc: Path, start: str, end: str, report: str) -> None:
    """Replace the text from ``start`` to ``end`` in ``doc`` with ``report`` (which carries
    both markers), or append it."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if start in text:
        head, rest = text.split(start, 1)
        text = head + report + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + report + "\n"
    doc.write_text(text, encoding="utf-8")
