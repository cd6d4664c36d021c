"""``toevlucht demo [--as-of DATE] [--host HOST] [--port PORT]``: set up, load and serve the
spring-2022 demo with gunicorn. Run again, it reuses what exists."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys

from toevlucht.cli._django import date_arg, law_date_problem, migrate_quietly, setup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="YYYY-MM-DD",
        help="the demo's today (default: 2022-05-09)",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="set up and load only")
    p.add_argument("--workers", type=int, default=2)


def run(args: argparse.Namespace) -> int:
    as_of = args.as_of or dt.date(2022, 5, 9)
    if not 1 <= args.port <= 65535:
        print(f"toevlucht demo: --port {args.port} is not a TCP port", file=sys.stderr)
        return 2
    problem = law_date_problem(as_of)
    if problem:
        print(f"toevlucht demo: --as-of {as_of.isoformat()}: {problem}", file=sys.stderr)
        return 2
    problem = None if args.no_serve else port_problem(args.host, args.port)
    if problem:
        print(f"toevlucht demo: {problem}", file=sys.stderr)
        return 2
    # the demo prints the e-mails it sends (the reminders) on the console, readable
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "toevlucht.demo.mail.DemoConsoleBackend")
    os.environ.setdefault("TOEVLUCHT_BASE_URL", f"http://{_url_host(args.host)}:{args.port}")
    setup(as_of)
    print(f"Toevlucht demo — the case clock stands at {as_of.isoformat()}")
    print("  migrating the database ...", flush=True)
    migrate_quietly()
    from django.conf import settings
    from django.core.management import call_command

    from toevlucht.cases.refresh import refresh_all
    from toevlucht.demo.build import (
        build_demo,
        demo_exists,
        give_demo_emails,
        give_demo_names,
        read_logins,
    )
    from toevlucht.reminders.services import reminders_send

    call_command("collectstatic", interactive=False, verbosity=0)
    # the other commands run on this folder follow the demo's clock (settings.TOEVLUCHT_AS_OF)
    (settings.VAR_DIR / "demo-as-of").write_text(as_of.isoformat(), encoding="utf-8")
    built_for = settings.VAR_DIR / "demo-built-for"
    if demo_exists():
        print("  demo data found: reusing it")
        built = built_for.read_text(encoding="utf-8").strip() if built_for.exists() else ""
        if built and built != as_of.isoformat():
            print(
                f"  note: this demo was made for {built}; its history runs to that day, not to "
                f"{as_of.isoformat()} (make a new one in another folder: TOEVLUCHT_VAR=<dir>)"
            )
        report = refresh_all(as_of)
        print(
            f"  recomputed {report.cases} open cases for {as_of.isoformat()} "
            f"({report.changed} changed)"
        )
        logins = read_logins()
        give_demo_emails()
        give_demo_names()
    else:
        print(
            "  loading the spring-2022 demo (about 200 applicants, and about a thousand "
            "earlier ones for the forecasts) ...",
            flush=True,
        )
        logins = build_demo(history_until=as_of)
        built_for.write_text(as_of.isoformat(), encoding="utf-8")
        if as_of != dt.date(2022, 5, 9):
            refresh_all(as_of)
    _forecasts(as_of)
    print("  sending the deadline reminders due today (shown here, not delivered) ...", flush=True)
    sent = reminders_send(as_of)
    print(
        f"  reminders on {as_of.isoformat()}: {sent.sent} sent, {sent.already_sent} sent before",
        flush=True,
    )
    url = f"http://{args.host}:{args.port}/"
    print()
    print(
        f"  open {url} and sign in as (passwords are also in {settings.VAR_DIR}/demo-logins.json):"
    )
    for login in logins:
        print(f"    {login.role:<14} {login.username:<12} {login.password}")
    print()
    if args.no_serve:
        return 0
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    hosts = {args.host, "127.0.0.1", "localhost"}
    env = {
        **os.environ,
        "TOEVLUCHT_AS_OF": as_of.isoformat(),
        "DJANGO_ALLOWED_HOSTS": ",".join(sorted(hosts)),
    }
    cmd = [
        gunicorn,
        "toevlucht.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        # the path only: a query string can hold personal data (a name searched for)
        "--access-logformat",
        '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        "--log-level",
        "warning",
    ]
    # The background worker runs forecasts and the reminder schedule. gunicorn and the worker
    # are children of this process: when either stops (Ctrl-C, a signal, gunicorn unable to
    # start), the other is stopped too, so nothing is left running behind the terminal.
    worker_cmd = [sys.executable, "-m", "django", "db_worker", "--settings=toevlucht.settings"]
    env["DJANGO_SETTINGS_MODULE"] = "toevlucht.settings"
    worker = subprocess.Popen(worker_cmd, env=env)
    print(
        f"  serving with gunicorn ({args.workers} workers) and a background task worker; "
        "stop with Ctrl-C",
        flush=True,
    )
    server = subprocess.Popen(cmd, env=env)
    return supervise(server, worker)


def _forecasts(as_of: dt.date) -> None:
    """The backtest (unless one was made for this day) and a forecast for every open case."""
    from toevlucht.forecasts.services import forecast_all, latest_backtest, run_backtest

    print("  checking forecasts against the demo's past and forecasting every open case ...")
    last = latest_backtest()
    if last is None or last.computed_on != as_of:
        run_backtest(as_of)
    s = forecast_all(as_of)
    print(
        f"  {s.forecast} of {s.open_cases} open cases have a decision estimate that passed "
        "the backtest (docs/forecasts.md)"
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, or None if it can."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as e:
        return (
            f"cannot listen on {host}:{port} ({e.strerror}); is another server running there? "
            "Choose another with --port"
        )
    return None


def supervise(server: subprocess.Popen[bytes], worker: subprocess.Popen[bytes]) -> int:
    """Wait for the server; stop both children when it ends or this process is told to."""

    def forward(signum: int, _frame: object) -> None:
        server.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                rc = server.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C reached the whole group; gunicorn is stopping
                continue
    finally:
        for child in (server, worker):
            if child.poll() is None:
                child.terminate()
        for child in (server, worker):
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0 if rc in (0, -signal.SIGINT, -signal.SIGTERM) else rc
