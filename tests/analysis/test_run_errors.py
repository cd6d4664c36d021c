"""A forecast's errors in the page's language: a bad scenario on the form, and the reason a
run failed, kept with the run and rendered when its page is read (English and Dutch, the
languages of the staff pages). A run kept before its reason was kept as JSON shows its text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from toevlucht.analysis.models import SimulationRun
from toevlucht.analysis.sandbox import _child, kept
from toevlucht.sim import ScenarioError, load_uploaded

BAD = b"[scenario]\nname = 'x'\nstart = 2022-01-01\nend = 2021-01-01\n"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


@pytest.fixture
def analyst(make_user: Any) -> Any:
    return make_user("an", "analyst", "ind")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _upload(user: Any, content: bytes, lang: str) -> Any:
    bad = SimpleUploadedFile("mine.toml", content)
    return _client(user).post(
        "/analysis/",
        {"upload": bad, "replications": 4, "seed": 0},
        headers={"Accept-Language": lang},
    )


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("nl", "mine.toml: scenario.end: 1 januari 2021 ligt niet na start = 1 januari 2022"),
        ("en", "mine.toml: scenario.end: 1 January 2021 is not after start = 1 January 2022"),
    ],
)
def test_a_bad_upload_is_refused_in_the_pages_language_naming_file_and_key(
    analyst: Any, lang: str, message: str
) -> None:
    r = _upload(analyst, BAD, lang)
    assert r.status_code == 400
    html = r.content.decode()
    assert f'<html lang="{lang}">' in html
    assert message in html
    assert not SimulationRun.objects.exists()


def test_a_missing_key_on_the_dutch_page(analyst: Any) -> None:
    r = _upload(analyst, b"[scenario]\nstart = 2022-01-01\nend = 2023-01-01\n", "nl")
    assert r.status_code == 400
    assert "mine.toml: scenario.name: is verplicht" in r.content.decode()
    assert not SimulationRun.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_in_dutch(analyst: Any) -> None:
    r = _upload(analyst, b"name = '\xff'\n", "nl")
    assert r.status_code == 400
    assert "het bestand is geen UTF-8-tekst" in r.content.decode()


def _failed(user: Any, error: str) -> SimulationRun:
    return SimulationRun.objects.create(
        requested_by=user, scenario="x.toml", replications=1, status="failed", error=error
    )


def _page(user: Any, run: SimulationRun, lang: str) -> str:
    r = _client(user).get(f"/analysis/runs/{run.pk}/", headers={"Accept-Language": lang})
    assert r.status_code == 200
    return r.content.decode()


def test_a_simulator_error_kept_by_the_sandbox_renders_in_the_readers_language(
    analyst: Any, tmp_path: Any
) -> None:
    """The child process keeps the error without Django; the page renders it later."""
    answer = _child(
        {"out": str(tmp_path), "scenario": "mine.toml", "uploaded": BAD.decode(), "compare": []},
        memory_mb=100,
    )
    run = _failed(analyst, answer["error"])
    with pytest.raises(ScenarioError) as info:
        load_uploaded("mine.toml", BAD.decode())
    assert json.loads(run.error)["text"] == str(info.value)  # the English, kept beside
    nl = _page(analyst, run, "nl")
    assert "mine.toml: scenario.end: 1 januari 2021 ligt niet na start = 1 januari 2022" in nl
    en = _page(analyst, run, "en")
    assert "mine.toml: scenario.end: 1 January 2021 is not after start = 1 January 2022" in en


@pytest.mark.parametrize(
    ("error", "nl", "en"),
    [
        (
            kept("timeout", "the run took longer than the worker's limit of 3,600 s", seconds=3600),
            "de run duurde langer dan de limiet van de worker van 3.600 s",
            "the run took longer than the worker&#x27;s limit of 3,600 s",
        ),
        (
            kept("memory", "...", mb=6144),
            "de run had meer geheugen nodig dan de limiet van de worker van 6.144 MB",
            "the run needed more memory than the worker&#x27;s limit of 6,144 MB",
        ),
        (
            kept("stopped", "...", code=-6, mb=300),
            "de run stopte onverwacht (exitcode -6)",
            "the run stopped unexpectedly (exit -6)",
        ),
        (
            kept("worker_stopped", "..."),
            "de taakworker stopte terwijl deze prognose liep",
            "the task worker stopped while running this forecast",
        ),
        (  # kept before: its English as it is, in every language
            "the run took longer than the worker's limit of 60 s",
            "the run took longer than the worker&#x27;s limit of 60 s",
            "the run took longer than the worker&#x27;s limit of 60 s",
        ),
        (  # a key this version does not know: the English kept beside it
            kept("gone", "an older reason"),
            "an older reason",
            "an older reason",
        ),
    ],
)
def test_the_workers_reasons_render_in_the_readers_language(
    analyst: Any, error: str, nl: str, en: str
) -> None:
    run = _failed(analyst, error)
    assert nl in _page(analyst, run, "nl")
    assert en in _page(analyst, run, "en")
