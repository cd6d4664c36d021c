"""Announcing a measure from the page: preview first, the law's rejections on their fields,
announce exactly what was previewed, then the measure's page with what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from toevlucht.measures.models import AnnouncedMeasure

D = dt.date


def _form(**over: str) -> dict[str, str]:
    data = {
        "id": "syr-2022-web",
        "kind": "decision_moratorium",
        "title_nl": "Besluitmoratorium Syrië",
        "title_en": "Decision moratorium Syria",
        "title_ru": "Мораторий на решения: Сирия",
        "title_uk": "Мораторій на рішення: Сирія",
        "effect_status": "confirmed",
        "legal_basis": "vw-43-1",
        "term_extension_months": "6",
        "nationalities": "syr",
        "periods-TOTAL_FORMS": "3",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "3",
        "periods-0-start": "2022-05-01",
        "periods-0-until": "2022-11-01",
        "periods-0-announced": "2022-05-01",
        "periods-0-source_kind": "decree",
        "periods-0-source_instrument": "Besluit (test)",
        "periods-0-source_url": "https://example.org/stcrt",
        "periods-0-source_status": "confirmed",
        "periods-1-source_kind": "decree",
        "periods-1-source_status": "confirmed",
        "periods-2-source_kind": "decree",
        "periods-2-source_status": "confirmed",
    }
    data.update(over)
    return data


@pytest.fixture
def sv(make_user: Any, client: Any) -> Any:
    client.force_login(make_user("sv", "supervisor", "ind"))
    return client


@pytest.fixture
def syrians(make_case: Any) -> list[Any]:
    return [
        make_case(nationality="SYR", events=[("application_lodged", D(2022, 3, 10), {})]),
        make_case(
            nationality="SYR",
            org="other_authority",
            events=[("application_lodged", D(2022, 3, 11), {})],
        ),
    ]


def test_the_preview_counts_without_announcing(sv: Any, syrians: list[Any]) -> None:
    r = sv.post("/measures/new/", {**_form(), "action": "preview"})
    assert r.status_code == 200
    p = r.context["preview"]
    assert (p.touched, p.touched_mine, p.changed_mine) == (2, 1, 1)  # one is another authority's
    assert [a.reference for a in p.sample] == [syrians[0].reference]
    assert r.context["digest"]
    assert not AnnouncedMeasure.objects.exists()


def test_announcing_what_was_previewed_shows_what_changed(sv: Any, syrians: list[Any]) -> None:
    digest = sv.post("/measures/new/", {**_form(), "action": "preview"}).context["digest"]
    r = sv.post("/measures/new/", {**_form(), "action": "announce", "digest": digest}, follow=True)
    assert r.redirect_chain[-1][0] == "/measures/syr-2022-web/"
    html = r.content.decode()
    assert "1 of your open cases has a new decision term" in html
    assert syrians[0].reference in html
    assert syrians[1].reference not in html
    assert "10 Sep 2022" in html
    assert "10 Mar 2023" in html
    row = AnnouncedMeasure.objects.get()
    assert (row.cases_touched, row.cases_changed) == (2, 2)
    # the announcement carries the case clock's day (the demo's), not the real one
    assert timezone.localdate(row.announced_at) == D(2022, 5, 9)
    assert "announced in Toevlucht on 9 May 2022" in html
    assert row.definition["title_ru"] == "Мораторий на решения: Сирия"
    assert row.definition["title_uk"] == "Мораторій на рішення: Сирія"
    # the changes are shown once; the page keeps listing the cases that fall under it
    again = sv.get("/measures/syr-2022-web/").content.decode()
    assert "What changed" not in again
    assert syrians[0].reference in again


def test_a_measure_moving_many_cases_shows_what_changed_while_they_are_recomputed(
    sv: Any, syrians: list[Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Past TOEVLUCHT_ANNOUNCE_INLINE_MAX the projections are written by a background task;
    what changed comes from the announcement's own computation, so it is shown at once."""
    settings.TOEVLUCHT_ANNOUNCE_INLINE_MAX = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    digest = sv.post("/measures/new/", {**_form(), "action": "preview"}).context["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        r = sv.post(
            "/measures/new/", {**_form(), "action": "announce", "digest": digest}, follow=True
        )
    html = r.content.decode()
    assert "1 of your open cases has a new decision term" in html
    assert "10 Mar 2023" in html
    assert "2 cases it touches are being recomputed in the background" in html
    assert 'hx-get="/measures/syr-2022-web/?recompute=1"' in html  # the notice polls
    assert "being recomputed" in sv.get("/measures/").content.decode()
    poll = {"HTTP_HX_REQUEST": "true"}
    still = sv.get("/measures/syr-2022-web/?recompute=1", **poll).content.decode()
    assert "being recomputed in the background" in still
    assert "hx-trigger" in still
    from django.tasks import default_task_backend

    [queued] = default_task_backend.results
    queued.task.call(*queued.args)
    done = sv.get("/measures/syr-2022-web/?recompute=1", **poll).content.decode()
    assert "Recomputed" in done
    assert "hx-trigger" not in done  # polling stops
    assert "in the background" not in sv.get("/measures/syr-2022-web/").content.decode()
    for unknown in ("no-such-measure", "ru-conscripts-2022-decision"):  # not announced here
        assert sv.get(f"/measures/{unknown}/?recompute=1", **poll).status_code == 404
    assert "being recomputed" not in sv.get("/measures/").content.decode()


def test_an_announcement_that_differs_from_its_preview_is_previewed_again(
    sv: Any, syrians: list[Any]
) -> None:
    digest = sv.post("/measures/new/", {**_form(), "action": "preview"}).context["digest"]
    r = sv.post(
        "/measures/new/",
        {**_form(term_extension_months="12"), "action": "announce", "digest": digest},
    )
    assert r.status_code == 200
    assert r.context["preview"] is not None
    assert "changed since the preview" in r.content.decode()
    assert not AnnouncedMeasure.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"periods-0-until": "2022-04-01"}, "until"),  # before its start: the law says so
        ({"term_extension_months": "30"}, "term_extension_months"),  # above Vc C3/2's maximum
        # a moratorium without months: a form error, not a preview that touches no case
        ({"term_extension_months": ""}, "term_extension_months"),
        ({"periods-0-source_url": "http://example.org/x"}, "source_url"),  # https only
        ({"nationalities": "SYR XYZ"}, "nationalities"),
        # the portal names the measure in Russian and Ukrainian: the form asks for both
        ({"title_ru": ""}, "title_ru"),
        ({"title_uk": ""}, "title_uk"),
    ],
)
def test_the_laws_rejections_land_on_their_field(
    sv: Any, syrians: list[Any], over: dict[str, str], field: str
) -> None:
    r = sv.post("/measures/new/", {**_form(**over), "action": "preview"})
    assert r.status_code == 400
    errors = r.context["form"].errors
    period_errors = r.context["periods"].forms[0].errors
    assert field in errors or field in period_errors, (errors, period_errors)


def test_a_measure_without_a_period_is_refused(sv: Any) -> None:
    data = _form(
        **{
            f"periods-0-{k}": ""
            for k in ("start", "until", "announced", "source_instrument", "source_url")
        }
    )
    r = sv.post("/measures/new/", {**data, "action": "preview"})
    assert r.status_code == 400
    assert "at least one period" in r.content.decode()


def test_an_existing_id_is_refused(sv: Any, syrians: list[Any]) -> None:
    r = sv.post("/measures/new/", {**_form(id="ru-conscripts-2022-decision"), "action": "preview"})
    assert r.status_code == 400
    assert "already exists" in str(r.context["form"].errors["id"])


def test_the_measures_list_shows_the_laws_measures(sv: Any) -> None:
    html = sv.get("/measures/").content.decode()
    assert "Decision moratorium for Russian conscripts" in html
    assert "Announce a measure" in html


def test_the_measure_page_names_groups_sexes_and_grounds_not_their_codes(sv: Any) -> None:
    html = sv.get("/measures/ru-conscripts-2022-decision/").content.decode()
    assert "conscript_refusing_service" not in html.replace('value="conscript', "")
    assert "Groups" in html
    for lang, sex in (("en", "male"), ("nl", "man")):
        sv.cookies["django_language"] = lang
        page = sv.get("/measures/ru-conscripts-2022-decision/").content.decode()
        assert "conscript_refusing_service" not in page
        assert f"<dd>{sex}</dd>" in page


def test_the_announce_form_offers_extension_grounds_by_their_article(sv: Any) -> None:
    for lang, text in (("en", "many applications"), ("nl", "gelijktijdig")):
        sv.cookies["django_language"] = lang
        html = sv.get("/measures/new/").content.decode()
        assert text in html
        assert '<option value="42(4)(b)">42(4)(b)</option>' not in html
