"""Dutch and English: the staff pages follow the chosen language (Django's set_language), the
law's explanations come in the same language; other languages fall back to English."""

from __future__ import annotations

from typing import Any

from toevlucht.law import EVENT_FIELDS
from toevlucht.web import labels


def test_choosing_dutch_shows_dutch_pages_and_dutch_law_texts(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any
) -> None:
    client = client_for(users["caseworker"])
    r = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert r.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html
    assert "Werkvoorraad" in html
    page = client.get(f"/cases/{cases['own'].pk}/").content.decode()
    assert "beslissing op de aanvraag (beslistermijn)" in page.lower()  # the law's own Dutch
    assert "27 maart 2022" in page
    assert "Termijnen" in page
    assert '<span class="role">(behandelaar)</span>' in html  # the header's role, not a code


def test_languages_without_staff_translations_fall_back_to_english(
    users: dict[str, Any], client_for: Any
) -> None:
    client = client_for(users["caseworker"])
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Work queue" in html


def test_every_field_of_the_laws_event_schema_has_a_label() -> None:
    fields = {name for specs in EVENT_FIELDS.values() for name in specs}
    assert fields <= set(labels.FIELD_LABELS)
    helps = {s.help for specs in EVENT_FIELDS.values() for s in specs.values() if s.help}
    assert helps <= set(labels.FIELD_HELP)


def test_an_event_after_today_is_refused_in_the_pages_language(
    make_user: Any, make_case: Any, client_for: Any
) -> None:
    from toevlucht.cases.models import ProcedureEvent

    client = client_for(make_user("cw", "caseworker", "ind"))
    app = make_case()
    data = {"kind": "decision_term_extended", "effective_date": "2023-05-02", "months": "4"}
    data["ground"] = "42(4)(a)"
    for lang, says in (
        ("en", "2 May 2023 is after today (9 May 2022); record what happened"),
        ("nl", "2 mei 2023 ligt na vandaag (9 mei 2022); leg vast wat er is gebeurd"),
    ):
        r = client.post(f"/cases/{app.pk}/events/new/", data, headers={"Accept-Language": lang})
        assert r.status_code == 400
        assert says in r.context["event_form"].errors["effective_date"][0]
    assert ProcedureEvent.objects.filter(application=app).count() == 1


def test_the_users_role_in_the_header_is_in_the_pages_language(
    users: dict[str, Any], client_for: Any
) -> None:
    for user, en, nl in (
        ("caseworker", "(caseworker)", "(behandelaar)"),
        ("legal_aid", "(legal-aid worker)", "(rechtshulpverlener)"),
        ("supervisor", "(supervisor)", "(leidinggevende)"),
    ):
        client = client_for(users[user])
        assert f'<span class="role">{en}</span>' in client.get("/search/").content.decode()
        client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
        assert f'<span class="role">{nl}</span>' in client.get("/search/").content.decode()
