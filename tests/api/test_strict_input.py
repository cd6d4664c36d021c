"""The line between 400 and 422 (issue 13, item 14): a request that does not fit the schema
is a 400 (where django-filter and DRF read some of them as "no filter" or "the default"
before); one that fits it but names nothing, or asks for what the stored data or the law
refuse, is a 422 naming the field. The schema says each of these rules."""

from __future__ import annotations

from typing import Any

import pytest

from toevlucht.cases.models import ProcedureEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["open=null", "open=yes", "mine=", "due_before=", "centre=", "page_size=0", "page_size=null"],
)
def test_a_filter_value_of_the_wrong_type_is_a_400(
    world: dict[str, Any], client_for: Any, query: str
) -> None:
    r = client_for("caseworker").get(f"/api/cases/?{query}")
    assert r.status_code == 400, r.json()
    assert r.json()["field"] == query.split("=")[0]


def test_string_filters_may_be_empty(world: dict[str, Any], client_for: Any) -> None:
    r = client_for("caseworker").get("/api/cases/?nationality=&measure=&open=true&page_size=200")
    assert r.status_code == 200, r.json()


@pytest.mark.parametrize("url", ["/api/measures/?lang=xx", "/api/measures/?lang="])
def test_a_language_not_listed_is_a_400(world: dict[str, Any], client_for: Any, url: str) -> None:
    r = client_for("caseworker").get(url)
    assert (r.status_code, r.json()["field"]) == (400, "lang")


def test_a_retraction_with_a_new_date_is_a_400_and_the_schema_says_so(
    world: dict[str, Any], client_for: Any
) -> None:
    c = client_for("caseworker")
    original = ProcedureEvent.objects.filter(application=world["own"]).last()
    assert original is not None
    url = f"/api/cases/{world['own'].pk}/events/{original.pk}/corrections/"
    r = c.post(url, {"retract": True, "effective_date": "2022-03-16", "note": "why"}, format="json")
    assert (r.status_code, r.json()["field"]) == (400, "retract")
    correction = c.get("/api/schema/?format=json").json()["components"]["schemas"][
        "EventCorrectionRequest"
    ]
    assert len(correction["anyOf"]) == 2


def test_a_correction_field_the_events_kind_lacks_is_a_422(
    world: dict[str, Any], client_for: Any
) -> None:
    original = ProcedureEvent.objects.get(
        application=world["own"], kind="registration_interview_held"
    )
    r = client_for("caseworker").post(
        f"/api/cases/{world['own'].pk}/events/{original.pk}/corrections/",
        {"data": {"months": 3}, "note": "why"},
        format="json",
    )
    assert r.status_code == 422, r.json()
    assert r.json()["field"] == "data.months"
    assert r.json()["type"] == "urn:toevlucht:problem:input-rejected"


def test_a_well_formed_id_that_names_nothing_is_a_422(
    world: dict[str, Any], client_for: Any
) -> None:
    r = client_for("caseworker").post(
        f"/api/cases/{world['own'].pk}/placements/",
        {"centre": 10**9, "start": "2022-04-01"},
        format="json",
    )
    assert (r.status_code, r.json()["field"]) == (422, "centre")
    r = client_for("caseworker").post(
        f"/api/cases/{world['own'].pk}/placements/",
        {"centre": "one", "start": "2022-04-01"},
        format="json",
    )
    assert (r.status_code, r.json()["field"]) == (400, "centre")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"v_number": "12345"}, "v_number"), ({"given_names_latin": "A\x00"}, "given_names_latin")],
)
def test_what_the_schema_refuses_at_registration_is_a_400(
    world: dict[str, Any], client_for: Any, body: dict[str, str], field: str
) -> None:
    new = {
        "v_number": "2209300001",
        "given_names_latin": "Aleksei",
        "family_name_latin": "Muravev",
        "nationality": "RUS",
    }
    r = client_for("caseworker").post("/api/applicants/", {**new, **body}, format="json")
    assert (r.status_code, r.json()["field"]) == (400, field)
