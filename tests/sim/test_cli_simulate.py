"""``toevlucht simulate`` as a user runs it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.sim.helpers import scenario_text, write
from toevlucht.cli import main
from toevlucht.sim import load_scenario, run


def test_simulate_prints_a_summary_and_writes_plots_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, scenario_text())
    out = tmp_path / "out"
    assert main(["simulate", str(path), "-n", "4", "--workers", "1", "-q", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "first applications lodged" in text
    assert "median (p5–p95)" in text
    for name in (
        "series.csv",
        "yearly.csv",
        "waits.csv",
        "validation.csv",
        "backlog.png",
        "reception.png",
    ):
        assert (out / name).stat().st_size > 0


def test_compare_runs_two_scenarios_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path, scenario_text(name="slow"), "a.toml")
    b = write(tmp_path, scenario_text(name="fast", general=40), "b.toml")
    code = main(
        [
            "simulate",
            str(a),
            "--compare",
            str(b),
            "-n",
            "3",
            "--workers",
            "1",
            "-q",
            "--no-plots",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "[slow]" in text
    assert "[fast]" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nope.toml"], "nope.toml: no such file"),
        (["BAD", "-n", "2"], "bad.toml: stages.registration.capacity: expected a number"),
    ],
)
def test_a_user_error_is_one_line_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    bad = write(tmp_path, scenario_text().replace("capacity = 36", 'capacity = "x"'), "bad.toml")
    args = [str(bad) if a == "BAD" else a for a in args]
    assert main(["simulate", *args, "-q", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert words in err
    assert "Traceback" not in err


def test_zero_replications_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "nl-2022", "-n", "0"])
    assert exc.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_results_do_not_depend_on_the_number_of_processes(tmp_path: Path) -> None:
    sc = load_scenario(str(write(tmp_path, scenario_text())))
    one = run(sc, 60, seed=5, workers=1)
    two = run(sc, 60, seed=5, workers=2)
    assert np.array_equal(one.batch.series, two.batch.series)
    assert np.array_equal(one.batch.waits, two.batch.waits, equal_nan=True)
