"""The Django layer's exceptions: what a service raises when it refuses to act.

The law core has its own tree (:mod:`toevlucht.law.errors`); a service turns a law error
into one of these, and only the outermost layer (a view, the API's exception handler, the
CLI) turns these into a form error, an HTTP status or an exit code::

    ToevluchtError
     ├── Rejected(field, message)      bad input; nothing was written     form error · 422 · exit 2
     │    ├── EventRejected            the law engine refused the event
     │    ├── MeasureRejected          a policy measure's definition
     │    ├── DuplicateSuspected       a new applicant may be one on record (candidates)
     │    └── RunRejected              a forecast's scenario or its size
     ├── NotAllowed(message)           the actor may not do this           403 · exit 2
     │                                 (also a django PermissionDenied)
     └── NotFound(message)             nothing by that name                404 · exit 2

A case the actor may not see is a :class:`NotFound`, never a :class:`NotAllowed`, so that
its existence is not revealed.

A ``message`` is for the reader: the service makes it with gettext when it raises, so it is in
the request's language (a Dutch page, an API client's ``Accept-Language``; English on the
command line and by default), with named placeholders and labels rather than codes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

__all__ = [
    "DuplicateSuspected",
    "EventRejected",
    "MeasureRejected",
    "NotAllowed",
    "NotFound",
    "Rejected",
    "RunRejected",
    "ToevluchtError",
    "TooManyMisses",
]


class ToevluchtError(Exception):
    """Base of the Django layer's refusals."""


class Rejected(ToevluchtError):
    """Bad input for a service: ``field`` names what is wrong (for form and API errors).
    Nothing was written."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class EventRejected(Rejected):
    """The law engine rejected an event: it is malformed or contradicts the history."""


class DuplicateSuspected(Rejected):
    """A new applicant may be someone already on record: ``candidates`` are their ids.
    Registering anyway needs a reason (the field ``duplicate_reason``), which is audited."""

    def __init__(self, candidates: list[int], message: str) -> None:
        self.candidates = candidates
        super().__init__("duplicate_reason", message)


class MeasureRejected(Rejected):
    """A policy measure's definition is wrong, or its id is taken."""


class RunRejected(Rejected):
    """A forecast run's scenario is wrong, or the run is too large."""


class TooManyMisses(Rejected):
    """Too many requests naming nothing (V-numbers on no record) within the hour: the user
    waits ``wait`` seconds before asking again (HTTP 429 with ``Retry-After``)."""

    def __init__(self, field: str, message: str, wait: int) -> None:
        super().__init__(field, message)
        self.wait = wait


class NotAllowed(ToevluchtError, PermissionDenied):
    """The actor's role or relation to the case does not allow this action."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NotFound(ToevluchtError, Http404):
    """Nothing by that name (or nothing the actor may see by that name)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
