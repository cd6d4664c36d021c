"""An assessment as JSON-ready data and as plain text, in one language.

The JSON shape is a contract other tools rely on (``toevlucht assess --format json``, the
REST API, the portal): ``as_of``, ``stage``, ``deadlines`` (``kind``, ``due``, ``status``,
``steps`` of ``text`` and ``source``), ``measures`` (``kind``, ``from``, ``until``,
``legal_effect``, ``source``) and ``remedies`` (``kind``, ``available``, ``available_from``,
``amount_eur``), each with further fields.
"""

from __future__ import annotations

from typing import Any

from toevlucht.law.assess import Assessment
from toevlucht.law.text import render_key
from toevlucht.law.view import assessment_view

__all__ = ["assessment_json", "assessment_text"]


def assessment_json(a: Assessment, lang: str = "en", reference: str = "") -> dict[str, Any]:
    """The assessment as a JSON-ready dict, texts in ``lang`` (from its typed view)."""
    return assessment_view(a, lang, reference).as_json()


def assessment_text(a: Assessment, lang: str = "en", reference: str = "") -> str:
    """A plain-text report for the terminal."""
    v = assessment_view(a, lang, reference)

    def t(key: str, **params: Any) -> str:
        return render_key(key, lang, params)

    lines = [t("ui.title")]
    if reference:
        lines.append(f"{t('ui.case')}: {reference}")
    lines.append(t("ui.assessed_on", day=a.as_of))
    lines.append(f"{t('ui.stage')}: {v.stage_label}")
    lines.append(f"{t('ui.regime')}: {v.regime_label}")
    lines.append(f"{t('ui.track')}: {t('track.' + a.history.track.value)}")
    lines.append("")
    lines.append(t("ui.deadlines"))
    if not a.deadlines:
        lines.append(f"  {t('ui.none')}")
    for d in v.deadlines:
        status = t(f"status.{d.status.value}")
        extra = []
        if d.done_on:
            extra.append(t("ui.done_on", day=d.done_on))
        if d.late_by_days:
            extra.append(t("ui.late_by", days=d.late_by_days))
        if d.certainty.value != "confirmed":
            extra.append(t("ui.unconfirmed"))
        if d.alternative_due:
            extra.append(t("ui.other_reading", day=d.alternative_due))
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"  * {d.label}: {t('ui.due', due=d.due)} - {status}{tail}")
        for i, s in enumerate(d.steps, 1):
            src = f"  [{s.source}]" if s.source else ""
            lines.append(f"      {i}. {s.text}{src}")
    lines.append("")
    lines.append(t("ui.measures"))
    if not a.measures:
        lines.append(f"  {t('ui.none')}")
    for m in v.measures:
        if m.start and m.until:
            period = t("ui.from_until", start=m.start, end=m.until)
        elif m.start:
            period = t("ui.from_open", start=m.start)
        else:
            period = t("ui.start_unknown", end=m.until)
        force = t("ui.in_force" if m.in_force else "ui.not_in_force")
        lines.append(f"  * {m.title} ({m.kind_label}), {period}; {force}")
        lines.append(f"      {m.legal_effect}; {m.reason_text}  [{m.source}]")
        if m.missing:
            lines.append(f"      ({'; '.join(m.missing)})")
    lines.append("")
    lines.append(t("ui.remedies"))
    if not a.remedies:
        lines.append(f"  {t('ui.none')}")
    for r in v.remedies:
        if r.available:
            state = t("ui.available")
        elif r.available_from:
            state = t("ui.available_from", day=r.available_from)
        else:
            state = t("ui.not_available")
        amount = f"; {t('ui.amount', amount=r.amount_eur)}" if r.amount_eur else ""
        lines.append(f"  * {r.label}: {state}{amount}")
        for s in r.steps:
            src = f"  [{s.source}]" if s.source else ""
            lines.append(f"      - {s.text}{src}")
    lines.append("")
    lines.append(t("ui.next_steps"))
    for ns in v.next_steps:
        lines.append(f"  - {ns.text}")
    if v.notes:
        lines.append("")
        lines.append(t("ui.notes"))
        for n in v.notes:
            lines.append(f"  - {n.text}")
    if v.warnings:
        lines.append("")
        lines.append(t("ui.warnings"))
        for w in v.warnings:
            lines.append(f"  - {w.text}  [{w.source}]")
    lines.append("")
    lines.append(v.disclaimer)
    return "\n".join(lines)
