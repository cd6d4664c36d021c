"""The FIFO machinery: closed forms against the day-by-day definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from toevlucht.sim.flow import closed_form, fifo, held_loop, held_segments, joint, remap, split


def _lindley(a: np.ndarray, c: np.ndarray) -> np.ndarray:
    q, out, served = 0.0, [], 0.0
    for x, y in zip(a, c, strict=True):
        s = min(q + x, y)
        q = q + x - s
        served += s
        out.append(served)
    return np.array(out)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_the_closed_form_is_the_lindley_recursion(seed: int, load: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.poisson(load, 200).astype(float)
    c = rng.poisson(20, 200).astype(float)
    assert np.allclose(closed_form(a, c), _lindley(a, c))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_held_segments_equal_the_day_by_day_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    R, K, T = 3, 3, 120
    A = np.cumsum(rng.poisson(rng.uniform(1, 8, (1, K, 1)), (R, K, T)), axis=2).astype(float)
    c = rng.poisson(12, (R, T)).astype(float)
    elig = np.ones((K, T), bool)
    for k in range(1, K):
        a = int(rng.integers(0, T - 10))
        elig[k, a : a + int(rng.integers(1, 60))] = False
    assert np.allclose(held_segments(A, c, elig), held_loop(A, c, elig), atol=1e-7)


def test_a_held_class_is_not_served_while_held_and_first_when_released() -> None:
    a = np.zeros((1, 2, 10))
    a[0, 0, :] = 5.0  # main class: 5 a day
    a[0, 1, 0] = 10.0  # held class: 10 on day 0
    hold = np.zeros((2, 10), bool)
    hold[1, :5] = True
    D = fifo(a, np.full((1, 10), 8.0), lag=1, hold=hold)
    assert D[0, 1, 4] == 0.0  # nothing while held
    assert D[0, 1, 5] == 8.0  # the oldest cases go first on release
    assert D[0, 1, 6] == 10.0


def test_split_keeps_the_total_and_serves_each_arrival_day_in_proportion() -> None:
    rng = np.random.default_rng(1)
    a = rng.poisson(3, (2, 4, 50)).astype(float)
    D = fifo(a, np.full((2, 50), 9.0), lag=0)
    assert np.allclose(D.sum(axis=1), closed_form(a.sum(axis=1), np.full((2, 50), 9.0)))
    A = np.cumsum(a, axis=2)
    assert np.all(D <= A + 1e-9)
    assert np.all(np.diff(D, axis=2) >= -1e-9)
    assert np.allclose(split(A, A.sum(1), A.sum(1)), A)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_joint_gives_every_applicants_arrival_and_departure_day(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.poisson(6, 80).astype(float)
    A = np.cumsum(a)
    D = closed_form(a, rng.poisson(5, 80).astype(float))
    n = np.arange(1, int(A[-1]) + 1)
    arr = np.searchsorted(A, n, side="left")
    dep = np.searchsorted(D, n, side="left")  # 80 = still waiting
    want = np.zeros((80, 81))
    np.add.at(want, (arr, dep), 1)
    _, ja, jd, m = joint(A[None], D[None])
    got = np.zeros((80, 81))
    np.add.at(got, (ja, jd), m)
    assert np.allclose(got, want)


def test_remap_moves_each_days_flow_to_its_target_day() -> None:
    out = remap(np.array([[1.0, 2.0, 3.0, 4.0]]), np.array([1, 1, 3, 9]))
    assert out.tolist() == [[0.0, 3.0, 0.0, 3.0]]
