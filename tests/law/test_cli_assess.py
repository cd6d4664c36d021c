"""The `toevlucht assess` command: a contract other tools rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from toevlucht.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["assess", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_the_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, str(EXAMPLES / "reservist.json"), "--as-of", "2022-05-09", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2022-05-09"
    assert data["stage"] == "registration"
    decision = next(d for d in data["deadlines"] if d["kind"] == "decision")
    assert decision["due"] == "2022-09-30"
    assert decision["status"] == "running"
    assert all({"text", "source"} <= set(s) for s in decision["steps"])
    assert decision["steps"][0]["source"] == "Vw 2000 art. 42(1)"
    stop = next(m for m in data["measures"] if m["id"] == "ru-decision-stop-2022-press")
    assert {"kind", "from", "until", "legal_effect", "source"} <= set(stop)
    assert stop["until"] == "2022-05-21"
    assert stop["legal_effect"].startswith("unconfirmed")
    assert stop["applied"] is False
    kinds = {r["kind"] for r in data["remedies"]}
    assert {"appeal_failure_to_decide", "administrative_penalty", "court_penalty"} <= kinds
    assert all({"available", "available_from", "amount_eur"} <= set(r) for r in data["remedies"])


def test_text_output_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, str(EXAMPLES / "deserter.json"), "--as-of", "2022-05-09", "--lang", "nl"
    )
    assert code == 0
    assert "Termijnen" in out
    assert "16 september 2022" in out
    assert "[Vw 2000 art. 42(1)]" in out


def test_a_missing_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "no-such-case.json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "no-such-case.json: no such file" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (
            '{"applicant": {"nationality": "RUS"}, "events": '
            '[{"kind": "flew", "date": "2022-01-01"}]}',
            "events[0].kind: unknown event kind 'flew'",
        ),
        (
            '{"applicant": {"nationality": "RUS"}, "events": [{"kind": "application_lodged", '
            '"date": "2022-13-01"}]}',
            "events[0].date: '2022-13-01' is not a valid calendar date",
        ),
        (
            '{"applicant": {"nationality": "SYR"}, "events": [{"kind": "decision_notified", '
            '"date": "2022-03-01", "outcome": "refused", "procedure": "general"}, '
            '{"kind": "application_lodged", "date": "2022-03-10"}]}',
            "events[1]: The lodging of the application on 10 March 2022 is impossible after",
        ),
    ],
)
def test_bad_case_files_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    f = tmp_path / "case.json"
    f.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, str(f), "--as-of", "2022-05-09")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err


def test_a_malformed_as_of_date_is_one_line_and_exit_2() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "toevlucht.cli",
            "assess",
            str(EXAMPLES / "reservist.json"),
            "--as-of",
            "9 May 2022",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "expected a date as YYYY-MM-DD" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_case_can_come_from_stdin() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "toevlucht.cli",
            "assess",
            "-",
            "--as-of",
            "2022-05-09",
            "--format",
            "json",
        ],
        input=(EXAMPLES / "reservist.json").read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["stage"] == "registration"


@pytest.mark.parametrize(("lang", "word"), [("ru", "Сроки"), ("uk", "Строки")])
def test_text_output_in_russian_and_ukrainian(
    capsys: pytest.CaptureFixture[str], lang: str, word: str
) -> None:
    code, out, _ = run(
        capsys, str(EXAMPLES / "reservist.json"), "--as-of", "2022-05-09", "--lang", lang
    )
    assert code == 0
    assert word in out
    assert "г.." not in out
    assert "р.." not in out


def test_a_history_error_is_told_in_the_chosen_language(tmp_path: Path) -> None:
    """The law's errors are translatable: the same impossible order in Dutch and English,
    naming the event out of place by its label."""
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps(
            {
                "applicant": {"nationality": "RUS"},
                "events": [
                    {"kind": "asylum_requested", "date": "2026-07-03"},
                    {"kind": "application_registered", "date": "2026-07-01"},
                ],
            }
        ),
        encoding="utf-8",
    )
    out = {}
    for lang in ("en", "nl"):
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "toevlucht.cli",
                "assess",
                str(path),
                "--as-of",
                "2026-07-10",
                "--lang",
                lang,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert r.returncode == 2
        assert r.stdout == ""
        assert r.stderr.count("\n") == 1
        out[lang] = r.stderr
    assert (
        "events[1]: The registration of the application on 1 July 2026 is dated before" in out["en"]
    )
    assert "events[1]: De registratie van de aanvraag op 1 juli 2026 is gedateerd vóór" in out["nl"]


def test_an_error_once_only_in_english_is_told_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An appeal with no decision before it: the law's rejection with ``--lang nl`` is
    Dutch, naming the appeal by its label, not ``appeal_lodged``."""
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps(
            {
                "applicant": {"nationality": "SYR"},
                "events": [
                    {"kind": "application_lodged", "date": "2022-03-10"},
                    {"kind": "appeal_lodged", "date": "2022-04-01"},
                ],
            }
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, str(path), "--as-of", "2022-05-09", "--lang", "nl")
    assert code == 2
    assert out == ""
    assert err == (
        f"toevlucht assess: {path}: events[1]: Het beroep op 1 april 2022 is gericht tegen een "
        "besluit, maar er is geen besluit van de IND aan voorafgegaan.\n"
    )
    code, _, err = run(capsys, str(path), "--as-of", "2022-05-09", "--lang", "en")
    assert code == 2
    assert "events[1]: The appeal on 1 April 2022 is an appeal against a decision" in err


def test_a_date_before_the_laws_data_is_one_line_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An application lodged in 2010, before the law's data begin: a one-line error (it
    was a KeyError traceback: the data error's data key was taken for a message key)."""
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps(
            {
                "applicant": {"nationality": "SYR"},
                "events": [{"kind": "application_lodged", "date": "2010-03-10"}],
            }
        ),
        encoding="utf-8",
    )
    for lang, says in (
        ("en", "Toevlucht's legal data hold no rule in force on 10 March 2010"),
        ("nl", "De juridische gegevens van Toevlucht bevatten geen regel die op 10 maart 2010"),
    ):
        code, out, err = run(capsys, str(path), "--as-of", "2022-05-09", "--lang", lang)
        assert code == 2
        assert out == ""
        assert err.count("\n") == 1
        assert says in err
