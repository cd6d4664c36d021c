"""PNG plots of one or more runs: medians with p5–p95 bands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from toevlucht.sim.engine import SERIES
from toevlucht.sim.runner import Run
from toevlucht.sim.summary import bands, by_year, capacity_series

__all__ = ["write_plots"]


def _dates(r: Run) -> npt.NDArray[np.datetime64]:
    first = np.datetime64(r.scenario.start - dt.timedelta(days=1), "D")
    return first + np.arange(r.batch.series.shape[2])


def _band(
    ax: Axes, x: npt.NDArray[np.datetime64], y: np.ndarray, label: str, color: str | None = None
) -> None:
    b = bands(y)
    (line,) = ax.plot(x, b[1], label=label, color=color, lw=1.5)
    ax.fill_between(x, b[0], b[2], color=line.get_color(), alpha=0.2, lw=0)


def _style(ax: Axes, title: str) -> None:
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))


def _save(fig: Figure, path: Path) -> Path:
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _finish(fig: Figure, ax: Axes, title: str, path: Path) -> Path:
    _style(ax, title)
    return _save(fig, path)


def write_plots(runs: Sequence[Run], out: Path) -> list[Path]:
    """backlog.png, pending_by_group.png, reception.png, decisions.png in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    multi = len(runs) > 1
    sub = "median and p5–p95 over replications"

    fig, ax = plt.subplots(figsize=(9, 4.8))
    for r in runs:
        x = _dates(r)
        tag = f" [{r.scenario.name}]" if multi else ""
        _band(ax, x, r.batch.series[:, SERIES.index("pending")], "pending first decision" + tag)
        if not multi:
            for name in (
                "registration",
                "general_procedure",
                "extended_procedure",
                "dublin",
                "appeal",
            ):
                _band(ax, x, r.batch.series[:, SERIES.index(name)], f"waiting: {name}")
    for r in runs[:1]:
        for t in r.scenario.targets:
            if t.metric == "pending" and len(t.period) == 10:
                ax.plot(np.datetime64(t.period, "D"), t.value, "k^", ms=6)
    ax.plot([], [], "k^", label="published pending")
    files.append(_finish(fig, ax, f"Backlog per stage ({sub})", out / "backlog.png"))

    if multi:  # one panel per group, the scenarios on top of each other
        groups = runs[0].plan.units
        ncol = min(3, len(groups))
        nrow = -(-len(groups) // ncol)
        fig, axs = plt.subplots(nrow, ncol, figsize=(4.4 * ncol, 3.4 * nrow), squeeze=False)
        for j, g in enumerate(groups):
            ax = axs[j // ncol][j % ncol]
            for k, r in enumerate(runs):
                gi = next((i for i, u in enumerate(r.plan.units) if u.id == g.id), None)
                if gi is not None:
                    _band(ax, _dates(r), r.batch.pending_by_group[:, gi], r.scenario.name, f"C{k}")
            ax.set_title(g.name, fontsize=9)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
            ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        for j in range(len(groups), nrow * ncol):
            axs[j // ncol][j % ncol].axis("off")
        axs[0][0].legend(fontsize=7, loc="upper left")
        fig.suptitle(f"Pending first decision by nationality group ({sub})", fontsize=10)
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(out / "pending_by_group.png", dpi=110)
        plt.close(fig)
        files.append(out / "pending_by_group.png")
    else:
        fig, ax = plt.subplots(figsize=(9, 4.8))
        r = runs[0]
        for j, g in enumerate(r.plan.units):
            _band(ax, _dates(r), r.batch.pending_by_group[:, j], g.name)
        ax.set_yscale("symlog", linthresh=100)
        title = f"Pending first decision by nationality group ({sub})"
        files.append(_finish(fig, ax, title, out / "pending_by_group.png"))

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    for r in runs:
        x = _dates(r)
        tag = f" [{r.scenario.name}]" if multi else ""
        _band(axes[0], x, r.batch.series[:, SERIES.index("reception")], "in reception" + tag)
        _band(
            axes[0],
            x,
            r.batch.series[:, SERIES.index("status_holders")],
            "permit holders waiting for a home" + tag,
        )
        _band(axes[1], x, r.batch.series[:, SERIES.index("ter_apel")], "registration phase" + tag)
    r0 = runs[0]
    axes[0].plot(
        _dates(r0), capacity_series(r0), "k--", lw=1, label="reception capacity (scenario)"
    )
    axes[1].axhline(
        r0.scenario.ter_apel_capacity, color="k", ls="--", lw=1, label="Ter Apel capacity"
    )
    for t in r0.scenario.targets:
        if t.metric == "reception":
            axes[0].plot(np.datetime64(t.period, "D"), t.value, "k^", ms=6)
    axes[0].plot([], [], "k^", label="published occupancy")
    _finish_two(
        fig, axes, ("Reception occupancy", "Registration centre (Ter Apel)"), out / "reception.png"
    )
    files.append(out / "reception.png")

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    width = 0.8 / max(1, len(runs))
    for i, r in enumerate(runs):
        years = np.array(r.plan.years)
        for ax, key, label in (
            (axes[0], "within_term", "decided within the term"),
            (axes[1], "wait_median", "median wait, days"),
        ):
            b = bands(by_year(r, key))
            ax.bar(
                years + i * width,
                b[1],
                width,
                yerr=[b[1] - b[0], b[2] - b[1]],
                capsize=3,
                label=r.scenario.name,
            )
            ax.set_xticks(years + width * (len(runs) - 1) / 2, [str(y) for y in years])
            ax.set_title(label, fontsize=10)
    for ax in axes:
        ax.grid(alpha=0.3, axis="y")
        ax.legend(fontsize=8)
    axes[0].yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    fig.suptitle(f"Decisions of each year ({sub})", fontsize=10)
    fig.tight_layout()
    fig.savefig(out / "decisions.png", dpi=110)
    plt.close(fig)
    files.append(out / "decisions.png")
    return files


def _finish_two(fig: Figure, axes: np.ndarray, titles: tuple[str, str], path: Path) -> None:
    for ax, title in zip(axes, titles, strict=True):
        _style(ax, title)
    _save(fig, path)
