"""No raw code of the law's vocabulary on a portal page, in any of its languages (the same
check as the staff pages': ``tests/web/test_no_codes.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.web.test_no_codes import raw_codes

PAGES = ["", "by-when/", "measures/", "when-late/", "appointments/"]


@pytest.mark.parametrize("lang", ["ru", "uk", "en", "nl"])
def test_no_portal_page_shows_a_raw_code(
    conscript_case: Any, reservist_case: Any, applicant_of: Any, lang: str
) -> None:
    from toevlucht.cases import services

    services.event_record(
        actor=None,
        application=reservist_case,
        kind="decision_term_extended",
        effective_date=dt.date(2022, 7, 1),
        data={"months": 9, "ground": "42(4)(b)"},
    )
    found = {}
    clients = {}
    for case in (conscript_case, reservist_case):
        c = clients[case.pk] = Client()
        c.force_login(applicant_of(case, language=lang))
        urls = [f"/portal/cases/{case.reference}/{p}" for p in PAGES]
        urls += ["/portal/access/", "/portal/my-data/", "/portal/account/"]
        for url in urls:
            r = c.get(url)
            assert r.status_code == 200, url
            codes = raw_codes(r.content.decode())
            if codes:
                found[url] = codes
    assert found == {}
    # the ground is there, by its article, in the page's language
    from toevlucht.law import render_key

    page = (
        clients[reservist_case.pk]
        .get(f"/portal/cases/{reservist_case.reference}/by-when/")
        .content.decode()
    )
    assert render_key("extension_ground.42(4)(b)", lang) in page
