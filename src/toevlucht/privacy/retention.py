"""Retention (GDPR art. 5(1)(e), storage limitation): once every case of an applicant has
closed and its retention date (``Application.retention_until``, set by the refresh when a
case closes, ``TOEVLUCHT_RETENTION_YEARS`` later) has passed, the applicant's personal data
is erased.

Erased: names in both scripts, birth date, languages, groups, the V-number (replaced by a
meaningless key), the search key, and the applicant's portal account (deactivated, its
name and address removed, no password). Kept, because they identify nobody once the person
is gone and the statistics and the audit trail need them: nationality and sex, the cases
and their procedure events, placements, mandates, and the audit log (which records the
erasure). Not erased, and said so: the internal notes on procedure events, which are
append-only (database triggers) — keep personal data out of notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from toevlucht.accounts.models import User
from toevlucht.audit.log import record
from toevlucht.cases.models import Applicant, Application
from toevlucht.privacy.signals import personal_data_erased

__all__ = ["RetentionReport", "due_for_erasure", "erase_applicant", "erase_due"]

PURPOSE = "retention period ended"


@dataclass
class RetentionReport:
    as_of: dt.date
    applicants: int = 0
    applications: int = 0


def due_for_erasure(as_of: dt.date) -> QuerySet[Applicant]:
    """Applicants not yet erased whose every application has a retention date on or before
    ``as_of`` (an open case, or one without a retention date, keeps the person's data)."""
    keeps = Application.objects.filter(applicant=OuterRef("pk")).filter(
        Q(retention_until__isnull=True) | Q(retention_until__gt=as_of)
    )
    return (
        Applicant.objects.filter(erased_on__isnull=True)
        .filter(Exists(Application.objects.filter(applicant=OuterRef("pk"))))
        .exclude(Exists(keeps))
        .order_by("pk")
    )


def erase_applicant(applicant: Applicant, *, as_of: dt.date, actor: object = None) -> bool:
    """Erase one applicant's personal data (see the module's docstring) in one transaction,
    audited; False if it was erased already or is no longer due."""
    with transaction.atomic():
        a = Applicant.objects.select_for_update().get(pk=applicant.pk)
        if not due_for_erasure(as_of).filter(pk=a.pk).exists():
            return False
        cases = list(a.applications.order_by("pk").values_list("pk", flat=True))
        a.given_names = a.family_name = a.given_names_latin = a.family_name_latin = ""
        a.birth_date = None
        a.languages = []
        a.groups = []
        a.v_number = f"E{a.pk:011d}"
        a.erased_on = as_of
        a.save()  # the search key follows the (now empty) names
        User.objects.filter(applicant=a).update(
            is_active=False,
            username=f"erased-applicant-{a.pk}",
            first_name="",
            last_name="",
            email="",
            password=make_password(None),
        )
        personal_data_erased.send(sender=Applicant, applicant=a)
        record(
            actor=actor,
            action="erase",
            purpose=PURPOSE,
            object_type="applicant",
            object_ids=[a.pk],
            detail={"applications": cases},
        )
    return True


def erase_due(
    as_of: dt.date, progress: Callable[[int, int], None] | None = None
) -> RetentionReport:
    """Erase every applicant due on ``as_of``, one transaction each (a killed run leaves
    each person erased or untouched; run it again)."""
    report = RetentionReport(as_of=as_of)
    ids = list(due_for_erasure(as_of).values_list("pk", flat=True))
    for i, pk in enumerate(ids, start=1):
        applicant = Applicant(pk=pk)
        if erase_applicant(applicant, as_of=as_of):
            report.applicants += 1
            report.applications += Application.objects.filter(applicant_id=pk).count()
        if progress is not None:
            progress(i, len(ids))
    return report
