"""The exposure and backtest pages in Chromium, in English and Dutch: a supervisor asks for
the pace needed, sets a pace (first a wrong one), and every page passes axe-core's WCAG 2.1
A/AA rules, with its errors too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.web.conftest import browser_as, shot
from toevlucht.forecasts.models import BacktestGroup, BacktestRun, CapacitySetting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["browser_as"]  # the fixture, used by name

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
_axe = Axe()


def check(page: Page, name: str) -> None:
    page.wait_for_load_state("load")
    results = _axe.run(page, options=WCAG)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    shot(page, f"a11y-{name}")


def test_a_supervisor_walks_the_exposure_and_backtest_pages(
    browser_as: Any, live_server: Any, world: dict[str, Any], settings: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-06-01"
    run = BacktestRun.objects.create(
        computed_on=dt.date(2022, 6, 1),
        days=["2022-04-01", "2022-05-01"],
        params={"min_coverage": 0.7, "min_outcomes": 20},
    )
    BacktestGroup.objects.create(
        run=run, target="decision", queue="vw2000:decision", nationality_group="SYR",
        forecasts=40, outcomes=30, held=24, censored=10, coverage=0.8, median_error_days=12.0,
        recent_outcomes=10, recent_held=8, passes=True,
    )  # fmt: skip
    page = browser_as(world["users"]["supervisor"])
    url = live_server.url
    headings = {
        "en": ("Decision terms at the current pace", "Backtest of the forecasts"),
        "nl": ("Beslistermijnen in het huidige tempo", "Terugtoets van de prognoses"),
    }
    for lang in ("en", "nl"):
        page.goto(f"{url}/")
        page.select_option("#lang-select", lang)
        page.locator("form.lang button").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.goto(f"{url}/analysis/exposure/")
        syria = {"en": "Syria", "nl": "Syrië"}
        expect(page.locator("h1")).to_have_text(headings[lang][0])
        expect(page.locator("img").first).to_be_visible()
        check(page, f"exposure-{lang}")
        # a day before the case clock's: a field error, no result
        page.fill("#id_from_day", "2022-05-01")
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("#id_from_day_error")).to_be_visible()
        expect(page.locator("#needed-result")).to_have_count(0)
        check(page, f"exposure-errors-{lang}")
        page.fill("#id_from_day", "2022-06-01")
        page.fill("#id_target_percent", "80")
        page.locator("form.form button[type=submit]").click()
        expect(page.locator(".result")).to_be_visible()
        check(page, f"exposure-needed-{lang}")
        page.goto(f"{url}/analysis/backtest/")
        expect(page.locator("h1")).to_have_text(headings[lang][1])
        expect(page.locator("table").first).to_contain_text(syria[lang])
        check(page, f"backtest-{lang}")
        page.select_option("#id_queue", "vw2000:decision")
        page.fill("#id_per_week", "0")
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("#id_per_week_error")).to_be_visible()
        assert not CapacitySetting.objects.exists()
        check(page, f"backtest-errors-{lang}")
        page.fill("#id_per_week", "12.5")
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("#paces")).to_be_visible()
        assert CapacitySetting.objects.get().per_week == 12.5
        CapacitySetting.objects.all().delete()
