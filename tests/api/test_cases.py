"""Cases over the API: the selectors' access rules for lists and detail, filters, paging,
and every read audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from tests.access import MATRIX as ALL_ROLES
from toevlucht.audit.models import AuditEntry

D = dt.date

pytestmark = pytest.mark.django_db
# applicants have no API (tests/security/test_signin.py): the portal is theirs
MATRIX = {role: cases for role, cases in ALL_ROLES.items() if role != "applicant"}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_case_list_shows_exactly_the_cases_the_role_may_see(
    world: dict[str, Any], client_for: Any, role: str
) -> None:
    r = client_for(role).get("/api/cases/")
    assert r.status_code == 200
    got = {c["reference"] for c in r.json()["results"]}
    assert got == {world[w].reference for w in MATRIX[role]}
    assert r.json()["count"] == len(MATRIX[role])


@pytest.mark.parametrize("role", sorted(MATRIX))
@pytest.mark.parametrize("which", ["own", "other", "revoked"])
@pytest.mark.parametrize("suffix", ["", "events/", "deadlines/", "placements/"])
def test_case_urls_answer_404_for_a_case_the_role_may_not_see(
    world: dict[str, Any], client_for: Any, role: str, which: str, suffix: str
) -> None:
    r = client_for(role).get(f"/api/cases/{world[which].pk}/{suffix}")
    if which in MATRIX[role]:
        assert r.status_code == 200
    else:
        assert r.status_code == 404
        assert r["Content-Type"] == "application/problem+json"
        assert r.json()["status"] == 404


def test_unauthenticated_requests_get_401_with_the_token_challenge(world: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    r = APIClient().get("/api/cases/")
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Token"
    assert r.json()["title"] == "Unauthorized"


def test_a_wrong_token_is_401(world: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    r = c.get("/api/cases/")
    assert r.status_code == 401
    assert r["Content-Type"] == "application/problem+json"


def test_an_inactive_users_token_no_longer_works(world: dict[str, Any], client_for: Any) -> None:
    c = client_for("caseworker")
    world["users"]["caseworker"].is_active = False
    world["users"]["caseworker"].save()
    assert c.get("/api/cases/").status_code == 401


def test_session_authentication_works_for_the_browser(world: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_login(world["users"]["caseworker"])
    assert c.get(f"/api/cases/{world['own'].pk}/").status_code == 200


def test_list_read_is_audited_with_the_ids_of_the_page(
    world: dict[str, Any], client_for: Any
) -> None:
    before = AuditEntry.objects.count()
    client_for("caseworker").get("/api/cases/")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "list"
    assert sorted(entry.object_ids) == sorted(str(world[w].pk) for w in ("own", "revoked"))


def test_detail_read_is_audited(world: dict[str, Any], client_for: Any) -> None:
    client_for("legal_aid").get(f"/api/cases/{world['own'].pk}/")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.action, entry.object_ids, entry.actor_role) == (
        "read",
        [str(world["own"].pk)],
        "legal_aid",
    )


def test_detail_shows_applicant_and_projected_deadlines(
    world: dict[str, Any], client_for: Any
) -> None:
    r = client_for("caseworker").get(f"/api/cases/{world['own'].pk}/")
    body = r.json()
    assert body["reference"] == world["own"].reference
    assert body["applicant"]["given_names"] == "Иван"
    assert body["status"]["stage"] == "rest_period"
    assert {d["kind"] for d in body["status"]["deadlines"]} >= {"decision"}


def test_filters_narrow_the_list(world: dict[str, Any], client_for: Any) -> None:
    c = client_for("administrator")
    own = world["own"]

    def refs(query: str) -> set[str]:
        r = c.get(f"/api/cases/?{query}")
        assert r.status_code == 200, r.json()
        return {x["reference"] for x in r.json()["results"]}

    assert refs("stage=rest_period") == {own.reference}
    assert refs(f"centre={world['centre'].pk}") == {own.reference}
    assert refs(f"v_number={own.applicant.v_number}") == {own.reference}
    assert refs("nationality=SYR") == set()
    assert refs("overdue=true") == set()
    assert len(refs("open=true&ordering=-reference")) == 3


@pytest.mark.django_db(transaction=True)
def test_a_kept_count_is_counted_again_once_a_write_commits(
    world: dict[str, Any], client_for: Any, make_case: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_API_COUNT_CACHE_SECONDS = 30
    c = client_for("administrator")
    before = c.get("/api/cases/").json()["count"]
    with transaction.atomic():
        make_case(org="ind")
        assert c.get("/api/cases/").json()["count"] == before  # kept until the commit
    assert c.get("/api/cases/").json()["count"] == before + 1


def test_pages_of_the_list(world: dict[str, Any], client_for: Any) -> None:
    c = client_for("administrator")
    first = c.get("/api/cases/?page_size=2").json()
    second = c.get("/api/cases/?page_size=2&page=2").json()
    assert first["count"] == 3
    assert (len(first["results"]), len(second["results"])) == (2, 1)
    assert c.get("/api/cases/?page=9").status_code == 404


def test_a_bad_filter_value_is_a_problem_naming_the_field(
    world: dict[str, Any], client_for: Any
) -> None:
    r = client_for("administrator").get("/api/cases/?stage=nonsense")
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "stage"
    assert body["type"] == "urn:toevlucht:problem:invalid-input"


def test_placements_of_the_applicant(world: dict[str, Any], client_for: Any) -> None:
    r = client_for("legal_aid").get(f"/api/cases/{world['own'].pk}/placements/")
    assert [p["centre"] for p in r.json()] == ["azc Ter Apel"]


def test_centres_show_occupancy_without_personal_data(
    world: dict[str, Any], client_for: Any
) -> None:
    r = client_for("analyst").get("/api/centres/")
    assert r.json() == [
        {
            "id": world["centre"].pk,
            "name": "azc Ter Apel",
            "municipality": "Westerwolde",
            "capacity": 2000,
            "occupancy": 1,
        }
    ]


def test_deadlines_explain_each_step_in_the_language_asked(
    world: dict[str, Any], client_for: Any
) -> None:
    r = client_for("caseworker").get(
        f"/api/cases/{world['own'].pk}/deadlines/?lang=nl&as_of=2022-05-09"
    )
    body = r.json()
    assert (body["as_of"], body["language"]) == ("2022-05-09", "nl")
    decision = next(d for d in body["deadlines"] if d["kind"] == "decision")
    assert decision["steps"]
    assert all("text" in s for s in decision["steps"])
    assert any(s["source"] and s["source"].startswith("Vw 2000") for s in decision["steps"])


def test_deadlines_refuse_a_date_outside_the_legal_calendar(
    world: dict[str, Any], client_for: Any
) -> None:
    """A well-formed day the law's calendar does not cover is refused as an event's date
    is: 422, naming the field (a malformed one is a 400)."""
    c = client_for("caseworker")
    r = c.get(f"/api/cases/{world['own'].pk}/deadlines/?as_of=1900-01-01")
    assert (r.status_code, r.json()["type"], r.json()["field"]) == (
        422,
        "urn:toevlucht:problem:input-rejected",
        "as_of",
    )
    r = c.get(f"/api/cases/{world['own'].pk}/deadlines/?as_of=1900-13-01")
    assert (r.status_code, r.json()["field"]) == (400, "as_of")


def test_event_notes_are_shown_to_staff_and_applicants_get_no_api(
    world: dict[str, Any], client_for: Any
) -> None:
    from toevlucht.cases import services

    services.event_record(
        actor=None,
        application=world["own"],
        kind="detailed_interview_held",
        effective_date=world["own"].status.computed_on,
        note="internal remark",
    )
    staff = client_for("caseworker").get(f"/api/cases/{world['own'].pk}/events/").json()
    own = client_for("applicant").get(f"/api/cases/{world['own'].pk}/events/")
    assert staff[-1]["note"] == "internal remark"
    assert own.status_code == 403
    assert "internal remark" not in own.content.decode()


def test_the_list_is_ordered_by_legal_urgency_by_default(
    world: dict[str, Any], make_case: Any, client_for: Any
) -> None:
    """The work queue's order: the overdue case first, then a waiting Dublin case with no
    registration interview five weeks on, then by the soonest deadline."""
    overdue = make_case(org="ind", events=[("application_lodged", D(2021, 9, 27), {})])
    dublin = make_case(
        org="ind",
        events=[
            ("asylum_requested", D(2022, 3, 1), {}),
            ("application_lodged", D(2022, 3, 3), {}),
            ("track_assigned", D(2022, 3, 4), {"track": "dublin"}),
        ],
    )
    c = client_for("caseworker")
    body = c.get("/api/cases/").json()
    refs = [x["reference"] for x in body["results"]]
    assert refs[:2] == [overdue.reference, dublin.reference]
    first = body["results"][0]["status"]
    assert first["overdue"]
    assert first["late_reason"] == "decision"
    assert first["late_since"] == "2022-03-28"
    assert first["queue_band"] == 0
    assert body["results"][1]["status"]["late_reason"] == "registration_interview"
    assert body["results"][1]["status"]["waiting_since"] == "2022-03-01"
    bands = [x["status"]["queue_band"] for x in body["results"]]
    assert bands == sorted(bands)
    explicit = c.get("/api/cases/?ordering=urgency").json()["results"]
    assert [x["reference"] for x in explicit] == refs
    assert {x["reference"] for x in c.get("/api/cases/?late=true").json()["results"]} >= {
        overdue.reference,
        dublin.reference,
    }


def test_the_list_filters_by_group_and_caseworker(
    world: dict[str, Any], make_case: Any, client_for: Any
) -> None:
    reservist = make_case(org="ind", applicant_groups=["reservist_refusing_service"])
    c = client_for("caseworker")

    def refs(query: str) -> set[str]:
        r = c.get(f"/api/cases/?{query}")
        assert r.status_code == 200, r.json()
        return {x["reference"] for x in r.json()["results"]}

    assert refs("group=reservist_refusing_service") == {reservist.reference}
    mine = {world["own"].reference, world["revoked"].reference}
    assert refs("mine=true") == mine
    assert refs("caseworker=cw") == mine
    assert refs("caseworker=none") == {reservist.reference}
    assert refs("regime=apr") == set()  # every case here was lodged under the Vw 2000
    assert reservist.reference in refs("regime=vw2000")
