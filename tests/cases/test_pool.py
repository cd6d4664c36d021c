"""The law engine's worker pool (cases/pool.py): the same results with or without worker
processes, and no worker outlives its parent — a refresh killed with SIGKILL leaves none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from toevlucht.cases.pool import pipelined

ROOT = Path(__file__).resolve().parents[2]


def _scaled(factor: int, items: list[int]) -> list[int]:
    return [factor * i for i in items]


def test_each_pool_runs_its_own_context_in_order() -> None:
    def read(chunk: int) -> list[int]:
        return list(range(chunk, chunk + 5))

    for processes in (1, 2):
        for factor in (2, 3):  # two contexts in one process: nothing global to collide
            out = list(pipelined([0, 10, 20], read, partial(_scaled, factor), processes))
            assert [c for c, _, _ in out] == [0, 10, 20]
            assert [[x for part in parts for x in part] for _, _, parts in out] == [
                [factor * i for i in read(c)] for c in (0, 10, 20)
            ]


PARENT = """
import os, sys, time
import django
django.setup()
from toevlucht.cases.pool import pipelined

def work(items):
    with open(sys.argv[1], "a") as f:
        print(os.getpid(), file=f, flush=True)
    time.sleep(120)
    return items

for _ in pipelined([1], lambda c: list(range(4)), work, 2):
    pass
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # an exited orphan nobody reaped yet is not running


def test_killing_the_parent_kills_its_workers(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "toevlucht.settings"}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(pids)], env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_read(pids)) < 2:
        time.sleep(0.05)
    workers = _read(pids)
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.05)
    assert not [p for p in workers if _alive(p)]


def _read(path: Path) -> list[int]:
    return [int(x) for x in path.read_text().split()] if path.exists() else []
