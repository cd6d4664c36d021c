"""Issue 13, items 1, 4 and 10: the forecast upload is bounded by the work, not the bytes.

Before: a 31 KB scenario with 200 groups was accepted with 2,000 replications (16.9 GB at 100
replications), runs that failed stayed "running", ``extends`` read any file on the server,
and deeply nested input answered 500 or a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import io
from contextlib import redirect_stderr
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from toevlucht.analysis.models import SimulationRun
from toevlucht.analysis.services import recover_stale, run_request
from toevlucht.api.tokens import issue
from toevlucht.errors import RunRejected
from toevlucht.sim import ScenarioError, load_uploaded

BASE_IDS = ["SYR", "AFG", "TUR", "RUS", "OTHER"]  # nl-2022's, which its stages refer to


def scenario(groups: int, *, extra: str = "") -> str:
    """A small upload extending nl-2022 with ``groups`` nationality groups."""
    out = ['[scenario]\nname = "crafted"\nextends = "nl-2022"\n', extra]
    for i in range(groups):
        gid = BASE_IDS[i] if i < len(BASE_IDS) else f"G{i}"
        out.append(
            f'[[group]]\nid = "{gid}"\nnationality = "{"XXX" if gid == "OTHER" else "SYR"}"\n'
            "tracks = { general = 1.0 }\nextended_share = 0.5\ngrant_rate = 0.9\n"
            "appeal_rate = 0.8\nrequests_per_month = 10\n"
        )
    return "\n".join(out)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


@pytest.fixture
def analyst(make_user: Any) -> Any:
    return make_user("an", "analyst", "ind")


def _post(user: Any, text: str, replications: int = 10, **extra: Any) -> Any:
    c = Client()
    c.force_login(user)
    upload = SimpleUploadedFile("s.toml", text.encode(), content_type="application/toml")
    return c.post(
        "/analysis/", {"upload": upload, "replications": replications, "seed": 0, **extra}
    )


def test_a_scenario_past_the_budget_is_refused_on_the_form_with_its_estimate(
    analyst: Any,
) -> None:
    text = scenario(200)
    assert len(text.encode()) < 50_000  # small bytes, much work
    r = _post(analyst, text, replications=2000)
    assert r.status_code == 400
    html = r.content.decode()
    assert "would need about" in html
    assert "MB of memory" in html
    assert "the budget is 4,096 MB" in html
    assert not SimulationRun.objects.exists()


def test_a_run_within_the_estimate_but_past_the_workers_memory_limit_fails_with_the_reason(
    analyst: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TOEVLUCHT_FORECAST_LIMIT_MB = 300  # the estimate (~800 MB) is within the budget
    with django_capture_on_commit_callbacks(execute=True):
        run = run_request(actor=analyst, scenario="nl-2022", replications=50)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "memory" in run.error_message
    assert "300 MB" in run.error_message
    # the worker is still up: the next run, within the limits, is done
    settings.TOEVLUCHT_FORECAST_LIMIT_MB = 6144
    with django_capture_on_commit_callbacks(execute=True):
        ok = run_request(actor=analyst, scenario="ru-2022-none", replications=2)
    ok.refresh_from_db()
    assert ok.status == "done", ok.error


def test_a_run_past_the_workers_time_limit_fails_with_the_reason(
    analyst: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TOEVLUCHT_FORECAST_LIMIT_SECONDS = 1
    with django_capture_on_commit_callbacks(execute=True):
        run = run_request(actor=analyst, scenario="nl-2022", replications=20)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "longer than the worker's limit of 1 s" in run.error_message


def test_a_stale_running_row_is_recovered_as_failed(analyst: Any, settings: Any) -> None:
    old = SimulationRun.objects.create(
        requested_by=analyst,
        scenario="nl-2022",
        replications=1,
        status="running",
        started_at=timezone.now()
        - dt.timedelta(seconds=settings.TOEVLUCHT_FORECAST_LIMIT_SECONDS + 301),
    )
    fresh = SimulationRun.objects.create(
        requested_by=analyst,
        scenario="nl-2022",
        replications=1,
        status="running",
        started_at=timezone.now(),
    )
    assert recover_stale() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("failed", "running")
    assert "worker stopped" in old.error_message


def test_each_user_has_a_bounded_queue(analyst: Any, settings: Any, make_user: Any) -> None:
    settings.TOEVLUCHT_FORECAST_QUEUE_PER_USER = 2
    for _ in range(2):  # queued: their tasks are never run here (no on_commit)
        run_request(actor=analyst, scenario="ru-2022-none", replications=2)
    with pytest.raises(RunRejected, match="at most 2"):
        run_request(actor=analyst, scenario="ru-2022-none", replications=2)
    other = make_user("an2", "analyst", "ind")  # per user, not for everyone
    run_request(actor=other, scenario="ru-2022-none", replications=2)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "9_000_000_000_000"])
def test_non_finite_and_huge_numbers_are_refused_by_the_loader(analyst: Any, value: str) -> None:
    text = scenario(1).replace("requests_per_month = 10", f"requests_per_month = {value}")
    with pytest.raises(ScenarioError, match="requests_per_month"):
        load_uploaded("s.toml", text)
    r = _post(analyst, text)
    assert r.status_code == 400
    assert "requests_per_month" in r.content.decode()


@pytest.mark.parametrize("target", ["/etc/passwd", "../../pyproject.toml", "/no/such/file"])
def test_an_upload_extends_bundled_scenarios_by_name_only(
    analyst: Any, target: str, tmp_path: Any
) -> None:
    text = scenario(1).replace('extends = "nl-2022"', f'extends = "{target}"')
    with pytest.raises(ScenarioError) as exc:
        load_uploaded("s.toml", text)
    message = str(exc.value)
    assert "by name only" in message
    # the same answer for a file that exists and one that does not: nothing is revealed
    with pytest.raises(ScenarioError) as other:
        load_uploaded("s.toml", text.replace(target, "X"))
    assert message.replace(target, "X") == str(other.value)
    assert _post(analyst, text).status_code == 400


def test_deeply_nested_uploads_are_refused_clearly(analyst: Any) -> None:
    deep = scenario(1, extra="x = " + "[" * 5000 + "]" * 5000 + "\n")
    r = _post(analyst, deep)
    assert r.status_code == 400
    assert "nested deeper than" in r.content.decode()
    with pytest.raises(ScenarioError, match="nested deeper than"):
        load_uploaded("s.toml", deep)


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_a_problem_document_in_the_api(world: Any, depth: int) -> None:
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {issue(world['users']['supervisor'])}")
    body = '{"definition": ' + "[" * depth + "]" * depth + "}"
    r = c.post("/api/measures/preview/", body, content_type="application/json")
    assert r.status_code == 400
    assert r["Content-Type"] == "application/problem+json"
    assert "nested deeper than" in r.json()["detail"]


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_one_line_and_exit_2_in_assess(tmp_path: Any, depth: int) -> None:
    from toevlucht.cli import assess

    f = tmp_path / "case.json"
    f.write_text("[" * depth + "]" * depth)
    err = io.StringIO()
    with redirect_stderr(err):
        code = assess.run(
            argparse.Namespace(case_file=str(f), as_of=None, format="text", lang="en")
        )
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert "nested deeper than" in lines[0]
