"""What every letter shares: who signs it and which version of the law its sources cite.

A letter is signed with the sender's name, never with a login name: a user without a first
or last name types the signatory's name on the letter's form (:func:`signatory_name`), and a
letter without one has no PDF (:class:`NoSignatory`).

A source's link points to the version of the statute in force on the letter's date as far
as the law's data records it (:func:`source_on`): the data (``law/data/nl/sources.toml``)
names, for each article, the consolidation its text was read in. A letter dated before that
consolidation cites the latest earlier consolidation of the same article the data holds, and
when it holds none the link carries no version date (wetten.overheid.nl's current text);
the letter's footer says the sources are cited as in force on its date. No version is made
up.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from toevlucht.law.sources import Citation, SourceKind, load_sources

__all__ = [
    "NoSignatory",
    "Source",
    "cited_url",
    "needs_signatory",
    "signatory_name",
    "source_on",
]


class NoSignatory(ValueError):
    """The letter has no one to sign it: the sender has no name and typed none."""


def needs_signatory(user: Any) -> bool:
    """Whether the letter's form must ask ``user`` for the signatory's name: his account
    has no first or last name (a login name does not sign a letter)."""
    return not user.get_full_name().strip()


def signatory_name(user: Any, typed: str = "") -> str:
    """The name the letter is signed with: the one typed on the form, else the user's
    first and last name; "" when there is neither (the PDF then refuses, NoSignatory)."""
    return " ".join(typed.split()) or user.get_full_name().strip()


@dataclass(frozen=True)
class Source:
    label: str
    url: str | None


_DATED = re.compile(r"^(https://wetten\.overheid\.nl/BWBR\d+)/\d{4}-\d{2}-\d{2}(?=[#/?]|$)")


def cited_url(citation: Citation, day: dt.date) -> str:
    """The link to ``citation`` for a letter of ``day``: its own when its consolidation is
    in force on that day (on or before it), else the latest earlier consolidation of the
    same article in the data, else the link without a version date.

    >>> c = load_sources()["awb-6-12"]
    >>> cited_url(c, dt.date(2024, 3, 1))
    'https://wetten.overheid.nl/BWBR0005537/2024-01-01#Artikel612'
    >>> cited_url(c, dt.date(2022, 10, 1))
    'https://wetten.overheid.nl/BWBR0005537#Artikel612'
    """
    version = citation.consolidation_date
    if citation.kind is not SourceKind.STATUTE or version is None or version <= day:
        return citation.url
    earlier = [
        s
        for s in load_sources().values()
        if s.kind is SourceKind.STATUTE
        and s.bwb_id == citation.bwb_id
        and s.article == citation.article
        and s.consolidation_date is not None
        and s.consolidation_date <= day
    ]
    if earlier:
        return max(earlier, key=lambda s: s.consolidation_date or dt.date.min).url
    return _DATED.sub(r"\1", citation.url)


def source_on(label: str, citation: Citation | None, url: str | None, day: dt.date) -> Source:
    """A letter's source line: ``label`` with the link for the letter's ``day``."""
    return Source(label=label, url=cited_url(citation, day) if citation is not None else url)
