"""The portal's answer to "when?" in Russian, in Chromium: what is usual at his step, the
band and its track record where the estimate passed the backtest, and the honest "no
reliable estimate" with the reason where it did not; axe clean at 360 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.portal import test_browser
from toevlucht.forecasts.models import Forecast

check, signed_in_page = test_browser.check, test_browser.signed_in_page
phone = test_browser.phone  # the fixture: a phone-sized page in a locale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _forecast(case: Any, **kw: Any) -> Forecast:
    base: dict[str, Any] = {
        "application": case,
        "computed_on": dt.date(2022, 5, 9),
        "queue": "vw2000:registration_interview",
        "group": "vw2000:registration_interview|RUS",
        "next_step": "registration_interview_held",
        "stage_since": dt.date(2022, 4, 4),
        "usual_n": 41,
        "usual_p50_days": 12,
        "usual_p90_days": 25,
    }
    base.update(kw)
    return Forecast.objects.create(**base)


def test_the_reservist_reads_when_in_russian(
    reservist_case: Any,
    applicant_of: Any,
    live_server: Any,
    phone: Any,
    settings: Any,
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-05-09"
    _forecast(
        reservist_case,
        next_p10=dt.date(2022, 5, 20), next_p50=dt.date(2022, 6, 1), next_p90=dt.date(2022, 6, 15),
        decision_p10=dt.date(2022, 7, 1), decision_p50=dt.date(2022, 8, 1),
        decision_p90=dt.date(2022, 9, 1), within_term_probability=0.62, decision_shown=True,
        next_shown=True, backtest_coverage=0.81, next_backtest_coverage=0.8, track_held=8,
        track_total=10,
    )  # fmt: skip
    user = applicant_of(reservist_case, "ru")
    page = signed_in_page(phone, live_server, user, "ru-RU")
    page.goto(f"{live_server.url}/portal/cases/{reservist_case.reference}/")
    when = page.locator("section[aria-labelledby=when]")
    expect(when.get_by_role("heading", name="Когда?")).to_be_visible()
    expect(when).to_contain_text(
        "дела, подобные вашему, ждали ваше регистрационное собеседование 12 дн."
    )
    # 35 days since 4 April: longer than 9 in 10 such cases (25 days)
    expect(when).to_contain_text("Вы ждёте дольше, чем 9 из 10 таких дел.")
    expect(when).to_contain_text(
        "Наша оценка даты решения: между 1 июля 2022 года и 1 сентября 2022 года"
    )
    expect(when).to_contain_text("в прошлом квартале сбылись 8 из 10")
    expect(when).to_contain_text("62 %")
    check(page, "ru-when-band")


def test_no_reliable_estimate_is_said_plainly_with_why(
    reservist_case: Any,
    applicant_of: Any,
    live_server: Any,
    phone: Any,
    settings: Any,
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-05-09"
    _forecast(reservist_case, unavailable_reason="set_aside", next_unavailable_reason="set_aside")
    user = applicant_of(reservist_case, "ru")
    page = signed_in_page(phone, live_server, user, "ru-RU")
    page.goto(f"{live_server.url}/portal/cases/{reservist_case.reference}/")
    when = page.locator("section[aria-labelledby=when]")
    expect(when).to_contain_text("Надёжной оценки даты решения пока нет.")
    expect(when).to_contain_text("Заявления, поданные после вашего, уже продвинулись дальше.")
    expect(when).not_to_contain_text("Наша оценка")
    check(page, "ru-when-none")
