"""The whole API under schemathesis, in process, with **every check** schemathesis has:
generated requests (valid and invalid, the examples, coverage and fuzzing phases) with a
supervisor's token, against real cases, measures and events. No server error; every response
— problem documents included — fits the schema (status code, content type, headers, body);
schema-valid requests are accepted and invalid ones refused; a missing or wrong token is
refused; an undeclared method is a 405 with ``Allow``, ``OPTIONS`` lists exactly the
declared methods.

One setting differs from schemathesis' defaults, on purpose and narrowly: a schema-valid
request may be answered 422 (``positive_data_acceptance`` expects 2xx, 3xx, 401, 403, 404,
409, 429 and 5xx). A 422 is the law engine's or a service's refusal of well-formed input
*given what is stored or what the law says on that day* — an event that contradicts the
case's history, a date the law's data do not cover, a second first application, a mandate
revoked already, a measure whose period ends before it starts — which no JSON Schema can
express. ``refusals_are_the_laws`` below keeps the check's teeth: such a 422 must be a
problem document of a refusal type naming the field (never ``invalid-input``), and a
schema-valid request answered 400 still fails.

The stateful checks need a history of calls, which one generated request does not have:
``test_api_state_machine`` runs them along the links schemathesis infers (POST /api/cases/ →
GET /api/cases/{id}/, POST /api/measures/ → GET /api/measures/{measure_id}/, a case's events
→ their corrections, mandates → their revocation). ``use_after_free`` runs there too but has
nothing to find: it looks for a resource read after a DELETE of it, and no operation of the
API deletes one (a case, an event or a mandate is never deleted, only corrected or revoked;
DELETE /api/auth/token/ takes a browser session, not the token these tests use)."""

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
from schemathesis.config import SchemathesisConfig

from toevlucht.api.tokens import issue


def _application() -> Any:
    """The WSGI app; whitenoise warns (an error under -W error) when the static root is
    missing, as in a fresh clone before collectstatic."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from toevlucht.wsgi import application

    return application


POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
REFUSALS = {
    f"urn:toevlucht:problem:{name}"
    for name in ("input-rejected", "event-rejected", "measure-rejected", "duplicate-suspected")
}

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    _application(),
    config=SchemathesisConfig.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES}}}
    ),
)


def refusals_are_the_laws(ctx: Any, response: Any, case: Any) -> None:
    """A 422 to a schema-valid request is a refusal by the law or a service naming the
    field, never a complaint about the request's form (that is a 400, and a failure of
    ``positive_data_acceptance``)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code != 422:
        return
    body = response.json()
    assert body["type"] in REFUSALS, body
    assert body.get("field"), body


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
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return  # a negative case's invalid id must reach the server as generated
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
    case.call_and_validate(
        headers={"Authorization": f"Token {real['token']}"},
        additional_checks=[refusals_are_the_laws],
    )


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Any) -> str:
    """The demo as ``toevlucht demo --as-of 2022-10-01`` builds it (in the test database);
    a token of its supervisor."""
    from toevlucht.accounts.models import User
    from toevlucht.cases.refresh import refresh_all
    from toevlucht.demo.build import build_demo

    settings.VAR_DIR = tmp_path
    build_demo()
    settings.TOEVLUCHT_AS_OF = "2022-10-01"
    refresh_all(dt.date(2022, 10, 1))
    return issue(User.objects.get(username="supervisor"))


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("keep_db_connection")
def test_api_state_machine(demo: str) -> None:
    """Sequences of calls against the demo's data, along the links schemathesis finds
    between operations (an id a response names, used in the next request's path or body),
    every check again — among them ``ensure_resource_availability`` (what a POST made can be
    read) and ``use_after_free``."""
    machine = schema.as_state_machine()
    token = demo

    class Workflow(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Token {token}"}}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            # as call_and_validate does: the checks know which credentials were the caller's
            case.validate_response(
                response,
                headers=kwargs["headers"],
                additional_checks=[refusals_are_the_laws],
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Workflow.run(
        settings=hypothesis.settings(
            max_examples=40,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            derandomize=True,
        )
    )
