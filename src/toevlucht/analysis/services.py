"""Requesting a forecast: validate the scenario now (clear errors), run it in the background."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction

from toevlucht.accounts.models import User
from toevlucht.analysis.models import SimulationRun
from toevlucht.errors import NotAllowed, RunRejected
from toevlucht.sim import SimError, bundled_scenarios, load_scenario

MAX_REPLICATIONS = 2000
MAX_UPLOAD_BYTES = 200_000
ANALYST_ROLES = (User.Role.ANALYST, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)


def may_forecast(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "role", "") in ANALYST_ROLES
    )


def check_scenario(*, name: str, uploaded: str) -> None:
    """Load the scenario as the task will; a bad file is a RunRejected naming the problem."""
    try:
        if uploaded:
            if len(uploaded.encode()) > MAX_UPLOAD_BYTES:
                raise RunRejected("upload", f"the file is larger than {MAX_UPLOAD_BYTES} bytes")
            with tempfile.TemporaryDirectory() as d:
                path = Path(d) / (Path(name).name or "scenario.toml")
                path.write_text(uploaded, encoding="utf-8")
                load_scenario(str(path))
        elif name not in bundled_scenarios():
            raise RunRejected("scenario", f"{name!r} is not a bundled scenario")
        else:
            load_scenario(name)
    except SimError as exc:
        raise RunRejected("upload" if uploaded else "scenario", str(exc)) from None


@transaction.atomic
def run_request(
    *,
    actor: User,
    scenario: str,
    uploaded: str = "",
    compare: list[str] | None = None,
    replications: int = 200,
    seed: int = 0,
) -> SimulationRun:
    if not may_forecast(actor):
        raise NotAllowed("forecasts are for analysts, supervisors and administrators")
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise RunRejected("replications", f"must be between 1 and {MAX_REPLICATIONS}")
    compare = [c for c in (compare or []) if c]
    for other in compare:
        if other not in bundled_scenarios():
            raise RunRejected("compare", f"{other!r} is not a bundled scenario")
    check_scenario(name=scenario, uploaded=uploaded)
    run = SimulationRun.objects.create(
        requested_by=actor,
        scenario=scenario,
        compare=compare,
        uploaded=uploaded,
        replications=replications,
        seed=seed,
    )
    from toevlucht.analysis.tasks import simulate

    transaction.on_commit(lambda: simulate.enqueue(run.pk))
    return run
