"""Everything held about one person (GDPR art. 15 right of access), as JSON-ready data."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from toevlucht import clock
from toevlucht.accounts.models import Mandate
from toevlucht.audit.log import record
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Applicant, Application, Placement, ProcedureEvent
from toevlucht.cases.services import assessment_for
from toevlucht.errors import NotFound
from toevlucht.law import LawError


class SubjectNotFound(NotFound):
    pass


def _d(x: Any) -> Any:
    return x.isoformat() if hasattr(x, "isoformat") else x


def _status(app: Application, lang: str) -> dict[str, Any]:
    try:
        return assessment_for(app, lang=lang).as_json()
    except LawError as exc:
        return {"error": f"the law engine could not assess this case: {exc}"}


def _concerns(e: AuditEntry, applicant_id: int, app_ids: list[int]) -> bool:
    ids = {str(i) for i in e.object_ids}
    if e.object_type == "applicant" and str(applicant_id) in ids:
        return True
    if e.object_type == "application" and ids & {str(i) for i in app_ids}:
        return True
    detail = e.detail if isinstance(e.detail, dict) else {}
    return detail.get("applicant") == applicant_id or detail.get("application") in app_ids


@transaction.atomic
def export_subject(
    *, v_number: str, actor: Any, purpose: str, include_internal: bool = True, lang: str = "en"
) -> dict[str, Any]:
    applicant = Applicant.objects.filter(v_number=v_number).first()
    if applicant is None:
        raise SubjectNotFound(gettext("no applicant with V-number %(value)s") % {"value": v_number})
    apps = list(Application.objects.filter(applicant=applicant).order_by("pk"))
    out: dict[str, Any] = {
        "exported_on": clock.today().isoformat(),
        "applicant": {
            "v_number": applicant.v_number,
            "given_names": applicant.given_names,
            "family_name": applicant.family_name,
            "given_names_latin": applicant.given_names_latin,
            "family_name_latin": applicant.family_name_latin,
            "birth_date": _d(applicant.birth_date),
            "nationality": applicant.nationality,
            "sex": applicant.sex,
            "languages": applicant.languages,
            "groups": applicant.groups,
            "registered_at": _d(applicant.created_at),
        },
        "applications": [],
        "placements": [
            {"centre": p.centre.name, "start": _d(p.start), "end": _d(p.end)}
            for p in Placement.objects.filter(applicant=applicant).select_related("centre")
        ],
        "mandates": [
            {
                "organisation": m.organisation.name,
                "consent_date": _d(m.consent_date),
                "valid_from": _d(m.valid_from),
                "valid_until": _d(m.valid_until),
                "revoked_on": _d(m.revoked_on),
            }
            for m in Mandate.objects.filter(applicant=applicant).select_related("organisation")
        ],
    }
    account = getattr(applicant, "account", None)
    if account is not None:
        out["account"] = {
            "username": account.username,
            "email": account.email,
            "language": account.language,
            "active": account.is_active,
            "created_at": _d(account.date_joined),
            "last_login": _d(account.last_login),
        }
    app_ids = [a.pk for a in apps]
    for app in apps:
        events = ProcedureEvent.objects.filter(application=app).order_by("seq")
        out["applications"].append(
            {
                "reference": app.reference,
                "kind": app.kind,
                "opened_at": _d(app.created_at),
                "authority": app.organisation.name,
                "retention_until": _d(app.retention_until),
                "events": [
                    {
                        "seq": e.seq,
                        "kind": e.kind,
                        "date": _d(e.effective_date),
                        "data": e.data,
                        "recorded_on": _d(e.recorded_on),
                        "corrects_seq": e.corrects.seq if e.corrects else None,
                        **({"internal_note": e.note} if include_internal and e.note else {}),
                    }
                    for e in events
                ],
                "status": _status(app, lang),
            }
        )
    # who read or changed the data: the audit entries about this person, their cases and what
    # hangs off them (events, placements, mandates name the applicant or case in ``detail``)
    out["access_log"] = [
        {
            "at": _d(e.at),
            "action": e.action,
            "object": e.object_type,
            "purpose": e.purpose,
            "role": e.actor_role,
        }
        for e in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000)
        if _concerns(e, applicant.pk, app_ids)
    ]
    record(
        actor=actor,
        action="export",
        purpose=purpose,
        object_type="applicant",
        object_ids=[applicant.pk],
    )
    return out
