"""The bundled scenario nl-2026: the old backlog beside the APR's new cases."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources

import numpy as np

from toevlucht.law.params import value
from toevlucht.law.periods import add_months
from toevlucht.sim import Run, load_scenario, run
from toevlucht.sim.plan import build_plan
from toevlucht.sim.scenario import Route, SimStage
from toevlucht.sim.summary import by_year

SOURCED = re.compile(r"ASSUMED|law-2026|simulation-notes|dutch-asylum-law|APR|unused")


def _text(name: str) -> list[str]:
    return resources.files("toevlucht.sim.scenarios").joinpath(name).read_text().splitlines()


def test_every_figure_of_nl_2026_gives_its_source_or_says_it_is_assumed() -> None:
    lines = _text("nl-2026.toml")
    figures = 0
    for i, line in enumerate(lines):
        if not re.match(r"^[a-z_]+ = [-0-9\[{]", line) or line.startswith("measures"):
            continue
        figures += 1
        above = []
        for prev in reversed(lines[:i]):  # the comment block above the key (or its run)
            if prev.startswith("#"):
                above.append(prev)
            elif above or not re.match(r"^[a-z_]+ = ", prev):
                break
        assert SOURCED.search(line) or SOURCED.search(" ".join(above)), f"line {i + 1}: {line}"
    assert figures > 30


def test_nl_2026_holds_the_facts_it_cites() -> None:
    sc = load_scenario("nl-2026")
    assert sc.start == dt.date(2026, 6, 12)  # law-2026 1.1
    old, apr = sc.cohorts
    assert old.worked_from == dt.date(2026, 10, 1)  # law-2026 1.4
    assert old.term_months is None  # the law engine's term for the old regime
    assert apr.start == dt.date(2026, 6, 12)
    assert apr.term_months is None  # no legal number in the scenario: the law's parameter
    assert apr.term_param == "apr_regular_months"
    plan = build_plan(sc)
    lodged = dt.date(2026, 8, 31)
    i = (lodged - plan.first).days
    months = int(value("apr_regular_months", lodged).value)  # APR art. 35(4)
    for s, sub in enumerate(plan.subs):
        if sub.cohort == 1 and sub.route is not Route.DUBLIN:
            assert plan.first + dt.timedelta(days=int(plan.due[s, i])) == add_months(lodged, months)
    gp = sc.stages[SimStage.GENERAL_PROCEDURE]
    assert [(n, d.on(sc.start)) for n, d in gp.shares] == [("apr", 0.7)]  # law-2026 1.4
    assert sum(b.count for b in sc.initial if b.stage is SimStage.GENERAL_PROCEDURE) == 54000
    # the counterfactual inherits everything but the discipline (an empty table replaces)
    fifo = load_scenario("nl-2026-fifo")
    f_gp = fifo.stages[SimStage.GENERAL_PROCEDURE]
    assert f_gp.shares == ()
    assert f_gp.priority == ()
    assert all(c.worked_from is None for c in fifo.cohorts)


def test_the_priority_keeps_the_apr_cases_in_time_and_the_old_ones_late() -> None:
    runs = [
        run(load_scenario(n), replications=4, seed=3, workers=1)
        for n in ("nl-2026", "nl-2026-fifo")
    ]
    prio, fifo = runs
    units = [u.id for u in prio.plan.units]
    apr = [i for i, u in enumerate(units) if u.endswith(":apr")]
    old = [i for i, u in enumerate(units) if u.endswith(":vw2000")]
    y2027 = prio.plan.years.index(2027)

    def total(r: Run, key: str, idx: list[int]) -> np.ndarray:
        return np.sum([by_year(r, key, i)[:, y2027] for i in idx], axis=0)

    # with the priority, no APR case is past its term at the end of 2027; in FIFO order
    # they wait behind the old backlog and most are
    assert np.all(total(prio, "overdue_end", apr) < 0.05 * total(fifo, "overdue_end", apr))
    # the old cases stay pending longer, all of them past their term
    assert np.all(total(prio, "pending_end", old) > total(fifo, "pending_end", old))
    assert np.allclose(total(prio, "overdue_end", old), total(prio, "pending_end", old))
    # more notices of default in 2027 without the priority (the APR cases go late)
    assert np.all(by_year(fifo, "notices")[:, y2027] > by_year(prio, "notices")[:, y2027])
