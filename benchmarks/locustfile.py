"""Locust users for ``benchmarks/web_load.py``: caseworkers who open the work queue and case
pages (web) and call the API's case list and detail. Run by ``web_load.py`` as its own
process (``locust`` monkey-patches with gevent: never import it in pytest).

Environment (set by web_load.py):
  BENCH_TOKEN     an API token of the demo caseworker
  BENCH_USER, BENCH_PASSWORD   the caseworker's login for the web pages
  BENCH_CASES     a JSON file with ids of cases the caseworker may see
  BENCH_WEB       1 to include the web pages (work queue ``/``, case page ``/cases/<pk>/``)
  BENCH_USERS     how many users locust starts
  BENCH_SECONDS   how long to measure once every user has signed in
  BENCH_SIGN_INS  where to write the sign-ins' times (JSON)

The measured window starts once the last user has signed in: the statistics of the requests
made while others were still signing in are reset. All users start at once, so their
sign-ins (each hashes the password, 0.65 s of CPU) keep both cores busy for several seconds;
that is the start of a benchmark, not a day at a desk, where caseworkers sign in over an
hour. The sign-ins' own times are written to ``BENCH_SIGN_INS`` and reported beside the
window. Locust stops ``BENCH_SECONDS`` after the window opened.
"""

from __future__ import annotations

import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, between, task

CASES: list[int] = json.loads(open(os.environ["BENCH_CASES"]).read())  # noqa: SIM115
WEB = os.environ.get("BENCH_WEB") == "1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
USERS = int(os.environ.get("BENCH_USERS", "1"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
SIGN_INS: list[float] = []  # seconds per sign-in (the login page and its POST)
STARTED = time.monotonic()
READY: list[int] = []  # one entry per user whose sign-in is done
FAILED: list[int] = []  # one entry per sign-in that did not get past the login page


def _ready(user: HttpUser) -> None:
    """A user is signed in; once all are, reset the statistics and end the run after the
    window."""
    READY.append(1)
    if len(READY) != USERS:
        return
    env = user.environment
    env.stats.reset_all()
    with open(os.environ["BENCH_SIGN_INS"], "w") as f:
        json.dump(
            {
                "sign_ins": SIGN_INS,
                "failed": len(FAILED),
                "all_in_after": time.monotonic() - STARTED,
            },
            f,
        )
    runner = env.runner
    if runner is not None:
        gevent.spawn_later(SECONDS, runner.quit)


class Caseworker(HttpUser):
    """A caseworker with a think time of 1–2 s between requests."""

    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.api = {"Authorization": f"Token {os.environ['BENCH_TOKEN']}"}
        if WEB:
            t0 = time.monotonic()
            page = self.client.get("/accounts/login/", name="login (setup)")
            m = CSRF.search(page.text)
            done = self.client.post(
                "/accounts/login/",
                data={
                    "username": os.environ["BENCH_USER"],
                    "password": os.environ["BENCH_PASSWORD"],
                    "csrfmiddlewaretoken": m.group(1) if m else "",
                },
                headers={"Referer": self.host + "/accounts/login/"},
                name="login (setup)",
            )
            SIGN_INS.append(time.monotonic() - t0)
            if done.url is None or done.url.rstrip("/").endswith("/accounts/login"):
                FAILED.append(1)  # the form again: not signed in
        _ready(self)

    @task(3)
    def api_case_list(self) -> None:
        page = random.randint(1, 20)
        self.client.get(f"/api/cases/?open=true&page={page}", headers=self.api, name="/api/cases/")

    @task(3)
    def api_case_detail(self) -> None:
        pk = random.choice(CASES)
        self.client.get(f"/api/cases/{pk}/", headers=self.api, name="/api/cases/[pk]/")

    @task(1)
    def api_deadlines(self) -> None:
        pk = random.choice(CASES)
        self.client.get(
            f"/api/cases/{pk}/deadlines/", headers=self.api, name="/api/cases/[pk]/deadlines/"
        )

    @task(3)
    def work_queue(self) -> None:
        if WEB:
            self.client.get("/", name="/ (work queue)")

    @task(3)
    def case_page(self) -> None:
        if WEB:
            self.client.get(f"/cases/{random.choice(CASES)}/", name="/cases/[pk]/")
