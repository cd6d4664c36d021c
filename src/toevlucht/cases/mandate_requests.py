"""Legal aid asks a client for a mandate by the V-number the client gave: one service for
the pages (``/mandates/requests/``) and the API (``POST /api/mandate-requests/``).

A V-number on no record is a refusal naming ``v_number``, and it is kept in the audit log
(who probes V-numbers shows there; the number itself is not kept). After
``TOEVLUCHT_MANDATE_REQUEST_MISSES`` of them within an hour the user waits
(:class:`~toevlucht.errors.TooManyMisses`), whatever V-number comes next: counted in the
log, so the same across processes and restarts. docs/api.md ("Asking for a mandate by
V-number") gives the reasons for a clear refusal over a uniform answer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from toevlucht.accounts.models import Mandate, User
from toevlucht.accounts.roles import check_request_mandate
from toevlucht.accounts.services import mandate_request
from toevlucht.audit.log import record
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Applicant
from toevlucht.errors import Rejected, TooManyMisses

__all__ = ["MISS", "misses_wait", "request_by_v_number"]

MISS = "mandate request, no V-number match"  # the audit purpose of a V-number on no record
# the service's refusals that name its own input; the others (``applicant``, ``organisation``)
# are about the client the V-number names
_OWN_FIELDS = frozenset({"lawyer", "valid_until"})


def misses_wait(actor: User) -> int | None:
    """Seconds until ``actor`` may ask by V-number again, when they named
    ``TOEVLUCHT_MANDATE_REQUEST_MISSES`` V-numbers on no record within the last hour; None
    when they may ask."""
    limit = int(settings.TOEVLUCHT_MANDATE_REQUEST_MISSES)
    since = timezone.now() - dt.timedelta(hours=1)
    # the log has no index on actor or time, but its seq rises with its time: the last
    # entry before the hour, found walking the seq index back, bounds the scan to the hour
    before = AuditEntry.objects.filter(at__lt=since).order_by("-seq")
    first = before.values_list("seq", flat=True).first() or 0
    misses = AuditEntry.objects.filter(
        seq__gt=first, actor_id=actor.pk, action="request", purpose=MISS, at__gte=since
    ).order_by("-seq")
    times = list(misses.values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return max(1, int((times[-1] - since).total_seconds()) + 1)


def request_by_v_number(
    *,
    actor: User,
    v_number: str,
    lawyer: str = "",
    valid_until: dt.date | None = None,
) -> Mandate:
    """Ask the applicant with ``v_number`` for a mandate for the actor's organisation; the
    applicant confirms it in the portal, and until then it gives no access.

    Raises NotAllowed (not legal aid: before any V-number is looked up), TooManyMisses, or
    Rejected naming ``v_number``, ``lawyer`` or ``valid_until``."""
    check_request_mandate(actor)
    wait = misses_wait(actor)
    if wait is not None:
        raise TooManyMisses(
            "v_number",
            gettext("too many V-numbers on no record within the hour: try again later"),
            wait,
        )
    applicant = Applicant.objects.filter(v_number=v_number).first()
    if applicant is None:
        # kept, although the request is refused (the caller must not roll it back)
        record(actor=actor, action="request", purpose=MISS, object_type="mandate", object_ids=[])
        raise Rejected("v_number", gettext("no applicant with this V-number"))
    try:
        return mandate_request(
            actor=actor, applicant=applicant, lawyer=lawyer, valid_until=valid_until
        )
    except Rejected as e:
        if e.field in _OWN_FIELDS:
            raise
        raise Rejected("v_number", e.message) from None
