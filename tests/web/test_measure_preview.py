"""The measure preview the supervisor sees before announcing: a case without a decision term
(Dublin, not yet lodged) is not counted as changed by a measure that does not touch it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.measures.test_announce import SYRIA as SYRIA_MORATORIUM
from toevlucht.cases.announce import measure_preview

D = dt.date

SYRIA = {**SYRIA_MORATORIUM, "id": "syr-2022-preview"}


def test_cases_without_a_decision_term_are_not_counted_as_changed(make_case: Any) -> None:
    syr = make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})])
    make_case(nationality="GEO", events=[("asylum_requested", D(2022, 5, 2), {})])
    make_case(
        nationality="GEO",
        events=[
            ("application_lodged", D(2022, 3, 21), {}),
            ("track_assigned", D(2022, 3, 21), {"track": "dublin"}),
        ],
    )
    p = measure_preview(actor=None, definition=SYRIA)
    assert p.touched == [syr.pk]
    assert p.changed == [syr.pk]
