"""Portal fixtures: compiled translations, a Russian conscript whose case the 2022 moratorium
touches (the case clock on 15 July 2022), a reservist it does not touch, their accounts."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import toevlucht.portal

LOCALE = Path(toevlucht.portal.__file__).parent / "locale"
MORATORIUM_DAY = dt.date(2022, 7, 15)


def compile_catalogues() -> bool:
    """Compile the portal's .po files whose .mo is missing or older (``.ci/run`` and
    ``./start`` do it too; this keeps a bare ``pytest`` honest). True if any was built."""
    built = False
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            pytest.fail("msgfmt (gettext) is needed to compile the portal's translations")
        tmp = mo.with_name(f"django.{os.getpid()}.mo")
        subprocess.run([msgfmt, "--check", "-o", str(tmp), str(po)], check=True)
        os.replace(tmp, mo)
        built = True
    return built


@pytest.fixture(scope="session", autouse=True)
def _catalogues() -> None:
    from django.conf import settings

    # WhiteNoise warns (an error under -W error) when STATIC_ROOT is missing, as in a fresh
    # checkout before collectstatic; the tests serve static files from the apps instead.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    if compile_catalogues():
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture
def conscript_case(make_case: Callable[..., Any], settings: Any) -> Any:
    """A Russian conscript (22 in 2022) refusing service, lodged 1 April 2022; the clock on
    15 July 2022, when the moratorium (from 29 June 2022) is in force."""
    settings.TOEVLUCHT_AS_OF = MORATORIUM_DAY.isoformat()
    return make_case(
        given_names="Алексей",
        family_name="Смирнов",
        given_names_latin="Aleksei",
        family_name_latin="Smirnov",
        birth_date=dt.date(2000, 1, 15),
        sex="male",
        languages=["ru"],
        applicant_groups=["conscript_refusing_service"],
        events=[
            ("asylum_requested", dt.date(2022, 3, 28), {}),
            ("application_lodged", dt.date(2022, 4, 1), {}),
            (
                "interview_scheduled",
                dt.date(2022, 7, 1),
                {"interview": "registration", "scheduled_for": "2022-07-20"},
            ),
        ],
    )


@pytest.fixture
def reservist_case(make_case: Callable[..., Any]) -> Any:
    """The scenario's reservist (about thirty): no moratorium touches him."""
    return make_case(
        given_names="Дмитрий",
        family_name="Орлов",
        given_names_latin="Dmitrii",
        family_name_latin="Orlov",
        birth_date=dt.date(1992, 8, 14),
        sex="male",
        languages=["uk", "ru"],
        applicant_groups=["reservist_refusing_service"],
        events=[
            ("asylum_requested", dt.date(2022, 3, 30), {}),
            ("application_lodged", dt.date(2022, 4, 4), {}),
        ],
    )


@pytest.fixture
def applicant_of(make_user: Callable[..., Any]) -> Callable[..., Any]:
    def make(case: Any, language: str = "ru", username: str = "") -> Any:
        return make_user(
            username or f"applicant{case.applicant_id}",
            "applicant",
            applicant=case.applicant,
            language=language,
        )

    return make
