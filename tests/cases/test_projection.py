"""The status projection holds until the day the law says (cases/projection.py with
law/validity.py): on every day from the day it was computed up to the day before
``valid_until``, computing it again gives the same projection, whatever the case and the
measures — so a refresh may skip the cases whose ``valid_until`` has not come."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from toevlucht.cases.projection import Projection, QueueBand, projection_on
from toevlucht.law import Measure, groups, load_measures, parse_case
from toevlucht.law.measures import measure_from_dict

D = dt.date
DAY = dt.timedelta(days=1)
GROUPS = ["conscript_refusing_service", "conscript_deserter", "deserter"]
NATIONALITIES = ["RUS", "UKR", "AFG", "SYR", "IRN", "LBN"]
SOURCE = {"kind": "decree", "instrument": "t", "url": "https://example.org/", "status": "confirmed"}


def later(draw: st.DrawFn, day: dt.date, lo: int, hi: int) -> dt.date:
    return day + dt.timedelta(days=draw(st.integers(lo, hi)))


@st.composite
def measures(draw: st.DrawFn, near: dt.date) -> Measure:
    """A measure announced in the app, with periods and rulings around ``near``."""
    kind = draw(
        st.sampled_from(
            [
                "decision_moratorium",
                "decision_stop",
                "general_term_extension",
                "departure_moratorium",
            ]
        )
    )
    status = draw(st.sampled_from(["confirmed", "contested", "unconfirmed"]))
    raw: dict[str, Any] = {
        "id": f"gen-{draw(st.integers(0, 10**6))}",
        "kind": kind,
        "title_en": "t",
        "title_nl": "t",
        "effect_status": status,
        "legal_basis": "vw-43-1",
    }
    if kind == "general_term_extension":
        raw |= {"term_extension_months": draw(st.integers(1, 9)), "extension_ground": "42(4)(b)"}
    elif kind == "decision_moratorium" or (kind != "departure_moratorium" and draw(st.booleans())):
        raw["term_extension_months"] = draw(st.integers(1, 12))
    scope: dict[str, Any] = {}
    if draw(st.booleans()):
        scope["nationalities"] = draw(
            st.lists(st.sampled_from(NATIONALITIES), min_size=1, max_size=2, unique=True)
        )
    if draw(st.integers(0, 3)) == 0:
        scope["sexes"] = ["male"]
    if draw(st.integers(0, 3)) == 0:
        scope["age_min"], scope["age_max"] = 18, 27
    if draw(st.integers(0, 3)) == 0:
        scope["groups_any"] = [draw(st.sampled_from(GROUPS))]
    raw["scope"] = scope
    start = max(later(draw, near, -400, 900), D(2016, 1, 1))  # the parameters' first dates
    periods = []
    for _ in range(draw(st.integers(1, 2))):
        until = later(draw, start, 1, 400) if draw(st.integers(0, 3)) else None
        p: dict[str, Any] = {"from": start, "source": dict(SOURCE)}
        if until is not None:
            p["until"] = until
        if draw(st.booleans()):
            p["announced"] = later(draw, start, -60, 60)
        periods.append(p)
        if until is None:
            break
        start = later(draw, until, 0, 200)
    raw["periods"] = periods
    if draw(st.integers(0, 3)) == 0:
        raw["rulings"] = [
            {
                "date": later(draw, near, -100, 900),
                "source": dict(SOURCE),
                "holding": "t",
                "disapplies": draw(st.booleans()),
            }
        ]
    return measure_from_dict(raw)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date, dict[str, Measure]]:
    """A case with a plausible history (some events known only later), a day to assess it
    on, and the law data's measures plus up to two generated ones."""
    lodged = draw(st.dates(min_value=D(2016, 1, 1), max_value=D(2026, 6, 30)))
    applicant: dict[str, Any] = {"nationality": draw(st.sampled_from(NATIONALITIES))}
    if draw(st.booleans()):
        applicant["birth_date"] = draw(st.dates(D(1988, 1, 1), D(2007, 12, 31))).isoformat()
    if sex := draw(st.sampled_from([None, "male", "female"])):
        applicant["sex"] = sex
    applicant["groups"] = draw(st.lists(st.sampled_from(GROUPS), max_size=2, unique=True))
    events: list[dict[str, Any]] = []

    def add(kind: str, day: dt.date, **data: Any) -> None:
        e = {"kind": kind, "date": day.isoformat(), **data}
        if draw(st.integers(0, 5)) == 0:  # recorded some time after it happened
            e["recorded"] = later(draw, day, 1, 120).isoformat()
        events.append(e)

    if draw(st.booleans()):
        add("asylum_requested", later(draw, lodged, -20, 0))
    if draw(st.integers(0, 6)):
        add("application_lodged", lodged)
    day = lodged
    if draw(st.integers(0, 9)) == 0:
        add("track_assigned", day, track="dublin")
        if draw(st.booleans()):
            add("dublin_responsibility_established", later(draw, day, 1, 200))
    if draw(st.booleans()):
        day = later(draw, day, 1, 30)
        add("registration_interview_held", day)
    for _ in range(draw(st.integers(0, 2))):
        add(
            "decision_term_extended",
            later(draw, lodged, 1, 500),
            months=draw(st.integers(1, 9)),
            ground=draw(st.sampled_from(["42(4)(a)", "42(4)(b)", "43"])),
        )
    if draw(st.booleans()):
        add("notice_of_default_received", later(draw, lodged, 150, 700))
    if draw(st.booleans()):
        decided = later(draw, lodged, 20, 900)
        decision: dict[str, Any] = {
            "outcome": draw(st.sampled_from(["granted", "refused"])),
            "procedure": draw(st.sampled_from(["general", "extended"])),
        }
        if decision["outcome"] == "refused" and draw(st.booleans()):
            decision["refusal_ground"] = draw(st.sampled_from(["inadmissible", "not_processed"]))
        add("decision_notified", decided, **decision)
        if draw(st.booleans()):
            appealed = later(draw, decided, 0, 40)
            add("appeal_lodged", appealed, level="court", against="decision")
            if draw(st.booleans()):
                ruled = later(draw, appealed, 20, 300)
                outcome = draw(st.sampled_from(["well_founded", "unfounded"]))
                add("court_ruling", ruled, level="court", outcome=outcome)
                if outcome == "unfounded" and draw(st.booleans()):
                    further = later(draw, ruled, 0, 60)
                    add("appeal_lodged", further, level="council_of_state", against="decision")
    if draw(st.integers(0, 9)) == 0:
        add("withdrawn", later(draw, lodged, 1, 600))
    as_of = later(draw, lodged, -30, 1500)
    extra = draw(st.lists(measures(lodged), max_size=2))
    return (
        {"applicant": applicant, "events": events},
        as_of,
        {**load_measures(), **{m.id: m for m in extra}},
    )


def without_date(p: Projection) -> Projection:
    return dataclasses.replace(p, computed_on=D(2000, 1, 1))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_a_projection_holds_on_every_day_before_its_valid_until(
    generated: tuple[dict[str, Any], dt.date, dict[str, Measure]], data: st.DataObject
) -> None:
    raw, as_of, ms = generated
    case = parse_case(raw, list(groups()))
    first = projection_on(case, as_of, ms)
    assume(not first.error)  # a case the engine cannot assess is recomputed by every refresh
    end = first.valid_until or as_of + dt.timedelta(days=3 * 365)
    assert end > as_of
    days = {as_of + DAY, end - DAY}
    days.add(data.draw(st.dates(min_value=as_of, max_value=end - DAY), label="day"))
    for day in sorted(d for d in days if as_of <= d < end):
        again = projection_on(case, day, ms)
        assert without_date(again) == without_date(first), (day, first.valid_until)


def test_a_missing_registration_interview_is_flagged_on_the_day_the_setting_says(
    settings: Any,
) -> None:
    """No registration interview N days after the request: the projection holds until that
    day, and from it the case is flagged late, with the request as the day it waits since; a
    request not registered in time waits in the band of waiting cases whose step is late."""
    settings.TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS = 35
    case = parse_case(
        {
            "applicant": {"nationality": "RUS"},
            "events": [
                {"kind": "asylum_requested", "date": "2022-03-01"},
                {"kind": "application_lodged", "date": "2022-03-03"},
                {"kind": "track_assigned", "date": "2022-03-04", "track": "dublin"},
            ],
        }
    )
    before = projection_on(case, D(2022, 3, 20), load_measures())
    assert before.valid_until == D(2022, 4, 5)  # 1 March + 35 days
    assert before.late_since is None
    assert before.queue_band == QueueBand.DUE  # the term to send the transfer request runs
    assert before.next_deadline_kind == "transfer_request"
    assert before.waiting_since == D(2022, 3, 1)
    assert before.stage_since == D(2022, 3, 3)  # lodged: the registration stage
    on = projection_on(case, D(2022, 4, 5), load_measures())
    assert (on.late_since, on.late_reason) == (D(2022, 4, 5), "registration_interview")
    assert on.queue_band == QueueBand.DUE  # flagged, and still ranked by its running term
    assert on.queue_date == before.queue_date
    unregistered = parse_case(
        {
            "applicant": {"nationality": "RUS"},
            "events": [{"kind": "asylum_requested", "date": "2022-03-01"}],
        }
    )
    waiting = projection_on(unregistered, D(2022, 3, 20), load_measures())
    assert waiting.late_reason == "registration"  # Vb 3.107b's three working days passed
    assert waiting.queue_band == QueueBand.WAITING_LATE
    assert waiting.queue_date == D(2022, 3, 1)  # ranked by how long it has waited
    settings.TOEVLUCHT_REGISTRATION_INTERVIEW_ALERT_DAYS = 60
    assert projection_on(case, D(2022, 4, 5), load_measures()).late_since is None
