"""What a user may *write*: one rule for the staff pages and the REST API. Which *cases* a
user sees (and so may write to at all) is decided by :mod:`toevlucht.cases.selectors` alone.

* authority staff (caseworker, supervisor, administrator) record and correct every event kind
  and record placements, on the cases the selectors let them see;
* legal aid records — and corrects, when it got a date wrong — the steps of a remedy against a
  late decision that it takes for the applicant: a notice of default received by the
  authority, and an appeal;
* supervisors and administrators announce (and preview) policy measures;
* applicants and analysts write nothing here (applicants use the portal).

A retraction is never recorded directly: it is a correction of the event it retracts.

Every write service calls one ``check_*`` function here first; it raises
:class:`~toevlucht.errors.NotAllowed` (a 403 on the pages and in the API), or
:class:`~toevlucht.errors.NotFound` for a case the actor may not see (so its existence is
not revealed). Views and serializers make no permission checks of their own; they use the
``can_*`` predicates only to decide what to offer (which form, which button).

``actor=None`` is the system itself (the demo, ``seed``, the CLI run by an operator on the
server): it may do everything, and the audit log records it as the system.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext

from toevlucht.accounts.models import User
from toevlucht.accounts.roles import ANNOUNCERS, AUTHORITY
from toevlucht.cases.models import Application
from toevlucht.cases.selectors import applications_visible_to
from toevlucht.errors import NotAllowed, NotFound
from toevlucht.law import LANGUAGES, EventKind
from toevlucht.law.text import render_key

__all__ = [
    "LEGAL_AID_KINDS",
    "can_announce_measures",
    "can_assign",
    "can_correct_event",
    "can_record_event",
    "can_record_placement",
    "can_register",
    "check_announce_measures",
    "check_assign",
    "check_case_access",
    "check_correct_event",
    "check_record_event",
    "check_record_placement",
    "check_register",
    "recordable_kinds",
]

R = User.Role
LEGAL_AID_KINDS = (EventKind.NOTICE_OF_DEFAULT_RECEIVED, EventKind.APPEAL_LODGED)


def _role(user: Any) -> str:
    return str(getattr(user, "role", ""))


def recordable_kinds(user: Any) -> list[EventKind]:
    """The event kinds ``user`` may record, in the vocabulary's order."""
    kinds: list[EventKind] = [k for k in EventKind if k is not EventKind.RETRACTION]
    if _role(user) in AUTHORITY:
        return kinds
    if _role(user) == R.LEGAL_AID:
        return [k for k in kinds if k in LEGAL_AID_KINDS]
    return []


def can_record_event(user: Any, kind: str) -> bool:
    return kind in {k.value for k in recordable_kinds(user)}


def can_correct_event(user: Any, kind: str) -> bool:
    """Correct or retract an event of ``kind``: whoever may record that kind."""
    return can_record_event(user, kind)


def can_record_placement(user: Any) -> bool:
    return _role(user) in AUTHORITY


def can_announce_measures(user: Any) -> bool:
    return _role(user) in ANNOUNCERS


def can_register(user: Any) -> bool:
    """Register applicants and open their applications."""
    return _role(user) in AUTHORITY


ROLE_LABELS: dict[str, Promise] = {role.value: role.label for role in R}


def _label(user: Any) -> str:
    """The user's role by its name in the request's language."""
    role = _role(user)
    return str(ROLE_LABELS.get(role, role)) if role else gettext("anonymous")


def _kind_label(kind: str) -> str:
    """An event kind by the law's name for it ("the decision") in the request's language."""
    lang = (get_language() or "en")[:2]
    try:
        return render_key(f"event.{kind}", lang if lang in LANGUAGES else "en")
    except KeyError:
        return kind


def check_case_access(actor: User | None, application: Application) -> None:
    """The actor may see the case at all (else: not found)."""
    if actor is None:
        return
    if not applications_visible_to(actor).filter(pk=application.pk).exists():
        raise NotFound(gettext("no such case"))


def check_record_event(actor: User | None, application: Application, kind: str) -> None:
    if actor is None:
        return
    check_case_access(actor, application)
    if not can_record_event(actor, kind):
        raise NotAllowed(
            gettext("the role %(role)s may not record %(kind)s")
            % {"role": _label(actor), "kind": _kind_label(kind)}
        )


def check_correct_event(actor: User | None, application: Application, kind: str) -> None:
    if actor is None:
        return
    check_case_access(actor, application)
    if not can_correct_event(actor, kind):
        raise NotAllowed(
            gettext("the role %(role)s may not correct %(kind)s")
            % {"role": _label(actor), "kind": _kind_label(kind)}
        )


def check_record_placement(actor: User | None) -> None:
    if actor is not None and not can_record_placement(actor):
        raise NotAllowed(gettext("only authority staff record placements"))


def check_register(actor: User | None) -> None:
    if actor is not None and not can_register(actor):
        raise NotAllowed(gettext("only authority staff register applicants and open applications"))


def can_assign(user: Any) -> bool:
    """Assign cases to a caseworker: authority staff."""
    return _role(user) in AUTHORITY


def check_assign(actor: User | None) -> None:
    if actor is not None and not can_assign(actor):
        raise NotAllowed(gettext("only authority staff assign cases"))


def check_announce_measures(actor: User | None) -> None:
    if actor is not None and not can_announce_measures(actor):
        raise NotAllowed(
            gettext("only a supervisor or an administrator previews or announces a policy measure")
        )
