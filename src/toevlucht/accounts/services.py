"""Writes of the accounts app: legal-aid mandates.

A mandate gives a legal-aid organisation access to one applicant's cases. It comes about in
one of two ways:

* **recorded** by authority staff as the authority receives the authorisation
  (:func:`mandate_grant`: organisation, lawyer, consent date, valid from/until);
* **requested** by legal aid (:func:`mandate_request`) and **confirmed** by the applicant in
  the portal (:func:`mandate_confirm`). A request alone gives no access.

It ends when it expires (``valid_until``) or is revoked (:func:`mandate_revoke`: by
authority staff, by the applicant, or by the organisation itself). Each service checks its
actor first, then writes and audits in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Model
from django.utils import dateformat
from django.utils.translation import gettext

from toevlucht import clock
from toevlucht.accounts.models import Mandate, Organisation, User
from toevlucht.accounts.roles import check_manage_mandates, check_request_mandate, role_of
from toevlucht.audit.log import record
from toevlucht.errors import NotAllowed, NotFound, Rejected

__all__ = ["mandate_confirm", "mandate_grant", "mandate_request", "mandate_revoke"]

R = User.Role


def _day(day: dt.date) -> str:
    """A date in the request's language ("10 March 2022", "10 maart 2022", "10 марта 2022")."""
    return dateformat.format(day, "j E Y")


def _check_dates(consent_date: dt.date, valid_from: dt.date, valid_until: dt.date | None) -> None:
    today = clock.today()
    if consent_date > today:
        raise Rejected(
            "consent_date",
            gettext("%(day)s is after today (%(today)s)")
            % {"day": _day(consent_date), "today": _day(today)},
        )
    if consent_date > valid_from:
        raise Rejected("valid_from", gettext("a mandate starts on or after the consent date"))
    if valid_until is not None and valid_until < valid_from:
        raise Rejected("valid_until", gettext("a mandate ends on or after the day it starts"))


def _check_open_mandate(organisation: Organisation, applicant: Model) -> None:
    today = clock.today()
    current = Mandate.objects.filter(organisation=organisation, applicant_id=applicant.pk)
    if current.active_on(today).exists():
        raise Rejected(
            "organisation",
            gettext("%(organisation)s holds a mandate already")
            % {"organisation": organisation.name},
        )


@transaction.atomic
def mandate_grant(
    *,
    actor: User | None,
    organisation: Organisation,
    applicant: Model,  # a cases.Applicant
    consent_date: dt.date,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    lawyer: str = "",
) -> Mandate:
    """Record a mandate as the authority receives it (authority staff)."""
    check_manage_mandates(actor)
    if organisation.kind != Organisation.Kind.LEGAL_AID:
        raise Rejected("organisation", gettext("a mandate is given to a legal-aid organisation"))
    valid_from = valid_from or consent_date
    if actor is not None:
        _check_dates(consent_date, valid_from, valid_until)
        _check_open_mandate(organisation, applicant)
    elif consent_date > valid_from:
        raise Rejected("valid_from", gettext("a mandate starts on or after the consent date"))
    if len(lawyer) > 200:
        raise Rejected("lawyer", gettext("at most 200 characters"))
    m = Mandate.objects.create(
        organisation=organisation,
        applicant=applicant,  # type: ignore[misc]
        consent_date=consent_date,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
        lawyer=lawyer.strip(),
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
def mandate_request(
    *,
    actor: User,
    applicant: Model,  # a cases.Applicant, found by the V-number the client gave
    lawyer: str = "",
    valid_until: dt.date | None = None,
) -> Mandate:
    """Legal aid asks the applicant for a mandate for its own organisation; the applicant
    confirms it in the portal. Until then it gives no access."""
    check_request_mandate(actor)
    org = actor.organisation
    assert org is not None
    today = clock.today()
    if valid_until is not None and valid_until < today:
        raise Rejected(
            "valid_until",
            gettext("%(day)s is before today (%(today)s)")
            % {"day": _day(valid_until), "today": _day(today)},
        )
    if len(lawyer) > 200:
        raise Rejected("lawyer", gettext("at most 200 characters"))
    _check_open_mandate(org, applicant)
    pending = Mandate.objects.filter(
        organisation=org,
        applicant_id=applicant.pk,
        consent_date__isnull=True,
        revoked_on__isnull=True,
    )
    if pending.exists():
        raise Rejected(
            "applicant", gettext("a request of your organisation waits for the applicant")
        )
    m = Mandate.objects.create(
        organisation=org,
        applicant=applicant,  # type: ignore[misc]
        lawyer=lawyer.strip() or actor.get_full_name(),
        valid_until=valid_until,
        requested_by=actor,
        requested_on=today,
    )
    record(
        actor=actor,
        action="request",
        purpose="mandate",
        object_type="mandate",
        object_ids=[m.pk],
        detail={"applicant": applicant.pk, "organisation": org.pk},
    )
    return m


def _own_mandate(actor: User, mandate: Mandate) -> Mandate:
    current = Mandate.objects.select_for_update().filter(pk=mandate.pk).first()
    if current is None:
        raise NotFound(gettext("no such mandate"))
    role = role_of(actor)
    if role == R.APPLICANT and current.applicant_id != actor.applicant_id:
        raise NotFound(gettext("no such mandate"))
    if role == R.LEGAL_AID and current.organisation_id != actor.organisation_id:
        raise NotFound(gettext("no such mandate"))
    return current


@transaction.atomic
def mandate_confirm(*, actor: User, mandate: Mandate) -> Mandate:
    """The applicant confirms a request in the portal: the mandate holds from today."""
    if role_of(actor) != R.APPLICANT:
        raise NotAllowed(gettext("only the applicant confirms a mandate"))
    current = _own_mandate(actor, mandate)
    if not current.pending:
        raise Rejected("mandate", gettext("this request was confirmed or withdrawn already"))
    today = clock.today()
    if current.valid_until is not None and current.valid_until < today:
        raise Rejected("mandate", gettext("this request has expired"))
    Mandate.objects.filter(pk=current.pk).update(consent_date=today, valid_from=today)
    current.refresh_from_db()
    record(
        actor=actor,
        action="confirm",
        purpose="mandate",
        object_type="mandate",
        object_ids=[current.pk],
        detail={"organisation": current.organisation_id},
    )
    return current


@transaction.atomic
def mandate_revoke(*, actor: User | None, mandate: Mandate, on: dt.date | None = None) -> Mandate:
    """End a mandate (or decline a request) from ``on`` (default today): authority staff,
    the applicant or the organisation holding it."""
    on = on or clock.today()
    if actor is not None and role_of(actor) in (R.APPLICANT, R.LEGAL_AID):
        current = _own_mandate(actor, mandate)
        if on != clock.today():
            raise Rejected("revoked_on", gettext("a mandate is revoked from today"))
    else:
        check_manage_mandates(actor)
        current = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if current.revoked_on is not None:
        raise Rejected(
            "revoked_on",
            gettext("the mandate was revoked on %(day)s") % {"day": _day(current.revoked_on)},
        )
    if current.consent_date is not None and on < current.consent_date:
        raise Rejected(
            "revoked_on",
            gettext("%(day)s is before the consent of %(consent)s")
            % {"day": _day(on), "consent": _day(current.consent_date)},
        )
    Mandate.objects.filter(pk=current.pk).update(revoked_on=on)
    mandate.refresh_from_db()
    record(
        actor=actor,
        action="revoke",
        purpose="mandate",
        object_type="mandate",
        object_ids=[mandate.pk],
    )
    return mandate
