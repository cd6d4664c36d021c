"""The chain run forward from a backlog (toevlucht.sim.backlog): first in, first out, the
pace it was given, holds and rest periods."""

from __future__ import annotations

import numpy as np
import pytest

from toevlucht.sim.backlog import Backlog, Queue, simulate, summarise


def _one_queue(n: int, rate: float, **queue: object) -> Backlog:
    return Backlog(
        queue=np.zeros(n, dtype=np.int64),
        since=-np.arange(n, 0, -1, dtype=np.int64),  # case 0 has waited longest
        hold_until=np.zeros(n, dtype=np.int64),
        queues=(Queue(name="decision", rate=rate, fixed=True, working_days=False, **queue),),  # type: ignore[arg-type]
    )


def test_first_in_first_out_within_every_replication() -> None:
    f = simulate(_one_queue(200, 3.0), replications=50, horizon=400, seed=3)
    assert (np.diff(f.decision, axis=1) >= 0).all()


def test_the_kth_case_leaves_after_k_services_at_the_given_pace() -> None:
    # at 5 a day, the 100th case leaves about day 20 (a Gamma(100, 1/5) on whole days)
    f = simulate(_one_queue(100, 5.0), replications=2000, horizon=200, seed=1)
    last = f.decision[:, -1]
    assert abs(last.mean() - 20.0) < 0.6
    assert 1.2 < last.std() < 2.8


def test_an_observed_pace_carries_its_uncertainty_and_no_exits_mean_no_date() -> None:
    observed = Queue(name="d", observed=91, window_days=91, working_days=False)
    b = Backlog(
        queue=np.zeros(30, dtype=np.int64),
        since=-np.arange(30, dtype=np.int64),
        hold_until=np.zeros(30, dtype=np.int64),
        queues=(observed,),
    )
    f = simulate(b, replications=400, horizon=200, seed=2)
    assert 20 < np.median(f.decision.max(axis=1)) < 40  # ~1 a day: the 30th about day 30
    stuck = Backlog(
        queue=b.queue, since=b.since, hold_until=b.hold_until, queues=(Queue(name="d"),)
    )
    f = simulate(stuck, replications=20, horizon=100, seed=2)
    assert (f.decision == 100).all()
    assert np.isnan(summarise(f.decision, f.horizon)).all()


def test_a_held_case_is_not_decided_before_its_hold_ends() -> None:
    b = _one_queue(5, 10.0)
    held = Backlog(
        queue=b.queue,
        since=b.since,
        hold_until=np.array([60, 0, 0, 0, 0], dtype=np.int64),
        queues=b.queues,
    )
    f = simulate(held, replications=100, horizon=200, seed=4)
    assert (f.decision[:, 0] >= 60).all()
    assert (f.decision[:, 1:] < 10).all()  # the others do not wait for it


def test_a_chain_passes_every_queue_and_keeps_its_rest_period() -> None:
    queues = (
        Queue(name="interview", rate=2.0, fixed=True, next=1, working_days=False),
        Queue(name="procedure", rate=2.0, fixed=True, next=2, working_days=False, min_days=6),
        Queue(name="decision", rate=2.0, fixed=True, working_days=False),
    )
    b = Backlog(
        queue=np.array([0, 0, 1, 2], dtype=np.int64),
        since=np.array([-3, -2, -10, -1], dtype=np.int64),
        hold_until=np.zeros(4, dtype=np.int64),
        queues=queues,
    )
    f = simulate(b, replications=200, horizon=300, seed=5)
    assert (f.decision >= f.next_step).all()
    # a case interviewed on day t cannot start the procedure before t + 6, so it is decided
    # after that
    assert (f.decision[:, 0] >= f.next_step[:, 0] + 6).all()


def test_working_days_only() -> None:
    b = Backlog(
        queue=np.zeros(50, dtype=np.int64),
        since=-np.arange(50, dtype=np.int64),
        hold_until=np.zeros(50, dtype=np.int64),
        queues=(Queue(name="d", rate=5.0, fixed=True),),
        weekday0=4,  # day 0 a Friday: days 1 and 2 are the weekend
    )
    f = simulate(b, replications=100, horizon=100, seed=6)
    weekday = (f.decision + 4) % 7
    assert (weekday[f.decision < 100] < 5).all()


@pytest.mark.parametrize(
    "bad",
    [
        {"rate": float("nan"), "fixed": True},
        {"rate": -1.0, "fixed": True},
        {"fast_share": 1.0},
        {"dispersion": 0.5},
        {"observed": 5, "window_days": 0},
    ],
)
def test_a_bad_queue_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="queue q"):
        Queue(name="q", **bad)  # type: ignore[arg-type]


def test_a_case_known_on_the_fast_path_leaves_by_a_fast_wait_out_of_the_line() -> None:
    # 40 cases in line at 1 a day, and one more that came last but is known to be in a short
    # procedure (the APR's accelerated one): fast waits of 20-30 days seen, and it has
    # waited 25 already, longer than fast_days — a case not known to be fast would now join
    # the end of the line (after day 40)
    n = 41
    queue = Queue(
        name="apr:decision",
        rate=1.0,
        fixed=True,
        working_days=False,
        fast_share=0.2,
        fast_days=14,
        fast_waits=(20, 22, 24, 26, 28, 30),
    )
    since = np.concatenate([-np.arange(60, 20, -1), [-25]]).astype(np.int64)
    fast = np.zeros(n, dtype=bool)
    fast[-1] = True
    b = Backlog(
        queue=np.zeros(n, dtype=np.int64),
        since=since,
        hold_until=np.zeros(n, dtype=np.int64),
        queues=(queue,),
        fast=fast,
    )
    f = simulate(b, replications=200, horizon=200, seed=5)
    assert (f.decision[:, -1] <= 6).all()  # what is left of a wait of 26-30 days
    unknown = Backlog(
        queue=b.queue, since=b.since, hold_until=b.hold_until, queues=(queue,), fast=None
    )
    g = simulate(unknown, replications=200, horizon=200, seed=5)
    assert np.median(g.decision[:, -1]) > 30  # not known to be fast: it waits its turn
    # past every fast wait seen (61 days), its wait starts afresh: 20-30 days from day 1
    late = Backlog(
        queue=b.queue,
        since=np.concatenate([since[:-1], [-61]]).astype(np.int64),
        hold_until=b.hold_until,
        queues=(queue,),
        fast=fast,
    )
    h = simulate(late, replications=200, horizon=200, seed=5)
    assert ((h.decision[:, -1] >= 21) & (h.decision[:, -1] <= 31)).all()


def test_a_case_cannot_be_known_both_on_and_off_the_fast_path() -> None:
    b = _one_queue(2, 1.0)
    both = np.array([True, False])
    with pytest.raises(ValueError, match="both on and off"):
        Backlog(
            queue=b.queue,
            since=b.since,
            hold_until=b.hold_until,
            queues=b.queues,
            slow=both,
            fast=both,
        )
