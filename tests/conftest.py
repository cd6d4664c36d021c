"""Shared fixtures: users of every role, a case factory going through the services, the
system Chromium for browser tests, and the append-only triggers in transactional tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; without this, ORM calls in a
# browser test raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_DAY = dt.date(2022, 5, 9)
CHROMIUM = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or "/usr/bin/chromium"


def skip_or_fail(reason: str) -> None:
    """Skip a check whose system tool is missing on a developer's machine; under `.ci/run`
    (TOEVLUCHT_CI=1), which installs every tool, a missing one fails instead of skipping."""
    if os.environ.get("TOEVLUCHT_CI") == "1":
        pytest.fail(f"{reason} (.ci/run installs it; CI does not skip)", pytrace=False)
    pytest.skip(reason)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TOEVLUCHT_AS_OF = DEMO_DAY.isoformat()
    settings.TOEVLUCHT_AUDIT_CHECKPOINT = tmp_path / "audit-checkpoint.json"


@pytest.fixture(autouse=True)
def _append_only_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests empty the database afterwards, which the append-only triggers
    forbid: drop them before that flush; tests that need them create them (idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from toevlucht.appendonly import APPEND_ONLY_TABLES, set_triggers

    set_triggers(connection, APPEND_ONLY_TABLES, create=True)
    yield
    set_triggers(connection, APPEND_ONLY_TABLES, create=False)


@pytest.fixture
def append_only(db: None) -> None:
    """Make sure the triggers exist (a transactional test before may have dropped them)."""
    from django.db import connection

    from toevlucht.appendonly import APPEND_ONLY_TABLES, set_triggers

    set_triggers(connection, APPEND_ONLY_TABLES, create=True)


@pytest.fixture
def orgs(db: None) -> dict[str, Any]:
    from toevlucht.accounts.models import Organisation

    K = Organisation.Kind
    return {
        "ind": Organisation.objects.create(name="IND", kind=K.AUTHORITY),
        "other_authority": Organisation.objects.create(name="Other authority", kind=K.AUTHORITY),
        "vwn": Organisation.objects.create(name="VluchtelingenWerk", kind=K.LEGAL_AID),
        "other_legal_aid": Organisation.objects.create(name="Other legal aid", kind=K.LEGAL_AID),
        "coa": Organisation.objects.create(name="COA", kind=K.RECEPTION),
    }


@pytest.fixture
def mandate(orgs: dict[str, Any]) -> Callable[..., Any]:
    """Give legal aid (VWN unless ``org``) a mandate for ``applicant`` from ``on`` (the
    consent date too), revoked on ``revoked_on`` if given."""
    from toevlucht.accounts import services as account_services

    def make(
        applicant: Any, on: dt.date, *, revoked_on: dt.date | None = None, org: str = "vwn"
    ) -> Any:
        m = account_services.mandate_grant(
            actor=None,
            organisation=orgs[org],
            applicant=applicant,
            consent_date=on,
            valid_from=on,
        )
        if revoked_on is not None:
            m = account_services.mandate_revoke(actor=None, mandate=m, on=revoked_on)
        return m

    return make


@pytest.fixture
def make_user(orgs: dict[str, Any]) -> Callable[..., Any]:
    from toevlucht.accounts.models import User

    def make(username: str, role: str, org: str | None = None, **kw: Any) -> Any:
        u = User(username=username, role=role, organisation=orgs[org] if org else None, **kw)
        u.set_password("correct horse battery staple")
        u.save()
        return u

    return make


@pytest.fixture
def make_case(orgs: dict[str, Any]) -> Callable[..., Any]:
    """Create an applicant and an application with events, through the services."""
    from toevlucht.cases import services

    counter = iter(range(1, 10**6))

    def make(
        *,
        nationality: str = "RUS",
        org: str = "ind",
        events: list[tuple[str, dt.date, dict[str, Any]]] | None = None,
        **applicant: Any,
    ) -> Any:
        n = next(counter)
        a = services.applicant_register(
            actor=None,
            v_number=applicant.pop("v_number", f"{1000000000 + n}"),
            given_names=applicant.pop("given_names", "Иван"),
            family_name=applicant.pop("family_name", f"Петров{n}"),
            given_names_latin=applicant.pop("given_names_latin", "Ivan"),
            family_name_latin=applicant.pop("family_name_latin", f"Petrov{n}"),
            nationality=nationality,
            **applicant,
        )
        app = services.application_open(actor=None, applicant=a, organisation=orgs[org])
        for kind, day, data in events or [("application_lodged", dt.date(2022, 3, 10), {})]:
            services.event_record(
                actor=None, application=app, kind=kind, effective_date=day, data=data
            )
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def world_cases(make_case: Callable[..., Any], mandate: Callable[..., Any]) -> dict[str, Any]:
    """The three cases the access rules distinguish (see ``tests/access.py``). A directory
    whose tests need other histories overrides this fixture, never ``world``."""
    own = make_case(org="ind")
    other = make_case(org="other_authority")
    revoked = make_case(org="ind")
    mandate(own.applicant, dt.date(2022, 3, 10))
    mandate(revoked.applicant, dt.date(2022, 3, 10), revoked_on=dt.date(2022, 4, 1))
    return {"own": own, "other": other, "revoked": revoked}


@pytest.fixture
def world(world_cases: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    """The cases of ``world_cases`` and one user of every role of ``tests/access.py``
    (``users``); the applicant owns the ``own`` case."""
    users = {
        "caseworker": make_user(
            "cw",
            "caseworker",
            "ind",
            first_name="Carla",
            last_name="Wouters",
            email="cw@example.org",
        ),
        "supervisor": make_user("sv", "supervisor", "ind"),
        "foreign_caseworker": make_user("cw2", "caseworker", "other_authority"),
        "legal_aid": make_user(
            "la", "legal_aid", "vwn", first_name="Lotte", last_name="Jansen", email="la@x.org"
        ),
        "other_legal_aid": make_user("la2", "legal_aid", "other_legal_aid"),
        "analyst": make_user("an", "analyst", "ind"),
        "applicant": make_user("ap", "applicant", applicant=world_cases["own"].applicant),
        "administrator": make_user("ad", "administrator", "ind"),
    }
    return {**world_cases, "users": users}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }
