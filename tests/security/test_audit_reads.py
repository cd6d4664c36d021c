"""Issue 13, item 9: the admin's views of users and API tokens are audited, token keys are
not shown there, and denied reads leave a trace (0 of 5 did)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from toevlucht.api.tokens import issue
from toevlucht.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _last(action: str, object_type: str) -> AuditEntry | None:
    return AuditEntry.objects.filter(action=action, object_type=object_type).order_by("seq").last()


def test_the_admins_views_of_users_and_tokens_are_audited(world: dict[str, Any]) -> None:
    admin = world["users"]["administrator"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    cw = world["users"]["caseworker"]
    key = issue(cw)
    stored = Token.objects.get(user=cw).key
    c = _client(admin)
    assert c.get("/admin/accounts/user/").status_code == 200
    listed = _last("list", "user")
    assert listed is not None
    assert str(cw.pk) in listed.object_ids
    assert listed.actor_id == admin.pk
    assert c.get(f"/admin/accounts/user/{cw.pk}/change/").status_code == 200
    read = _last("read", "user")
    assert read is not None
    assert read.object_ids == [str(cw.pk)]
    page = c.get("/admin/authtoken/tokenproxy/")
    assert page.status_code == 200
    assert key != stored  # stored hashed
    assert key not in page.content.decode()  # and never shown, hashed or not
    assert stored not in page.content.decode()
    assert _last("list", "tokenproxy") is not None


@pytest.mark.parametrize(
    "how",
    ["web case", "web new event", "api case", "api events", "portal case"],
)
def test_denied_reads_leave_a_trace(world: dict[str, Any], how: str) -> None:
    other = world["other"]  # a case of another authority: nobody below may see it
    if how.startswith("web"):
        c: Any = _client(world["users"]["caseworker"])
        url = f"/cases/{other.pk}/" + ("events/new/" if how == "web new event" else "")
    elif how.startswith("api"):
        c = APIClient()
        key = issue(world["users"]["caseworker"])
        c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        url = f"/api/cases/{other.pk}/" + ("events/" if how == "api events" else "")
    else:
        c = _client(world["users"]["applicant"])
        url = f"/portal/cases/{other.reference}/"
    before = AuditEntry.objects.filter(action="denied").count()
    r = c.get(url)
    assert r.status_code == 404, url
    assert AuditEntry.objects.filter(action="denied").count() == before + 1, url
