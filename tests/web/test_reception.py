"""Occupancy per reception centre against its capacity, today and over the weeks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from toevlucht.cases import services
from toevlucht.cases.models import ReceptionCentre
from toevlucht.web.selectors import occupancy

D = dt.date


def test_occupancy_counts_who_stays_on_each_day(make_case: Any, orgs: dict[str, Any]) -> None:
    a = ReceptionCentre.objects.create(
        name="A", municipality="X", capacity=2, organisation=orgs["coa"]
    )
    b = ReceptionCentre.objects.create(
        name="B", municipality="Y", capacity=5, organisation=orgs["coa"]
    )
    p1, p2, p3 = (make_case().applicant for _ in range(3))
    services.placement_record(actor=None, applicant=p1, centre=a, start=D(2022, 3, 1))
    services.placement_record(actor=None, applicant=p2, centre=a, start=D(2022, 3, 15))
    services.placement_record(actor=None, applicant=p2, centre=b, start=D(2022, 4, 1))  # moves
    services.placement_record(actor=None, applicant=p3, centre=a, start=D(2022, 5, 9))
    rows = {
        c.centre.name: c for c in occupancy(start=D(2022, 3, 1), end=D(2022, 5, 9), step_days=7)
    }
    assert rows["A"].series[0] == (D(2022, 3, 1), 1)
    assert dict(rows["A"].series)[D(2022, 3, 15)] == 2
    assert dict(rows["A"].series)[D(2022, 4, 5)] == 1  # p2 left on 1 April
    assert rows["A"].today == 2
    assert rows["B"].today == 1
    assert rows["A"].peak == 2


def test_the_reception_page_shows_capacity_and_a_chart(
    make_user: Any, client: Any, orgs: dict[str, Any], make_case: Any
) -> None:
    c = ReceptionCentre.objects.create(
        name="azc Zwolle", municipality="Zwolle", capacity=1, organisation=orgs["coa"]
    )
    for _ in range(2):
        services.placement_record(
            actor=None, applicant=make_case().applicant, centre=c, start=D(2022, 4, 1)
        )
    client.force_login(make_user("an", "analyst", "ind"))
    html = client.get("/reception/", {"weeks": "12"}).content.decode()
    assert "azc Zwolle" in html
    assert "over capacity" in html
    assert "<polyline" in html
    assert client.get("/reception/", {"weeks": "7"}).status_code == 400


def test_the_chart_keeps_decimal_points_in_dutch(
    make_user: Any, client: Any, orgs: dict[str, Any], make_case: Any
) -> None:
    """A decimal comma in an SVG coordinate is read as a list of coordinates."""
    import re

    c = ReceptionCentre.objects.create(
        name="azc Zwolle", municipality="Zwolle", capacity=7, organisation=orgs["coa"]
    )
    services.placement_record(
        actor=None, applicant=make_case().applicant, centre=c, start=D(2022, 4, 1)
    )
    client.force_login(make_user("an", "analyst", "ind"))
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    html = client.get("/reception/").content.decode()
    assert "Bezetting" in html
    assert re.search(r'(x|y|x1|x2|y1|y2)="[0-9]+,[0-9]', html) is None
    assert re.search(r'points="[^"]*[0-9],[0-9]+,', html) is None
