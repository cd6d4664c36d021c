"""The forecasts hang on the periodic refresh (``cases.tasks.refreshed``): after every open
case was brought to the day, the backtest is renewed when the latest is older than
``TOEVLUCHT_BACKTEST_EVERY_DAYS`` (case-clock days), then every open case is forecast."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from toevlucht.forecasts.services import forecast_all, latest_backtest, run_backtest


def forecast_after_refresh(sender: Any, report: Any, **kwargs: Any) -> dict[str, Any]:
    as_of = report.as_of
    last = latest_backtest()
    out: dict[str, Any] = {}
    if last is None or (as_of - last.computed_on).days >= settings.TOEVLUCHT_BACKTEST_EVERY_DAYS:
        out["backtest"] = run_backtest(as_of).pk
    summary = forecast_all(as_of)
    out["forecast"] = summary.forecast
    out["forecast_open_cases"] = summary.open_cases
    return out
