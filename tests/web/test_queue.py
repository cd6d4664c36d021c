"""The work queue and the client list: open cases by next deadline, filters, counts,
pagination, and the page shown audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from toevlucht import clock
from toevlucht.accounts import services as account_services
from toevlucht.audit.models import AuditEntry
from toevlucht.cases import services
from toevlucht.cases.models import Application, CaseStatus, ReceptionCentre
from toevlucht.errors import NotAllowed
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


def test_the_queue_lists_the_authoritys_open_cases_by_legal_urgency(
    queue_cases: dict[str, Any], make_case: Any, make_user: Any, client: Any
) -> None:
    """On 9 May 2022: the overdue case first; then the waiting case whose next step is late
    (a request not registered in time); then by the soonest deadline — the Dublin case's
    term to send the transfer request included, flagged for its missing registration
    interview five weeks on."""
    c = queue_cases
    unregistered = make_case(events=[("asylum_requested", D(2022, 4, 1), {})])
    dublin = make_case(
        events=[
            ("asylum_requested", D(2022, 3, 1), {}),
            ("application_lodged", D(2022, 3, 3), {}),
            ("track_assigned", D(2022, 3, 4), {"track": "dublin"}),
        ]
    )
    client.force_login(make_user("cw", "caseworker", "ind"))
    r = client.get("/")
    assert r.status_code == 200
    refs = _refs(r)
    assert c["foreign"].reference not in refs  # another authority's
    assert refs == [
        c["late"].reference,  # decision term expired on 27 Mar 2022
        unregistered.reference,  # waiting since 1 Apr 2022, registration term expired
        c["soon"].reference,  # decision due 1 Jun 2022
        dublin.reference,  # transfer request due 3 Jun 2022; no registration interview
        c["later"].reference,  # decision due 10 Sep 2022
    ]  # the decided case is final: its appeal term passed unused
    status = {ref: CaseStatus.objects.get(application__reference=ref) for ref in refs}
    assert status[dublin.reference].late_reason == "registration_interview"
    assert status[unregistered.reference].late_reason == "registration"
    counts = r.context["queue"].counts
    assert counts["overdue"] == 1  # the case lodged on 27 Sep 2021
    assert counts["open"] == len(refs)
    html = r.content.decode()
    assert "Work queue" in html
    assert "Waiting since" in html
    assert "Days in this stage" in html
    assert "no registration interview yet" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"nationality": "SYR"}, {"soon"}),
        ({"overdue": "on"}, {"late"}),
        ({"stage": "registration"}, {"soon", "later", "late"}),
        ({"measure": "ru-decision-stop-2022-press"}, {"later", "late"}),
        ({"regime": "vw2000"}, {"soon", "later", "late"}),  # lodged before the APR
        ({"regime": "apr"}, set()),
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


def test_the_nationality_filter_offers_each_nationality_the_user_may_see_once(
    queue_cases: dict[str, Any], make_case: Any, make_user: Any
) -> None:
    make_case(nationality="AFG")
    make_case(nationality="XXX", org="other_authority")
    cw = make_user("cw", "caseworker", "ind")
    # the foreign authority's SYR is one of IND's too; its XXX is not
    assert selectors.nationalities(cw) == ["AFG", "ERI", "RUS", "SYR"]
    assert selectors.nationalities(make_user("cw2", "caseworker", "other_authority")) == [
        "SYR",
        "XXX",
    ]
    assert selectors.nationalities(make_user("ad", "administrator")) == [
        "AFG",
        "ERI",
        "RUS",
        "SYR",
        "XXX",
    ]
    assert selectors.nationalities(make_user("an", "analyst", "ind")) == []
    assert selectors.nationalities(make_user("cw3", "caseworker")) == []  # no organisation


def test_legal_aid_is_offered_only_its_clients_nationalities_by_name(
    queue_cases: dict[str, Any], make_case: Any, make_user: Any, mandate: Any, client: Any
) -> None:
    """Legal aid saw every nationality on record, "XXX" of an applicant it cannot see too."""
    make_case(nationality="XXX")
    mandate(queue_cases["soon"].applicant, D(2022, 1, 1))
    mandate(queue_cases["late"].applicant, D(2022, 1, 1))
    la = make_user("la", "legal_aid", "vwn")
    assert selectors.nationalities(la) == ["RUS", "SYR"]
    client.force_login(la)
    for lang, names in (("en", ["Russia", "Syria"]), ("nl", ["Rusland", "Syrië"])):
        form = client.get("/", headers={"Accept-Language": lang}).context["form"]
        choices = list(form.fields["nationality"].choices)[1:]
        assert choices == list(zip(["RUS", "SYR"], names, strict=True))
    assert client.get("/", {"nationality": "XXX"}).context["form"].errors  # not a choice


def test_the_nationality_filter_names_the_countries_sorted_by_name(
    make_case: Any, make_user: Any, client: Any
) -> None:
    for code in ("UKR", "RUS", "DEU", "XXA", "ALA"):
        make_case(nationality=code)
    client.force_login(make_user("cw", "caseworker", "ind"))
    expected = {
        # by the name: Åland with the A's, Oekraïne before Rusland though UKR > RUS
        "nl": ["Åland", "Duitsland", "Oekraïne", "Rusland", "staatloos"],
        "en": ["Åland Islands", "Germany", "Russia", "stateless", "Ukraine"],
    }
    for lang, names in expected.items():
        form = client.get("/", headers={"Accept-Language": lang}).context["form"]
        assert [n for _code, n in list(form.fields["nationality"].choices)[1:]] == names


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


@pytest.mark.django_db(transaction=True)
def test_counts_are_computed_again_once_a_write_commits(
    queue_cases: dict[str, Any], make_user: Any, client: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_WEB_COUNT_CACHE_SECONDS = 30
    client.force_login(make_user("cw", "caseworker", "ind"))
    before = client.get("/").context["queue"].counts
    services.event_record(  # commits (no test transaction around it)
        actor=None, application=queue_cases["later"], kind="withdrawn", effective_date=D(2022, 5, 1)
    )
    after = client.get("/").context["queue"].counts
    assert (after["open"], after["shown"]) == (before["open"] - 1, before["shown"] - 1)


def test_filters_by_group_caseworker_my_cases_and_late(
    queue_cases: dict[str, Any], make_case: Any, make_user: Any, client: Any
) -> None:
    me = make_user("cw", "caseworker", "ind")
    colleague = make_user("cw2", "caseworker", "ind")
    reservist = make_case(
        applicant_groups=["reservist_refusing_service"],
        events=[
            ("application_lodged", D(2022, 3, 10), {}),
            ("registration_interview_held", D(2022, 3, 15), {}),
        ],
    )
    services.applications_assign(
        actor=None, application_ids=[queue_cases["soon"].pk, reservist.pk], caseworker=me
    )
    services.applications_assign(
        actor=None, application_ids=[queue_cases["later"].pk], caseworker=colleague
    )
    client.force_login(me)
    assert _refs(client.get("/", {"group": "reservist_refusing_service"})) == [reservist.reference]
    assert set(_refs(client.get("/", {"mine": "on"}))) == {
        queue_cases["soon"].reference,
        reservist.reference,
    }
    assert _refs(client.get("/", {"caseworker": colleague.pk})) == [queue_cases["later"].reference]
    unassigned = set(_refs(client.get("/", {"caseworker": "none"})))
    assert queue_cases["late"].reference in unassigned
    assert queue_cases["soon"].reference not in unassigned
    # late: the overdue case, and those with no registration interview five weeks on
    assert set(_refs(client.get("/", {"late": "on"}))) == {
        queue_cases[k].reference for k in ("late", "soon", "later")
    }
    r = client.get("/", {"caseworker": "999999"})
    assert r.status_code == 400  # not a colleague: a form error


SORT_VALUE = {
    "reference": lambda a: a.reference,
    "applicant": lambda a: (a.applicant.family_name_latin, a.applicant.given_names_latin),
    "waiting": lambda a: a.status.waiting_since,
    # the column shows days in the stage: ascending is fewest days first
    "in_stage": lambda a: (
        (clock.today() - a.status.stage_since).days if a.status.stage_since else None
    ),
    "due": lambda a: a.status.next_deadline_due,
}


@pytest.mark.parametrize("key", list(SORT_VALUE))
def test_every_column_sorts_both_ways_with_empty_values_last(
    queue_cases: dict[str, Any], make_user: Any, client: Any, key: str
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    value = SORT_VALUE[key]
    for sort, descending in ((key, False), (f"-{key}", True)):
        apps = list(client.get("/", {"sort": sort}).context["queue"].page.object_list)
        assert len(apps) == 3
        values = [value(a) for a in apps]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=descending)
        assert values[len(present) :] == [None] * (len(values) - len(present))


def test_assigning_several_cases_at_once_is_audited_and_all_or_nothing(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    me = make_user("cw", "caseworker", "ind")
    colleague = make_user("cw2", "caseworker", "ind")
    stranger = make_user("cw3", "caseworker", "other_authority")
    client.force_login(me)
    picked = [queue_cases["soon"].pk, queue_cases["late"].pk]
    r = client.post("/assign/", {"cases": picked, "caseworker": colleague.pk, "next": "/?x=1"})
    assert r.status_code == 302
    assert r["Location"] == "/?x=1"
    assert set(
        Application.objects.filter(caseworker=colleague).values_list("pk", flat=True)
    ) == set(picked)
    entry = AuditEntry.objects.filter(action="assign").latest("seq")
    assert sorted(entry.object_ids) == sorted(str(p) for p in picked)
    assert entry.actor_id == me.pk
    # a case of another authority among them: nothing is assigned
    r = client.post(
        "/assign/",
        {"cases": [queue_cases["later"].pk, queue_cases["foreign"].pk], "caseworker": me.pk},
    )
    assert r.status_code == 404
    assert Application.objects.get(pk=queue_cases["later"].pk).caseworker_id is None
    # someone of another authority cannot be chosen; no case ticked is an error
    r = client.post("/assign/", {"cases": picked, "caseworker": stranger.pk}, follow=True)
    assert "Select a valid choice" in r.content.decode()
    r = client.post("/assign/", {"caseworker": me.pk}, follow=True)
    assert "Tick at least one case." in r.content.decode()
    assert Application.objects.filter(caseworker=me).count() == 0


def test_legal_aid_and_analysts_cannot_assign(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    for role, org in (("legal_aid", "vwn"), ("analyst", "ind")):
        client.force_login(make_user(f"u-{role}", role, org))
        r = client.post("/assign/", {"cases": [queue_cases["soon"].pk], "caseworker": ""})
        assert r.status_code == 403
    with pytest.raises(NotAllowed):
        services.applications_assign(
            actor=make_user("la2", "legal_aid", "vwn"),
            application_ids=[queue_cases["soon"].pk],
            caseworker=None,
        )


def test_the_filtered_queue_exports_as_csv_and_the_export_is_audited(
    queue_cases: dict[str, Any], make_user: Any, client: Any
) -> None:
    user = make_user("cw", "caseworker", "ind")
    client.force_login(user)
    r = client.get("/queue.csv", {"nationality": "RUS"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [row["reference"] for row in rows] == [
        queue_cases["late"].reference,
        queue_cases["later"].reference,
    ]
    late = rows[0]
    assert late["nationality"] == "RUS"  # the code, for a spreadsheet's filters and joins
    assert late["nationality_name"] == "Russia"
    # a label, as the stage and the groups
    assert late["late_reason"] == "decision on the application (beslistermijn)"
    assert late["overdue"] == "yes"
    assert late["late_since"] == "2022-03-28"  # the decision term ended on 27 March
    assert late["waiting_since"] == "2021-09-27"  # lodged
    entry = AuditEntry.objects.filter(action="export").latest("seq")
    assert entry.actor_id == user.pk
    assert sorted(entry.object_ids) == sorted(
        str(a) for a in (queue_cases["late"].pk, queue_cases["later"].pk)
    )
    assert client.get("/queue.csv", {"stage": "bogus"}).status_code == 400
    nl = client.get("/queue.csv", {"nationality": "RUS"}, headers={"Accept-Language": "nl"})
    rows = list(csv.DictReader(io.StringIO(nl.content.decode())))
    assert rows[0]["nationality_name"] == "Rusland"
    assert rows[0]["late_reason"] == "beslissing op de aanvraag (beslistermijn)"


def test_the_csv_names_a_missing_registration_interview(
    make_case: Any, make_user: Any, client: Any
) -> None:
    make_case(
        events=[
            ("asylum_requested", D(2022, 3, 1), {}),
            ("application_lodged", D(2022, 3, 3), {}),
            ("track_assigned", D(2022, 3, 4), {"track": "dublin"}),
        ]
    )
    client.force_login(make_user("cw", "caseworker", "ind"))
    for lang, text in (("en", "no registration interview yet"), ("nl", "nog geen aanmeldgehoor")):
        r = client.get("/queue.csv", headers={"Accept-Language": lang})
        (row,) = csv.DictReader(io.StringIO(r.content.decode()))
        assert row["late_reason"] == text


def test_a_name_that_looks_like_a_formula_is_quoted_in_the_csv(
    make_case: Any, make_user: Any, client: Any
) -> None:
    make_case(given_names_latin="=HYPERLINK(1)", family_name_latin="X")
    client.force_login(make_user("cw", "caseworker", "ind"))
    rows = list(csv.DictReader(io.StringIO(client.get("/queue.csv").content.decode())))
    assert rows[0]["applicant"] == "'=HYPERLINK(1) X"
