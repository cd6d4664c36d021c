"""Benchmark: decision, appeal and transfer deadlines for 1,000,000 cases through
``law.bulk``, old-regime and APR cases side by side, against the scalar path
(``law.assess``, one case at a time) in the same run.

Run:  .venv/bin/python benchmarks/law_bulk.py [--cases 1000000] [--sample 20000]

The scalar path is timed on a random sample of the same cases and extrapolated per case
(running it on a million cases would take minutes); both paths' results are compared on the
sample. Figures go to docs/benchmarks.md between the law-bulk markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

import numpy as np
from _report import load, machine, write_section

from toevlucht.law import assess, groups, parse_case
from toevlucht.law.bulk import CaseTable, compute, result_row, table_from_cases

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- law-bulk:start -->", "<!-- law-bulk:end -->"
AS_OF = dt.date(2026, 12, 1)
APR_SHARE = 0.35  # of the open files on 1 December 2026 (the old backlog is most of the rest)
NATIONALITIES = np.array(["SYR", "AFG", "TUR", "ERI", "RUS", "UKR", "IRN", "YEM", "SOM", "IRQ"])
GROUPS = [
    "conscript_refusing_service",
    "conscript_deserter",
    "deserter",
    "reservist_refusing_service",
]


PROCEDURES = ["regular", "accelerated", "border", "admissibility"]
REFUSALS = [None, "unfounded", "inadmissible", "manifestly_unfounded", "dublin", "not_processed"]


def synthetic_apr(rng: np.random.Generator, applicant: dict[str, object]) -> dict[str, object]:
    """An APR file: requested, registered and lodged from 12 June 2026, a procedure assigned,
    some extended (35(2), 35(5)), some on the Dublin track, decided with a ground, appealed."""
    apr_from = dt.date(2026, 6, 12)
    made = apr_from + dt.timedelta(days=int(rng.integers(0, (AS_OF - apr_from).days - 25)))
    registered = made + dt.timedelta(days=int(rng.integers(0, 5)))
    lodged = registered + dt.timedelta(days=int(rng.integers(0, 21)))
    proc = str(rng.choice(PROCEDURES, p=[0.55, 0.15, 0.1, 0.2]))
    assigned: dict[str, object] = {
        "kind": "procedure_assigned",
        "date": (lodged + dt.timedelta(days=int(rng.integers(0, 14)))).isoformat(),
        "procedure": proc,
    }
    if proc == "border" and rng.random() < 0.3:
        assigned["relocation"] = True
    events: list[dict[str, object]] = [
        {"kind": "asylum_requested", "date": made.isoformat()},
        {"kind": "application_registered", "date": registered.isoformat()},
        {"kind": "application_lodged", "date": lodged.isoformat()},
        assigned,
    ]
    earliest = 15
    if proc == "regular" and rng.random() < 0.15:
        events.append(
            {
                "kind": "decision_term_extended",
                "months": 6,
                "ground": "35(5)",
                "date": (lodged + dt.timedelta(days=int(rng.integers(20, 150)))).isoformat(),
            }
        )
        earliest = 151
    elif proc == "admissibility" and rng.random() < 0.1:
        events.append(
            {
                "kind": "decision_term_extended",
                "months": 2,
                "ground": "35(2)",
                "date": (lodged + dt.timedelta(days=int(rng.integers(15, 55)))).isoformat(),
            }
        )
        earliest = 56
    if proc != "border" and rng.random() < 0.1:
        sent = lodged + dt.timedelta(days=int(rng.integers(5, 60)))
        events += [
            {"kind": "track_assigned", "date": lodged.isoformat(), "track": "dublin"},
            {
                "kind": "transfer_request_sent",
                "date": sent.isoformat(),
                "request": "take_charge" if rng.random() < 0.4 else "take_back",
                "member_state": str(rng.choice(["GRC", "ITA", "BGR", "DEU"])),
            },
        ]
        if rng.random() < 0.7:
            events.append(
                {
                    "kind": "transfer_request_answered",
                    "date": (sent + dt.timedelta(days=int(rng.integers(3, 30)))).isoformat(),
                    "answer": "accepted" if rng.random() < 0.8 else "refused",
                }
            )
    elif rng.random() < 0.4:
        decided = lodged + dt.timedelta(days=int(rng.integers(earliest, 200)))
        if decided <= AS_OF:
            dec: dict[str, object] = {
                "kind": "decision_notified",
                "date": decided.isoformat(),
                "procedure": proc,
            }
            if rng.random() < 0.45:
                dec |= {
                    "outcome": "granted",
                    "granted_under": "29" if rng.random() < 0.6 else "29a",
                }
            else:
                dec["outcome"] = "refused"
                ground = REFUSALS[int(rng.integers(0, len(REFUSALS)))]
                if ground is not None and ground != "dublin":
                    dec["refusal_ground"] = ground
            events.append(dec)
            if dec["outcome"] == "refused" and rng.random() < 0.7:
                events.append(
                    {
                        "kind": "appeal_lodged",
                        "date": (decided + dt.timedelta(days=int(rng.integers(1, 10)))).isoformat(),
                    }
                )
    return {"applicant": applicant, "events": events}


def synthetic_raw(n: int, rng: np.random.Generator) -> list[dict[str, object]]:
    """n realistic case files open on 1 December 2026: the old backlog lodged from June 2024
    (some extended, decided, appealed) and, for ``APR_SHARE`` of them, APR applications."""
    out: list[dict[str, object]] = []
    base = dt.date(2024, 6, 1)
    for _ in range(n):
        lodged = base + dt.timedelta(days=int(rng.integers(0, 740)))
        nat = str(
            rng.choice(NATIONALITIES, p=[0.35, 0.1, 0.1, 0.08, 0.05, 0.07, 0.08, 0.06, 0.06, 0.05])
        )
        applicant: dict[str, object] = {
            "nationality": nat,
            "birth_date": (
                dt.date(1975, 1, 1) + dt.timedelta(days=int(rng.integers(0, 11000)))
            ).isoformat(),
            "sex": "male" if rng.random() < 0.7 else "female",
            "groups": [str(rng.choice(GROUPS))] if nat == "RUS" and rng.random() < 0.6 else [],
        }
        if rng.random() < APR_SHARE:
            out.append(synthetic_apr(rng, applicant))
            continue
        events: list[dict[str, object]] = [
            {"kind": "application_lodged", "date": lodged.isoformat()}
        ]
        earliest = 10
        if rng.random() < 0.2:
            ext = int(rng.integers(30, 170))
            earliest = ext + 1
            events.append(
                {
                    "kind": "decision_term_extended",
                    "months": 9,
                    "ground": "42(4)(a)",
                    "date": (lodged + dt.timedelta(days=ext)).isoformat(),
                }
            )
        if rng.random() < 0.45:
            decided = lodged + dt.timedelta(days=int(rng.integers(earliest, 400)))
            if decided <= AS_OF:
                refused = rng.random() < 0.3
                events.append(
                    {
                        "kind": "decision_notified",
                        "date": decided.isoformat(),
                        "outcome": "refused" if refused else "granted",
                        "procedure": "general" if rng.random() < 0.3 else "extended",
                    }
                )
                if refused and rng.random() < 0.7:
                    events.append(
                        {
                            "kind": "appeal_lodged",
                            "date": (
                                decided + dt.timedelta(days=int(rng.integers(1, 30)))
                            ).isoformat(),
                        }
                    )
        out.append({"applicant": applicant, "events": events})
    return out


def tile(t: CaseTable, n: int) -> CaseTable:
    """Repeat a table's rows to n rows (the bulk path's cost does not depend on the values)."""
    reps = -(-n // len(t))

    def rep(a: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
        return np.concatenate([a] * reps, axis=0)[:n]

    return CaseTable(**{f: rep(getattr(t, f)) for f in t.__dataclass_fields__})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args()
    rng = np.random.default_rng(2022)
    known = list(groups())
    sample = [parse_case(r, known) for r in synthetic_raw(args.sample, rng)]

    # scalar path: assess each case, take its decision and appeal deadlines
    t0 = time.perf_counter()
    scalar = []
    for c in sample:
        a = assess(c, AS_OF)
        d, ap_, tr = a.deadline("decision"), a.deadline("appeal"), a.deadline("transfer")
        scalar.append(
            (d.due if d else None, ap_.due if ap_ else None, tr.due if tr else None, a.regime)
        )
    scalar_s = time.perf_counter() - t0
    per_case = scalar_s / len(sample)

    table = table_from_cases(sample, AS_OF)
    small = compute(table, AS_OF)
    rows = [result_row(small, i) for i in range(len(sample))]
    mismatches = sum(
        (r["decision_due"], r["appeal_due"], r["transfer_due"]) != s[:3]
        for r, s in zip(rows, scalar, strict=True)
    )
    apr = sum(s[3].value == "apr" for s in scalar)
    apr_due = sum(
        r["decision_due"] is not None for r, s in zip(rows, scalar, strict=True) if s[3] == "apr"
    )
    transfers = sum(r["transfer_due"] is not None for r in rows)

    big = tile(table, args.cases)
    compute(big, AS_OF)  # warm-up
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        compute(big, AS_OF)
        times.append(time.perf_counter() - t0)
    bulk_s = statistics.median(times)
    busy = load()
    ratio = per_case * args.cases / bulk_s
    n = args.cases
    report = "\n".join(
        [
            START,
            "## Law engine: decision, appeal and transfer deadlines in bulk "
            "(`benchmarks/law_bulk.py`)",
            "",
            f"Run on {dt.date.today().isoformat()} on {machine(f'numpy {np.__version__}')}; "  # noqa: DTZ011
            f"1-minute load average {busy:.2f} after the bulk runs "
            "(2 cores shared with other jobs).",
            "",
            "| path | cases | time | per case |",
            "| --- | ---: | ---: | ---: |",
            f"| scalar `law.assess` (measured on a sample) | {len(sample):,} | {scalar_s:.2f} s | "
            f"{per_case * 1e6:.0f} µs |",
            f"| scalar, extrapolated | {n:,} | {per_case * n:.0f} s | |",
            f"| bulk `law.bulk.compute` (median of {args.repeat}: "
            f"{', '.join(f'{x:.2f}' for x in times)} s) | {n:,} | {bulk_s:.2f} s | "
            f"{bulk_s / n * 1e9:.0f} ns |",
            "",
            f"**Ratio scalar : bulk = {ratio:,.0f} ×** (goal ≥ 50 ×); bulk for {n:,} cases "
            f"{'under' if bulk_s < 2 else 'OVER'} the 2 s goal. On the {len(sample):,}-case sample "
            f"the two paths disagreed on {mismatches} cases (decision, appeal and transfer due "
            f"dates). {apr:,} of the sample's cases ({apr / len(sample):.0%}) are APR "
            f"applications ({apr_due:,} with an examination or border term running or ended), "
            f"{transfers:,} have a transfer deadline. The bulk table repeats the sample's rows "
            "(as-of date 1 December 2026: the old backlog with its 42(4) extensions and the Iran "
            "and Lebanon measures beside APR files in all four procedures, some extended under "
            "35(2) and 35(5), some on the Dublin track); building the table from events "
            "(`table_from_cases`, which also takes the transfer deadline from the "
            "responsibility rules) is not included.",
            END,
        ]
    )
    print(report)
    if not args.no_write:
        write_section(DOC, START, END, report)


if __name__ == "__main__":
    main()
