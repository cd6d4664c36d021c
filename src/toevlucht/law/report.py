"""An assessment as JSON-ready data and as plain text, in one language.

The JSON shape is a contract other tools rely on (``toevlucht assess --format json``, the
REST API, the portal): ``as_of``, ``stage``, ``deadlines`` (``kind``, ``due``, ``status``,
``steps`` of ``text`` and ``source``), ``measures`` (``kind``, ``from``, ``until``,
``legal_effect``, ``source``) and ``remedies`` (``kind``, ``available``, ``available_from``,
``amount_eur``), each with further fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from toevlucht.law.assess import Assessment, MeasureView
from toevlucht.law.deadlines import Deadline
from toevlucht.law.measures import MeasureKind
from toevlucht.law.remedies import Remedy
from toevlucht.law.text import render_key, render_step, render_value
from toevlucht.law.trace import Step

__all__ = ["assessment_json", "assessment_text", "measure_json", "steps_json"]


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def steps_json(steps: tuple[Step, ...], lang: str) -> list[dict[str, Any]]:
    out = []
    for s in steps:
        item: dict[str, Any] = {
            "text": render_step(s, lang),
            "source": s.source.label if s.source else None,
            "source_url": s.source.url if s.source else None,
            "status": s.status.value,
        }
        if s.date is not None:
            item["date"] = s.date.isoformat()
        if s.source is not None:
            item["citation"] = s.source.as_dict()
        out.append(item)
    return out


def _deadline_json(d: Deadline, lang: str) -> dict[str, Any]:
    return {
        "kind": d.kind.value,
        "label": render_key(f"deadline.{d.kind.value}", lang),
        "start": _d(d.start),
        "due": _d(d.due),
        "status": d.status.value,
        "certainty": d.certainty.value,
        "done_on": _d(d.done_on),
        "late_by_days": d.late_by_days,
        "alternative_due": _d(d.alternative_due),
        "steps": steps_json(d.steps, lang),
    }


def legal_effect_text(v: MeasureView, lang: str) -> str:
    m = v.measure
    if m.term_extension_months is not None and m.kind is not MeasureKind.DEPARTURE_MORATORIUM:
        effect = render_key("ui.effect_extends", lang, {"months": m.term_extension_months})
    else:
        effect = render_key("ui.effect_none", lang)
    status = render_key(f"ui.effect_status_{m.effect_status.value}", lang)
    return render_key("ui.legal_effect", lang, {"status": status, "effect": effect})


def measure_json(v: MeasureView, lang: str) -> dict[str, Any]:
    m = v.measure
    title = render_value("measure", m, lang)
    return {
        "id": m.id,
        "kind": m.kind.value,
        "kind_label": render_key(f"measure_kind.{m.kind.value}", lang),
        "title": title,
        "from": _d(m.start()),
        "until": _d(v.until),
        "in_force": v.in_force,
        "holds": v.holds,
        "touches_from": _d(v.on),
        "scope_match": v.match.status.value,
        "missing": list(v.match.reasons),
        "missing_text": [render_key(k, lang) for k in v.match.missing],
        "applied": v.applied,
        "reason": v.reason,
        "reason_text": render_key(f"measure_reason.{v.reason}", lang),
        "effect_status": m.effect_status.value,
        "legal_effect": legal_effect_text(v, lang),
        "effect_note": m.effect_note,
        "source": m.legal_basis.label,
        "source_url": m.legal_basis.url,
        "announcement": [
            {
                "from": _d(p.start),
                "until": _d(p.until),
                "announced": _d(p.announced),
                "source": p.source.label,
                "source_url": p.source.url,
            }
            for p in m.periods
        ],
        "rulings": [
            {
                "date": _d(r.date),
                "holding": r.holding,
                "source": r.source.label,
                "source_url": r.source.url,
                "disapplies": r.disapplies,
            }
            for r in m.rulings
        ],
    }


def _remedy_json(r: Remedy, lang: str) -> dict[str, Any]:
    return {
        "kind": r.kind.value,
        "label": render_key(f"remedy.{r.kind.value}", lang),
        "available": r.available,
        "available_from": _d(r.available_from),
        "amount_eur": r.amount_eur,
        "used_on": _d(r.used_on),
        "certainty": r.certainty.value,
        "steps": steps_json(r.steps, lang),
    }


def assessment_json(a: Assessment, lang: str = "en", reference: str = "") -> dict[str, Any]:
    """The assessment as a JSON-ready dict, texts in ``lang``."""
    nxt = a.next_deadline
    return {
        "reference": reference,
        "as_of": a.as_of.isoformat(),
        "language": lang,
        "stage": a.stage.value if a.stage else None,
        "stage_label": render_key(f"stage.{a.stage.value if a.stage else 'none'}", lang),
        "track": a.history.track.value,
        "overdue": a.overdue,
        "next_deadline": {"kind": nxt.kind.value, "due": nxt.due.isoformat()} if nxt else None,
        "deadlines": [_deadline_json(d, lang) for d in a.deadlines],
        "measures": [measure_json(v, lang) for v in a.measures],
        "remedies": [_remedy_json(r, lang) for r in a.remedies],
        "next_steps": [
            {"key": s.key, "text": render_key(s.key, lang, s.params)} for s in a.next_steps
        ],
        "notes": [{"key": n, "text": render_key(n, lang)} for n in a.notes],
        "disclaimer": render_key("ui.disclaimer", lang),
    }


def assessment_text(a: Assessment, lang: str = "en", reference: str = "") -> str:
    """A plain-text report for the terminal."""
    j = assessment_json(a, lang, reference)

    def t(key: str, **params: Any) -> str:
        return render_key(key, lang, params)

    lines = [t("ui.title")]
    if reference:
        lines.append(f"{t('ui.case')}: {reference}")
    lines.append(t("ui.assessed_on", day=a.as_of))
    lines.append(f"{t('ui.stage')}: {j['stage_label']}")
    lines.append(f"{t('ui.track')}: {t('track.' + a.history.track.value)}")
    lines.append("")
    lines.append(t("ui.deadlines"))
    if not a.deadlines:
        lines.append(f"  {t('ui.none')}")
    for d, dj in zip(a.deadlines, j["deadlines"], strict=True):
        status = t(f"status.{d.status.value}")
        extra = []
        if d.done_on:
            extra.append(t("ui.done_on", day=d.done_on))
        if d.late_by_days:
            extra.append(t("ui.late_by", days=d.late_by_days))
        if d.certainty.value != "confirmed":
            extra.append(t("ui.unconfirmed"))
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"  * {dj['label']}: {t('ui.due', due=d.due)} - {status}{tail}")
        for i, s in enumerate(dj["steps"], 1):
            src = f"  [{s['source']}]" if s["source"] else ""
            lines.append(f"      {i}. {s['text']}{src}")
    lines.append("")
    lines.append(t("ui.measures"))
    if not a.measures:
        lines.append(f"  {t('ui.none')}")
    for mj in j["measures"]:
        if mj["from"] and mj["until"]:
            period = t(
                "ui.from_until",
                start=dt.date.fromisoformat(mj["from"]),
                end=dt.date.fromisoformat(mj["until"]),
            )
        elif mj["from"]:
            period = t("ui.from_open", start=dt.date.fromisoformat(mj["from"]))
        else:
            period = t("ui.start_unknown", end=dt.date.fromisoformat(mj["until"]))
        force = t("ui.in_force" if mj["in_force"] else "ui.not_in_force")
        lines.append(f"  * {mj['title']} ({mj['kind_label']}), {period}; {force}")
        lines.append(f"      {mj['legal_effect']}; {mj['reason_text']}  [{mj['source']}]")
        if mj["missing"]:
            lines.append(f"      ({'; '.join(mj['missing'])})")
    lines.append("")
    lines.append(t("ui.remedies"))
    if not a.remedies:
        lines.append(f"  {t('ui.none')}")
    for r, rj in zip(a.remedies, j["remedies"], strict=True):
        if r.available:
            state = t("ui.available")
        elif r.available_from:
            state = t("ui.available_from", day=r.available_from)
        else:
            state = t("ui.not_available")
        amount = f"; {t('ui.amount', amount=r.amount_eur)}" if r.amount_eur else ""
        lines.append(f"  * {rj['label']}: {state}{amount}")
        for s in rj["steps"]:
            src = f"  [{s['source']}]" if s["source"] else ""
            lines.append(f"      - {s['text']}{src}")
    lines.append("")
    lines.append(t("ui.next_steps"))
    for s in j["next_steps"]:
        lines.append(f"  - {s['text']}")
    if j["notes"]:
        lines.append("")
        lines.append(t("ui.notes"))
        for n in j["notes"]:
            lines.append(f"  - {n['text']}")
    lines.append("")
    lines.append(j["disclaimer"])
    return "\n".join(lines)
