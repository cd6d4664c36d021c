"""Search by name or V-number, across scripts and spellings, within what the user may see."""

from __future__ import annotations

from typing import Any

import pytest

from toevlucht.audit.models import AuditEntry
from toevlucht.cases.models import Applicant


@pytest.fixture
def people(make_case: Any) -> dict[str, Any]:
    return {
        "dmitrii": make_case(
            given_names="Дмитрий",
            family_name="Соколов",
            given_names_latin="Dmitrii",
            family_name_latin="Sokolov",
            v_number="2201000001",
        ),
        "yulia": make_case(
            given_names="Юлия",
            family_name="Щербакова",
            given_names_latin="Iuliia",
            family_name_latin="Shcherbakova",
            v_number="2201000002",
        ),
        "hidden": make_case(
            org="other_authority",
            given_names="Дмитрий",
            family_name="Соколов",
            given_names_latin="Dmitrii",
            family_name_latin="Sokolov",
            v_number="2201000003",
        ),
    }


def _found(client: Any, q: str) -> set[str]:
    r = client.get("/search/", {"q": q})
    assert r.status_code == 200
    return {a.reference for a in r.context["results"].object_list}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("Dmitriy Sokolov", "dmitrii"),  # another Latin spelling
        ("dmitri", "dmitrii"),
        ("Дмитрий", "dmitrii"),  # Cyrillic
        ("Sokol", "dmitrii"),  # beginning of a word
        ("Yulia Scherbakova", "yulia"),  # y/iu, sch/shch, ii/i
        ("Iulia", "yulia"),
        ("Щербакова", "yulia"),
        ("2201000002", "yulia"),  # V-number
        ("220100000", "dmitrii yulia"),  # V-number prefix
    ],
)
def test_search_finds_names_in_either_script_and_spelling(
    people: dict[str, Any], make_user: Any, client: Any, query: str, who: str
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    assert _found(client, query) == {people[w].reference for w in who.split()}


def test_search_never_finds_a_case_the_user_may_not_see(
    people: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    assert people["hidden"].reference not in _found(client, "Sokolov")
    assert _found(client, "2201000003") == set()


def test_search_results_are_audited(people: dict[str, Any], make_user: Any, client: Any) -> None:
    user = make_user("cw", "caseworker", "ind")
    client.force_login(user)
    _found(client, "Sokolov")
    e = AuditEntry.objects.filter(actor_id=user.pk, purpose="search").latest("seq")
    assert e.object_ids == [str(people["dmitrii"].pk)]


def test_an_empty_search_is_a_form_error(
    people: dict[str, Any], make_user: Any, client: Any
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    r = client.get("/search/", {"q": ""})
    assert r.status_code == 400
    assert "This field is required" in r.content.decode()


def test_the_search_key_is_kept_on_save_and_bulk_create(people: dict[str, Any]) -> None:
    a = Applicant.objects.get(v_number="2201000001")
    assert a.search_key == " dmitri sokolov "
    Applicant.objects.bulk_create(
        [
            Applicant(
                v_number="X1",
                given_names="Юрий",
                family_name="Орлов",
                given_names_latin="Iurii",
                family_name_latin="Orlov",
                nationality="RUS",
            )
        ]
    )
    assert Applicant.objects.get(v_number="X1").search_key == " uri orlov "


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Hryhorii", "Григорий"),  # Ukrainian passport spelling, Russian Cyrillic
        ("Grigorii", "Григорій"),  # Russian spelling, Ukrainian Cyrillic
        ("Oleh", "Олег"),
        ("Oleg", "Oleh"),
        ("Olha", "Ольга"),
    ],
)
def test_ukrainian_h_and_russian_g_meet(typed: str, stored: str) -> None:
    from toevlucht.cases.translit import search_key

    assert search_key(typed) == search_key(stored)


def test_g_and_h_do_not_make_every_name_meet() -> None:
    from toevlucht.cases.translit import search_key

    assert search_key("Oleh") != search_key("Olena")
    assert search_key("Hanna") != search_key("Anna")
