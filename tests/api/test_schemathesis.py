"""The whole API under schemathesis, in process: generated requests (valid and invalid) with
a supervisor's token, against real cases, measures and events. No server error, and every
response — problem documents included — fits the schema: status code, content type, headers
and body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from toevlucht.api.tokens import issue


def _application() -> Any:
    """The WSGI app; whitenoise warns (an error under -W error) when the static root is
    missing, as in a fresh clone before collectstatic."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from toevlucht.wsgi import application

    return application


schema = schemathesis.openapi.from_wsgi("/api/schema/", _application())

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    ignored_auth,
]


@pytest.fixture
def keep_db_connection() -> Iterator[None]:
    """The raw WSGI app closes the connection at the end of each request, which would end
    the test's transaction (500: "Cannot operate on a closed database")."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def real(world: dict[str, Any], make_case: Any) -> dict[str, Any]:
    """Ids of real objects, swapped into about half of the generated paths."""
    decided = make_case(
        events=[
            ("application_lodged", dt.date(2022, 1, 10), {}),
            (
                "decision_notified",
                dt.date(2022, 4, 20),
                {"outcome": "refused", "procedure": "general"},
            ),
        ]
    )
    token = issue(world["users"]["supervisor"])
    cases = [world["own"], world["revoked"], decided, world["other"]]
    return {
        "token": token,
        "cases": [c.pk for c in cases],
        "events": {c.pk: list(c.events.values_list("pk", flat=True)) for c in cases},
        "centre": world["centre"].pk,
    }


def _number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _use_real_ids(case: Any, real: dict[str, Any]) -> None:
    params = case.path_parameters or {}
    pk, event_pk = _number(params.get("id")), _number(params.get("event_pk"))
    if pk is not None and pk % 3 != 0:  # the schema calls the case's pk "id"
        params["id"] = real["cases"][pk % len(real["cases"])]
        events = real["events"][params["id"]]
        if event_pk is not None and events:
            params["event_pk"] = events[event_pk % len(events)]
    measure_id = params.get("measure_id")
    if isinstance(measure_id, str) and len(measure_id) % 2 == 0:
        params["measure_id"] = "ru-conscripts-2022-decision"
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("centre"), int) and body["centre"] % 2 == 0:
        body["centre"] = real["centre"]


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("keep_db_connection")
@schema.parametrize()
@hypothesis.settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: Any, real: dict[str, Any]) -> None:
    _use_real_ids(case, real)
    case.call_and_validate(headers={"Authorization": f"Token {real['token']}"}, checks=CHECKS)
