"""Every URL of the staff pages, as every role and as nobody: who is let in (200), sent to
sign in (302), refused (403), or told the case does not exist (404) — for a case of the
user's own authority under a legal-aid mandate, a case of another authority, and a case whose
mandate was revoked. A URL added to web/urls.py without a row here fails the test."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver

from tests.access import CASES, MATRIX
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import ProcedureEvent
from toevlucht.web import urls as web_urls

ROLES = ["caseworker", "supervisor", "legal_aid", "analyst", "applicant", "administrator", None]
CW, SV, LA, AN, AP, AD, ANON = ROLES

STAFF_CASE_READERS = {CW, SV, LA, AD}


def _case_page() -> dict[str, dict[str | None, int]]:
    """role -> status, for a case of each kind: the one access matrix (tests/access.py) for
    the roles the case pages are for (a case they may not see is a 404), 403 for the other
    roles, 302 to sign in for nobody."""
    return {
        kind: {
            role: 302
            if role is None
            else (200 if kind in MATRIX[role] else 404)
            if role in STAFF_CASE_READERS
            else 403
            for role in ROLES
        }
        for kind in CASES
    }


CASE_PAGE = _case_page()
CORRECT_LODGED = {  # correcting the lodging of the application: authority staff only (legal
    # aid corrects only the remedy steps it records, and sees only its mandated clients)
    "own": {CW: 200, SV: 200, LA: 403, AN: 403, AP: 403, AD: 200, ANON: 302},
    "other": {CW: 404, SV: 404, LA: 404, AN: 403, AP: 403, AD: 200, ANON: 302},
    "revoked": {CW: 200, SV: 200, LA: 404, AN: 403, AP: 403, AD: 200, ANON: 302},
}
LETTER = {  # the notice of default: legal aid, and only when the term has passed (own: late)
    "own": {CW: 403, SV: 403, LA: 200, AN: 403, AP: 403, AD: 403, ANON: 302},
    "other": {CW: 403, SV: 403, LA: 404, AN: 403, AP: 403, AD: 403, ANON: 302},
    "revoked": {CW: 403, SV: 403, LA: 404, AN: 403, AP: 403, AD: 403, ANON: 302},
}
# the authority's letters to the applicant: authority staff who see the case; none of the
# world's cases has an extension or an interview to come, so the law gives nothing to tell
# (409); tests/web/test_applicant_letters_page.py makes them
TO_APPLICANT = {
    kind: {
        role: (409 if m[role] == 200 else m[role])
        if role in (CW, SV, AD)
        else (302 if role is None else 403)
        for role in ROLES
    }
    for kind, m in CASE_PAGE.items()
}
PAGES = {
    "home": {CW: 200, SV: 200, LA: 200, AN: 200, AP: 302, AD: 200, ANON: 302},
    "search": {CW: 200, SV: 200, LA: 200, AN: 403, AP: 403, AD: 200, ANON: 302},
    "measures": {CW: 200, SV: 200, LA: 200, AN: 200, AP: 403, AD: 200, ANON: 302},
    "measure_new": {CW: 403, SV: 200, LA: 403, AN: 403, AP: 403, AD: 200, ANON: 302},
    "measure": {CW: 200, SV: 200, LA: 403, AN: 403, AP: 403, AD: 200, ANON: 302},
    "reception": {CW: 200, SV: 200, LA: 403, AN: 200, AP: 403, AD: 200, ANON: 302},
    # signed in already: the sign-in page sends you on
    "login": {CW: 302, SV: 302, LA: 302, AN: 302, AP: 302, AD: 302, ANON: 200},
    # no pending sign-in and no second factor to give: back to sign-in
    "verify": {CW: 302, SV: 302, LA: 302, AN: 302, AP: 302, AD: 302, ANON: 302},
    "two_factor": {CW: 200, SV: 200, LA: 200, AN: 200, AP: 403, AD: 200, ANON: 302},
    "logout": dict.fromkeys(ROLES, 405),  # POST only
    "assign": dict.fromkeys(ROLES, 405),  # POST only
    "queue_csv": {CW: 200, SV: 200, LA: 200, AN: 403, AP: 403, AD: 200, ANON: 302},
    "applicant_new": {CW: 200, SV: 200, LA: 403, AN: 403, AP: 403, AD: 200, ANON: 302},
    "notices": {CW: 403, SV: 403, LA: 200, AN: 403, AP: 403, AD: 403, ANON: 302},
    "mandate_requests": {CW: 403, SV: 403, LA: 200, AN: 403, AP: 403, AD: 403, ANON: 302},
    "mandate_request_withdraw": dict.fromkeys(ROLES, 405),  # POST only
}
INTAKE = {  # opening a case for an applicant: authority staff, who see the applicant's cases
    "own": {CW: 200, SV: 200, LA: 403, AN: 403, AP: 403, AD: 200, ANON: 302},
    "other": {CW: 404, SV: 404, LA: 403, AN: 403, AP: 403, AD: 200, ANON: 302},
    "revoked": {CW: 200, SV: 200, LA: 403, AN: 403, AP: 403, AD: 200, ANON: 302},
}
CASE_URLS = {
    "case": CASE_PAGE,
    "record_event": CASE_PAGE,
    "correct_event": CORRECT_LODGED,
    "notice_letter": LETTER,
    "notice_edit": LETTER,
    # a stored letter: the case page's readers, 404 for a letter not in the case (none here;
    # tests/web/test_notice_page.py downloads one)
    "letter": {k: {r: 404 if v == 200 else v for r, v in m.items()} for k, m in CASE_PAGE.items()},
    "case_new": INTAKE,
    "term_letter": TO_APPLICANT,
    "interview_letter": TO_APPLICANT,
    # mandates and placements of the case's applicant: authority staff, on cases they see
    "mandate_new": INTAKE,
    "placement_new": INTAKE,
    # ending a mandate: 404 for a mandate not of this applicant (none here;
    # tests/web/test_casework_pages.py ends one)
    "mandate_revoke": {
        k: {r: 404 if v == 200 else v for r, v in m.items()} for k, m in INTAKE.items()
    },
}
NOT_COVERED = {"set_language"}  # Django's own view (i18n/setlang/), tested in test_i18n


def _names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    out: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            out |= _names(p.url_patterns)
        elif p.name:
            out.add(p.name)
    return out


def test_every_url_of_the_staff_pages_is_in_the_matrix() -> None:
    assert _names(web_urls.urlpatterns) == set(PAGES) | set(CASE_URLS) | NOT_COVERED


def _url(name: str, app: Any = None) -> str:
    if name == "case":
        return f"/cases/{app.pk}/"
    if name == "record_event":
        return f"/cases/{app.pk}/events/new/?kind=notice_of_default_received"
    if name == "correct_event":
        return f"/cases/{app.pk}/events/{app.events.first().pk}/correct/"
    if name == "notice_letter":
        return f"/cases/{app.pk}/notice-of-default.pdf"
    if name == "letter":
        return f"/cases/{app.pk}/letters/999999.pdf"
    if name == "notice_edit":
        return f"/cases/{app.pk}/notice-of-default/"
    if name == "term_letter":
        return f"/cases/{app.pk}/letters/term/"
    if name == "interview_letter":
        return f"/cases/{app.pk}/letters/interview/"
    if name == "case_new":
        return f"/applicants/{app.applicant_id}/cases/new/"
    if name == "mandate_new":
        return f"/cases/{app.pk}/mandates/new/"
    if name == "placement_new":
        return f"/cases/{app.pk}/placements/new/"
    if name == "mandate_revoke":
        return f"/cases/{app.pk}/mandates/999999/end/"
    return {
        "home": "/",
        "search": "/search/?q=Sokolov",
        "measures": "/measures/",
        "measure_new": "/measures/new/",
        "measure": "/measures/ru-conscripts-2022-decision/",
        "reception": "/reception/",
        "login": "/accounts/login/",
        "verify": "/accounts/login/code/",
        "two_factor": "/accounts/two-factor/",
        "logout": "/accounts/logout/",
        "assign": "/assign/",
        "queue_csv": "/queue.csv",
        "applicant_new": "/applicants/new/",
        "notices": "/notices/",
        "mandate_requests": "/mandates/requests/",
        "mandate_request_withdraw": "/mandates/requests/999999/withdraw/",
    }[name]


@pytest.mark.slow
def test_every_url_as_every_role(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any
) -> None:
    failures = []
    for role in ROLES:
        client = client_for(users[role] if role else None)
        for name, expected in PAGES.items():
            status = client.get(_url(name)).status_code
            if status != expected[role]:
                failures.append(f"{role} GET {_url(name)}: {status}, expected {expected[role]}")
        for name, matrix in CASE_URLS.items():
            for kind, expected in matrix.items():
                url = _url(name, cases[kind])
                status = client.get(url).status_code
                if status != expected[role]:
                    failures.append(
                        f"{role} GET {url} ({kind}): {status}, expected {expected[role]}"
                    )
    assert not failures, "\n".join(failures)


def test_a_hidden_case_reveals_nothing_not_even_the_name(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any
) -> None:
    la = client_for(users["legal_aid"])
    for kind in ("other", "revoked"):
        r = la.get(f"/cases/{cases[kind].pk}/")
        assert r.status_code == 404
        assert cases[kind].applicant.family_name_latin not in r.content.decode()
        assert cases[kind].reference not in r.content.decode()
    r = la.get("/search/", {"q": cases["revoked"].applicant.v_number})
    assert cases["revoked"].reference not in r.content.decode()


def test_writes_are_refused_to_roles_that_may_not_make_them(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any
) -> None:
    own = cases["own"]
    before = ProcedureEvent.objects.count()
    interview = {"kind": "registration_interview_held", "effective_date": "2022-05-03"}
    # legal aid may record the remedy steps it takes, not the authority's events
    r = client_for(users["legal_aid"]).post(f"/cases/{own.pk}/events/new/", interview)
    assert r.status_code == 400
    assert "Select a valid choice" in r.content.decode()
    for role in ("analyst", "applicant"):
        assert (
            client_for(users[role]).post(f"/cases/{own.pk}/events/new/", interview).status_code
            == 403
        )
    assert client_for(None).post(f"/cases/{own.pk}/events/new/", interview).status_code == 302
    # another authority's caseworker cannot write to the case (it does not exist for them)
    r = client_for(users["caseworker"]).post(f"/cases/{cases['other'].pk}/events/new/", interview)
    assert r.status_code == 404
    event = own.events.first()
    retract = {"retract": "on", "note": "wrong"}
    r = client_for(users["legal_aid"]).post(f"/cases/{own.pk}/events/{event.pk}/correct/", retract)
    assert r.status_code == 403
    r = client_for(users["caseworker"]).post("/measures/new/", {"action": "preview"})
    assert r.status_code == 403
    assert ProcedureEvent.objects.count() == before


def test_an_event_of_another_case_is_not_found_through_this_one(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any
) -> None:
    foreign = cases["other"].events.first()
    r = client_for(users["administrator"]).get(
        f"/cases/{cases['own'].pk}/events/{foreign.pk}/correct/"
    )
    assert r.status_code == 404


def test_missing_and_absurd_ids_are_404s(users: dict[str, Any], client_for: Any) -> None:
    c = client_for(users["administrator"])
    assert c.get("/cases/999999/").status_code == 404
    assert c.get("/cases/99999999999999999999999/").status_code == 404
    assert c.get("/measures/no-such-measure/").status_code == 404


def test_reading_a_case_is_audited_with_its_purpose(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any
) -> None:
    client_for(users["caseworker"]).get(f"/cases/{cases['own'].pk}/")
    e = AuditEntry.objects.filter(action="read", object_type="application").latest("seq")
    assert e.object_ids == [str(cases["own"].pk)]
    assert e.purpose == "case handling"
    assert e.actor_id == users["caseworker"].pk


def test_no_page_links_a_user_to_a_page_they_may_not_open(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any
) -> None:
    """Every link on the pages a role can reach leads to a page that role may open."""
    import re

    for role in ("caseworker", "legal_aid", "analyst", "supervisor"):
        client = client_for(users[role])
        seen: set[str] = set()
        todo = ["/"]  # and whatever it links to
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            r = client.get(url)
            if url.endswith(".pdf"):
                continue
            assert r.status_code in (200, 400), f"{role}: {url} -> {r.status_code}"
            for href in re.findall(r'href="(/[^"#]*)', r.content.decode()):
                if not href.startswith(("/static/", "/portal/")) and len(seen) < 60:
                    todo.append(href.replace("&amp;", "&"))
