"""The analyst's forecast pages: request a run, follow it, see the plots and the series."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from toevlucht.analysis.forms import RunForm
from toevlucht.analysis.models import SimulationRun
from toevlucht.analysis.services import ANALYST_ROLES, recover_stale, run_request
from toevlucht.errors import RunRejected
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
            form.add_error("upload", "the file is not UTF-8 text")
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
