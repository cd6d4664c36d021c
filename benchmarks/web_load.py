"""Load benchmark: the demo with 100,000 seeded cases under 20 concurrent caseworkers (locust),
on SQLite and on a throwaway PostgreSQL; p50/p95/p99 of the work queue (``/``), the case page
(``/cases/<pk>/``), and the API's case list, case detail and deadlines.

Run (needs the bench extra: ``python3 -m uv sync --locked --extra dev --extra bench --inexact``):

    .venv/bin/python benchmarks/web_load.py [--db sqlite,postgres] [--cases 100000]
        [--users 20] [--duration 60] [--keep DIR] [--no-write]

Per database: ``toevlucht demo --no-serve`` (migrate, demo, logins), ``toevlucht seed --cases
N`` (timed), an API token for the demo caseworker, gunicorn (4 sync workers, as a deployment
on 2 cores would run it), then locust headless as its own process: all users start at
once, and the figures are of the ``--duration`` seconds after the last has signed in (the
sign-ins themselves, a password hash each, are reported on their own row). Writes the figures with
machine and date to docs/benchmarks.md between the web-load markers. ``--keep DIR`` keeps the
seeded SQLite database in DIR and reuses it next time (seeding is then not re-timed). The web
pages are measured when ``/accounts/login/`` answers; otherwise only the API.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import machine, write_section
from cases_refresh import postgres

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- web-load:start -->", "<!-- web-load:end -->"
BIN = Path(sys.executable).parent  # the venv's bin
AS_OF = "2022-05-09"
GOAL_MS = 300
ORDER = ["/ (work queue)", "/cases/[pk]/", "/api/cases/", "/api/cases/[pk]/"]
ORDER += ["/api/cases/[pk]/deadlines/"]
GUNICORN = [str(BIN / "gunicorn"), "toevlucht.wsgi:application", "--workers", "4", "--preload"]
GUNICORN += ["--log-level", "warning"]
LOCUST = [str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def django(env: dict[str, str], code: str) -> str:
    out = subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "django",
            "shell",
            "--settings=toevlucht.settings",
            "-v",
            "0",
            "-c",
            code,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout.strip().splitlines()[-1]


def prepare(env: dict[str, str], cases: int, reuse: bool) -> str:
    """Demo plus N seeded cases; returns how long seeding took (or that it was reused)."""
    subprocess.run(
        [str(BIN / "toevlucht"), "demo", "--no-serve"], env=env, check=True, capture_output=True
    )
    have = int(
        django(env, "from toevlucht.cases.models import Application as A; print(A.objects.count())")
    )
    timing = Path(env["TOEVLUCHT_VAR"]) / "seed-seconds.txt"
    if reuse and have >= cases:
        took = timing.read_text().strip() if timing.exists() else "?"
        return f"{took} s (when the kept database was seeded)"
    t0 = time.perf_counter()
    subprocess.run(
        [str(BIN / "toevlucht"), "seed", "--cases", str(cases), "--quiet"],
        env=env,
        check=True,
        capture_output=True,
    )
    took = f"{time.perf_counter() - t0:.0f}"
    timing.write_text(took)
    return f"{took} s"


@contextlib.contextmanager
def server(env: dict[str, str], port: int) -> Iterator[str]:
    proc = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/api/schema/", timeout=5)
                break
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def warm_up(url: str, token: str, ids: list[int]) -> None:
    """Load each worker's lazy caches (law data, templates) before measuring."""
    for i in range(40):
        for path in ("/api/cases/?open=true", f"/api/cases/{ids[i]}/"):
            req = urllib.request.Request(url + path, headers={"Authorization": f"Token {token}"})
            with contextlib.suppress(OSError):
                urllib.request.urlopen(req, timeout=30).read()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url + "/accounts/login/", timeout=30).read()


def web_available(url: str) -> bool:
    try:
        return urllib.request.urlopen(url + "/accounts/login/", timeout=10).status == 200
    except OSError:
        return False


def run_locust(env: dict[str, str], url: str, users: int, seconds: int, out: Path) -> Path:
    subprocess.run(
        [
            *LOCUST,
            "-u",
            str(users),
            "-r",
            str(users),
            # the locustfile ends the run `seconds` after the last sign-in; this is a bound
            "-t",
            f"{seconds + 180}s",
            "--host",
            url,
            "--csv",
            str(out / "locust"),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        env=env,
        check=False,  # locust exits 1 when a request failed; the table shows failures
        capture_output=True,
        cwd=ROOT,
    )
    return out / "locust_stats.csv"


def signed_in(path: Path, label: str) -> str:
    """The sign-ins before the measured window, as a table row."""
    if not path.exists():
        sys.exit(f"{label}: not every user signed in, so the measured window never opened")
    got = json.loads(path.read_text())
    times = sorted(1000 * t for t in got["sign_ins"])
    if not times:  # API only: no sign-in
        return ""
    p50 = times[len(times) // 2]
    return (
        f"| {label} | sign-in (before the window; all in after {got['all_in_after']:.1f} s) "
        f"| {len(times)} | {got['failed']} | {p50:.0f} | | {times[-1]:.0f} (max) | not "
        "measured against the "
        "goal |"
    )


def measure(label: str, env: dict[str, str], args: argparse.Namespace, var: Path) -> list[str]:
    seed = prepare(env, args.cases, reuse=args.keep is not None)
    logins = json.loads((var / "demo-logins.json").read_text())
    cw = next(x for x in logins if x["role"] == "caseworker")
    token = django(
        env,
        "from django.core.management import call_command; call_command('api_token', 'caseworker')",
    )
    ids = json.loads(
        django(
            env,
            "import json, random; from toevlucht.cases.models import Application as A; "
            "from toevlucht.accounts.models import User; "
            "u = User.objects.get(username='caseworker'); "
            "ids = list(A.objects.filter(organisation=u.organisation)"
            ".values_list('pk', flat=True)); "
            "random.seed(1); print(json.dumps(random.sample(ids, min(5000, len(ids)))))",
        )
    )
    (var / "bench-cases.json").write_text(json.dumps(ids))
    port = free_port()
    with server({**env, "TOEVLUCHT_AS_OF": AS_OF}, port) as url:
        web = web_available(url)
        warm_up(url, token, ids)
        lenv = {
            **env,
            "BENCH_TOKEN": token,
            "BENCH_USER": cw["username"],
            "BENCH_PASSWORD": cw["password"],
            "BENCH_CASES": str(var / "bench-cases.json"),
            "BENCH_WEB": "1" if web else "0",
            "BENCH_USERS": str(args.users),
            "BENCH_SECONDS": str(args.duration),
            "BENCH_SIGN_INS": str(var / "bench-sign-ins.json"),
        }
        load = os.getloadavg()[0]
        stats = run_locust(lenv, url, args.users, args.duration, var)
        load = f"{load:.2f} → {os.getloadavg()[0]:.2f}"
    rows = []
    with open(stats, newline="") as f:
        by_name = {r["Name"]: r for r in csv.DictReader(f)}
    for name in ORDER:
        r = by_name.get(name)
        if r is None:
            rows.append(f"| {label} | `{name}` | not measured (page not there yet) | | | | |")
            continue
        p95 = float(r["95%"])
        verdict = "yes" if p95 < GOAL_MS else "**no**"
        rows.append(
            f"| {label} | `{name}` | {int(r['Request Count']):,} | {int(r['Failure Count'])} "
            f"| {float(r['50%']):.0f} | {p95:.0f} | {float(r['99%']):.0f} | {verdict} |"
        )
    sign_in = signed_in(var / "bench-sign-ins.json", label)
    return [f"seed: {seed}", f"{label}: {load}", *rows, *([sign_in] if sign_in else [])]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", default="sqlite,postgres")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--duration", type=int, default=60, help="seconds of load per database")
    ap.add_argument("--keep", type=Path, default=None, help="keep/reuse the SQLite database here")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--doc", type=Path, default=DOC, help="where to write the figures")
    args = ap.parse_args()
    # Serve this checkout's code (also when the venv's editable install points elsewhere).
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    )
    if shutil.which("locust", path=str(BIN)) is None:
        sys.exit(
            "locust is missing: python3 -m uv sync --locked --extra dev --extra bench --inexact"
        )
    rows: list[str] = []
    seeds: list[str] = []
    loads: list[str] = []
    for db in args.db.split(","):
        if db == "sqlite":
            var = args.keep or Path(tempfile.mkdtemp(prefix="tvload."))
            var.mkdir(parents=True, exist_ok=True)
            env = {**os.environ, "TOEVLUCHT_VAR": str(var)}
            env.pop("DATABASE_URL", None)
            out = measure("SQLite (WAL)", env, args, var)
            if args.keep is None:
                shutil.rmtree(var, ignore_errors=True)
        elif db == "postgres":
            var = Path(tempfile.mkdtemp(prefix="tvload."))
            with postgres() as url:
                env = {**os.environ, "TOEVLUCHT_VAR": str(var), "DATABASE_URL": url}
                pg_args = argparse.Namespace(**{**vars(args), "keep": None})
                out = measure("PostgreSQL 15", env, pg_args, var)
            shutil.rmtree(var, ignore_errors=True)
        else:
            sys.exit(f"--db: unknown database {db!r} (sqlite, postgres)")
        seeds.append(f"{db}: {out[0].removeprefix('seed: ')}")
        loads.append(out[1])
        rows += out[2:]
    report = "\n".join(
        [
            START,
            "## Web and API under load (`benchmarks/web_load.py`)",
            "",
            f"Run on {dt.date.today().isoformat()} on {machine()}; gunicorn with 4 sync "  # noqa: DTZ011
            f"workers on the same machine as locust. {args.users} concurrent caseworkers (think "
            f"time 1–2 s), all started at once, measured for {args.duration} s per database "
            "from the moment the last of them has signed in (the sign-ins' own times are the "
            "last row per database), against the spring-2022 demo plus "
            f"{args.cases:,} seeded cases (all of one authority, so the caseworker's queue holds "
            f"them all); the case clock at {AS_OF}. The machine's 1-minute load before and "
            "after each database's run: "
            + "; ".join(loads)
            + f" (the benchmark itself adds about 1). Seeding {args.cases:,} cases "
            "(`toevlucht seed`) took "
            + "; ".join(seeds)
            + ". Times in ms; goal: p95 under 300 ms. Every request also writes its audit "
            "entry (reads of personal data are audited).",
            "",
            "| database | request | requests | failures | p50 | p95 | p99 | p95 < 300 ms |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
            *rows,
            END,
        ]
    )
    print(report)
    if not args.no_write:
        write_section(args.doc, START, END, report)


if __name__ == "__main__":
    main()
