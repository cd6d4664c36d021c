"""What a run will cost before it runs: memory and time, from the scenario's size alone.

The engine works on arrays of (replications of a batch) x (subgroups) x (days), so that is
what a run costs; the reduced results of every replication are kept until the end. The
constants were measured with ``run_many(..., workers=1)`` on variants of ``nl-2022`` with 5
to 20 groups, 2 to 3 years and 1 to 200 replications (peak resident memory and wall time on
the development machine, two shared cores): about 330 bytes and 1.2-1.9 microseconds per
replication x subgroup x day. The estimate rounds both up, so it errs on the expensive side;
the task worker still enforces its own limits, since an estimate is not a guarantee.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toevlucht.sim.runner import BATCH
from toevlucht.sim.scenario import Route, Scenario

__all__ = ["Cost", "estimate"]

BYTES_PER_CELL = 360  # working memory per replication (of a batch) x subgroup x day
SECONDS_PER_CELL = 2.0e-6  # time per replication x subgroup x day
BASE_BYTES = 150 * 2**20  # the interpreter, numpy, the law's data
SERIES = 30  # whole-chain series kept per replication and day (an upper bound)


@dataclass(frozen=True, slots=True)
class Cost:
    megabytes: int
    seconds: int

    def __str__(self) -> str:
        return f"about {self.megabytes:,} MB of memory and {self.seconds:,} s"


def _dims(sc: Scenario) -> tuple[int, int, int]:
    """(subgroups, units, days of the plan) — upper bounds, without building the plan."""
    first = min([sc.start] + [b.lodged_from for b in sc.initial])
    days = (sc.end - first).days + 1
    subgroups = sum(len(g.profiles) for g in sc.groups) * len(Route)
    units = sum(1 + len(g.profiles) for g in sc.groups)
    return subgroups, units, days


def estimate(scenarios: Sequence[Scenario], replications: int) -> Cost:
    """The memory and time of running ``scenarios`` together (``run_many``, one process)."""
    batch = min(replications, BATCH)
    working = kept = seconds = 0.0
    for sc in scenarios:
        subgroups, units, days = _dims(sc)
        working = max(working, BYTES_PER_CELL * batch * subgroups * days)
        kept += 4.0 * replications * (units + SERIES) * (sc.days + 1)
        seconds += SECONDS_PER_CELL * replications * subgroups * days
    total = BASE_BYTES + working + kept
    return Cost(megabytes=int(total / 2**20) + 1, seconds=int(seconds) + 1)
