"""Writes of the accounts app: legal-aid mandates, granted as the authority receives them
and revoked. Each checks its actor first, then writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Model

from toevlucht import clock
from toevlucht.accounts.models import Mandate, Organisation, User
from toevlucht.accounts.roles import check_manage_mandates
from toevlucht.audit.log import record
from toevlucht.errors import Rejected

__all__ = ["mandate_grant", "mandate_revoke"]


@transaction.atomic
def mandate_grant(
    *,
    actor: User | None,
    organisation: Organisation,
    applicant: Model,  # a cases.Applicant
    consent_date: dt.date,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
) -> Mandate:
    check_manage_mandates(actor)
    if organisation.kind != Organisation.Kind.LEGAL_AID:
        raise Rejected("organisation", "a mandate is given to a legal-aid organisation")
    if consent_date > valid_from:
        raise Rejected("valid_from", "a mandate starts on or after the consent date")
    m = Mandate.objects.create(
        organisation=organisation,
        applicant=applicant,  # type: ignore[misc]
        consent_date=consent_date,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
    )
    record(
        actor=actor,
        action="create",
        purpose="mandate",
        object_type="mandate",
        object_ids=[m.pk],
        detail={"applicant": applicant.pk, "organisation": organisation.pk},
    )
    return m


@transaction.atomic
def mandate_revoke(*, actor: User | None, mandate: Mandate, on: dt.date | None = None) -> Mandate:
    check_manage_mandates(actor)
    on = on or clock.today()
    current = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if current.revoked_on is not None:
        raise Rejected("revoked_on", f"the mandate was revoked on {current.revoked_on}")
    if on < current.consent_date:
        raise Rejected("revoked_on", f"{on} is before the consent of {current.consent_date}")
    Mandate.objects.filter(pk=mandate.pk).update(revoked_on=on)
    mandate.refresh_from_db()
    record(
        actor=actor,
        action="revoke",
        purpose="mandate",
        object_type="mandate",
        object_ids=[mandate.pk],
    )
    return mandate
