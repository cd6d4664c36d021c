"""One place decides what a user may see: every role against own, other and revoked-mandate
cases, for lists and for detail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from tests.access import MATRIX
from toevlucht.accounts import services as account_services
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.selectors import (
    aggregates,
    applicant_get_for_user,
    application_get_for_user,
    application_list_for_user,
)

D = dt.date


@pytest.mark.parametrize("role", sorted(MATRIX))
@pytest.mark.parametrize("which", ["own", "other", "revoked"])
def test_detail_is_allowed_exactly_per_the_matrix(
    world: dict[str, Any], role: str, which: str
) -> None:
    user, case = world["users"][role], world[which]
    allowed = which in MATRIX[role]
    if allowed:
        assert application_get_for_user(user=user, pk=case.pk).pk == case.pk
        assert applicant_get_for_user(user=user, pk=case.applicant_id).pk == case.applicant_id
    else:
        with pytest.raises(Http404):
            application_get_for_user(user=user, pk=case.pk)
        with pytest.raises(Http404):
            application_get_for_user(user=user, reference=case.reference)
        with pytest.raises(Http404):
            applicant_get_for_user(user=user, pk=case.applicant_id)


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_lists_show_exactly_what_the_matrix_allows(world: dict[str, Any], role: str) -> None:
    seen = set(application_list_for_user(user=world["users"][role]).values_list("pk", flat=True))
    expected = {world[w].pk for w in MATRIX[role]}
    assert seen == expected


def test_anonymous_and_inactive_users_see_nothing(world: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not application_list_for_user(user=AnonymousUser()).exists()
    cw = world["users"]["caseworker"]
    cw.is_active = False
    cw.save()
    assert not application_list_for_user(user=cw).exists()


def test_a_mandate_that_has_not_started_or_has_expired_gives_no_access(
    orgs: dict[str, Any],
    make_user: Any,
    make_case: Any,
) -> None:
    future = make_case()
    expired = make_case()
    account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=future.applicant,
        consent_date=D(2022, 5, 1),
        valid_from=D(2022, 6, 1),
    )
    account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=expired.applicant,
        consent_date=D(2022, 1, 1),
        valid_from=D(2022, 1, 1),
        valid_until=D(2022, 5, 8),
    )
    la = make_user("la", "legal_aid", "vwn")
    assert not application_list_for_user(user=la).exists()


def test_every_read_of_a_case_is_audited_with_who_and_why(world: dict[str, Any]) -> None:
    cw = world["users"]["caseworker"]
    application_get_for_user(user=cw, pk=world["own"].pk, purpose="checking the deadline")
    entry = AuditEntry.objects.order_by("seq").last()
    assert entry is not None
    assert (entry.action, entry.actor_id, entry.purpose) == ("read", cw.pk, "checking the deadline")
    assert entry.object_ids == [str(world["own"].pk)]


def test_analysts_get_counts_without_personal_data(world: dict[str, Any]) -> None:
    data = aggregates(user=world["users"]["analyst"])
    assert data["cases"] == 3
    assert data["by_nationality"] == {"RUS": 3}
    flat = repr(data)
    for case in (world["own"], world["other"]):
        assert case.applicant.family_name_latin not in flat
        assert case.applicant.v_number not in flat
