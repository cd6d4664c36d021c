"""The catalogues are complete and safe to translate further; the templates keep to the
rules: no inline script or style (CSP), no legal numbers or dates of their own, no physical
left/right in the stylesheet."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import toevlucht.portal

from .conftest import LOCALE

PORTAL = Path(toevlucht.portal.__file__).parent
TEMPLATES = sorted((PORTAL / "templates").rglob("*.html"))
LANGS = ["ru", "uk", "nl"]


def entries(lang: str) -> list[dict[str, object]]:
    """msgid, msgid_plural, msgstr forms and flags of one catalogue."""
    raw = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    out = []
    for block in raw.strip().split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        flags = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
                continue
            if line.startswith("#"):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            else:
                fields[key] += line.strip()[1:-1]
        if fields.get("msgid"):
            out.append({"fields": fields, "flags": flags})
    return out


def placeholders(s: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", s)) | {
        n for _, n, _, _ in string.Formatter().parse(s) if n
    }


def tags(s: str) -> list[str]:
    return re.findall(r"</?\w+", s)


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_with_the_same_placeholders_and_tags(lang: str) -> None:
    es = entries(lang)
    assert len(es) > 250
    for e in es:
        f = e["fields"]
        assert isinstance(f, dict)
        assert "fuzzy" not in str(e["flags"]), f["msgid"]
        source = f["msgid"] + f.get("msgid_plural", "")
        translations = [v for k, v in f.items() if k.startswith("msgstr")]
        for t in translations:
            assert t, f"{lang}: no translation for {f['msgid']!r}"
            assert placeholders(t) == placeholders(f["msgid"]), (lang, f["msgid"], t)
            assert tags(t) == tags(f["msgid"]), (lang, f["msgid"], t)
        assert source


@pytest.mark.parametrize("lang", LANGS)
def test_the_catalogues_have_the_same_messages(lang: str) -> None:
    ids = {(e["fields"].get("msgctxt"), e["fields"]["msgid"]) for e in entries(lang)}  # type: ignore[union-attr]
    ru = {(e["fields"].get("msgctxt"), e["fields"]["msgid"]) for e in entries("ru")}  # type: ignore[union-attr]
    assert ids == ru


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(path: Path) -> None:
    html = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("path", [*TEMPLATES, PORTAL / "texts.py"], ids=lambda p: p.name)
def test_no_legal_number_or_date_is_written_into_templates_or_texts(path: Path) -> None:
    src = path.read_text()
    assert not re.search(r"\b(19|20)\d\d\b", src), "a year"
    assert not re.search(
        r"\b\d+\s*(day|days|week|weeks|month|months|working)\b", src, re.IGNORECASE
    ), "a term"
    assert "€" not in src
    assert "EUR" not in src


def test_the_stylesheet_uses_logical_properties_so_right_to_left_mirrors() -> None:
    css = (PORTAL / "static" / "portal" / "portal.css").read_text()
    physical = re.findall(
        r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:|text-align:\s*(left|right)|float:",
        css,
    )
    assert not physical
