"""The authority's letters to the applicant from the case page: offered only when the law
gives something to tell, edited before the PDF, stored in the case file (audited) and
downloaded again; bad input is a field error and writes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from typing import Any

import pytest

from tests.conftest import skip_or_fail
from toevlucht.audit.models import AuditEntry
from toevlucht.letters.models import SentLetter

D = dt.date
LODGED = [("asylum_requested", D(2022, 3, 1), {}), ("application_lodged", D(2022, 3, 10), {})]
EXTENDED = [*LODGED, ("decision_term_extended", D(2022, 5, 1), {"months": 3, "ground": "42(4)(a)"})]
PLANNED = [
    *LODGED,
    (
        "interview_scheduled",
        D(2022, 4, 20),
        {"interview": "registration", "scheduled_for": "2022-05-12"},
    ),
]


def text_of(pdf: bytes, tmp_path: Any) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext missing: apt-get install poppler-utils")
    path = tmp_path / "l.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def created() -> int:
    return AuditEntry.objects.filter(action="create", object_type="letter").count()


def test_a_caseworker_edits_and_stores_the_extension_notice(
    make_case: Any, users: dict[str, Any], client_for: Any, tmp_path: Any
) -> None:
    app = make_case(nationality="GEO", events=EXTENDED, languages=["ru"])
    c = client_for(users["caseworker"])
    case_page = c.get(f"/cases/{app.pk}/").content.decode()
    assert f"/cases/{app.pk}/letters/term/" in case_page
    assert f"/cases/{app.pk}/letters/interview/" not in case_page  # no interview planned
    page = c.get(f"/cases/{app.pk}/letters/term/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "(Vw 2000 art. 42(4))" in html  # the law's part, shown not editable
    assert "10 december 2022" in html  # lodged 10 March 2022, 6 + 3 months, as the law says
    form = page.context["form"]
    assert form.initial["body_other"].startswith("Этим письмом")
    r = c.post(
        f"/cases/{app.pk}/letters/term/",
        {"sender_reference": "IND-7", "body_nl": "Een eigen zin.", "body_other": "Своя фраза."},
    )
    row = SentLetter.objects.get(application=app)
    assert r.status_code == 302
    assert r["Location"] == f"/cases/{app.pk}/#letters"
    assert (row.kind, row.language, row.body, row.body_translated) == (
        "term_extension_notice",
        "ru",
        "Een eigen zin.",
        "Своя фраза.",
    )
    assert row.sent_on == D(2022, 5, 9)  # the case clock
    entry = AuditEntry.objects.get(action="create", object_type="letter")
    assert entry.object_ids == [str(row.pk)]
    assert entry.purpose == "letter to the applicant"
    listed = c.get(f"/cases/{app.pk}/").content.decode()
    assert "Notice of the decision term of 9 May 2022" in listed
    pdf = c.get(f"/cases/{app.pk}/letters/{row.pk}.pdf")
    assert pdf.content == bytes(row.pdf)
    assert "beslistermijn" in pdf["Content-Disposition"]
    text = text_of(pdf.content, tmp_path)
    assert "Een eigen zin." in text
    assert "Своя фраза." in text
    assert "IND-7" in text


def test_the_extension_notice_is_not_offered_without_an_extension(
    make_case: Any, users: dict[str, Any], client_for: Any
) -> None:
    app = make_case(nationality="GEO", events=LODGED)
    c = client_for(users["caseworker"])
    assert f"/cases/{app.pk}/letters/term/" not in c.get(f"/cases/{app.pk}/").content.decode()
    r = c.get(f"/cases/{app.pk}/letters/term/")
    assert r.status_code == 409
    r = c.post(f"/cases/{app.pk}/letters/term/", {"body_nl": "x"})
    assert r.status_code == 409
    assert not SentLetter.objects.exists()


def test_only_the_authority_writes_to_the_applicant(
    make_case: Any, users: dict[str, Any], client_for: Any
) -> None:
    app = make_case(nationality="GEO", events=EXTENDED)
    assert client_for(users["legal_aid"]).get(f"/cases/{app.pk}/letters/term/").status_code == 403
    foreign = client_for(users["foreign_caseworker"])
    assert foreign.get(f"/cases/{app.pk}/letters/term/").status_code == 404
    assert foreign.post(f"/cases/{app.pk}/letters/term/", {"body_nl": "x"}).status_code == 404
    assert not SentLetter.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body_nl": "", "body_other": "Текст."}, "body_nl"),
        ({"body_nl": "Tekst.", "body_other": "   "}, "body_other"),
        ({"body_nl": "x" * 5001, "body_other": "Текст."}, "body_nl"),
    ],
)
def test_bad_input_at_the_extension_notice_writes_nothing(
    make_case: Any, users: dict[str, Any], client_for: Any, data: dict[str, str], field: str
) -> None:
    app = make_case(nationality="GEO", events=EXTENDED, languages=["uk"])
    r = client_for(users["caseworker"]).post(f"/cases/{app.pk}/letters/term/", data)
    assert r.status_code == 400
    assert list(r.context["form"].errors) == [field]
    assert f'id="id_{field}_error"' in r.content.decode()
    assert not SentLetter.objects.exists()
    assert created() == 0


def test_the_invitation_falls_back_to_english_and_says_so(
    make_case: Any, users: dict[str, Any], client_for: Any, tmp_path: Any
) -> None:
    app = make_case(nationality="GEO", events=PLANNED, languages=["ka"])
    c = client_for(users["caseworker"])
    assert f"/cases/{app.pk}/letters/interview/" in c.get(f"/cases/{app.pk}/").content.decode()
    page = c.get(f"/cases/{app.pk}/letters/interview/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="fallback"' in html
    assert "Georgian" in html
    assert "12 mei 2022" in html
    assert "Vb 2000 art. 3.108d" in html
    r = c.post(
        f"/cases/{app.pk}/letters/interview/",
        {
            "time": "10:30",
            "place": "Aanmeldcentrum Ter Apel",
            "body_nl": "Kom op tijd.",
            "body_other": "Please be on time.",
        },
    )
    assert r.status_code == 302
    row = SentLetter.objects.get(application=app)
    assert row.kind == "interview_invitation"
    assert row.language == "en"
    assert row.details["time"] == "10:30"
    assert row.details["day"] == "2022-05-12"
    text = text_of(bytes(row.pdf), tmp_path)
    assert "no text in your language (ka)" in text
    assert "12 May 2022" in text
    assert "10:30" in text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"time": "25:99", "place": "Ter Apel"}, "time"),
        ({"time": "", "place": "Ter Apel"}, "time"),
        ({"time": "10:30", "place": ""}, "place"),
    ],
)
def test_bad_input_at_the_invitation_writes_nothing(
    make_case: Any, users: dict[str, Any], client_for: Any, data: dict[str, str], field: str
) -> None:
    app = make_case(nationality="GEO", events=PLANNED, languages=["nl"])
    r = client_for(users["caseworker"]).post(
        f"/cases/{app.pk}/letters/interview/", {"body_nl": "Tekst.", **data}
    )
    assert r.status_code == 400
    assert list(r.context["form"].errors) == [field]
    assert "body_other" not in r.context["form"].fields  # Dutch only: he reads Dutch
    assert not SentLetter.objects.exists()
    assert created() == 0


def test_the_letter_pages_in_dutch(make_case: Any, users: dict[str, Any], client_for: Any) -> None:
    app = make_case(nationality="GEO", events=PLANNED, languages=["ka"])
    c = client_for(users["caseworker"])
    c.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    case_page = c.get(f"/cases/{app.pk}/").content.decode()
    assert "Schrijven aan de aanvrager" in case_page
    assert "Uitnodiging voor een gehoor: na de datum" not in case_page  # it is offered
    html = c.get(f"/cases/{app.pk}/letters/interview/").content.decode()
    assert "Tijd van het gehoor" in html
    assert "De brieven hebben geen tekst in het" in html
    r = c.post(f"/cases/{app.pk}/letters/interview/", {"body_nl": "x", "body_other": "y"})
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert set(errors) == {"time", "place"}, errors
    assert "Dit veld is vereist." in errors["time"]  # the field error in Dutch


def test_without_recorded_languages_the_letter_is_in_english_and_the_page_says_so(
    make_case: Any, users: dict[str, Any], client_for: Any
) -> None:
    app = make_case(nationality="GEO", events=PLANNED)
    assert app.applicant.languages == []
    page = client_for(users["caseworker"]).get(f"/cases/{app.pk}/letters/interview/")
    assert "languages are not recorded" in page.content.decode()
    assert page.context["letter"].language == "en"


def test_a_caseworker_without_a_name_types_the_signatory(
    make_case: Any, make_user: Any, client_for: Any, tmp_path: Any
) -> None:
    """The letter to the applicant is never signed with a login name: the form of an
    account without a name requires the signatory's name, which then signs the PDF."""
    app = make_case(nationality="GEO", events=EXTENDED, languages=["uk"])
    c = client_for(make_user("official9", "caseworker", "ind"))
    page = c.get(f"/cases/{app.pk}/letters/term/")
    assert next(iter(page.context["form"].fields)) == "signatory"
    data = {"body_nl": "Tekst.", "body_other": "Текст."}
    r = c.post(f"/cases/{app.pk}/letters/term/", data)
    assert r.status_code == 400
    assert list(r.context["form"].errors) == ["signatory"]
    assert not SentLetter.objects.exists()
    r = c.post(f"/cases/{app.pk}/letters/term/", {**data, "signatory": "Joris Kok"})
    assert r.status_code == 302
    text = text_of(bytes(SentLetter.objects.get().pdf), tmp_path)
    assert text.count("Joris Kok") == 2  # both parts signed
    assert "official9" not in text
