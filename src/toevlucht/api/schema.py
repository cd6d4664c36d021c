"""The OpenAPI schema: drf-spectacular's, plus the problem documents every operation can
answer, so a client (and schemathesis) knows every status code it may get."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from toevlucht.api.problems import PROBLEM_CONTENT_TYPE

__all__ = ["PROBLEM_SCHEMA", "ProblemAutoSchema"]

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "properties": {
        "type": {"type": "string", "description": "about:blank or urn:toevlucht:problem:…"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "field": {"type": "string", "description": "the input field that was wrong"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

_DESCRIPTIONS = {
    "400": "Invalid input (a problem document naming the field)",
    "401": "Not signed in: send `Authorization: Token <key>` or a session cookie",
    "403": "Signed in, but this role may not do this",
    "404": "No such object, or not one the user may see",
    "415": "Unsupported media type: send application/json",
    "422": "Refused by the law engine or a service (a problem document naming the field)",
}


class ProblemAutoSchema(AutoSchema):
    """Adds the problem responses: 400 (writes, query parameters), 401/403 (protected
    views), 404 (object paths, pages), 415 and 422 (writes)."""

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        write = self.method in ("POST", "PUT", "PATCH")
        protected = not any(
            isinstance(p, AllowAny) for p in getattr(self.view, "get_permissions", list)()
        )
        codes: list[str] = []
        if write or self._has_query_parameters():
            codes.append("400")
        if protected:
            codes += ["401", "403"]
        if "{" in self.path or self._is_list_view() or write:
            codes.append("404")  # a write names objects (an applicant, a case) by id too
        if write:
            codes += ["415", "422"]
        elif self._has_query_parameters() and "candidates" in self.path:
            codes.append("422")  # a birth date the service cannot read
        for code in codes:
            responses.setdefault(
                code,
                {
                    "description": _DESCRIPTIONS[code],
                    "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_SCHEMA}},
                },
            )
        return responses

    def _has_query_parameters(self) -> bool:
        return any(p.get("in") == "query" for p in self._get_parameters())
