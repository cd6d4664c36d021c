"""The case commands as a user runs them, in their own database: seed, refresh, audit verify,
export-subject — including being killed in the middle."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

TOEVLUCHT = [sys.executable, "-m", "toevlucht.cli"]


def env_for(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TOEVLUCHT_AS_OF")}
    env["TOEVLUCHT_VAR"] = str(var)
    return env


def cli(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TOEVLUCHT, *args],
        env=env_for(var),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def wait_for(db: Path, sql: str, at_least: int, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as con:
                if con.execute(sql).fetchone()[0] >= at_least:
                    return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {sql}")


def query(db: Path, sql: str) -> int:
    with closing(sqlite3.connect(db)) as con:
        return int(con.execute(sql).fetchone()[0])


@pytest.mark.slow
def test_killing_seed_and_refresh_leaves_whole_cases_and_a_log_that_verifies(
    tmp_path: Path,
) -> None:
    db = tmp_path / "toevlucht.sqlite3"
    seed = subprocess.Popen(
        [*TOEVLUCHT, "seed", "--cases", "6000", "--quiet"],
        env=env_for(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(db, "SELECT count(*) FROM cases_application", 1000)
    seed.send_signal(signal.SIGKILL)
    seed.wait()
    apps = query(db, "SELECT count(*) FROM cases_application")
    assert 1000 <= apps < 6000
    assert apps % 1000 == 0  # whole chunks only
    # every case is whole: applicant, events, a computed status
    assert query(db, "SELECT count(*) FROM cases_applicant") == apps
    assert query(db, "SELECT count(*) FROM cases_casestatus WHERE stage != ''") == apps
    assert (
        query(
            db,
            "SELECT count(*) FROM cases_application a WHERE NOT EXISTS "
            "(SELECT 1 FROM cases_procedureevent e WHERE e.application_id = a.id)",
        )
        == 0
    )
    verified = cli(tmp_path, "audit", "verify")
    assert verified.returncode == 0, verified.stdout

    open_cases = query(db, "SELECT count(*) FROM cases_casestatus WHERE open")
    refresh = subprocess.Popen(
        [*TOEVLUCHT, "refresh", "--as-of", "2022-11-09", "--quiet"],
        env=env_for(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(db, "SELECT count(*) FROM cases_casestatus WHERE computed_on = '2022-11-09'", 1)
    refresh.send_signal(signal.SIGKILL)
    refresh.wait()
    done = query(db, "SELECT count(*) FROM cases_casestatus WHERE computed_on = '2022-11-09'")
    assert done == open_cases or done % 2000 == 0  # whole chunks of the refresh only
    assert cli(tmp_path, "audit", "verify").returncode == 0
    again = cli(tmp_path, "refresh", "--as-of", "2022-11-09", "--quiet")
    assert again.returncode == 0, again.stderr
    assert (
        query(
            db, "SELECT count(*) FROM cases_casestatus WHERE open AND computed_on != '2022-11-09'"
        )
        == 0
    )


def test_export_subject_of_an_unknown_person_is_one_line_and_exit_2(tmp_path: Path) -> None:
    out = cli(tmp_path, "export-subject", "0000000000")
    assert out.returncode == 2
    assert out.stderr.strip() == "toevlucht export-subject: no applicant with V-number 0000000000"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["seed", "--cases", "0"], "--cases must be between 1 and 5,000,000"),
        (["seed", "--cases", "many"], "invalid int value"),
        (["refresh", "--as-of", "yesterday"], "expected a date as YYYY-MM-DD"),
        (["demo", "--port", "99999", "--no-serve"], "is not a TCP port"),
        (["seed", "--cases", "5", "--as-of", "1700-01-01"], "no value in force on"),
        (["refresh", "--as-of", "2101-01-01"], "outside the legal calendar"),
        (["demo", "--as-of", "2013-05-01", "--no-serve"], "no value in force on"),
        (["export-subject", "1", "--out", "/nonexistent/x.json"], "no writable folder"),
        (["retention", "--as-of", "someday"], "expected a date as YYYY-MM-DD"),
        (["api-token", "nobody"], "no active user 'nobody'"),
        (["reminders", "--as-of", "someday"], "expected a date as YYYY-MM-DD"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = cli(tmp_path, *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1


def test_demo_on_a_port_already_in_use_says_so_before_loading_anything(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = cli(tmp_path, "demo", "--port", str(port))
    assert out.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in out.stderr
    assert "--port" in out.stderr
    assert "Traceback" not in out.stderr
    assert "loading" not in out.stdout  # it stopped before setting anything up


def test_api_token_and_reminders_work_as_the_readme_says(tmp_path: Path) -> None:
    """README: ``toevlucht api-token caseworker``, ``toevlucht reminders``."""
    import sqlite3 as sq

    assert cli(tmp_path, "reminders", "--as-of", "2022-05-09").returncode == 0
    with closing(sq.connect(tmp_path / "toevlucht.sqlite3")) as con:
        con.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,"
            " email, is_staff, is_active, date_joined, role, language)"
            " VALUES ('!', 0, 'caseworker', '', '', '', 1, 1, '2022-01-01', 'caseworker', 'en')"
        )
        con.commit()
    out = cli(tmp_path, "api-token", "caseworker")
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.strip()) >= 32
    again = cli(tmp_path, "reminders", "--as-of", "2022-05-09")
    assert "reminders on 2022-05-09: 0 due, 0 sent" in again.stdout
