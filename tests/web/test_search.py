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


# --- Latin spellings of Arabic and Persian names -----------------------------------------------


@pytest.fixture
def arabic_people(make_case: Any) -> dict[str, Any]:
    """Names of the demo's lists (demo/fake.py), in script with their usual Latin spelling;
    and one Syrian registered with Latin names only."""

    def case(given: str, family: str, given_l: str, family_l: str, **kw: Any) -> Any:
        return make_case(
            given_names=given,
            family_name=family,
            given_names_latin=given_l,
            family_name_latin=family_l,
            **{"nationality": "AFG", **kw},
        )

    return {
        "mohammad_hashemi": case("محمد", "هاشمی", "Mohammad", "Hashemi"),
        "hossein_hosseini": case("حسین", "حسینی", "Hossein", "Hosseini"),
        "hassan_al_hassan": case("حسن", "الحسن", "Hassan", "Al-Hassan", nationality="SYR"),
        "yusuf_haddad": case("Yusuf", "Haddad", "Yusuf", "Haddad", nationality="SYR"),
        "omar_said": case("عمر", "سعيد", "Omar", "Said", nationality="SYR"),
        "mahmoud_saad": case("محمود", "سعد", "Mahmoud", "Saad", nationality="SYR"),
        "khaled_sediqi": case("خالد", "صدیقی", "Khaled", "Sediqi"),
        # Russian names keep the stricter keys: no Arabic-spelling keys for them
        "alina": make_case(
            given_names="Алина",
            family_name="Орлова",
            given_names_latin="Alina",
            family_name_latin="Orlova",
        ),
    }


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("Mohammed Hashimi", "mohammad_hashemi"),  # the user's walk: o/a/e, e/i
        ("Muhammad Hashemi", "mohammad_hashemi"),
        ("Mohamed Hachemi", "mohammad_hashemi"),  # French spelling
        ("Hashemie", "mohammad_hashemi"),  # -ie ending
        ("Husain Husseini", "hossein_hosseini"),
        ("Hussein", "hossein_hosseini"),
        ("Hasan", "hassan_al_hassan"),  # doubled consonant
        ("El-Hassan", "hassan_al_hassan"),  # article spelled el-
        ("el Hassan", "hassan_al_hassan"),  # ... typed apart
        ("Alhassan", "hassan_al_hassan"),  # ... written together
        ("Yousef Hadad", "yusuf_haddad"),  # Latin names only, found by nationality
        ("Umar Saeed", "omar_said"),
        ("Sayed", "omar_said"),
        ("Mahmud Sad", "mahmoud_saad"),
        ("Khalid Siddiqi", "khaled_sediqi"),
        ("Seddighi", "khaled_sediqi"),
    ],
)
def test_common_spellings_of_arabic_names_meet(
    arabic_people: dict[str, Any], make_user: Any, client: Any, query: str, who: str
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    assert _found(client, query) == {arabic_people[w].reference for w in who.split()}


@pytest.mark.parametrize(
    ("query", "not_who"),
    [
        ("Hassan", "hossein_hosseini"),  # حسن and حسين are two names
        ("Hussein", "hassan_al_hassan"),
        ("Said", "mahmoud_saad"),  # سعيد and سعد
        ("Saad", "omar_said"),
        ("Amr", "omar_said"),  # عمرو and عمر
        ("Mohammed", "mahmoud_saad"),
        ("Hashim", "mohammad_hashemi"),  # a whole word: Hashim is not Hashemi
        ("Elena", "alina"),  # Russian names: no Arabic-spelling keys
        ("Arina", "alina"),
    ],
)
def test_arabic_spellings_do_not_flood_the_results(
    arabic_people: dict[str, Any], make_user: Any, client: Any, query: str, not_who: str
) -> None:
    client.force_login(make_user("cw", "caseworker", "ind"))
    assert arabic_people[not_who].reference not in _found(client, query)


def test_only_arabic_and_persian_names_get_the_arabic_keys(
    arabic_people: dict[str, Any],
) -> None:
    keys = {
        k: Applicant.objects.get(pk=a.applicant_id).search_key for k, a in arabic_people.items()
    }
    assert "~muhomod" in keys["mohammad_hashemi"].split()
    assert "~hasomi" in keys["mohammad_hashemi"].split()
    assert {"~alhoson", "~hason"} <= set(keys["hassan_al_hassan"].split())
    assert "~" not in keys["alina"]


def test_the_duplicate_check_meets_the_other_spellings_too(
    arabic_people: dict[str, Any], make_user: Any
) -> None:
    from toevlucht.cases.services import applicant_candidates

    cw = make_user("cw", "caseworker", "ind")

    def found(given: str, family: str, nationality: str = "AFG") -> set[int]:
        return {
            c.applicant.pk
            for c in applicant_candidates(
                actor=cw,
                given_names_latin=given,
                family_name_latin=family,
                nationality=nationality,
            )
        }

    hashemi = arabic_people["mohammad_hashemi"].applicant_id
    assert found("Mohammed", "Hashimi") == {hashemi}
    assert found("Muhammad", "Hashemie") == {hashemi}
    assert found("Mahmoud", "Hashemi") == set()  # another given name
    assert found("Mohammed", "Hashim") == set()
    # a Russian name (no Arabic keys either side) does not meet an Arabic spelling
    assert found("Elena", "Orlova", "RUS") == set()  # both "alona" in Arabic keys
