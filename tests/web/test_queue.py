"""The work queue and the client list: open cases by next deadline, filters, counts,
pagination, and the page shown audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.accounts import services as account_services
from toevlucht.audit.models import AuditEntry
from toevlucht.cases import services
from toevlucht.cases.models import CaseStatus, ReceptionCentre
from toevlucht.web import selectors

D = dt.date


@pytest.fixture
def queue_cases(make_case: Any, orgs: dict[str, Any]) -> dict[str, Any]:
    soon = make_case(nationality="SYR", events=[("application_lodged", D(2021, 12, 1), {})])
    later = make_case(nationality="RUS", events=[("application_lodged", D(2022, 3, 10), {})])
    late = make_case(nationality="RUS", events=[("application_lodged", D(2021, 9, 27), {})])
    decided = make_case(
        nationality="ERI",
        events=[
            ("application_lodged", D(2021, 10, 1), {}),
            ("decision_notified", D(2022, 1, 5), {"outcome": "granted", "procedure": "extended"}),
        ],
    )
    foreign = make_case(nationality="SYR", org="other_authority")
    centre = ReceptionCentre.objects.create(
        name="azc Zwolle", municipality="Zwolle", capacity=400, organisation=orgs["coa"]
    )
    services.placement_record(
        actor=None, applicant=later.applicant, centre=centre, start=D(2022, 3, 10)
    )
    return {
        "soon": soon,
        "later": later,
        "late": late,
        "decided": decided,
        "foreign": foreign,
        "centre": centre,
    }


def _refs(response: Any) -> list[str]:
    return [a.reference for a in response.context["queue"].page.object_list]


def test_the_queue_lists_the_authoritys_open_cases_by_next_deadline(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    r = client.get("/")
    assert r.status_code == 200
    refs = _refs(r)
    c = queue_cases
    assert c["foreign"].reference not in refs  # another authority's
    dues = [CaseStatus.objects.get(application__reference=ref).next_deadline_due for ref in refs]
    with_due = [d for d in dues if d is not None]
    assert with_due == sorted(with_due)
    assert dues[len(with_due) :] == [None] * (len(dues) - len(with_due))  # no deadline last
    counts = r.context["queue"].counts
    assert counts["overdue"] == 1  # the case lodged on 27 Sep 2021
    assert counts["open"] == len(refs)
    html = r.content.decode()
    assert "Work queue" in html
    assert c["late"].reference in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"nationality": "SYR"}, {"soon"}),
        ({"overdue": "on"}, {"late"}),
        ({"stage": "registration"}, {"soon", "later", "late"}),
        ({"measure": "ru-decision-stop-2022-press"}, {"later", "late"}),
    ],
)
def test_filters_narrow_the_queue(
    queue_cases: dict[str, Any],
    make_user: Any,
    client: Any,
    query: dict[str, str],
    expected: set[str],
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    refs = set(_refs(client.get("/", query)))
    names = {k for k, v in queue_cases.items() if getattr(v, "reference", None) in refs}
    assert names == expected


def test_the_reception_centre_filter_takes_the_current_placement(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    refs = _refs(client.get("/", {"centre": queue_cases["centre"].pk}))
    assert refs == [queue_cases["later"].reference]


def test_closed_cases_appear_only_when_asked_for(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    services.event_record(
        actor=None, application=queue_cases["later"], kind="withdrawn", effective_date=D(2022, 5, 1)
    )
    assert queue_cases["later"].reference not in _refs(client.get("/"))
    assert queue_cases["later"].reference in _refs(client.get("/", {"closed": "on"}))


def test_a_bad_filter_is_an_error_on_the_form_not_a_500(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    r = client.get("/", {"stage": "bogus", "centre": "abc", "page": "x"})
    assert r.status_code == 400
    assert "Select a valid choice" in r.content.decode()
    assert _refs(r) == _refs(client.get("/"))  # unfiltered


def test_htmx_gets_only_the_results(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    r = client.get("/", {"nationality": "SYR"}, headers={"HX-Request": "true"})
    html = r.content.decode()
    assert html.lstrip().startswith('<section id="queue-results"')
    assert "<html" not in html


def test_the_page_shown_is_audited_and_only_it(
    queue_cases: dict[str, Any], make_user: Any, make_case: Any, client: Any, settings: Any
) -> None:
    user = make_user("cw", "caseworker", "ind")
    client.force_login(user)
    original = selectors.PAGE_SIZE
    selectors.PAGE_SIZE = 2
    try:
        r = client.get("/", {"page": "1"})
    finally:
        selectors.PAGE_SIZE = original
    shown = [str(a.pk) for a in r.context["queue"].page.object_list]
    assert len(shown) == 2
    entry = AuditEntry.objects.filter(action="list", actor_id=user.pk).latest("seq")
    assert entry.object_ids == shown
    assert entry.purpose == "work queue"
    assert 'rel="next"' in r.content.decode()


def test_legal_aid_sees_its_clients_only(
    queue_cases: dict[str, Any], make_user: Any, orgs: dict[str, Any], client: Any
) -> None:
    account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=queue_cases["foreign"].applicant,
        consent_date=D(2022, 1, 1),
        valid_from=D(2022, 1, 1),
    )
    user = make_user("la", "legal_aid", "vwn")
    client.force_login(user)
    r = client.get("/")
    assert _refs(r) == [queue_cases["foreign"].reference]  # mandate, whatever the authority
    assert "Clients under mandate" in r.content.decode()
    assert AuditEntry.objects.filter(action="list", purpose="client list").exists()


def test_analysts_see_counts_without_personal_data(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("an", "analyst", "ind"))
    r = client.get("/")
    html = r.content.decode()
    assert "Statistics" in html
    assert queue_cases["late"].reference not in html
    assert queue_cases["late"].applicant.family_name_latin not in html


def test_counts_are_kept_for_a_while_but_the_rows_are_always_fresh(
    queue_cases: dict[str, Any], make_user: Any, client: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_WEB_COUNT_CACHE_SECONDS = 30
    client.force_login(make_user("cw", "caseworker", "ind"))
    before = client.get("/").context["queue"].counts["open"]
    services.event_record(
        actor=None, application=queue_cases["later"], kind="withdrawn", effective_date=D(2022, 5, 1)
    )
    r = client.get("/")
    assert r.context["queue"].counts["open"] == before  # cached
    assert queue_cases["later"].reference not in _refs(r)  # the rows are not
    settings.TOEVLUCHT_WEB_COUNT_CACHE_SECONDS = 0
    assert client.get("/").context["queue"].counts["open"] == before - 1
