"""The OpenAPI schema: drf-spectacular's, plus the problem documents every operation can
answer, so a client (and schemathesis) knows every status code it may get."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from toevlucht.api.problems import PROBLEM_CONTENT_TYPE

__all__ = ["PROBLEM_SCHEMA", "ProblemAutoSchema", "postprocess"]

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
    "429": "Too many V-numbers on no record within the hour (`Retry-After` says how long)",
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
        if write and self.path.endswith("/mandates/requests/"):
            codes.append("429")  # legal aid naming V-numbers on no record (views._misses_wait)
        elif self._has_query_parameters() and self.path.endswith(("/candidates/", "/deadlines/")):
            codes.append("422")  # a birth date the service cannot read, a day the law's
            # calendar does not cover
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


# DRF refuses a NUL character in every string it reads (PostgreSQL cannot store one), and
# trims white space (str.strip's) before it tells whether a required string is blank
NO_NUL = "^[^\\u0000]*$"
_WS = (
    "\\u0009-\\u000d\\u001c-\\u0020\\u0085\\u00a0\\u1680"
    "\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
NOT_BLANK = f"^[^\\u0000]*[^\\u0000{_WS}][^\\u0000]*$"


def _no_nul(node: Any) -> None:
    """Declare DRF's string rules on every free string (no enum, format or pattern of its
    own): no NUL; not only white space where it may not be blank."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"enum", "format", "pattern"} & set(node):
            node["pattern"] = NOT_BLANK if node.get("minLength", 0) >= 1 else NO_NUL
        for v in node.values():
            _no_nul(v)
    elif isinstance(node, list):
        for v in node:
            _no_nul(v)


def postprocess(result: dict[str, Any], generator: Any, request: Any, public: Any) -> Any:
    """drf-spectacular's ``POSTPROCESSING_HOOKS``: say in the schema what the input
    serializers refuse, so a request that fits the schema is never a 400:

    * an event's ``data`` takes no field its kind does not have (``_StrictSerializer``);
    * a correction with ``retract: true`` takes no new ``effective_date`` or ``data``;
    * no string read from a request holds a NUL character;
    * a request body whose schema has required fields is itself required (a POST without
      a body is refused, as the serializer refuses it).
    """
    from toevlucht.api.events import data_component_names

    schemas = result.get("components", {}).get("schemas", {})
    for name in data_component_names():
        if name in schemas:
            schemas[name]["additionalProperties"] = False
    correction = schemas.get("EventCorrectionRequest")
    if correction is not None:
        given = [  # present and not null
            {"required": [key], "properties": {key: {"type": t}}}
            for key, t in (("effective_date", "string"), ("data", "object"))
        ]
        correction["anyOf"] = [
            {"properties": {"retract": {"enum": [False]}}},
            {"properties": {"retract": {"enum": [True]}}, "not": {"anyOf": given}},
        ]
    from toevlucht.api.filters import parameter_schemas

    case_list = result.get("paths", {}).get("/api/cases/", {}).get("get", {})
    overrides = parameter_schemas()
    for parameter in case_list.get("parameters", []):
        if parameter.get("in") == "query" and parameter["name"] in overrides:
            parameter["schema"] = dict(overrides[parameter["name"]])
    for name, component in schemas.items():
        if name.endswith("Request"):
            _no_nul(component)
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") in ("query", "header"):
                    _no_nul(parameter.get("schema"))
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body and _needs_fields(body, schemas):
                body["required"] = True
    return result


def _needs_fields(body: dict[str, Any], schemas: dict[str, Any]) -> bool:
    for media in body.get("content", {}).values():
        schema = media.get("schema", {})
        ref = schema.get("$ref", "")
        component = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
        if component.get("required") or any(
            schemas.get(str(x.get("$ref", "")).rsplit("/", 1)[-1], {}).get("required")
            for x in component.get("oneOf", [])
        ):
            return True
    return False
