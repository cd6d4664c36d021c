"""The analyst's forecast pages: request a run, follow it, see the plots and the series."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from toevlucht import clock
from toevlucht.accounts.models import User
from toevlucht.analysis import exposure as plots
from toevlucht.analysis.forms import NeededForm, PaceForm, RunForm
from toevlucht.analysis.models import SimulationRun
from toevlucht.analysis.services import ANALYST_ROLES, recover_stale, run_request
from toevlucht.errors import NotAllowed, RunRejected
from toevlucht.forecasts import exposure as ex
from toevlucht.forecasts import supervision
from toevlucht.forecasts.models import CapacitySetting
from toevlucht.sim import bundled_scenarios
from toevlucht.web.access import staff_page

# Signed in as the staff pages are (second factor where set up or required), then the roles
# that forecast; another role gets the staff pages' 403.
forecast_page = staff_page(frozenset(ANALYST_ROLES))


@forecast_page
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    recover_stale()  # no run stays "running" after its worker died
    form = RunForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("upload")
        try:
            text = upload.read().decode("utf-8") if upload else ""
            run = run_request(
                actor=request.user,  # type: ignore[arg-type]
                scenario=upload.name if upload else form.cleaned_data["scenario"],
                uploaded=text,
                compare=form.cleaned_data["compare"],
                replications=form.cleaned_data["replications"],
                seed=form.cleaned_data["seed"],
            )
        except UnicodeDecodeError:
            form.add_error("upload", gettext("the file is not UTF-8 text"))
        except RunRejected as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            return redirect("analysis:run", pk=run.pk)
    context: dict[str, Any] = {"form": form, "runs": SimulationRun.objects.all()[:50]}
    return render(request, "analysis/runs.html", context, status=400 if form.errors else 200)


@forecast_page
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(SimulationRun, pk=pk)
    template = "analysis/_status.html" if request.headers.get("HX-Request") else "analysis/run.html"
    files = run.files() if run.status == SimulationRun.Status.DONE else []
    return render(
        request,
        template,
        {
            "run": run,
            "plots": [f for f in files if f.endswith(".png")],
            "series": [f for f in files if f.endswith(".csv")],
            "busy": run.status in (SimulationRun.Status.QUEUED, SimulationRun.Status.RUNNING),
        },
    )


@forecast_page
def run_file(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    run = get_object_or_404(SimulationRun, pk=pk)
    if name not in run.files():  # only the run's own outputs, never a path
        raise Http404("no such file")
    kind = "image/png" if name.endswith(".png") else "text/csv"
    return FileResponse(
        open(run.out_dir / name, "rb"),
        content_type=kind,
        as_attachment=name.endswith(".csv"),
        filename=name,
    )


# --- exposure at the current pace, and the backtest ---------------------------------------


def _default_scenario() -> str:
    names = list(bundled_scenarios())
    return "nl-2022" if "nl-2022" in names else names[0]


@forecast_page
@require_GET
def exposure(request: HttpRequest) -> HttpResponse:
    """How many open cases pass their term in the next 4, 13 and 26 weeks at the current pace,
    the legal exposure, and (when asked) the pace needed to keep a share within the term."""
    as_of = clock.today()
    asked = "target_percent" in request.GET
    form = NeededForm(
        request.GET if asked else None,
        as_of=as_of,
        initial={
            "queue": "vw2000:decision",
            "target_percent": 90,
            "from_day": as_of,
            "scenario": _default_scenario(),
        },
    )
    key = supervision.state_key(as_of)
    prep = supervision.prepared(as_of)  # from the kept snapshot; not kept itself (its size)
    scenario = _default_scenario()
    needed = None
    if asked and form.is_valid():
        data = form.cleaned_data
        scenario = data["scenario"]
        needed = supervision.memo(
            ("needed", *key, data["queue"], data["target_percent"], data["from_day"]),
            lambda: ex.needed(
                prep,
                data["queue"],
                target=data["target_percent"] / 100,
                from_day=data["from_day"],
                replications=plots.replications(plots.NEEDED_REPLICATIONS, 10, len(prep.rows)),
                steps=plots.NEEDED_STEPS,
            ),
        )
    elif asked and "scenario" not in form.errors and form.data.get("scenario"):
        scenario = str(form.data["scenario"])

    def forward() -> tuple[ex.Exposure, ex.Legal]:
        reps = plots.replications(plots.EXPOSURE_REPLICATIONS, 30, len(prep.rows))
        f = ex.run(prep, replications=reps)  # one run for both
        return ex.exposure(prep, forecast=f), ex.legal(prep, ex.behaviour_of(scenario), forecast=f)

    e, legal = supervision.memo(("exposure", *key, scenario), forward)
    context: dict[str, Any] = {
        "as_of": as_of,
        "exposure": e,
        "weeks": ex.HORIZON_WEEKS,
        "rates": [prep.rates[q] for q in prep.queue_names],
        "exposure_plot": plots.exposure_plot(e),
        "legal": legal,
        "form": form,
        "needed": needed,
        "pace_plot": plots.pace_plot([needed]) if needed is not None and needed.per_week else "",
        "max_pace": int(ex.MAX_PACE),
        "replications": e.replications,
    }
    return render(request, "analysis/exposure.html", context, status=400 if form.errors else 200)


def may_set_pace(user: object) -> bool:
    return getattr(user, "role", "") in (User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)


@forecast_page
@require_http_methods(["GET", "POST"])
def backtest(request: HttpRequest) -> HttpResponse:
    """The latest backtest's groups and the threshold; a supervisor sets a queue's pace."""
    form = PaceForm(request.POST or None)
    if request.method == "POST":
        if not may_set_pace(request.user):
            raise NotAllowed(gettext("only a supervisor or an administrator sets a pace"))
        if form.is_valid():
            queue = form.cleaned_data["queue"]
            if form.cleaned_data["remove"]:
                supervision.remove_pace(actor=request.user, queue=queue)
            else:
                supervision.set_pace(
                    actor=request.user,
                    queue=queue,
                    per_week=form.cleaned_data["per_week"],
                    note=form.cleaned_data["note"],
                )
            return redirect("analysis:backtest")
    run, groups = plots.latest_backtest()
    threshold = float(
        (run.params or {}).get("min_coverage", settings.TOEVLUCHT_FORECAST_MIN_COVERAGE)
        if run is not None
        else settings.TOEVLUCHT_FORECAST_MIN_COVERAGE
    )
    min_outcomes = int(
        (run.params or {}).get("min_outcomes", settings.TOEVLUCHT_FORECAST_MIN_OUTCOMES)
        if run is not None
        else settings.TOEVLUCHT_FORECAST_MIN_OUTCOMES
    )
    context: dict[str, Any] = {
        "run": run,
        "groups": groups,
        "spread": [
            {"target": k.split("|", 1)[0], "queue": k.split("|", 1)[1], **v}
            for k, v in sorted((run.spread if run is not None else {}).items())
        ],
        "threshold": threshold,
        "min_outcomes": min_outcomes,
        "coverage_plot": plots.coverage_plot(groups, threshold, min_outcomes) if groups else "",
        "settings_set": CapacitySetting.objects.order_by("queue"),
        "form": form,
        "may_set": may_set_pace(request.user),
    }
    return render(request, "analysis/backtest.html", context, status=400 if form.errors else 200)
