"""The asylum-chain simulator: forecasts of backlogs, waiting times, decisions within the
statutory term, penalties and reception occupancy, with Monte Carlo bands.

Pure Python and numpy, no Django. The procedure model, the calendar, the decision terms and
the policy measures are those of :mod:`toevlucht.law` (see :mod:`toevlucht.sim.lawbridge`)::

    from toevlucht.sim import load_scenario, run
    r = run(load_scenario("nl-2022"), replications=1000, seed=1)
"""

from toevlucht.sim.errors import ScenarioError, SimError
from toevlucht.sim.loader import bundled_scenarios, load_scenario, load_uploaded
from toevlucht.sim.runner import Run, run, run_many
from toevlucht.sim.scenario import Scenario, SimStage

__all__ = [
    "Run",
    "Scenario",
    "ScenarioError",
    "SimError",
    "SimStage",
    "bundled_scenarios",
    "load_scenario",
    "load_uploaded",
    "run",
    "run_many",
]
