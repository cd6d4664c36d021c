"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error the API answers has ``type``, ``title``, ``status`` and ``detail``; errors about
input also name the ``field`` that was wrong (``data.months``, ``effective_date``) and list
every wrong field in ``errors``. ``type`` is ``about:blank`` for plain HTTP errors (404, 405,
...) and a ``urn:toevlucht:problem:<name>`` documented in ``docs/api.md`` otherwise.

Mapped here, and nowhere else:

* DRF validation errors → 400 ``invalid-input``;
* :class:`~toevlucht.errors.Rejected` and its subclasses (``EventRejected``,
  ``MeasureRejected``, ``DuplicateSuspected``) → 422 (``input-rejected``, ``event-rejected``,
  ``measure-rejected``, ``duplicate-suspected`` with the ids of the ``candidates``);
* :class:`~toevlucht.errors.NotAllowed` (a service refusing the actor) → 403 with its message;
* ``Http404`` / ``NotFound`` → 404, ``PermissionDenied`` → 403, not authenticated → 401 with
  ``WWW-Authenticate``; other DRF errors keep their status.
"""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from toevlucht.errors import (
    DuplicateSuspected,
    EventRejected,
    MeasureRejected,
    NotAllowed,
    Rejected,
)

__all__ = ["PROBLEM_CONTENT_TYPE", "PROBLEM_TYPES", "exception_handler", "problem"]

PROBLEM_CONTENT_TYPE = "application/problem+json"
_URN = "urn:toevlucht:problem:"

# name -> title (in the request's language, as RFC 9457 3.1.3 allows; the type is the
# stable name); the type URI is urn:toevlucht:problem:<name>
PROBLEM_TYPES = {
    "invalid-input": _("The request is not valid"),
    "input-rejected": _("The input was refused"),
    "event-rejected": _("The law engine refused the event"),
    "measure-rejected": _("The measure was refused"),
    "duplicate-suspected": _("The applicant may be on record already"),
}


def problem(
    status_code: int,
    detail: str,
    *,
    name: str = "",
    field: str | None = None,
    errors: list[dict[str, str]] | None = None,
    instance: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem document response."""
    body: dict[str, Any] = {
        "type": f"{_URN}{name}" if name else "about:blank",
        "title": str(PROBLEM_TYPES[name]) if name else HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if field is not None:
        body["field"] = field
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _flatten(detail: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field path, message) pairs from DRF's nested error detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            yield from _flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        if detail and all(not isinstance(d, (dict, list)) for d in detail):
            for d in detail:
                yield prefix, str(d)
        else:
            for i, d in enumerate(detail):
                yield from _flatten(d, f"{prefix}[{i}]")
    else:
        yield prefix, str(detail)


_REJECTED_NAMES: tuple[tuple[type[Rejected], str], ...] = (
    (DuplicateSuspected, "duplicate-suspected"),
    (EventRejected, "event-rejected"),
    (MeasureRejected, "measure-rejected"),
    (Rejected, "input-rejected"),
)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every error as a problem document."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Rejected):
        set_rollback()
        name = next(n for cls, n in _REJECTED_NAMES if isinstance(exc, cls))
        response = problem(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            exc.message,
            name=name,
            field=exc.field,
            errors=[{"field": exc.field, "message": exc.message}],
            instance=instance,
        )
        if isinstance(exc, DuplicateSuspected):
            assert isinstance(response.data, dict)
            response.data["candidates"] = exc.candidates  # applicant ids
        return response
    if isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500 handling and logging
    set_rollback()
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.ValidationError):
        pairs = list(_flatten(exc.detail))
        errors = [{"field": f, "message": m} for f, m in pairs]
        first_field, first_message = pairs[0] if pairs else ("", "invalid input")
        return problem(
            exc.status_code,
            f"{first_field}: {first_message}" if first_field else first_message,
            name="invalid-input",
            field=first_field,
            errors=errors,
            instance=instance,
            headers=headers or None,
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return problem(exc.status_code, str(detail), instance=instance, headers=headers or None)
