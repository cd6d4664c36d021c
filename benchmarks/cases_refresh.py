"""Benchmark: ``toevlucht seed`` and ``toevlucht refresh`` with 100,000 cases, on SQLite and
(with ``--postgres``) on a throwaway PostgreSQL server started like .ci/run does.

Run:  .venv/bin/python benchmarks/cases_refresh.py [--cases 100000] [--postgres]

Times the real commands as a user runs them, in a fresh database; writes the figures to
docs/benchmarks.md between the cases-refresh markers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _report import load, machine, write_section

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- cases-refresh:start -->", "<!-- cases-refresh:end -->"
TOEVLUCHT = str(ROOT / ".venv" / "bin" / "toevlucht")
PYTHON = str(ROOT / ".venv" / "bin" / "python")

# A supervisor announces a general nine-month extension over the whole backlog (as WBV
# 2022/22 did), the worst case for an announcement: the preview, the announcement as the
# page makes it (what changed included) and the background task that writes the projections.
ANNOUNCE = """
import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toevlucht.settings")
django.setup()
from toevlucht.accounts.models import Organisation, User
from toevlucht.cases.announce import measure_preview
from toevlucht.cases.tasks import recompute_for_measure
from toevlucht.web.services import measure_announce_and_compare
source = {"kind": "decree", "instrument": "benchmark", "url": "https://example.org/",
          "status": "confirmed"}
d = {"id": "bench-general-extension", "kind": "general_term_extension",
     "title_en": "Benchmark extension", "title_nl": "Benchmarkverlenging",
     "effect_status": "confirmed", "legal_basis": "vw-42-4", "term_extension_months": 9,
     "extension_ground": "42(4)(b)", "scope": {},
     "periods": [{"from": "2022-05-01", "announced": "2022-05-01", "source": source}]}
ind = Organisation.objects.get(name="Immigratie- en Naturalisatiedienst (IND)")  # seed's
sv = User.objects.create(username="bench-sv", role="supervisor", organisation=ind)
t = time.perf_counter(); p = measure_preview(actor=sv, definition=d)
t_preview = time.perf_counter() - t
t = time.perf_counter(); row, ch = measure_announce_and_compare(actor=sv, definition=d)
t_announce = time.perf_counter() - t
ids = p.recompute
t = time.perf_counter(); recompute_for_measure.call(row.pk, ids); t_task = time.perf_counter() - t
print(
    f"{t_preview:.1f}|{t_announce:.1f}|{t_task:.1f}|{len(p.touched)}|{len(ids)}"
    f"|{row.recomputed_at is None}"
)
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, out.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    root = Path(tempfile.mkdtemp(prefix="pgbench."))
    shutil.chown(root, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_pg,
            str(pgbin / "initdb"),
            "-D",
            str(root / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_pg,
            str(pgbin / "pg_ctl"),
            "-D",
            str(root / "data"),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            [
                str(pgbin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "bench",
            ],
            check=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run(
            [*as_pg, str(pgbin / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def measure(label: str, n: int, database_url: str | None) -> list[str]:
    var = tempfile.mkdtemp(prefix="tvbench.")
    env = {**os.environ, "TOEVLUCHT_VAR": var}
    if database_url:
        env["DATABASE_URL"] = database_url
    try:
        seed_s, seed_out = run([TOEVLUCHT, "seed", "--cases", str(n), "--quiet"], env)
        rows = [f"| {label} | `seed --cases {n:,}` | {seed_s:.1f} s | {seed_out} |"]
        for extra, as_of in (([], "2022-05-10"), ([], "2022-11-09"), (["--all"], "2022-11-10")):
            secs, out = run([TOEVLUCHT, "refresh", "--as-of", as_of, "--quiet", *extra], env)
            m = re.search(r"(\d+) recomputed", out)
            n_re = int(m.group(1)) if m else 0
            cmd = " ".join(["refresh", "--as-of", as_of, *extra])
            # per recomputed case only where they dominate (start-up is about 3 s)
            per = f" ({secs / n_re * 1000:.2f} ms per recomputed case)" if n_re >= 5000 else ""
            rows.append(f"| {label} | `{cmd}` | {secs:.1f} s | {out}{per} |")
        announce_env = {**env, "TOEVLUCHT_AS_OF": "2022-05-10"}
        out = (
            subprocess.run(
                [PYTHON, "-c", ANNOUNCE],
                env=announce_env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        preview_s, announce_s, task_s, touched, recomputed, background = out.split("|")
        where = "background task" if background == "True" else "in the request"
        rows += [
            f"| {label} | measure preview (general extension) | {preview_s} s | "
            f"{int(touched):,} cases touched |",
            f"| {label} | measure announce (the page's request) | {announce_s} s | "
            f"recompute: {where} |",
            f"| {label} | recompute task | {task_s} s | {int(recomputed):,} cases recomputed "
            "(those it moves and every one it can touch) |",
        ]
        return rows
    finally:
        shutil.rmtree(var, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load_start = f"{load():.2f}"
    rows = measure("SQLite (WAL)", args.cases, None)
    if args.postgres:
        with postgres() as url:
            rows += measure("PostgreSQL 15", args.cases, url)
    report = "\n".join(
        [
            START,
            "## Case core: seed and refresh (`benchmarks/cases_refresh.py`)",
            "",
            f"Run on {dt.date.today().isoformat()} on {machine()}. 1-minute load average "  # noqa: DTZ011
            f"{load_start} at the start and {load():.2f} at the end: above about 1, other jobs "
            "shared the two cores, so treat single figures as upper bounds.",
            "",
            "| database | command | wall time | output |",
            "| --- | --- | ---: | --- |",
            *rows,
            "",
            "`refresh` recomputes with the law engine every open case that time may have "
            "changed (a running deadline fell due, a measure that may touch it started, ended or "
            "was extended) and moves the others' clock; `--all` recomputes every open case (the "
            "worst case). The law engine runs in one worker process per core from 5,000 cases, "
            "fed plain tuples with one chunk in flight; each chunk of 2,000 is written in its "
            "own transaction. Wall time includes about 3 s of start-up (Django, migration "
            "check). Goal: under 60 s for 100,000 cases. The measure rows time a general "
            "nine-month extension announced over the whole backlog on 2022-05-10: the preview "
            "(`law.bulk` over every open case, with and without it), the announcement as the "
            "page makes it, and the background task that writes the projections (past "
            "`TOEVLUCHT_ANNOUNCE_INLINE_MAX`, 5,000, cases).",
            END,
        ]
    )
    print(report)
    if not args.no_write:
        write_section(DOC, START, END, report)
    sys.exit(0)


if __name__ == "__main__":
    main()
