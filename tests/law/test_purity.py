"""toevlucht.law is pure: no Django, no I/O beyond its own data; a stable public surface."""

from __future__ import annotations

import toevlucht.law
from tests.purity import framework_imports, frameworks_loaded_by, public_surface_is_all


def test_no_module_of_the_law_package_imports_django() -> None:
    assert list(framework_imports(toevlucht.law)) == []


def test_importing_and_running_the_law_engine_loads_no_django() -> None:
    code = (
        "import datetime as dt\n"
        "from toevlucht.law import assess, parse_case\n"
        "c = parse_case({'applicant': {'nationality': 'RUS'}, 'events': "
        "[{'kind': 'application_lodged', 'date': '2022-03-10'}]})\n"
        "assess(c, dt.date(2022, 5, 9))\n"
    )
    assert frameworks_loaded_by(code) == []


def test_the_public_surface_is_exactly_all() -> None:
    assert public_surface_is_all(toevlucht.law)
    for name in toevlucht.law.__all__:
        assert hasattr(toevlucht.law, name)
