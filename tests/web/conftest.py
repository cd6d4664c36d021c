"""Fixtures of the staff pages' tests: one user per role, the three kinds of case the access
rules distinguish, and a browser page signed in as a given user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

D = dt.date
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Lodged on 27 Sep 2021: the decision term ended on 27 Mar 2022, before the case clock (9 May
# 2022) - the authority is late.
LATE = [
    ("asylum_requested", D(2021, 9, 20), {}),
    ("application_lodged", D(2021, 9, 27), {}),
]
FRESH = [
    ("asylum_requested", D(2022, 5, 2), {}),
    ("application_lodged", D(2022, 5, 4), {}),
]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Counts are cached under their SQL; ids repeat between tests, so start empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def users(world: dict[str, Any]) -> dict[str, Any]:
    """One user per role of the shared world (tests/conftest.py); the applicant owns the
    ``own`` case."""
    return dict(world["users"])


@pytest.fixture
def cases(world_cases: dict[str, Any]) -> dict[str, Any]:
    return world_cases


@pytest.fixture
def world_cases(make_case: Callable[..., Any], mandate: Callable[..., Any]) -> dict[str, Any]:
    """``own``: the IND's, late, under a VluchtelingenWerk mandate; ``other``: another
    authority's, no mandate; ``revoked``: the IND's, its mandate revoked."""

    own = make_case(
        nationality="RUS",
        events=LATE,
        given_names="Дмитрий",
        family_name="Соколов",
        given_names_latin="Dmitrii",
        family_name_latin="Sokolov",
        sex="male",
        birth_date=D(1993, 4, 2),
    )
    other = make_case(nationality="GEO", org="other_authority", events=FRESH)
    revoked = make_case(nationality="SYR", events=FRESH)
    mandate(own.applicant, D(2021, 9, 20))
    mandate(revoked.applicant, D(2022, 5, 2), revoked_on=D(2022, 5, 6))
    return {"own": own, "other": other, "revoked": revoked}


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def browser_as(live_server: Any, page: Any) -> Callable[[Any], Any]:
    """The Playwright page, signed in as ``user`` (a session made with force_login: the
    password step has its own test)."""

    def sign_in(user: Any) -> Any:
        c = Client()
        c.force_login(user)
        page.context.add_cookies(
            [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
        )
        page.set_default_timeout(15_000)
        return page

    return sign_in


def shot(page: Any, name: str) -> None:
    """A full-page screenshot into var/screenshots/ (ignored by git) to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
