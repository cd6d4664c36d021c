"""What the analyst reads: outputs per profile, bands, the validation report."""

from __future__ import annotations

import numpy as np

from toevlucht.sim import load_scenario, run
from toevlucht.sim.summary import bands, by_year, validate


def test_a_measure_on_part_of_a_group_shows_in_that_profiles_figures() -> None:
    r = run(load_scenario("ru-2022-moratorium"), 10, seed=1, workers=1)
    ids = [u.id for u in r.plan.units]
    assert "RUS:conscript" in ids
    assert "RUS:other" in ids
    y2023 = r.plan.years.index(2023)
    conscripts = by_year(r, "within_term", ids.index("RUS:conscript"))[:, y2023]
    others = by_year(r, "within_term", ids.index("RUS:other"))[:, y2023]
    # the law extends the conscripts' term by twelve months (Vw 43, Vc C3/2)
    assert np.all(conscripts > others + 0.1)


def test_bands_are_percentiles_over_replications_and_ignore_empty_cells() -> None:
    x = np.array([[1.0, np.nan], [2.0, np.nan], [3.0, np.nan]])
    b = bands(x)
    assert b[1, 0] == 2.0
    assert np.isnan(b[1, 1])


def test_the_validation_report_covers_every_published_figure_of_nl_2022() -> None:
    r = run(load_scenario("nl-2022"), 4, seed=2, workers=1)
    checks = list(validate(r))
    assert len(checks) == len(r.scenario.targets)
    lodged = next(c for c in checks if c.metric == "lodged" and c.period == "2022")
    assert abs(lodged.p50 / lodged.published - 1) < 0.05
    assert all(c.verdict != "not simulated" for c in checks)
