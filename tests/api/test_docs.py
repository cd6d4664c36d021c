"""The schema and the interactive docs page: public, and the docs page keeps the site's
Content Security Policy free of inline script."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_is_public_openapi_3() -> None:
    r = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/cases/{id}/deadlines/" in schema["paths"]


def test_the_docs_page_has_no_inline_script_and_a_narrow_csp() -> None:
    r = Client().get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<script>" not in html
    assert "<style" not in html
    csp = r["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in csp
    assert "'self'" in script_src
    # Swagger UI is bundled (drf-spectacular-sidecar): served from our static files, so the
    # page works offline and the policy admits no other origin
    assert "cdn.jsdelivr.net" not in csp
    assert "cdn.jsdelivr.net" not in html
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_other_pages_keep_the_site_policy() -> None:
    r = Client().get("/api/schema/")
    assert "cdn.jsdelivr.net" not in r["Content-Security-Policy"]


def test_an_unknown_api_path_is_a_problem_document() -> None:
    r = Client().get("/api/nothing/here/")
    assert r.status_code == 404
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["status"] == 404


def test_the_schema_generates_without_warnings_and_validates(tmp_path: object) -> None:
    from pathlib import Path

    from django.core.management import call_command

    out = Path(str(tmp_path)) / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/cases/{id}/events/" in out.read_text()
