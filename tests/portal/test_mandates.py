"""A mandate from legal aid's request to the applicant's agreement in the portal: the request
alone gives no access; the applicant sees who has access and can end it."""

from __future__ import annotations

from typing import Any

import pytest

from toevlucht.accounts import services as account_services
from toevlucht.accounts.models import Mandate
from toevlucht.audit.models import AuditEntry
from toevlucht.cases.selectors import applications_visible_to
from toevlucht.errors import NotAllowed, Rejected


def test_a_request_gives_access_only_once_the_applicant_agrees(
    reservist_case: Any, applicant_of: Any, make_user: Any, client: Any
) -> None:
    lawyer = make_user("la", "legal_aid", "vwn", first_name="Lotte", last_name="Jansen")
    m = account_services.mandate_request(actor=lawyer, applicant=reservist_case.applicant)
    assert m.pending
    assert m.lawyer == "Lotte Jansen"
    assert not applications_visible_to(lawyer).filter(pk=reservist_case.pk).exists()
    with pytest.raises(Rejected):  # one open request per organisation
        account_services.mandate_request(actor=lawyer, applicant=reservist_case.applicant)
    with pytest.raises(NotAllowed):  # legal aid cannot confirm its own request
        account_services.mandate_confirm(actor=lawyer, mandate=m)

    me = applicant_of(reservist_case, language="en")
    client.force_login(me)
    page = client.get("/portal/access/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "asks to see your case" in html
    assert "Lotte Jansen" in html
    r = client.post(f"/portal/access/{m.pk}/agree/")
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.consent_date is not None
    assert applications_visible_to(lawyer).filter(pk=reservist_case.pk).exists()
    assert AuditEntry.objects.filter(action="confirm", object_ids=[str(m.pk)]).exists()
    html = client.get("/portal/access/").content.decode()
    assert "These organisations can see your case" in html
    client.post(f"/portal/access/{m.pk}/end/")
    assert not applications_visible_to(lawyer).filter(pk=reservist_case.pk).exists()
    assert "Nobody else has access" in client.get("/portal/access/").content.decode()


def test_another_applicant_cannot_answer_a_request(
    reservist_case: Any, conscript_case: Any, applicant_of: Any, make_user: Any, client: Any
) -> None:
    lawyer = make_user("la", "legal_aid", "vwn")
    m = account_services.mandate_request(actor=lawyer, applicant=reservist_case.applicant)
    client.force_login(applicant_of(conscript_case, language="en"))
    assert client.post(f"/portal/access/{m.pk}/agree/").status_code == 404
    assert Mandate.objects.get(pk=m.pk).pending


@pytest.mark.parametrize("lang", ["nl", "ru", "uk"])
def test_the_access_page_is_translated(
    reservist_case: Any, applicant_of: Any, client: Any, lang: str
) -> None:
    client.force_login(applicant_of(reservist_case, language=lang))
    html = client.get("/portal/access/", headers={"accept-language": lang}).content.decode()
    assert "Nobody else has access to your case." not in html


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "this request was confirmed or withdrawn already"),
        ("nl", "dit verzoek is al bevestigd of ingetrokken"),
        ("ru", "этот запрос уже подтверждён или отозван"),
        ("uk", "цей запит уже підтверджено або відкликано"),
    ],
)
def test_a_request_answered_twice_is_refused_in_the_applicants_language(
    reservist_case: Any, applicant_of: Any, make_user: Any, client: Any, lang: str, says: str
) -> None:
    lawyer = make_user("la", "legal_aid", "vwn")
    m = account_services.mandate_request(actor=lawyer, applicant=reservist_case.applicant)
    client.force_login(applicant_of(reservist_case, language=lang))
    client.post(f"/portal/access/{m.pk}/agree/")
    r = client.post(f"/portal/access/{m.pk}/agree/", follow=True)
    assert r.status_code == 200
    assert says in r.content.decode()
    assert AuditEntry.objects.filter(action="confirm", object_ids=[str(m.pk)]).count() == 1
