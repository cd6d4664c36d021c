"""A single stage against queueing theory: the exact stationary law of a queue with a daily
capacity, and Little's law (simulation-notes §3.5)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from toevlucht.sim.flow import fifo, joint


def _stationary(lam: float, cap: int, n: int = 600) -> np.ndarray:
    """Stationary law of Q' = max(0, Q + A - C), A ~ Poisson(lam), truncated at n."""
    k = np.arange(n + cap + 1)
    pa = stats.poisson.pmf(k, lam)
    P = np.zeros((n, n))
    for q in range(n):
        nxt = np.clip(q + k - cap, 0, n - 1)
        np.add.at(P[q], nxt, pa)
    A = P.T - np.eye(n)
    A[-1] = 1.0
    b = np.zeros(n)
    b[-1] = 1.0
    return np.linalg.solve(A, b)


@pytest.mark.parametrize("lam", [115.0, 118.0])
def test_a_daily_capacity_queue_has_the_exact_stationary_law_and_obeys_littles_law(
    lam: float,
) -> None:
    cap, warm, days, R = 120, 200, 365, 400
    pi = _stationary(lam, cap)
    exact_mean, exact_empty = float((np.arange(len(pi)) * pi).sum()), float(pi[0])
    rng = np.random.default_rng(int(lam))
    a = rng.poisson(lam, (R, 1, warm + days)).astype(float)
    D = fifo(a, np.full((R, warm + days), float(cap)), lag=0)[:, 0]
    A = np.cumsum(a[:, 0], axis=1)
    Q = (A - D)[:, warm:]
    per_rep = Q.mean(axis=1)
    se = per_rep.std(ddof=1) / np.sqrt(R)
    assert abs(per_rep.mean() - exact_mean) < 4 * se
    empty = (Q == 0).mean(axis=1)
    assert abs(empty.mean() - exact_empty) < 4 * empty.std(ddof=1) / np.sqrt(R)

    # Little: mean end-of-day queue = arrival rate x mean wait in whole days
    _, arr, dep, m = joint(A, D)
    ok = (arr >= warm) & (dep < warm + days)
    mean_wait = (m[ok] * (dep - arr)[ok]).sum() / m[ok].sum()
    rate = a[:, 0, warm:].mean()
    assert rate * mean_wait == pytest.approx(Q.mean(), rel=0.03)
    assert mean_wait == pytest.approx(exact_mean / lam, rel=0.1)
