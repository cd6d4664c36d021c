"""The analyst's forecast page: a bundled or uploaded scenario runs as a background task."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from toevlucht.analysis.models import SimulationRun
from toevlucht.analysis.services import run_request
from toevlucht.errors import RunRejected


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


# Reading a file response to the end closes its file (the test client's own wrapper).
def test_an_analyst_runs_a_bundled_scenario_and_sees_plots_and_series(
    make_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    analyst = make_user("an", "analyst", "ind")
    c = client_for(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/analysis/",
            {
                "scenario": "ru-2022-none",
                "compare": ["ru-2022-moratorium"],
                "replications": 4,
                "seed": 1,
            },
        )
    assert r.status_code == 302
    run = SimulationRun.objects.get()
    assert run.status == "done", run.error
    assert "ru-2022-moratorium" in run.summary
    page = c.get(r["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    pngs = [f for f in run.files() if f.endswith(".png")]
    assert pngs
    assert f"/analysis/runs/{run.pk}/{pngs[0]}" in html
    image = c.get(f"/analysis/runs/{run.pk}/{pngs[0]}")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    csv = c.get(f"/analysis/runs/{run.pk}/series.csv")
    assert csv.status_code == 200
    assert "attachment" in csv["Content-Disposition"]
    assert b"".join(csv.streaming_content).count(b"\n") > 10  # type: ignore[attr-defined]


def test_an_uploaded_scenario_with_an_error_is_refused_with_the_reason(make_user: Any) -> None:
    c = client_for(make_user("an", "analyst", "ind"))
    bad = SimpleUploadedFile("mine.toml", b"[scenario]\nname = 'x'\ncolour = 'red'\n")
    r = c.post("/analysis/", {"upload": bad, "replications": 4, "seed": 0})
    assert r.status_code == 400
    assert "mine.toml" in r.content.decode()
    assert not SimulationRun.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"scenario": "nowhere"}, "scenario", "not a bundled scenario"),
        ({"scenario": "ru-2022-none", "replications": 0}, "replications", "between 1 and"),
        ({"scenario": "ru-2022-none", "compare": ["nowhere"]}, "compare", "not a bundled"),
    ],
)
def test_bad_requests_name_the_field(
    make_user: Any, kw: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(RunRejected) as info:
        run_request(actor=make_user("an", "analyst", "ind"), **kw)
    assert info.value.field == field
    assert message in info.value.message


@pytest.mark.parametrize("role", ["caseworker", "legal_aid", "applicant"])
def test_other_roles_do_not_see_the_forecast_pages(
    make_user: Any, make_case: Any, role: str
) -> None:
    kw: dict[str, Any] = {"applicant": make_case().applicant} if role == "applicant" else {}
    user = make_user(
        "u", role, None if role == "applicant" else ("vwn" if role == "legal_aid" else "ind"), **kw
    )
    assert client_for(user).get("/analysis/").status_code == 403  # as on the staff pages


def test_a_supervisor_gives_the_second_factor_here_too_when_it_is_required(
    make_user: Any, settings: Any
) -> None:
    """The forecast pages sign in as the staff pages do."""
    settings.TOEVLUCHT_REQUIRE_2FA = True
    r = client_for(make_user("sv", "supervisor", "ind")).get("/analysis/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/two-factor/")


def test_anonymous_users_are_sent_to_sign_in(db: None) -> None:
    r = Client().get("/analysis/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_a_file_outside_the_run_is_not_served(make_user: Any) -> None:
    analyst = make_user("an", "analyst", "ind")
    run = SimulationRun.objects.create(requested_by=analyst, scenario="x", replications=1)
    c = client_for(analyst)
    assert c.get(f"/analysis/runs/{run.pk}/..%2Fsecret_key").status_code == 404
    assert c.get(f"/analysis/runs/{run.pk}/secret_key").status_code == 404
