"""The applicant's pages about a case: my case, by when, measures, when the IND is late,
appointments and placement, my data."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from toevlucht.forecasts.shown import for_case as shown_forecast
from toevlucht.portal import presenters, selectors, texts
from toevlucht.portal.languages import law_language
from toevlucht.portal.views.access import applicant_page


def _case_context(request: HttpRequest, reference: str, page: str) -> dict[str, Any]:
    app = selectors.case_for_applicant(request.user, reference)
    lang = get_language()
    a = selectors.case_assessment(app, lang)
    return {
        "case": app,
        "a": a,
        "as_of": a.as_of,
        "law_lang": law_language(lang),
        "page": page,
        "decision": presenters.decision_deadline(a),
        "decision_state": presenters.decision_state(a),
        "applied_measures": a.applied_measures,
    }


@never_cache
@applicant_page
def home(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_for_applicant(request.user)
    if len(cases) == 1:
        return redirect("portal:case", reference=cases[0].reference)
    return render(request, "portal/home.html", {"cases": cases, "page": "home"})


@never_cache
@applicant_page
def case(request: HttpRequest, reference: str) -> HttpResponse:
    ctx = _case_context(request, reference, "case")
    stage = ctx["a"].stage or "none"
    events = selectors.case_events(ctx["a"])
    lang = get_language()
    ctx.update(
        {
            "stage_explained": [
                *texts.STAGE_EXPLAINED.get(stage, []),
                *(texts.APR_EXPLAINED if ctx["a"].regime == "apr" else []),
                *(texts.DUBLIN_EXPLAINED if ctx["a"].track == "dublin" else []),
            ],
            "prepare": [*texts.PREPARE.get(stage, []), *texts.ALWAYS_PREPARE],
            "history": [
                {"date": e.date, "text": texts.event_text(e.kind, e.date, e.data, lang)}
                for e in events
            ],
        }
    )
    ctx.update(_when(ctx))
    return render(request, "portal/case.html", ctx)


def _when(ctx: dict[str, Any]) -> dict[str, Any]:
    """The estimate of "when" (toevlucht.forecasts): what is usual at this step, the bands
    that passed the backtest, or why there is none."""
    fc = shown_forecast(ctx["case"])
    usual = None
    days = ctx["a"].days_in_stage
    if fc.usual_n >= 5 and fc.usual_p50_days is not None and fc.next_step:
        usual = {
            "step": texts.NEXT_STEP.get(fc.next_step, ""),
            "p50": fc.usual_p50_days,
            "p90": fc.usual_p90_days,
            "n": fc.usual_n,
            "longer": days is not None
            and fc.usual_p90_days is not None
            and days > fc.usual_p90_days,
        }
    p = fc.within_term_probability
    return {
        "forecast": fc,
        "usual": usual,
        "next_step": texts.NEXT_STEP.get(fc.next_step, ""),
        "within_term": None if p is None else round(100 * p),
        "no_estimate": texts.NO_ESTIMATE.get(fc.reason, ""),
    }


@never_cache
@applicant_page
def deadlines(request: HttpRequest, reference: str) -> HttpResponse:
    ctx = _case_context(request, reference, "deadlines")
    ctx["others"] = presenters.other_deadlines(ctx["a"])
    return render(request, "portal/deadlines.html", ctx)


@never_cache
@applicant_page
def measures(request: HttpRequest, reference: str) -> HttpResponse:
    ctx = _case_context(request, reference, "measures")
    ctx["measures"] = [
        presenters.Explained(
            m, what=texts.MEASURE_WHAT.get(m.kind, ""), after=texts.MEASURE_AFTER.get(m.kind, "")
        )
        # the measures that move the case's dates first, then those in force, then the rest
        for m in sorted(ctx["a"].measures, key=lambda m: (not m.applied, not m.in_force))
    ]
    return render(request, "portal/measures.html", ctx)


@never_cache
@applicant_page
def late(request: HttpRequest, reference: str) -> HttpResponse:
    ctx = _case_context(request, reference, "late")
    ctx["remedies"] = presenters.remedy_views(ctx["a"])
    ctx["helpers"] = selectors.representatives_for(request.user)
    return render(request, "portal/late.html", ctx)


@never_cache
@applicant_page
def appointments(request: HttpRequest, reference: str) -> HttpResponse:
    ctx = _case_context(request, reference, "appointments")
    a = ctx["a"]
    events = selectors.case_events(a)
    placements = selectors.placements_for(request.user)
    current = presenters.current_placement(placements, ctx["as_of"])
    ctx.update(
        {
            "coming": [
                {
                    "when": e.data["scheduled_for"],
                    "label": texts.INTERVIEW.get(e.data.get("interview", ""), ""),
                }
                for e in selectors.public_events(a.coming_interviews)
            ],
            "held": [
                {"when": e.date, "label": texts.INTERVIEW[e.kind.removesuffix("_interview_held")]}
                for e in events
                if e.kind in ("registration_interview_held", "detailed_interview_held")
            ],
            "current": current,
            "previous": [p for p in placements if p is not current and p.start <= ctx["as_of"]],
        }
    )
    return render(request, "portal/appointments.html", ctx)


@never_cache
@applicant_page
def my_data(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_for_applicant(request.user)
    return render(
        request,
        "portal/my_data.html",
        {"page": "my_data", "case": cases[0] if len(cases) == 1 else None},
    )


@require_POST
@applicant_page
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = selectors.my_data_export(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    day = data.get("exported_on", "")
    response["Content-Disposition"] = f'attachment; filename="toevlucht-my-data-{day}.json"'
    response["Cache-Control"] = "no-store"
    return response
