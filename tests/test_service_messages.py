"""The shell's own messages (a service refusing input, an actor or a name) are translated:
every text the services, permissions and API modules below give to gettext has a Dutch
translation with the same placeholders, and those that can reach the applicant's portal (a
mandate's confirmation or end, the applicant's own password) a Russian and a Ukrainian one
too. The texts are read from the source, so a new message without a translation fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[1] / "src" / "toevlucht"

# Modules whose messages a user reads on the staff pages or in the API's problem documents.
STAFF = [
    "accounts/roles.py",
    "analysis/run_errors.py",
    "analysis/services.py",
    "analysis/views.py",
    "api/events.py",
    "api/filters.py",
    "api/pagination.py",
    "api/serializers.py",
    "api/views.py",
    "cases/permissions.py",
    "cases/services.py",
    "letters/services.py",
    "measures/selectors.py",
    "privacy/export.py",
    "web/selectors.py",
    "web/views/intake.py",
    "web/views/mandates.py",
]
# ... and those whose messages can reach the applicant's portal as well.
PORTAL = ["accounts/passwords.py", "accounts/services.py", "portal/services.py"]

GETTEXT = {"gettext", "gettext_lazy", "_", "pgettext", "pgettext_lazy"}
NGETTEXT = {"ngettext", "ngettext_lazy"}


def messages(rel: str) -> list[tuple[str, ...]]:
    """(msgid,) or (singular, plural) of every gettext call with literal text in ``rel``."""
    found: list[tuple[str, ...]] = []
    for node in ast.walk(ast.parse((SRC / rel).read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if name in GETTEXT and args and isinstance(args[0], str):
            found.append((args[0],))
        elif name in NGETTEXT and len(args) >= 2:
            found.append((args[0], args[1]))
    return found


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)[sd]", text))


CASES = [(rel, lang) for rel in STAFF + PORTAL for lang in ["nl"]] + [
    (rel, lang) for rel in PORTAL for lang in ["ru", "uk"]
]


@pytest.mark.parametrize(("rel", "lang"), CASES)
def test_every_message_is_translated_with_its_placeholders(rel: str, lang: str) -> None:
    found = messages(rel)
    assert found, f"{rel}: no messages found (has the module changed its gettext names?)"
    missing, wrong = [], []
    with translation.override(lang):
        for msg in found:
            if len(msg) == 1:
                pairs = [(msg[0], translation.gettext(msg[0]))]
            else:
                pairs = [
                    (msg[0], translation.ngettext(msg[0], msg[1], 1)),
                    (msg[1], translation.ngettext(msg[0], msg[1], 5)),
                ]
            for source, text in pairs:
                if text == source:
                    missing.append(source)
                elif placeholders(text) != placeholders(source):
                    wrong.append((source, text))
    assert missing == [], f"{rel}: not translated into {lang}"
    assert wrong == [], f"{rel}: placeholders differ in {lang}"
