"""Forecasts for every open case from the real backlog, and the backtest that decides whether
they may be shown (issue 12). See ``docs/forecasts.md``."""
