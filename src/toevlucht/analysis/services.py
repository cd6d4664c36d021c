"""Requesting a forecast: validate the scenario now (clear errors), estimate what it will
cost and refuse it past the budget, bound each user's queue, run it in the background.

The budget (``TOEVLUCHT_FORECAST_BUDGET_MB``, ``..._SECONDS``) is checked against the
estimate of :mod:`toevlucht.sim.cost` before anything is queued; the worker enforces its
own limits on the run itself (``analysis.sandbox``), since an estimate is not a guarantee.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from toevlucht.accounts.models import User
from toevlucht.analysis.models import SimulationRun
from toevlucht.analysis.run_errors import sim_error_text
from toevlucht.analysis.sandbox import kept
from toevlucht.errors import NotAllowed, RunRejected
from toevlucht.sim import Scenario, SimError, bundled_scenarios, load_scenario, load_uploaded
from toevlucht.sim.cost import Cost, estimate

MAX_REPLICATIONS = 2000
MAX_UPLOAD_BYTES = 200_000
ANALYST_ROLES = (User.Role.ANALYST, User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)


def _n(number: int) -> str:
    """A number with the request's language's thousands separator ("4,096", "4.096")."""
    return number_format(number, force_grouping=True)


def may_forecast(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "role", "") in ANALYST_ROLES
    )


def check_scenario(*, name: str, uploaded: str) -> Scenario:
    """Load the scenario as the task will; a bad file is a RunRejected naming the problem
    (its file and key, in the page's language). An upload may extend a bundled scenario by
    name only (``sim.load_uploaded``)."""
    try:
        if uploaded:
            if len(uploaded.encode()) > MAX_UPLOAD_BYTES:
                raise RunRejected(
                    "upload",
                    gettext("the file is larger than %(n)s bytes") % {"n": _n(MAX_UPLOAD_BYTES)},
                )
            return load_uploaded(name, uploaded)
        if name not in bundled_scenarios():
            raise RunRejected(
                "scenario", gettext("%(name)s is not a bundled scenario") % {"name": repr(name)}
            )
        return load_scenario(name)
    except SimError as exc:
        raise RunRejected("upload" if uploaded else "scenario", sim_error_text(exc)) from None


def check_budget(cost: Cost) -> None:
    """Refuse a run whose estimate is past the configured budget, saying both."""
    mb, seconds = settings.TOEVLUCHT_FORECAST_BUDGET_MB, settings.TOEVLUCHT_FORECAST_BUDGET_SECONDS
    if cost.megabytes > mb or cost.seconds > seconds:
        raise RunRejected(
            "replications",
            gettext(
                "this run would need about %(need_mb)s MB of memory and %(need_s)s s "
                "(estimated); the budget is %(mb)s MB and %(s)s s. Use fewer replications, "
                "or a scenario with fewer groups or days."
            )
            % {
                "need_mb": _n(cost.megabytes),
                "need_s": _n(cost.seconds),
                "mb": _n(mb),
                "s": _n(seconds),
            },
        )


def check_queue(actor: User) -> None:
    limit = settings.TOEVLUCHT_FORECAST_QUEUE_PER_USER
    waiting = SimulationRun.objects.filter(
        requested_by=actor,
        status__in=[SimulationRun.Status.QUEUED, SimulationRun.Status.RUNNING],
    ).count()
    if waiting >= limit:
        raise RunRejected(
            "scenario",
            gettext(
                "you have %(waiting)d forecasts waiting or running (at most %(limit)d); "
                "request another when one of them has finished"
            )
            % {"waiting": waiting, "limit": limit},
        )


def recover_stale() -> int:
    """Mark failed the runs left "running" by a worker that died: those running longer than
    the worker's time limit allows (with a margin). Returns how many."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.TOEVLUCHT_FORECAST_LIMIT_SECONDS + 300)
    return SimulationRun.objects.filter(
        status=SimulationRun.Status.RUNNING, started_at__lt=cutoff
    ).update(
        status=SimulationRun.Status.FAILED,
        error=kept(
            "worker_stopped", "the task worker stopped while running this forecast; no result"
        ),
        finished_at=timezone.now(),
    )


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
        raise NotAllowed(gettext("forecasts are for analysts, supervisors and administrators"))
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise RunRejected(
            "replications",
            gettext("must be between 1 and %(n)d") % {"n": MAX_REPLICATIONS},
        )
    compare = [c for c in (compare or []) if c]
    for other in compare:
        if other not in bundled_scenarios():
            raise RunRejected(
                "compare", gettext("%(name)s is not a bundled scenario") % {"name": repr(other)}
            )
    main = check_scenario(name=scenario, uploaded=uploaded)
    check_budget(estimate([main, *(load_scenario(c) for c in compare)], replications))
    recover_stale()
    check_queue(actor)
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
