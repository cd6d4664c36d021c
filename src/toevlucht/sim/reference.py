"""A per-applicant reference model of the decision chain, written with SimPy: the test oracle.

Every applicant is a SimPy process that lodges at a random moment of its day, queues for the
registration interview, rests, queues for the general procedure, goes through it (its last
day from the law's calendar) and, if referred, queues for a decision in the extended
procedure. Each queue has a server process that runs once a day, takes the oldest waiting
applicants that may be served (arrived before today, not held by a measure) up to the day's
capacity, and wakes them. Nothing is vectorised and nothing is shared with the engine but
the inputs, which is what makes it an oracle. It is about 10^3 times slower (see
``benchmarks/sim_speed.py``); use it on small chains only.

SimPy is a development dependency (``uv sync --extra dev``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Chain", "Outcome", "simulate_des"]

Ints = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, kw_only=True)
class Chain:
    """Inputs of one replication: lodgings per class and day, capacities per day."""

    lodged: Ints  # (K, T) applicants lodged per class and day
    extended: tuple[bool, ...]  # per class: referred to the extended procedure
    registration: Ints  # (T,) interviews per day
    rest_days: int
    general: Ints  # (T,) general procedures started per day
    gp_end: Ints  # (T,) day the general procedure started on each day ends
    extended_capacity: Ints  # (T,) decisions per day in the extended procedure
    hold: B  # (K, T) no decision (general or extended procedure) for this class today
    general_level: tuple[int, ...] = ()  # per class: priority at the general procedure (0 first)
    # per class: capacity-share class at the general procedure, and (C, T) the shares; what a
    # share class leaves unused goes to the others, largest share first (with two share
    # classes that is the engine's rule exactly)
    general_share_class: tuple[int, ...] = ()
    general_shares: npt.NDArray[np.float64] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """Per applicant (all arrays in lodging order); -1 where it did not happen in time."""

    cls: Ints
    lodged: Ints
    interviewed: Ints
    started: Ints
    decided: Ints


def simulate_des(chain: Chain, seed: int = 0) -> Outcome:
    """Run one replication of the chain applicant by applicant."""
    import simpy

    K, T = chain.lodged.shape
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    queues: dict[str, deque[tuple[int, int, Any, list[int]]]] = {
        "registration": deque(),
        "general": deque(),
        "extended": deque(),
    }
    people: list[list[int]] = []  # [class, lodged, interviewed, started, decided]

    def budgets(name: str, day: int, total: int, holds: bool) -> dict[int, int]:
        """The day's capacity per share class (one class: all of it)."""
        shares = chain.general_shares
        if name != "general" or shares is None:
            return {0: total}
        C = shares.shape[0]
        waiting = [0] * C
        for arrived, k, _, _ in queues[name]:
            if arrived < day and not (holds and chain.hold[k, day]):
                waiting[chain.general_share_class[k]] += 1
        got = [min(waiting[c], round(float(shares[c, day]) * total)) for c in range(C)]
        left = total - sum(got)
        for c in sorted(range(C), key=lambda c: -float(shares[c, day])):
            extra = min(left, waiting[c] - got[c])
            got[c] += extra
            left -= extra
        return dict(enumerate(got))

    def serve(
        name: str, capacity: Ints, holds: bool, level: tuple[int, ...] = ()
    ) -> Generator[Any, Any, None]:
        q = queues[name]
        levels = sorted(set(level)) or [0]
        for day in range(T):
            yield env.timeout(day + 0.5 - env.now)
            for sc, left in budgets(name, day, int(capacity[day]), holds).items():
                for lv in levels:  # the highest priority first, each level in arrival order
                    kept: deque[tuple[int, int, Any, list[int]]] = deque()
                    while q and left > 0:
                        arrived, k, ev, rec = q.popleft()
                        skip = arrived >= day or (holds and chain.hold[k, day])
                        other = (
                            name == "general"
                            and chain.general_shares is not None
                            and (chain.general_share_class[k] != sc)
                        )
                        if skip or other or (level and level[k] != lv):
                            kept.append((arrived, k, ev, rec))
                            continue
                        ev.succeed(day)
                        left -= 1
                    kept.extend(q)
                    q.clear()
                    q.extend(kept)

    def join(name: str, day: int, k: int, rec: list[int]) -> Any:
        ev = env.event()
        queues[name].append((day, k, ev, rec))
        return ev

    def applicant(k: int, day: int) -> Generator[Any, Any, None]:
        rec = [k, day, -1, -1, -1]
        people.append(rec)
        yield env.timeout(day + float(rng.uniform(0.0, 0.4)) - env.now)
        d1 = yield join("registration", day, k, rec)
        rec[2] = d1
        arrive = d1 + chain.rest_days
        if arrive >= T:
            return
        yield env.timeout(arrive + 0.1 - env.now)
        d2 = yield join("general", arrive, k, rec)
        rec[3] = d2
        end = int(chain.gp_end[d2])
        if end >= T:
            return
        if not chain.extended[k]:
            rec[4] = end
            return
        yield env.timeout(end + 0.2 - env.now)
        rec[4] = yield join("extended", end, k, rec)

    def arrivals() -> Generator[Any, Any, None]:
        for day in range(T):
            yield env.timeout(day - env.now)
            order = np.repeat(np.arange(K), chain.lodged[:, day])
            rng.shuffle(order)  # classes of one day lodge in random order
            for k in order:
                env.process(applicant(int(k), day))

    env.process(arrivals())
    env.process(serve("registration", chain.registration, holds=False))
    env.process(serve("general", chain.general, holds=True, level=chain.general_level))
    env.process(serve("extended", chain.extended_capacity, holds=True))
    env.run(until=T)
    people.sort(key=lambda r: (r[1], r[2] if r[2] >= 0 else T))
    a = np.array(people, dtype=np.int64).reshape(-1, 5)
    return Outcome(
        cls=a[:, 0], lodged=a[:, 1], interviewed=a[:, 2], started=a[:, 3], decided=a[:, 4]
    )
