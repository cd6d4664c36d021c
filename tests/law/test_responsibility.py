"""The responsibility clocks (toevlucht.law.responsibility): from which day, and why, the
Netherlands is responsible; the errors are translatable; every trace cites the framework in
force and renders in every language. The dates themselves are in scenarios/responsibility.toml."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

import toevlucht.law
from toevlucht.law import HistoryError, assess, parse_case
from toevlucht.law.calendar import legal_calendar
from toevlucht.law.model import TransferExtensionGround, TransferRequest
from toevlucht.law.procedure import replay
from toevlucht.law.regime import Framework
from toevlucht.law.responsibility import (
    check_responsibility,
    netherlands_responsible_from,
    responsibility_deadlines,
    responsibility_warnings,
)
from toevlucht.law.text import LANGUAGES, catalog, placeholders, render_key, render_step

D = dt.date
LODGED = {"kind": "application_lodged", "date": "2022-03-10"}
TRACK = {"kind": "track_assigned", "date": "2022-03-12", "track": "dublin"}
REQUEST = {
    "kind": "transfer_request_sent",
    "date": "2022-04-01",
    "request": "take_charge",
    "member_state": "GRC",
}
ACCEPTED = {"kind": "transfer_request_answered", "date": "2022-05-10", "answer": "accepted"}
AMMR = [
    {"kind": "asylum_requested", "date": "2026-06-29"},
    {"kind": "application_registered", "date": "2026-07-01"},
    {"kind": "eurodac_hit", "date": "2026-07-02", "member_state": "GRC"},
]


def _case(events: list[dict[str, Any]]) -> Any:
    return parse_case({"applicant": {"nationality": "SYR"}, "events": events})


def _responsible(events: list[dict[str, Any]], on: dt.date) -> tuple[dt.date, str] | None:
    return netherlands_responsible_from(replay(_case(events), on), legal_calendar(), on)


@pytest.mark.parametrize(
    ("events", "on", "expected"),
    [
        ([LODGED, TRACK], D(2022, 6, 10), None),
        ([LODGED, TRACK], D(2022, 6, 11), (D(2022, 6, 11), "request_term_missed")),
        (
            [LODGED, TRACK, {**REQUEST, "date": "2022-06-13"}],
            D(2022, 6, 20),
            (D(2022, 6, 11), "request_late"),
        ),
        (
            [LODGED, TRACK, REQUEST, {**ACCEPTED, "answer": "refused", "date": "2022-04-20"}],
            D(2022, 4, 25),
            (D(2022, 4, 20), "refused"),
        ),
        ([LODGED, TRACK, REQUEST, ACCEPTED], D(2022, 11, 10), None),
        (
            [LODGED, TRACK, REQUEST, ACCEPTED],
            D(2022, 11, 11),
            (D(2022, 11, 11), "transfer_term_missed"),
        ),
        (
            [LODGED, TRACK, REQUEST, ACCEPTED, {"kind": "transferred", "date": "2022-09-01"}],
            D(2022, 9, 5),
            None,
        ),
        (
            [LODGED, TRACK, {"kind": "responsibility_assumed", "date": "2022-03-20"}],
            D(2022, 4, 1),
            (D(2022, 3, 20), "assumed"),
        ),
        # AMMR: a late take-back notification attaches no responsibility (law-2026.md 6.3)
        (
            [*AMMR, {**REQUEST, "date": "2026-07-20", "request": "take_back"}],
            D(2026, 7, 21),
            None,
        ),
        # AMMR: no request at all; responsible only after the take-charge term (1 month
        # from the hit: Sun 2 August 2026), not after the 2-week notification term
        (AMMR, D(2026, 8, 2), None),
        (AMMR, D(2026, 8, 3), (D(2026, 8, 3), "request_term_missed")),
    ],
)
def test_the_netherlands_is_responsible_from_the_day_and_for_the_reason(
    events: list[dict[str, Any]], on: dt.date, expected: tuple[dt.date, str] | None
) -> None:
    assert _responsible(events, on) == expected


def test_off_the_dublin_track_no_clock_runs() -> None:
    h = replay(_case([LODGED]), D(2022, 9, 1))
    assert responsibility_deadlines(h, legal_calendar(), D(2022, 9, 1)) == []
    assert netherlands_responsible_from(h, legal_calendar(), D(2022, 9, 1)) is None


ERRORS = [
    ([LODGED, ACCEPTED], "error.transfer.answer_without_request"),
    (
        [LODGED, REQUEST, ACCEPTED, {**ACCEPTED, "date": "2022-05-11"}],
        "error.transfer.second_answer",
    ),
    (
        [
            LODGED,
            REQUEST,
            {"kind": "transfer_period_extended", "date": "2022-04-15", "ground": "absconding"},
        ],
        "error.transfer.extension_without_acceptance",
    ),
    (
        [
            LODGED,
            REQUEST,
            ACCEPTED,
            {"kind": "transfer_period_extended", "date": "2022-06-01", "ground": "absconding"},
            {"kind": "transfer_period_extended", "date": "2022-07-01", "ground": "absconding"},
        ],
        "error.transfer.extension_beyond_max",
    ),
    (
        [LODGED, REQUEST, {"kind": "transferred", "date": "2022-04-10"}],
        "error.transfer.transferred_before_acceptance",
    ),
]


@pytest.mark.parametrize(("events", "key"), ERRORS, ids=[k for _, k in ERRORS])
def test_an_impossible_transfer_history_is_a_translatable_error(
    events: list[dict[str, Any]], key: str
) -> None:
    case = _case(events)
    on = D(2022, 12, 1)
    with pytest.raises(HistoryError) as info:
        assess(case, on)
    err = info.value
    assert err.key == key
    assert err.index == len(events) - 1  # the event out of place is named
    for lang in LANGUAGES:
        template = catalog(lang)[key]
        assert placeholders(template) == set(err.params), (lang, key)
        assert render_key(key, lang, err.params)  # the event labels render too
    # the check the lead can call from replay raises the same error
    with pytest.raises(HistoryError):
        check_responsibility(replay(case, on), legal_calendar())


LAW = Path(toevlucht.law.__file__).parent


def test_every_responsibility_message_key_exists() -> None:
    source = (LAW / "responsibility.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"((?:transfer|next_transfer|error\.transfer)\.[a-z_]+)"', source))
    rules = set(re.findall(r'_term\(\s*tr,\s*"([a-z_]+)"', source)) | {"transfer"}
    used |= {f"transfer.rule_{r}" for r in rules}
    used |= {f"transfer.rule_transfer_{g.value}" for g in TransferExtensionGround}
    used |= {f"transfer.ground_{g.value}" for g in TransferExtensionGround}
    used |= {f"transfer.request_{r.value}" for r in TransferRequest}
    used |= {f"transfer.framework_{f.value}" for f in Framework}
    used |= {"transfer.how_tacit", "transfer.how_explicit"}
    used |= {"transfer.term_months", "transfer.term_weeks"}
    en = catalog("en")
    assert {"transfer.rule_charge_request", "next_transfer.expired"} <= used
    assert not {k for k in used if k not in en}


SCENARIO_CASES = [
    (
        [LODGED, TRACK, {"kind": "eurodac_hit", "date": "2022-03-15", "member_state": "GRC"}],
        D(2022, 4, 1),
    ),
    ([LODGED, TRACK, REQUEST], D(2022, 6, 2)),
    ([LODGED, TRACK, REQUEST, ACCEPTED], D(2022, 11, 11)),
    (
        [
            LODGED,
            TRACK,
            REQUEST,
            ACCEPTED,
            {"kind": "transfer_period_extended", "date": "2022-09-01", "ground": "imprisonment"},
            {
                "kind": "decision_notified",
                "date": "2022-09-05",
                "outcome": "refused",
                "procedure": "general",
                "refusal_ground": "dublin",
            },
            {"kind": "appeal_lodged", "date": "2022-09-08"},
        ],
        D(2022, 10, 1),
    ),
    (AMMR, D(2026, 7, 10)),
    ([*AMMR, {**REQUEST, "date": "2026-07-10", "request": "take_back"}], D(2027, 1, 26)),
]


@pytest.mark.parametrize(("events", "on"), SCENARIO_CASES)
def test_every_step_cites_the_framework_in_force_and_renders_in_every_language(
    events: list[dict[str, Any]], on: dt.date
) -> None:
    a = assess(_case(events), on)
    framework = a.history.framework.value
    other = "Dublin III" if framework == "ammr" else "AMMR"
    transfer = [d for d in a.deadlines if d.kind.value.startswith("transfer")]
    assert transfer
    for d in transfer:
        for step in d.steps:
            if step.source is not None and step.key != "transfer.start":
                # transfer.start cites AMMR art. 84, the article that chooses the framework
                assert other not in step.source.label, (step.key, step.source.label)
            for lang in LANGUAGES:
                assert render_step(step, lang)
    keys = [s.key for s in a.next_steps if s.key.startswith("next_transfer.")]
    assert keys
    for s in a.next_steps:
        for lang in LANGUAGES:
            assert render_key(s.key, lang, s.params)


def test_the_applicant_is_told_the_netherlands_becomes_responsible() -> None:
    a = assess(_case([LODGED, TRACK, REQUEST, ACCEPTED]), D(2022, 7, 1))
    step = next(s for s in a.next_steps if s.key == "next_transfer.transfer")
    text = render_key(step.key, "en", step.params)
    assert "10 November 2022" in text
    assert "the Netherlands becomes responsible" in text
    late = assess(_case([LODGED, TRACK, REQUEST, ACCEPTED]), D(2022, 11, 11))
    step = next(s for s in late.next_steps if s.key == "next_transfer.expired")
    assert "Dublin III art. 29(2)" in render_key(step.key, "nl", step.params)


def test_a_late_request_and_a_late_transfer_are_flagged_as_warnings() -> None:
    late = [LODGED, TRACK, {**REQUEST, "date": "2022-06-13"}]
    h = replay(_case(late), D(2022, 6, 20))
    (w,) = responsibility_warnings(h, legal_calendar(), D(2022, 6, 20))
    assert (w.key, w.index, w.source.label) == (
        "warning.transfer.request_late",
        2,
        "Dublin III art. 21(1)",
    )
    assert w.params == {"day": D(2022, 6, 13), "due": D(2022, 6, 10), "start": D(2022, 6, 11)}
    moved = [LODGED, TRACK, REQUEST, ACCEPTED, {"kind": "transferred", "date": "2022-12-01"}]
    h = replay(_case(moved), D(2022, 12, 5))
    (w,) = responsibility_warnings(h, legal_calendar(), D(2022, 12, 5))
    assert (w.key, w.source.label) == ("warning.transfer.transferred_late", "Dublin III art. 29(2)")
    for lang in LANGUAGES:
        assert placeholders(catalog(lang)[w.key]) == set(w.params)
        assert render_key(w.key, lang, w.params)
    in_time = replay(_case([LODGED, TRACK, REQUEST, ACCEPTED]), D(2022, 7, 1))
    assert responsibility_warnings(in_time, legal_calendar(), D(2022, 7, 1)) == []
