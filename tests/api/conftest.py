"""API fixtures: a world of cases and users of every role, and clients with their tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from toevlucht.cases import services
from toevlucht.cases.models import ReceptionCentre

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    """List counts are cached (api/pagination.py); ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(orgs: dict[str, Any], mandate: Any, make_user: Any, make_case: Any) -> dict[str, Any]:
    """IND's case with a VWN mandate (``own``), another authority's case (``other``) and an
    IND case whose mandate was revoked (``revoked``); one user per role."""
    users = {
        "caseworker": make_user("cw", "caseworker", "ind", email="cw@example.org"),
        "supervisor": make_user("sv", "supervisor", "ind"),
        "legal_aid": make_user("la", "legal_aid", "vwn", email="la@example.org"),
        "other_legal_aid": make_user("la2", "legal_aid", "other_legal_aid"),
        "analyst": make_user("an", "analyst", "ind"),
        "administrator": make_user("ad", "administrator", "ind"),
    }
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
    users["applicant"] = make_user("ap", "applicant", applicant=own.applicant)
    for app in (own, revoked):
        app.caseworker = users["caseworker"]
        app.save(update_fields=["caseworker"])
    centre = ReceptionCentre.objects.create(
        name="azc Ter Apel", municipality="Westerwolde", capacity=2000, organisation=orgs["coa"]
    )
    services.placement_record(
        actor=None, applicant=own.applicant, centre=centre, start=D(2022, 3, 10)
    )
    return {"own": own, "other": other, "revoked": revoked, "users": users, "centre": centre}


@pytest.fixture
def client_for(world: dict[str, Any]) -> Callable[[str], APIClient]:
    """An API client authenticated with the token of the user of ``role``."""

    def make(role: str) -> APIClient:
        token, _ = Token.objects.get_or_create(user=world["users"][role])
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return c

    return make
