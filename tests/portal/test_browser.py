"""The portal in the system Chromium: an applicant signs in with an invitation in Russian
and in Ukrainian, reads a case under the Russia moratorium, changes language and downloads
their data; every page passes axe-core's WCAG 2.1 A/AA rules at 360 px without sideways
scrolling, and works with the keyboard alone.

Screenshots go to ``$PORTAL_SCREENSHOTS`` (default: a temporary directory), never into the
repository.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from toevlucht.portal import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS") or tempfile.gettempdir()) / "toevlucht-portal"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 360, "height": 780}
PASSWORD = "correct horse battery staple"
_axe = Axe()
FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return [e.tagName, (e.textContent || "").trim(), s.outlineStyle, s.outlineWidth];
}"""


def check(page: Page, name: str) -> None:
    """axe-core WCAG 2.1 A/AA, no sideways scrolling at 360 px, a screenshot."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options=WCAG)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width}px wide"  # type: ignore[index]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Any]:
    contexts: list[BrowserContext] = []

    def make(locale: str) -> Page:
        ctx = browser.new_context(viewport=PHONE, locale=locale, accept_downloads=True)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def signed_in_page(phone: Any, live_server: Any, user: Any, locale: str = "en-GB") -> Page:
    c = Client()
    c.force_login(user)
    page: Page = phone(locale)
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


JOURNEY = {
    "ru": {
        "locale": "ru-RU",
        "first_time": "У меня есть письмо с кодом",
        "code": "Код из письма",
        "next": "Дальше",
        "pw1": "Новый пароль",
        "pw2": "Тот же пароль ещё раз",
        "save": "Сохранить пароль и войти",
        "my_case": "Моё дело",
        "measures": "Меры",
        "by_when": "Сроки",
        "late": "Если IND опаздывает",
        "appointments": "Встречи и жильё",
        "moratorium": "Мораторий на решения для российских призывников",
        "must_decide": "С учётом этой меры IND должна принять решение",
        "other": "Українська",
        "other_h1": "Мої дані",
        "my_data": "Мои данные",
        "download": "Завантажити мої дані",
    },
    "uk": {
        "locale": "uk-UA",
        "first_time": "У мене є лист із кодом",
        "code": "Код із листа",
        "next": "Далі",
        "pw1": "Новий пароль",
        "pw2": "Той самий пароль ще раз",
        "save": "Зберегти пароль і увійти",
        "my_case": "Моя справа",
        "measures": "Заходи",
        "by_when": "Строки",
        "late": "Якщо IND запізнюється",
        "appointments": "Зустрічі й житло",
        "moratorium": "Мораторій на рішення для російських призовників",
        "must_decide": "З урахуванням цього заходу IND має ухвалити рішення",
        "other": "Русский",
        "other_h1": "Мои данные",
        "my_data": "Мої дані",
        "download": "Скачать мои данные",
    },
}


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_an_applicant_signs_in_with_an_invitation_reads_the_moratorium_and_downloads_data(
    lang: str, conscript_case: Any, make_user: Any, live_server: Any, phone: Any
) -> None:
    t = JOURNEY[lang]
    issued = services.invitation_issue(
        actor=make_user("cw", "caseworker", "ind"), application=conscript_case, language=lang
    )
    page = phone(t["locale"])
    page.goto(live_server.url + "/portal/sign-in/")
    check(page, f"{lang}-01-sign-in")
    page.get_by_role("link", name=t["first_time"]).click()
    check(page, f"{lang}-02-code")
    page.get_by_label(t["code"]).fill(issued.code_display.lower())
    page.get_by_role("button", name=t["next"]).click()
    expect(page.locator(".username").first).to_have_text(issued.invitation.username)
    check(page, f"{lang}-03-password")
    new_password = "мой длинный пароль 2022"
    page.get_by_label(t["pw1"]).fill(new_password)
    page.get_by_label(t["pw2"]).fill(new_password)
    page.get_by_role("button", name=t["save"]).click()

    expect(page.locator("h1")).to_have_text(t["my_case"])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".alert-measure")).to_contain_text(t["moratorium"])
    check(page, f"{lang}-04-my-case")

    nav = page.get_by_role("navigation")
    nav.get_by_role("link", name=t["measures"], exact=True).click()
    expect(page.locator("main")).to_contain_text(t["moratorium"])
    expect(page.locator("main")).to_contain_text(t["must_decide"])
    check(page, f"{lang}-05-measures")
    nav.get_by_role("link", name=t["by_when"], exact=True).click()
    expect(page.locator(".steps a").first).to_have_attribute(
        "href", "https://wetten.overheid.nl/BWBR0011823/2022-01-01#Artikel42"
    )
    check(page, f"{lang}-06-by-when")
    nav.get_by_role("link", name=t["late"], exact=True).click()
    check(page, f"{lang}-07-late")
    nav.get_by_role("link", name=t["appointments"], exact=True).click()
    check(page, f"{lang}-08-appointments")
    nav.get_by_role("link", name=t["my_data"], exact=True).click()
    check(page, f"{lang}-09-my-data")

    page.get_by_role("button", name=t["other"]).click()
    expect(page.locator("h1")).to_have_text(t["other_h1"])
    with page.expect_download() as info:
        page.get_by_role("button", name=t["download"]).click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["applicant"]["v_number"] == conscript_case.applicant.v_number
    assert data["applicant"]["family_name"] == "Смирнов"
    assert all("internal_note" not in e for a in data["applications"] for e in a["events"])


def test_the_other_pages_pass_the_checks_too(
    conscript_case: Any, applicant_of: Any, make_user: Any, live_server: Any, phone: Any
) -> None:
    user = applicant_of(conscript_case, language="ru")
    page = signed_in_page(phone, live_server, user, "ru-RU")
    for path, name in [
        ("/portal/account/", "ru-10-account"),
        ("/portal/account/second-step/", "ru-11-second-step"),
    ]:
        page.goto(live_server.url + path)
        check(page, name)
    # a form with errors
    page.goto(live_server.url + "/portal/account/")
    page.get_by_role("button", name="Сохранить новый пароль").click()
    check(page, "ru-12-account-errors")

    staff = signed_in_page(phone, live_server, make_user("cw", "caseworker", "ind"), "nl-NL")
    staff.goto(f"{live_server.url}/portal/staff/cases/{conscript_case.reference}/invitation/")
    check(staff, "nl-13-staff-invitation")
    staff.get_by_role("button", name="Code uitgeven en brief tonen").click()
    expect(staff.locator("article.letter")).to_have_attribute("lang", "ru")
    expect(staff.locator(".js-print")).to_be_visible()  # the static script ran under the CSP
    check(staff, "nl-14-staff-letter-ru")

    anonymous = phone("uk-UA")
    anonymous.goto(live_server.url + "/portal/sign-in/")
    anonymous.get_by_label("Ім'я користувача").fill(user.username)
    anonymous.get_by_label("Пароль").fill("wrong password")
    anonymous.get_by_role("button", name="Увійти").click()
    check(anonymous, "uk-15-sign-in-error")


def test_keyboard_alone_signs_in_and_reaches_every_page_with_a_visible_focus(
    conscript_case: Any, applicant_of: Any, live_server: Any, phone: Any
) -> None:
    user = applicant_of(conscript_case, language="ru")
    page: Page = phone("ru-RU")
    page.goto(live_server.url + "/portal/sign-in/")
    page.bring_to_front()
    for _ in range(3):  # the first key press may only give the page itself the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") != "BODY":
            break
    assert page.evaluate("document.activeElement.className") == "skip-link", page.evaluate(
        "document.activeElement.outerHTML.slice(0, 120)"
    )
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    def tab_to(selector: str, limit: int = 30) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("input[name=username]")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Моё дело")

    page.goto(page.url.split("#")[0])  # from the top (the skip link left #main in the URL)
    seen = []
    unfocused_outline = []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info[0] == "BODY":
            break
        seen.append(info[1])
        if info[2] == "none" or info[3] == "0px":
            unfocused_outline.append(info)
    assert not unfocused_outline
    for label in ("Моё дело", "Сроки", "Меры", "Если IND опаздывает", "Встречи и жильё",
                  "Мои данные", "Учётная запись", "Выйти", "Українська"):  # fmt: skip
        assert label in seen, (label, seen)
    # a language button works from the keyboard
    page.keyboard.press("Shift+Tab")
    tab_to("button[lang=uk]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Моя справа")
