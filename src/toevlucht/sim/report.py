"""The terminal summary and the CSV files of one or more runs, side by side."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from toevlucht.sim.engine import SERIES, WAIT_STAGES
from toevlucht.sim.runner import Run
from toevlucht.sim.summary import YEARLY, bands, by_year, stage_waits, validate

__all__ = ["fmt", "summary_text", "write_csv"]


def fmt(value: float, unit: str) -> str:
    """A figure for people: counts with thousands separators, shares in %, EUR in millions."""
    if value is None or np.isnan(value):
        return "–"
    if unit == "share":
        return f"{100 * value:.0f}%"
    if unit == "eur":
        return f"€{value / 1e6:.1f}m"
    if unit == "days":
        return f"{value:.0f}d"
    return f"{value:,.0f}"


def _cell(x: npt.ArrayLike, unit: str) -> str:
    b = bands(x)
    if np.isnan(b[1]):
        return "–"
    return f"{fmt(b[1], unit)} ({fmt(b[0], unit)}–{fmt(b[2], unit)})"


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )

    return [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def summary_text(runs: Sequence[Run]) -> str:
    """What the command prints: measures, yearly figures, per nationality, validation."""
    first = runs[0]
    out: list[str] = []
    for r in runs:
        out.append(f"{r.scenario.name} — {r.scenario.title}")
        out.append(
            f"  {r.scenario.start} to {r.scenario.end}; law as known on {r.scenario.law_as_of}"
        )
        for m in r.measures:
            holds = f"; in this forecast: {m.holds}" if m.holds else ""
            out.append(f"  measure {m.id} ({m.effect_status}): {m.note}{holds}")
    out.append(
        f"{first.replications} replications, seed {first.seed}, {first.seconds:.1f} s. "
        "Cells: median (p5–p95) over replications."
    )
    years = first.plan.years
    multi = len(runs) > 1
    header = ["", *[str(y) for y in years]]
    rows: list[list[str]] = []
    for key, label, unit in YEARLY:
        for r in runs:
            vals = by_year(r, key)
            name = f"{label} [{r.scenario.name}]" if multi else label
            rows.append([name, *[_cell(vals[:, j], unit) for j in range(len(years))]])
    out.append("")
    out += _table(rows, header)

    out.append("")
    out.append("Per nationality group, or profile of one (decisions of the year):")
    rows = []
    for grp in first.plan.units:
        for key, label, unit in (
            ("within_term", "within term", "share"),
            ("wait_median", "median wait", "days"),
            ("wait_p90", "p90 wait", "days"),
            ("pending_end", "pending at year end", "count"),
            ("overdue_end", "of which past the term", "count"),
            ("notices", "notices of default", "count"),
            ("penalties_eur", "penalty payments", "eur"),
        ):
            for r in runs:
                gi = _unit(r, grp.id)
                if gi is None:
                    continue
                vals = by_year(r, key, gi)
                name = f"{grp.id} {label}" + (f" [{r.scenario.name}]" if multi else "")
                rows.append([name, *[_cell(vals[:, j], unit) for j in range(len(years))]])
    out += _table(rows, header)

    if multi:
        out += _differences(runs, header)

    out.append("")
    out.append("Waiting at each stage, median of the year's departures (days):")
    rows = []
    for k, st in enumerate(WAIT_STAGES):
        for r in runs:
            w = stage_waits(r, k)
            name = st.value + (f" [{r.scenario.name}]" if multi else "")
            rows.append([name, *[_cell(w[:, j, 0], "days") for j in range(len(years))]])
    out += _table(rows, header)

    for r in runs:
        checks = list(validate(r))
        if not checks:
            continue
        out.append("")
        out.append(f"Validation of {r.scenario.name} against published figures:")
        rows = []
        for c in checks:
            unit = (
                "share"
                if c.metric.startswith("within")
                else ("eur" if c.metric.endswith("eur") else "count")
            )
            rows.append(
                [
                    f"{c.metric} {c.period}",
                    fmt(c.published, unit),
                    f"{fmt(c.p50, unit)} ({fmt(c.p5, unit)}–{fmt(c.p95, unit)})",
                    c.verdict,
                ]
            )
        out += _table(rows, ["figure", "published", "simulated", "verdict"])
    return "\n".join(out)


def _unit(r: Run, unit_id: str) -> int | None:
    return next((i for i, u in enumerate(r.plan.units) if u.id == unit_id), None)


def _differences(runs: Sequence[Run], header: list[str]) -> list[str]:
    """Each scenario minus the first, per replication: the runs share their random numbers
    (same seed, same groups), so a paired difference is much sharper than the two bands."""
    first = runs[0]
    years = first.plan.years
    rows: list[list[str]] = []
    metrics = (
        ("within_term", "within term", "share"),
        ("wait_median", "median wait", "days"),
        ("wait_p90", "p90 wait", "days"),
        ("pending_end", "pending at year end", "count"),
    )
    for r in runs[1:]:
        if r.replications != first.replications or r.plan.years != years:
            continue
        for grp in [None, *range(len(first.plan.units))]:
            gid = "all" if grp is None else first.plan.units[grp].id
            gi = grp
            if grp is not None:
                gi = _unit(r, gid)
                if gi is None:
                    continue
            for key, label, unit in metrics:
                d = by_year(r, key, gi) - by_year(first, key, grp)
                b = bands(d)
                thr = 0.01 if unit == "share" else 1.0
                lo, mid, hi = np.nan_to_num(b[:3])
                clear = (np.abs(mid) >= thr) | (
                    (lo * hi > 0) & (np.minimum(abs(lo), abs(hi)) >= thr)
                )
                if not clear.any():  # no year with a difference worth a line
                    continue
                rows.append(
                    [
                        f"{gid} {label} [{r.scenario.name}]",
                        *[_signed(d[:, j], unit) for j in range(len(years))],
                    ]
                )
    if not rows:
        return ["", f"No difference from {first.scenario.name} in any group."]
    note = f"Difference from {first.scenario.name}, paired over replications (same random numbers):"
    return ["", note, *_table(rows, header)]


def _signed(x: npt.ArrayLike, unit: str) -> str:
    b = bands(x)
    if np.isnan(b[1]):
        return "–"

    def f(v: float) -> str:
        if unit == "share":
            return f"{100 * v:+.0f}pp"
        if unit == "days":
            return f"{v:+.0f}d"
        return f"{v:+,.0f}"

    return f"{f(b[1])} ({f(b[0])}…{f(b[2])})"


def write_csv(runs: Sequence[Run], out: Path) -> list[Path]:
    """``series.csv``, ``yearly.csv``, ``waits.csv``, ``validation.csv`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    files = []
    path = out / "series.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "date", "metric", "group", "p5", "median", "p95", "mean"])
        for r in runs:
            n = r.batch.series.shape[2]
            dates = [r.scenario.start + dt.timedelta(days=i - 1) for i in range(n)]
            blocks = [(name, "all", r.batch.series[:, i]) for i, name in enumerate(SERIES)]
            blocks += [
                ("pending", g.id, r.batch.pending_by_group[:, j])
                for j, g in enumerate(r.plan.units)
            ]
            for name, group, x in blocks:
                b = bands(x)
                for i, d in enumerate(dates):
                    w.writerow(
                        [
                            r.scenario.name,
                            d.isoformat(),
                            name,
                            group,
                            *(f"{v:.1f}" for v in b[:, i]),
                        ]
                    )
    files.append(path)
    path = out / "yearly.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "year", "metric", "group", "p5", "median", "p95", "mean"])
        for r in runs:
            for key, _, _ in YEARLY:
                groups: list[tuple[str, int | None]] = [("all", None)]
                if key not in ("reception_end", "reception_over", "ter_apel_max"):
                    groups += [(g.id, j) for j, g in enumerate(r.plan.units)]
                for gid, gi in groups:
                    b = bands(by_year(r, key, gi))
                    for j, y in enumerate(r.plan.years):
                        w.writerow([r.scenario.name, y, key, gid, *(f"{v:.4g}" for v in b[:, j])])
    files.append(path)
    path = out / "waits.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            ["scenario", "stage", "group", "year", "quantile", "p5", "median", "p95", "mean"]
        )
        for r in runs:
            names = [s.value for s in WAIT_STAGES] + ["lodging_to_decision"]
            for k, st in enumerate(names):
                for gi, gid in [
                    (None, "all"),
                    *[(j, g.id) for j, g in enumerate(r.plan.units)],
                ]:
                    xw = stage_waits(r, k, gi)
                    for q, qn in enumerate(("median", "p90")):
                        b = bands(xw[:, :, q])
                        for j, y in enumerate(r.plan.years):
                            w.writerow(
                                [r.scenario.name, st, gid, y, qn, *(f"{v:.1f}" for v in b[:, j])]
                            )
    files.append(path)
    path = out / "validation.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "scenario",
                "metric",
                "period",
                "published",
                "p5",
                "median",
                "p95",
                "verdict",
                "source",
                "note",
            ]
        )
        for r in runs:
            for c in validate(r):
                w.writerow(
                    [
                        r.scenario.name,
                        c.metric,
                        c.period,
                        c.published,
                        f"{c.p5:.4g}",
                        f"{c.p50:.4g}",
                        f"{c.p95:.4g}",
                        c.verdict,
                        c.source,
                        c.note,
                    ]
                )
    files.append(path)
    return files
