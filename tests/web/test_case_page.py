"""The case page and its writes: deadlines with their explanation and links to the law,
measures, remedies, the timeline with corrections, placements; event forms built from the law's
field schema, with the law's rejections on the field they concern."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toevlucht.accounts import services as account_services
from toevlucht.cases import services
from toevlucht.cases.models import ProcedureEvent, ReceptionCentre
from toevlucht.law import EVENT_FIELDS, EventKind

from ..assessments import counting_assessments

D = dt.date


@pytest.fixture
def cw(make_user: Any, client: Any) -> Any:
    client.force_login(make_user("cw", "caseworker", "ind"))
    return client


def test_the_case_page_shows_deadlines_with_their_explanation_and_the_law(
    cw: Any, make_case: Any, orgs: dict[str, Any]
) -> None:
    app = make_case(nationality="RUS", sex="male", birth_date=D(1992, 1, 5))
    centre = ReceptionCentre.objects.create(
        name="Aanmeldcentrum Ter Apel",
        municipality="Westerwolde",
        capacity=2000,
        organisation=orgs["coa"],
    )
    services.placement_record(
        actor=None, applicant=app.applicant, centre=centre, start=D(2022, 3, 8)
    )
    html = cw.get(f"/cases/{app.pk}/").content.decode()
    assert "Decision on the application (beslistermijn)" in html
    assert "10 September 2022" in html  # lodged 10 March + 6 months
    assert "Why this date" in html
    assert 'href="https://wetten.overheid.nl/BWBR0011823/2022-01-01#Artikel42"' in html
    assert "Reported pause on decisions for Russian applicants" in html  # measure
    assert "Notice of default (ingebrekestelling)" in html  # remedies
    assert "available from 11 September 2022" in html
    assert "Aanmeldcentrum Ter Apel" in html
    assert "8 March 2022" in html
    assert "Иван" in html  # the original script


@pytest.mark.parametrize("kind", [k for k in EventKind if k is not EventKind.RETRACTION])
def test_the_event_form_has_the_fields_of_the_laws_schema(
    cw: Any, make_case: Any, kind: EventKind
) -> None:
    app = make_case()
    r = cw.get(f"/cases/{app.pk}/events/new/", {"kind": kind.value}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="effective_date"' in html
    assert 'name="note"' in html
    for name, spec in EVENT_FIELDS[kind].items():
        assert f'name="{name}"' in html
        if spec.minimum is not None:
            assert f'min="{spec.minimum}"' in html


def test_without_htmx_choosing_a_kind_shows_the_case_page_with_its_form(
    cw: Any, make_case: Any
) -> None:
    app = make_case()
    r = cw.get(f"/cases/{app.pk}/events/new/", {"kind": "decision_term_extended"})
    html = r.content.decode()
    assert "<h1>" in html
    assert 'name="months"' in html
    assert 'name="ground"' in html


def test_recording_an_event_shows_what_changed(cw: Any, make_case: Any) -> None:
    app = make_case()
    r = cw.post(
        f"/cases/{app.pk}/events/new/",
        {
            "kind": "decision_term_extended",
            "effective_date": "2022-05-02",
            "months": "9",
            "ground": "42(4)(a)",
        },
        follow=True,
    )
    html = r.content.decode()
    assert "Recorded: Decision term extended" in html
    assert "What changed" in html
    assert "10 June 2023" in html  # 10 Sep 2022 + 9 months
    e = ProcedureEvent.objects.filter(application=app).latest("seq")
    assert (e.kind, e.data) == ("decision_term_extended", {"months": 9, "ground": "42(4)(a)"})


def test_a_value_outside_the_schema_is_an_error_on_its_field(cw: Any, make_case: Any) -> None:
    app = make_case()
    r = cw.post(
        f"/cases/{app.pk}/events/new/",
        {
            "kind": "decision_term_extended",
            "effective_date": "2022-05-02",
            "months": "40",
            "ground": "99",
        },
    )
    assert r.status_code == 400
    form = r.context["event_form"]
    assert "months" in form.errors
    assert "ground" in form.errors


def test_the_laws_rejection_of_a_history_is_shown_on_the_form(cw: Any, make_case: Any) -> None:
    app = make_case()
    r = cw.post(
        f"/cases/{app.pk}/events/new/",
        {
            "kind": "appeal_lodged",
            "effective_date": "2022-05-02",
            "against": "decision",
            "level": "court",
        },
    )
    assert r.status_code == 400
    errors = r.context["event_form"].non_field_errors()
    assert errors
    assert "decision" in errors[0]
    assert ProcedureEvent.objects.filter(application=app).count() == 1


def test_a_malformed_date_is_a_field_error(cw: Any, make_case: Any) -> None:
    app = make_case()
    r = cw.post(
        f"/cases/{app.pk}/events/new/", {"kind": "view_submitted", "effective_date": "2022-13-45"}
    )
    assert r.status_code == 400
    assert "effective_date" in r.context["event_form"].errors


def test_an_unknown_kind_is_a_form_error(cw: Any, make_case: Any) -> None:
    app = make_case()
    r = cw.post(
        f"/cases/{app.pk}/events/new/", {"kind": "promoted", "effective_date": "2022-05-02"}
    )
    assert r.status_code == 400
    assert "Select a valid choice" in r.content.decode()


def test_a_correction_is_shown_as_such_and_the_original_stays(cw: Any, make_case: Any) -> None:
    app = make_case()
    lodged = app.events.get()
    r = cw.post(
        f"/cases/{app.pk}/events/{lodged.pk}/correct/",
        {"effective_date": "2022-03-08", "note": "date on the form was wrong"},
        follow=True,
    )
    html = r.content.decode()
    assert "Corrected: Application lodged" in html
    assert "corrects #1" in html
    assert "corrected by #2" in html
    assert "date on the form was wrong" in html
    assert ProcedureEvent.objects.filter(application=app).count() == 2


def test_a_correction_needs_a_reason(cw: Any, make_case: Any) -> None:
    app = make_case()
    lodged = app.events.get()
    r = cw.post(
        f"/cases/{app.pk}/events/{lodged.pk}/correct/", {"effective_date": "2022-03-08", "note": ""}
    )
    assert r.status_code == 400
    assert r.context["form"].errors["note"] == ["say why the event is corrected"]


def test_a_correction_without_a_reason_is_refused_in_dutch_on_the_dutch_page(
    cw: Any, make_case: Any
) -> None:
    app = make_case()
    lodged = app.events.get()
    r = cw.post(
        f"/cases/{app.pk}/events/{lodged.pk}/correct/",
        {"effective_date": "2022-03-08", "note": " "},
        headers={"Accept-Language": "nl"},
    )
    assert r.status_code == 400
    assert r.context["form"].errors["note"] == ["geef aan waarom de gebeurtenis wordt gecorrigeerd"]
    assert "geef aan waarom de gebeurtenis wordt gecorrigeerd" in r.content.decode()
    assert app.events.count() == 1


def test_a_retraction_voids_the_event(cw: Any, make_case: Any) -> None:
    app = make_case(
        events=[
            ("application_lodged", D(2022, 3, 10), {}),
            ("registration_interview_held", D(2022, 3, 20), {}),
        ]
    )
    interview = app.events.get(kind="registration_interview_held")
    r = cw.post(
        f"/cases/{app.pk}/events/{interview.pk}/correct/",
        {"retract": "on", "note": "recorded on the wrong case"},
        follow=True,
    )
    html = r.content.decode()
    assert "Retracted: Registration interview held" in html
    assert "retracts #2" in html
    assert "retracted" in html
    # a retraction itself is not corrected
    retraction = app.events.get(kind="retraction")
    assert cw.get(f"/cases/{app.pk}/events/{retraction.pk}/correct/").status_code == 404


def test_legal_aid_is_offered_only_its_remedy_steps(
    make_user: Any, users: dict[str, Any], cases: dict[str, Any], client: Any
) -> None:
    client.force_login(users["legal_aid"])
    r = client.get(f"/cases/{cases['own'].pk}/")
    offered = {v for v, _ in r.context["kind_form"].fields["kind"].choices if v}
    assert offered == {"notice_of_default_received", "appeal_lodged"}
    assert "Correct or retract" not in r.content.decode()  # it recorded nothing here


def test_retracting_an_event_with_required_data_needs_only_the_reason(
    cw: Any, make_case: Any
) -> None:
    app = make_case(
        events=[
            ("application_lodged", D(2022, 3, 10), {}),
            ("decision_term_extended", D(2022, 5, 2), {"months": 9, "ground": "42(4)(a)"}),
        ]
    )
    extension = app.events.get(kind="decision_term_extended")
    r = cw.post(
        f"/cases/{app.pk}/events/{extension.pk}/correct/",
        {"retract": "on", "note": "letter never sent", "months": "", "ground": ""},
    )
    assert r.status_code == 302
    assert app.events.filter(kind="retraction", corrects=extension).exists()


def test_no_notice_of_default_before_the_term_has_passed(
    make_case: Any, make_user: Any, orgs: dict[str, Any], client: Any
) -> None:
    app = make_case(events=[("application_lodged", D(2022, 3, 10), {})])
    account_services.mandate_grant(
        actor=None,
        organisation=orgs["vwn"],
        applicant=app.applicant,
        consent_date=D(2022, 3, 1),
        valid_from=D(2022, 3, 1),
    )
    client.force_login(make_user("la", "legal_aid", "vwn"))
    r = client.get(f"/cases/{app.pk}/notice-of-default.pdf")
    assert r.status_code == 409
    assert "A notice of default is not available" in r.content.decode()
    assert "notice-of-default.pdf" not in client.get(f"/cases/{app.pk}/").content.decode()


def test_legal_aid_corrects_the_remedy_step_it_recorded_and_nothing_else(
    users: dict[str, Any], cases: dict[str, Any], client: Any
) -> None:
    """The same rule as the API's: whoever may record a kind may correct it."""
    own = cases["own"]  # late: the decision term ended on 27 March 2022
    services.event_record(
        actor=users["legal_aid"],
        application=own,
        kind="notice_of_default_received",
        effective_date=D(2022, 4, 4),
        data={},
    )
    notice = own.events.get(kind="notice_of_default_received")
    lodged = own.events.get(kind="application_lodged")
    client.force_login(users["legal_aid"])
    html = client.get(f"/cases/{own.pk}/").content.decode()
    assert f"/cases/{own.pk}/events/{notice.pk}/correct/" in html
    assert f"/cases/{own.pk}/events/{lodged.pk}/correct/" not in html
    r = client.post(
        f"/cases/{own.pk}/events/{notice.pk}/correct/",
        {"effective_date": "2022-04-05", "note": "the receipt stamp says 5 April"},
    )
    assert r.status_code == 302
    assert own.events.get(corrects=notice).effective_date == D(2022, 4, 5)
    r = client.post(f"/cases/{own.pk}/events/{lodged.pk}/correct/", {"retract": "on", "note": "no"})
    assert r.status_code == 403
    assert not own.events.filter(corrects=lodged).exists()


def test_recording_an_event_on_the_page_assesses_the_case_once(
    cw: Any, make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_case()
    with counting_assessments(monkeypatch) as calls:
        r = cw.post(
            f"/cases/{app.pk}/events/new/",
            {"kind": "registration_interview_held", "effective_date": "2022-03-15"},
        )
    assert r.status_code == 302
    assert ProcedureEvent.objects.filter(application=app).latest("seq").kind == (
        "registration_interview_held"
    )
    assert calls[0] == 1


def test_choosing_an_event_kind_with_htmx_does_not_assess_the_case(
    cw: Any, make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_case()
    with counting_assessments(monkeypatch) as calls:
        r = cw.get(
            f"/cases/{app.pk}/events/new/", {"kind": "interview_scheduled"}, HTTP_HX_REQUEST="true"
        )
    assert r.status_code == 200
    assert 'name="scheduled_for"' in r.content.decode()
    assert calls[0] == 0


def test_a_measure_touching_the_case_shows_its_period_on_the_case_page(
    cw: Any, make_case: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-07-15"
    app = make_case(
        nationality="RUS",
        sex="male",
        birth_date=D(2000, 1, 15),
        applicant_groups=["conscript_refusing_service"],
        events=[("application_lodged", D(2022, 4, 1), {})],
    )
    html = cw.get(f"/cases/{app.pk}/").content.decode()
    assert "from 29 June 2022 until 29 December 2022" in html
    assert "29 June 2022 – 29 December 2022" in html  # the announced periods


@pytest.mark.parametrize(
    ("data", "says_en", "says_nl"),
    [
        (
            {"kind": "decision_term_extended", "months": "3", "ground": "35(5)"},
            "which is not part of the old procedure",
            "wat geen deel is van de oude procedure",
        ),
        (
            {"kind": "application_registered"},
            "is not a step of the old procedure",
            "is geen stap van de oude procedure",
        ),
        (  # an error that was told in English on Dutch pages before it had a message key
            {"kind": "appeal_lodged", "against": "decision", "level": "court"},
            "The appeal on 2 May 2022 is an appeal against a decision, but no decision",
            "Het beroep op 2 mei 2022 is gericht tegen een besluit, maar er is geen besluit "
            "van de IND aan voorafgegaan.",
        ),
        (
            {"kind": "decision_term_extended", "months": "3", "ground": "42(5)"},
            "is not preceded by an extension under art. 42(4)",
            "Aan de verlenging op grond van art. 42 lid 5 Vw 2000 op 2 mei 2022 is geen "
            "verlenging op grond van lid 4 voorafgegaan",
        ),
    ],
)
def test_an_impossible_event_is_refused_on_the_form_in_the_pages_language(
    cw: Any, make_case: Any, data: dict[str, str], says_en: str, says_nl: str
) -> None:
    """A step of the APR on an old case, an appeal without a decision, a 42(5) extension
    without one under 42(4): the law's rejection in English and in Dutch."""
    app = make_case()  # lodged in 2022: the old rules
    for lang, says in (("en", says_en), ("nl", says_nl)):
        r = cw.post(
            f"/cases/{app.pk}/events/new/",
            {**data, "effective_date": "2022-05-02"},
            headers={"Accept-Language": lang},
        )
        assert r.status_code == 400
        errors = r.context["event_form"].non_field_errors() or r.context["event_form"].errors.get(
            "kind"
        )
        assert errors
        assert says in errors[0]
        if lang == "nl":
            assert says_en not in errors[0]
    assert ProcedureEvent.objects.filter(application=app).count() == 1


def test_a_field_the_law_refuses_is_told_in_the_pages_language(cw: Any, make_case: Any) -> None:
    """A granted decision with a refusal ground: the law's input check, on the field."""
    app = make_case()
    data = {
        "kind": "decision_notified",
        "outcome": "granted",
        "procedure": "general",
        "refusal_ground": "unfounded",
        "effective_date": "2022-05-02",
    }
    says = {
        "en": "a granted application has no refusal ground",
        "nl": "een ingewilligde aanvraag heeft geen afwijzingsgrond",
    }
    for lang in ("en", "nl"):
        r = cw.post(f"/cases/{app.pk}/events/new/", data, headers={"Accept-Language": lang})
        assert r.status_code == 400
        assert r.context["event_form"].errors["refusal_ground"] == [says[lang]]
    assert ProcedureEvent.objects.filter(application=app).count() == 1


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        (
            "en",
            ["<dd>male</dd>", "<dd>Russian (ru)</dd>", "<dd>reservist refusing mobilisation</dd>"],
        ),
        (
            "nl",
            [
                "<dd>man</dd>",
                "<dd>Russisch (ru)</dd>",
                "<dd>reservist die mobilisatie weigert</dd>",
            ],
        ),
    ],
)
def test_the_applicants_sex_languages_and_groups_are_labels_not_codes(
    cw: Any, make_case: Any, lang: str, shown: list[str]
) -> None:
    app = make_case(
        nationality="RUS",
        sex="male",
        languages=["ru"],
        applicant_groups=["reservist_refusing_service"],
    )
    html = cw.get(f"/cases/{app.pk}/", headers={"Accept-Language": lang}).content.decode()
    start = html.index('id="applicant-heading"')
    section = html[start : html.index("</section>", start)]
    for text in shown:
        assert text in section, (text, section)
    assert "reservist_refusing_service" not in section
