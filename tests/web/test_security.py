"""Content Security Policy without inline code: no inline script, no inline style, no event
handler attribute on any staff page; htmx is served from our own static files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest


class _Inline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k for k, _ in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        for k in names:
            if re.fullmatch(r"on[a-z]+|hx-on.*", k):
                self.problems.append(f"{k} on <{tag}>")
        if tag in ("script", "link") and any(
            k in ("src", "href") and v and re.match(r"(https?:)?//", v) for k, v in attrs
        ):
            self.problems.append(f"external {tag}: {attrs}")


def _inline_problems(html: str) -> list[str]:
    p = _Inline()
    p.feed(html)
    return p.problems


@pytest.mark.parametrize(
    "role", ["caseworker", "supervisor", "legal_aid", "analyst", "administrator"]
)
def test_no_page_has_inline_code_and_every_page_sends_the_policy(
    users: dict[str, Any], cases: dict[str, Any], client_for: Any, role: str
) -> None:
    client = client_for(users[role])
    own = cases["own"]
    urls = [
        "/",
        "/search/?q=Sokolov",
        "/measures/",
        "/measures/new/",
        "/measures/ru-conscripts-2022-decision/",
        "/reception/",
        "/accounts/two-factor/",
        f"/cases/{own.pk}/",
        f"/cases/{own.pk}/events/new/?kind=notice_of_default_received",
        f"/cases/{own.pk}/events/{own.events.first().pk}/correct/",
    ]
    checked = 0
    for url in urls:
        r = client.get(url)
        if r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
            continue
        checked += 1
        policy = r["Content-Security-Policy"]
        assert "script-src 'self'" in policy, url
        assert "style-src 'self'" in policy, url
        assert "unsafe-" not in policy, url
        assert _inline_problems(r.content.decode()) == [], url
    assert checked >= 4


def test_the_sign_in_page_has_no_inline_code(client: Any) -> None:
    r = client.get("/accounts/login/")
    assert _inline_problems(r.content.decode()) == []
    assert "/static/django_htmx/htmx-2.min.js" in r.content.decode()


def test_the_letter_loads_nothing_from_outside() -> None:
    from toevlucht.letters.pdf import _no_fetch

    with pytest.raises(ValueError, match="no external resources"):
        _no_fetch("file:///etc/passwd")
