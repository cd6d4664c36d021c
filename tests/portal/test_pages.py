"""What the pages say: the law's assessment in plain words, in the applicant's language,
never an internal note or a staff name; signing in with a code, a password, a second factor;
a right-to-left language added by settings and a catalogue alone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from toevlucht.cases import services as case_services
from toevlucht.cases.models import ReceptionCentre
from toevlucht.cases.services import assessment_for
from toevlucht.portal import services
from toevlucht.portal.formatting import format_day
from toevlucht.portal.views.auth import INVITATION_KEY

NOTE = "SECRET-INTERNAL-NOTE-4711"
STAFF = ("Hendrika", "Geheimnaam")
PAGES = ["case", "deadlines", "measures", "late", "appointments"]


def signed_in(user: Any, **headers: Any) -> Client:
    c = Client(**headers)
    c.force_login(user)
    return c


def text(response: Any) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def noted(conscript_case: Any, make_user: Any, orgs: Any) -> Any:
    """The conscript's case with a caseworker assigned, an internal note and a centre."""
    cw = make_user("hg", "caseworker", "ind", first_name=STAFF[0], last_name=STAFF[1])
    conscript_case.caseworker = cw
    conscript_case.save(update_fields=["caseworker"])
    case_services.event_record(
        actor=cw,
        application=conscript_case,
        kind="registration_interview_held",
        effective_date=dt.date(2022, 7, 12),
        note=NOTE,
    )
    centre = ReceptionCentre.objects.create(
        name="azc Budel-Cranendonck",
        municipality="Cranendonck",
        capacity=800,
        organisation=orgs["coa"],
    )
    case_services.placement_record(
        actor=cw, applicant=conscript_case.applicant, centre=centre, start=dt.date(2022, 3, 28)
    )
    return conscript_case


def test_no_page_and_no_download_shows_an_internal_note_or_a_staff_name(
    noted: Any, applicant_of: Any
) -> None:
    c = signed_in(applicant_of(noted))
    bodies = [c.get(reverse(f"portal:{p}", args=[noted.reference])).content.decode() for p in PAGES]
    bodies += [c.get(reverse(f"portal:{p}")).content.decode() for p in ("my_data", "account")]
    bodies.append(c.post(reverse("portal:my_data_download")).content.decode())
    for body in bodies:
        assert NOTE not in body
        assert STAFF[1] not in body
        assert STAFF[0] not in body
        assert "hg" not in re.findall(r"\b\w+\b", body)


def test_my_case_in_russian_shows_stage_history_next_steps_and_preparation(
    noted: Any, applicant_of: Any
) -> None:
    c = signed_in(applicant_of(noted, language="ru"), HTTP_ACCEPT_LANGUAGE="en")
    r = c.get(reverse("portal:case", args=[noted.reference]))
    body = r.content.decode()
    assert '<html lang="ru" dir="ltr">' in body
    t = text(r)
    assert "Моё дело" in t
    assert "Где сейчас ваше дело" in t
    assert "1 апреля 2022 года" in t  # the history: lodged
    assert "Регистрационное собеседование (aanmeldgehoor) назначено на 20 июля 2022 года." in t
    assert "Встретьтесь с адвокатом" in t  # what to prepare (rest period)
    assert "Мораторий на решения для российских призывников" in t  # the alert


def test_by_when_gives_the_decision_date_and_each_step_with_its_source(
    conscript_case: Any, applicant_of: Any
) -> None:
    c = signed_in(applicant_of(conscript_case, language="uk"))
    r = c.get(reverse("portal:deadlines", args=[conscript_case.reference]))
    a = assessment_for(conscript_case, lang="uk").as_json()
    decision = next(d for d in a["deadlines"] if d["kind"] == "decision")
    t = text(r)
    assert decision["status"] == "suspended"
    assert f"Тепер IND має ухвалити рішення до {format_day(decision['due'], 'uk')}." in t
    body = r.content.decode()
    for step in decision["steps"]:
        assert step["text"].replace("'", "&#x27;") in body
        if step["source_url"]:
            assert f'href="{step["source_url"]}"' in body


def test_measures_explain_the_russia_moratorium_until_when_and_after(
    conscript_case: Any, applicant_of: Any
) -> None:
    c = signed_in(applicant_of(conscript_case, language="ru"))
    t = text(c.get(reverse("portal:measures", args=[conscript_case.reference])))
    assert "Мораторий на решения для российских призывников (18–27 лет)" in t
    assert "Мораторий на выезд для российских призывников" in t
    assert "Мера заканчивается 29 декабря 2022 года, если её не продлят." in t
    # each announced period with its dates (the view's PeriodLine.start / until)
    assert "29 июня 2022 года" in t
    assert "Когда мораторий закончится" in t
    assert "С учётом этой меры IND должна принять решение по вашему заявлению до" in t
    assert "Сегодня она действует." in t


def test_the_reservist_is_not_told_the_conscript_moratorium_touches_him(
    reservist_case: Any, applicant_of: Any, settings: Any
) -> None:
    settings.TOEVLUCHT_AS_OF = "2022-07-15"
    c = signed_in(applicant_of(reservist_case, language="ru"))
    t = text(c.get(reverse("portal:measures", args=[reservist_case.reference])))
    assert "призывников" not in t
    assert "не подтверждает" in t  # the reported pause until 21 May: unconfirmed


def test_when_late_the_page_says_so_and_makes_no_promise_the_law_does_not_make(
    reservist_case: Any, applicant_of: Any, settings: Any
) -> None:
    # The term (extended by WBV 2022/22, known from September 2022) expired on 4 July 2023;
    # a court penalty is possible again since 30 November 2022.
    settings.TOEVLUCHT_AS_OF = "2023-08-01"
    c = signed_in(applicant_of(reservist_case, language="en"))
    t = text(c.get(reverse("portal:late", args=[reservist_case.reference])))
    a = assessment_for(reservist_case, lang="en").as_json()
    due = next(d["due"] for d in a["deadlines"] if d["kind"] == "decision")
    assert f"The IND is late. It had to decide by {format_day(due, 'en')}." in t
    assert "It does not make a positive decision more likely." in t
    remedies = {r["kind"]: r for r in a["remedies"]}
    assert remedies["administrative_penalty"]["available"] is False
    for r in remedies.values():
        for step in r["steps"]:
            assert step["text"].replace("'", "&#x27;") in t
    assert "Possible now." in t  # the notice of default
    assert "Not possible at the moment." in t  # the administrative penalty (since 2020)
    # the court penalty: only in an appeal against failure to decide, which needs the notice
    # first (law engine); no promise of money
    assert "only in an appeal against the failure to decide" in t


def test_before_the_term_expires_the_notice_is_possible_only_from_a_date(
    reservist_case: Any, applicant_of: Any
) -> None:
    c = signed_in(applicant_of(reservist_case, language="nl"))
    t = text(c.get(reverse("portal:late", args=[reservist_case.reference])))
    assert "De IND is niet te laat. Zij moet uiterlijk 4 oktober 2022 beslissen." in t
    assert "Kan vanaf 5 oktober 2022, als de IND dan nog niet heeft beslist." in t


def test_appointments_show_the_planned_interview_and_the_centre(
    noted: Any, applicant_of: Any, settings: Any
) -> None:
    c = signed_in(applicant_of(noted, language="en"))
    t = text(c.get(reverse("portal:appointments", args=[noted.reference])))
    assert "Interviews you have had 12 July 2022 registration interview (aanmeldgehoor)" in t
    assert "No interview is planned at the moment." in t  # the one planned was held earlier
    assert "You live in azc Budel-Cranendonck (Cranendonck) since 28 March 2022." in t


def test_a_planned_interview_is_shown_as_coming(conscript_case: Any, applicant_of: Any) -> None:
    c = signed_in(applicant_of(conscript_case, language="ru"))
    t = text(c.get(reverse("portal:appointments", args=[conscript_case.reference])))
    assert "20 июля 2022 года регистрационное собеседование (aanmeldgehoor)" in t
    assert "Место проживания для вас не записано." in t


def test_the_page_follows_the_applicants_language_and_the_switch_remembers_it(
    conscript_case: Any, applicant_of: Any
) -> None:
    user = applicant_of(conscript_case, language="uk")
    c = signed_in(user, HTTP_ACCEPT_LANGUAGE="ru")
    url = reverse("portal:case", args=[conscript_case.reference])
    assert '<html lang="uk"' in c.get(url).content.decode()
    r = c.post(reverse("portal:language"), {"language": "nl", "next": url})
    assert r.status_code == 302
    assert r["Location"] == url
    assert r.cookies["django_language"].value == "nl"
    user.refresh_from_db()
    assert user.language == "nl"
    assert "Mijn zaak" in text(c.get(url))
    r = c.post(reverse("portal:language"), {"language": "ru", "next": "https://evil.example/"})
    assert r["Location"] == reverse("portal:home")


def test_a_right_to_left_language_needs_only_settings_and_a_catalogue(
    conscript_case: Any, applicant_of: Any, settings: Any
) -> None:
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    c = signed_in(applicant_of(conscript_case, language="ar"))
    body = c.get(reverse("portal:case", args=[conscript_case.reference])).content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert 'lang="en"' in body  # the law's texts fall back to English, marked as such
    assert "العربية" in body


def test_the_invitation_journey_with_the_test_client(conscript_case: Any, make_user: Any) -> None:
    issued = services.invitation_issue(
        actor=make_user("cw", "caseworker", "ind"), application=conscript_case, language="ru"
    )
    c = Client(HTTP_ACCEPT_LANGUAGE="ru")
    assert c.get(reverse("portal:invitation_password")).status_code == 302  # code first
    r = c.post(reverse("portal:invitation"), {"code": "WRONG-CODE-0000"})
    assert "Код неверный" in text(r)
    r = c.post(reverse("portal:invitation"), {"code": issued.code_display.lower()})
    assert r["Location"] == reverse("portal:invitation_password")
    r = c.get(r["Location"])
    assert issued.invitation.username in text(r)
    r = c.post(reverse("portal:invitation_password"), {"password1": "short", "password2": "short"})
    assert r.status_code == 200
    assert "errorlist" in r.content.decode()
    pw = "мой длинный пароль 2022"
    r = c.post(reverse("portal:invitation_password"), {"password1": pw, "password2": pw})
    assert r["Location"] == reverse("portal:home")
    assert INVITATION_KEY not in c.session
    r = c.get(reverse("portal:home"), follow=True)
    assert "Ваша учётная запись готова" in text(r)
    assert "Моё дело" in text(r)
    # the code is used up
    c2 = Client(HTTP_ACCEPT_LANGUAGE="ru")
    r = c2.post(reverse("portal:invitation"), {"code": issued.code})
    assert "уже использован" in text(r)
    # and the password works on the sign-in page
    r = c2.post(reverse("portal:login"), {"username": issued.invitation.username, "password": pw})
    assert r.status_code == 302


def test_staff_cannot_sign_in_to_the_portal(make_user: Any) -> None:
    make_user("cw", "caseworker", "ind")
    r = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:login"), {"username": "cw", "password": "correct horse battery staple"}
    )
    assert r.status_code == 200
    assert "for asylum applicants only" in text(r)
    assert "_auth_user_id" not in r.wsgi_request.session


def test_too_many_wrong_passwords_lock_out_in_the_readers_language(
    conscript_case: Any, applicant_of: Any
) -> None:
    user = applicant_of(conscript_case)
    c = Client(HTTP_ACCEPT_LANGUAGE="uk")
    statuses = []
    for _ in range(6):
        r = c.post(reverse("portal:login"), {"username": user.username, "password": "wrong"})
        statuses.append(r.status_code)
    assert statuses[-1] == 429
    assert "Забагато спроб" in text(r)
    r = c.post(
        reverse("portal:login"),
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert r.status_code == 429  # locked even with the right password


def test_with_a_second_factor_the_pages_wait_for_the_code(
    conscript_case: Any, applicant_of: Any
) -> None:
    from django_otp.oath import TOTP

    user = applicant_of(conscript_case)
    device = services.totp_device_pending(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    assert services.totp_confirm(user=user, token=f"{totp.token():06d}") is not None
    c = Client()
    r = c.post(
        reverse("portal:login"),
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert r["Location"].startswith(reverse("portal:verify"))
    url = reverse("portal:case", args=[conscript_case.reference])
    assert c.get(url)["Location"].startswith(reverse("portal:verify"))
    r = c.post(reverse("portal:verify") + f"?next={url}", {"token": "000000"})
    assert r.status_code == 200
    assert c.get(url).status_code == 302


def test_the_second_factor_page_shows_a_qr_code_and_the_key_to_type(
    conscript_case: Any, applicant_of: Any
) -> None:
    c = signed_in(applicant_of(conscript_case, language="en"))
    body = c.get(reverse("portal:second_factor")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in body
    assert re.search(r'class="secret">([A-Z2-7]{4} ){3,}', body)


def test_the_staff_letter_is_in_the_applicants_language_and_the_code_is_shown_once(
    conscript_case: Any, make_user: Any
) -> None:
    cw = make_user("cw", "caseworker", "ind")
    c = Client(HTTP_ACCEPT_LANGUAGE="nl")
    c.force_login(cw)
    url = reverse("portal:staff_invitation", args=[conscript_case.reference])
    form = c.get(url).content.decode()
    assert 'value="ru" selected' in form  # the applicant's language by default
    r = c.post(url, {"language": "uk"})
    body = r.content.decode()
    assert '<html lang="nl"' in body  # the staff's page ...
    assert '<article class="letter" lang="uk" dir="ltr"' in body  # ... the applicant's letter
    assert "Введіть цей код" in body
    assert "Алексей Смирнов" in body
    code = re.search(r'class="code" dir="ltr">([A-Z0-9-]+)<', body)
    assert code is not None
    found = services.invitation_for_code(code=code.group(1), client_address="1.2.3.4")
    letter = c.get(reverse("portal:staff_letter", args=[found.pk])).content.decode()
    assert code.group(1) not in letter


def test_the_case_page_says_since_when_the_case_is_at_its_step(
    conscript_case: Any, applicant_of: Any
) -> None:
    """Lodged 1 April 2022 (the registration stage), the clock on 15 July 2022: 105 days;
    the interview planned on 1 July moves no stage."""
    says = "Ваше дело находится на этом этапе с 1 апреля 2022 года: 105 дней."
    c = signed_in(applicant_of(conscript_case, language="ru"))
    r = c.get(f"/portal/cases/{conscript_case.reference}/")
    assert r.status_code == 200
    body = text(r)
    assert says in body, body[body.find("Где") - 200 : body.find("Где") + 600]
