"""API fixtures: a world of cases and users of every role, and clients with their tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from toevlucht.api.tokens import issue
from toevlucht.cases import services
from toevlucht.cases.models import ReceptionCentre

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    """List counts are cached (api/pagination.py); ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world_cases(mandate: Any, make_case: Any) -> dict[str, Any]:
    """``own`` has had its registration interview (the API's writes build on it)."""
    own = make_case(
        org="ind",
        events=[
            ("application_lodged", D(2022, 3, 10), {}),
            ("registration_interview_held", D(2022, 3, 15), {}),
        ],
    )
    other = make_case(org="other_authority")
    revoked = make_case(org="ind")
    mandate(own.applicant, D(2022, 3, 10))
    mandate(revoked.applicant, D(2022, 3, 10), revoked_on=D(2022, 4, 1))
    return {"own": own, "other": other, "revoked": revoked}


@pytest.fixture
def world(world: dict[str, Any], orgs: dict[str, Any]) -> dict[str, Any]:
    """The shared world (tests/conftest.py), its IND cases assigned to the caseworker, and
    the ``own`` applicant placed in a centre."""
    for app in (world["own"], world["revoked"]):
        app.caseworker = world["users"]["caseworker"]
        app.save(update_fields=["caseworker"])
    centre = ReceptionCentre.objects.create(
        name="azc Ter Apel", municipality="Westerwolde", capacity=2000, organisation=orgs["coa"]
    )
    services.placement_record(
        actor=None, applicant=world["own"].applicant, centre=centre, start=D(2022, 3, 10)
    )
    return {**world, "centre": centre}


@pytest.fixture
def client_for(world: dict[str, Any]) -> Callable[[str], APIClient]:
    """An API client authenticated with the token of the user of ``role``."""

    keys: dict[str, str] = {}  # stored hashed: a key is known only when it is made

    def make(role: str) -> APIClient:
        if role not in keys:
            keys[role] = issue(world["users"][role])
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {keys[role]}")
        return c

    return make
