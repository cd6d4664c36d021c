"""Remedies when the authority decides late, and the amounts accrued on a date.

* ``notice_of_default`` — a written notice (ingebrekestelling) once the decision term has
  expired; one sent before that has no legal effect.
* ``appeal_failure_to_decide`` — Awb 6:12: once the authority is in default and two weeks
  have passed after the day the notice was received; not time-limited.
* ``administrative_penalty`` — Awb 4:17: EUR 23/35/45 a day in bands of 14 days, at most 42
  days (EUR 1,442), from two weeks after expiry and notice; switched off for asylum decisions
  since 10 July 2020.
* ``court_penalty`` — a penalty the court attaches to its order to decide (Awb 8:55d); in
  asylum cases court practice is EUR 100 a day up to EUR 7,500. Possible again for asylum
  decisions since ABRvS 30-11-2022 (ECLI:NL:RVS:2022:3353).

>>> administrative_penalty_amount(42)
1442
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from toevlucht.law.deadlines import Deadline, court_order_ruling
from toevlucht.law.params import parameter, value
from toevlucht.law.procedure import History
from toevlucht.law.sources import Citation, Status, load_sources
from toevlucht.law.trace import Step, Trace

__all__ = ["Remedy", "RemedyKind", "administrative_penalty_amount", "compute_remedies"]

ONE_DAY = dt.timedelta(days=1)


class RemedyKind(StrEnum):
    NOTICE_OF_DEFAULT = "notice_of_default"
    APPEAL_FAILURE_TO_DECIDE = "appeal_failure_to_decide"
    ADMINISTRATIVE_PENALTY = "administrative_penalty"
    COURT_PENALTY = "court_penalty"


@dataclass(frozen=True, slots=True, kw_only=True)
class Remedy:
    kind: RemedyKind
    available: bool
    available_from: dt.date | None
    amount_eur: int
    steps: tuple[Step, ...]
    used_on: dt.date | None = None  # the notice received / the appeal lodged
    certainty: Status = Status.CONFIRMED  # court practice is marked unconfirmed-as-statute


def administrative_penalty_amount(days: int, on: dt.date = dt.date(2024, 1, 1)) -> int:
    """EUR due for ``days`` days in default under Awb 4:17(2), capped at the maximum days."""
    bands = value("penalty_bands_eur_per_day", on).value
    max_days = int(value("penalty_max_days", on).value)
    left, total = min(days, max_days), 0
    for band_days, per_day in bands:
        n = min(left, int(band_days))
        total += n * int(per_day)
        left -= n
    return total


def _src(source_id: str) -> Citation:
    return load_sources()[source_id]


def compute_remedies(h: History, decision: Deadline | None, as_of: dt.date) -> list[Remedy]:
    """Remedies on ``as_of`` given the decision-term deadline (None: term not started)."""
    if decision is None:
        return []
    due = decision.due
    decided = h.decisions[0].date if h.decisions else None
    in_default_from = due + ONE_DAY
    late = decided is None or decided > due
    out: list[Remedy] = []

    # notice of default -------------------------------------------------------------------
    tr = Trace()
    notices = [n for n in h.notices if decided is None or n.date <= decided]
    premature = [n for n in notices if n.date <= due]
    effective = next((n for n in notices if n.date > due), None)
    for n in premature:
        tr.add("remedy_step.notice_premature", _src("awb-6-12"), day=n.date, due=due)
    tr.add("remedy_step.notice_from", _src("awb-6-12"), date=in_default_from, day=in_default_from)
    if effective is not None:
        tr.add(
            "remedy_step.notice_received", _src("awb-6-12"), date=effective.date, day=effective.date
        )
    if not late:
        tr.add("remedy_step.decided_in_time", None, day=decided)
    notice_open = late and decided is None and as_of >= in_default_from
    out.append(
        Remedy(
            kind=RemedyKind.NOTICE_OF_DEFAULT,
            available=notice_open and effective is None,
            available_from=in_default_from if late else None,
            amount_eur=0,
            steps=tr.freeze(),
            used_on=effective.date if effective else None,
        )
    )

    # appeal against failure to decide -------------------------------------------------------
    tr = Trace()
    failure_appeal = h.failure_to_decide_appeal()
    appeal_from: dt.date | None = None
    if effective is not None:
        wait = value("appeal_failure_to_decide_wait_weeks", effective.date)
        appeal_from = max(
            in_default_from, effective.date + dt.timedelta(weeks=int(wait.value)) + ONE_DAY
        )
        tr.add(
            "remedy_step.appeal_from",
            wait.source,
            date=appeal_from,
            notice=effective.date,
            weeks=wait.value,
            day=appeal_from,
        )
    else:
        tr.add("remedy_step.appeal_needs_notice", _src("awb-6-12"))
    appeal_allowed = True
    if appeal_from is not None:
        allowed = value("appeal_failure_to_decide_for_asylum", max(appeal_from, as_of))
        appeal_allowed = bool(allowed.value)
        if not appeal_allowed:
            tr.add("remedy_step.appeal_suspended", allowed.source, day=allowed.valid_from)
            resumes = parameter("appeal_failure_to_decide_for_asylum").next_change_to(
                True, max(appeal_from, as_of)
            )
            appeal_from = resumes
            appeal_allowed = resumes is not None and as_of >= resumes
    if failure_appeal is not None:
        tr.add("remedy_step.appeal_lodged", None, day=failure_appeal.date)
    out.append(
        Remedy(
            kind=RemedyKind.APPEAL_FAILURE_TO_DECIDE,
            available=(
                appeal_allowed
                and appeal_from is not None
                and decided is None
                and as_of >= appeal_from
                and failure_appeal is None
            ),
            available_from=appeal_from,
            amount_eur=0,
            steps=tr.freeze(),
            used_on=failure_appeal.date if failure_appeal else None,
        )
    )

    # administrative penalty (Awb 4:17) -------------------------------------------------------
    tr = Trace()
    amount, admin_from, applies = 0, None, False
    if effective is not None:
        weeks = value("penalty_start_after_weeks", effective.date)
        admin_from = effective.date + dt.timedelta(weeks=int(weeks.value))
        flag = value("administrative_penalty_for_asylum", admin_from)
        applies = bool(flag.value)
        if applies:
            tr.add("remedy_step.penalty_from", weeks.source, date=admin_from, day=admin_from)
            last = min(as_of, (decided - ONE_DAY) if decided else as_of)
            days = max(0, (last - admin_from).days + 1)
            amount = administrative_penalty_amount(days, admin_from)
            max_days = int(value("penalty_max_days", admin_from).value)
            tr.add(
                "remedy_step.penalty_accrued",
                _src("awb-4-17-2"),
                days=min(days, max_days),
                amount=amount,
                day=last,
            )
        else:
            tr.add("remedy_step.penalty_excluded", flag.source, day=flag.valid_from)
    else:
        flag = value("administrative_penalty_for_asylum", max(as_of, in_default_from))
        applies = bool(flag.value)
        tr.add(
            "remedy_step.penalty_excluded" if not applies else "remedy_step.penalty_needs_notice",
            flag.source if not applies else _src("awb-4-17-3"),
            day=flag.valid_from,
        )
    out.append(
        Remedy(
            kind=RemedyKind.ADMINISTRATIVE_PENALTY,
            available=applies and admin_from is not None and as_of >= admin_from and late,
            available_from=admin_from if applies else None,
            amount_eur=amount,
            steps=tr.freeze(),
        )
    )

    # court-ordered penalty ---------------------------------------------------------------------
    tr = Trace()
    ruling = court_order_ruling(h)
    court_amount, court_from = 0, None
    if ruling is not None and ruling.get("penalty_per_day_eur") is not None:
        court_due = ruling.date + dt.timedelta(weeks=int(ruling.get("decide_within_weeks")))
        court_from = court_due + ONE_DAY
        per_day = int(ruling.get("penalty_per_day_eur"))
        cap = ruling.get("penalty_max_eur")
        later = next((d.date for d in h.decisions if d.date >= ruling.date), None)
        last = min(as_of, (later - ONE_DAY) if later else as_of)
        days = max(0, (last - court_from).days + 1)
        court_amount = days * per_day if cap is None else min(int(cap), days * per_day)
        tr.add(
            "remedy_step.court_penalty_order",
            _src("awb-8-55d"),
            date=court_from,
            ruling=ruling.date,
            due=court_due,
            per_day=per_day,
            cap=cap or 0,
        )
        tr.add("remedy_step.court_penalty_accrued", None, days=days, amount=court_amount, day=last)
        available = True
    else:
        when = max(as_of, in_default_from)
        flag = value("court_penalty_for_asylum", when)
        # a court penalty is asked for in an appeal against failure to decide: it is open
        # only once that appeal is (or was) open
        appeal_open = failure_appeal is not None or (
            appeal_allowed and appeal_from is not None and as_of >= appeal_from
        )
        available = bool(flag.value) and late and appeal_open
        practice = parameter("court_penalty_eur_per_day")
        if available and when >= practice.values[0].valid_from:
            weeks = value("court_penalty_decide_within_weeks", when)
            per = value("court_penalty_eur_per_day", when)
            cap_p = value("court_penalty_max_eur", when)
            tr.add(
                "remedy_step.court_penalty_practice",
                per.source,
                status=Status.UNCONFIRMED,
                weeks=weeks.value,
                per_day=per.value,
                cap=cap_p.value,
            )
        elif available:
            tr.add("remedy_step.court_penalty_possible", flag.source)
        elif bool(flag.value) and late:
            tr.add("remedy_step.court_penalty_needs_appeal", _src("awb-8-55d"))
        elif bool(flag.value):
            tr.add("remedy_step.court_penalty_possible", flag.source)
        else:
            tr.add("remedy_step.court_penalty_excluded", flag.source, day=flag.valid_from)
    out.append(
        Remedy(
            kind=RemedyKind.COURT_PENALTY,
            available=available,
            available_from=court_from if court_from else (appeal_from if available else None),
            amount_eur=court_amount,
            steps=tr.freeze(),
            certainty=Status.CONFIRMED if ruling is not None else Status.UNCONFIRMED,
        )
    )
    return out
