"""Structured legal citations and a strict reader for the TOML data files.

Every statutory number, date and policy measure in ``law/data/nl`` points to a source by id.
A source is structured (instrument, BWB id, article, paragraph, consolidation date, URL), not
a bare link, and says whether the fact it supports is confirmed or not.

>>> s = load_sources()["vw-42-1"]
>>> s.label
'Vw 2000 art. 42(1)'
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from toevlucht.law.errors import DataError

__all__ = [
    "Citation",
    "SourceKind",
    "Status",
    "TableReader",
    "load_sources",
    "parse_source",
    "read_data_file",
]

DATA_PACKAGE = "toevlucht.law.data.nl"


class Status(StrEnum):
    """How firmly a legal fact is established."""

    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"


class SourceKind(StrEnum):
    """What kind of document a source is."""

    STATUTE = "statute"  # a formal act or an AMvB (Vw, Vb, Awb, Atw)
    EU_REGULATION = "eu_regulation"  # an EU regulation (APR, AMMR, Dublin III, 1182/71)
    DECREE = "decree"  # a royal or ministerial decree, a WBV amending the Aliens Circular
    CIRCULAR = "circular"  # the Aliens Circular (Vc) itself: policy rules
    CASE_LAW = "case_law"  # a court ruling (ECLI)
    GOVERNMENT = "government"  # an IND news item, a letter to parliament
    PRACTICE = "practice"  # established court or agency practice
    SECONDARY = "secondary"  # press, practitioners' sites


_STATUTE_REQUIRED = ("instrument", "abbreviation", "bwb_id", "article", "consolidation_date")
_EU_REQUIRED = ("instrument", "abbreviation", "celex", "article")


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """One legal source, structured so that a trace can cite it precisely."""

    id: str
    kind: SourceKind
    instrument: str
    url: str
    status: Status
    abbreviation: str = ""
    bwb_id: str = ""
    article: str = ""
    paragraph: str = ""
    consolidation_date: dt.date | None = None
    ecli: str = ""
    celex: str = ""
    date: dt.date | None = None
    note: str = ""
    # the label in another language, for a source whose label is words (press, IND news);
    # an article's citation reads the same in every language
    label_nl: str = ""
    label_ru: str = ""
    label_uk: str = ""

    def label_in(self, lang: str) -> str:
        """The label in ``lang`` (``nl``, ``ru``, ``uk``), the English one where none."""
        own = {"nl": self.label_nl, "ru": self.label_ru, "uk": self.label_uk}.get(lang, "")
        return own or self.label

    @property
    def label(self) -> str:
        """A short human citation: ``Vw 2000 art. 42(4)(b)``, ``ECLI:NL:RVS:2022:3353``."""
        if self.kind in (SourceKind.STATUTE, SourceKind.EU_REGULATION):
            para = f"({self.paragraph})" if self.paragraph else ""
            return f"{self.abbreviation} art. {self.article}{para}"
        if self.kind is SourceKind.CASE_LAW and self.ecli:
            return f"{self.instrument}, {self.ecli}"
        if self.abbreviation:
            return self.abbreviation
        return self.instrument

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready structured form."""
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "kind": self.kind.value,
            "instrument": self.instrument,
            "url": self.url,
            "status": self.status.value,
        }
        for key in ("bwb_id", "celex", "article", "paragraph", "ecli", "note"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.consolidation_date:
            out["consolidation_date"] = self.consolidation_date.isoformat()
        if self.date:
            out["date"] = self.date.isoformat()
        return out


class TableReader:
    """Reads one TOML table strictly: unknown keys and wrong types are :class:`DataError`.

    Call :meth:`done` after reading to reject keys nobody asked for.
    """

    def __init__(self, file: str, key: str, table: Any) -> None:
        if not isinstance(table, dict):
            raise DataError(file, key, f"expected a table, got {type(table).__name__}")
        self.file = file
        self.key = key
        self._table: dict[str, Any] = dict(table)
        self._seen: set[str] = set()

    def _join(self, key: str) -> str:
        return f"{self.key}.{key}" if self.key else key

    def error(self, key: str, problem: str) -> DataError:
        return DataError(self.file, self._join(key), problem)

    def _get(self, key: str, types: tuple[type, ...], required: bool) -> Any:
        self._seen.add(key)
        if key not in self._table:
            if required:
                raise self.error(key, "is required")
            return None
        value = self._table[key]
        # bool is an int in Python; a TOML integer must not accept true/false.
        if isinstance(value, bool) and bool not in types:
            raise self.error(key, f"expected {_names(types)}, got a boolean")
        if not isinstance(value, types) or (dt.date in types and isinstance(value, dt.datetime)):
            raise self.error(key, f"expected {_names(types)}, got {value!r}")
        return value

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(key, (str,), required)
        return default if value is None else str(value)

    def integer(self, key: str, *, required: bool = True) -> int | None:
        value = self._get(key, (int,), required)
        return None if value is None else int(value)

    def number(self, key: str, *, required: bool = True) -> float | None:
        value = self._get(key, (int, float), required)
        return None if value is None else float(value)

    def flag(self, key: str, *, required: bool = True, default: bool = False) -> bool:
        value = self._get(key, (bool,), required)
        return default if value is None else bool(value)

    def day(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self._get(key, (dt.date,), required)
        return value if isinstance(value, dt.date) else None

    def texts(self, key: str, *, required: bool = True) -> list[str]:
        value = self._get(key, (list,), required)
        if value is None:
            return []
        if not all(isinstance(v, str) for v in value):
            raise self.error(key, "expected a list of strings")
        return list(value)

    def table(self, key: str, *, required: bool = True) -> TableReader | None:
        value = self._get(key, (dict,), required)
        return None if value is None else TableReader(self.file, self._join(key), value)

    def tables(self, key: str, *, required: bool = True) -> list[TableReader]:
        value = self._get(key, (list,), required)
        if value is None:
            return []
        return [TableReader(self.file, f"{self._join(key)}[{i}]", v) for i, v in enumerate(value)]

    def enum[E: StrEnum](self, key: str, enum: type[E], *, default: E | None = None) -> E:
        raw = self.text(key, required=default is None)
        if raw == "" and default is not None:
            return default
        try:
            return enum(raw)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise self.error(key, f"{raw!r} is not one of: {allowed}") from None

    def keys(self) -> list[str]:
        return list(self._table)

    def done(self) -> None:
        unknown = sorted(set(self._table) - self._seen)
        if unknown:
            raise self.error(unknown[0], "unknown key")


def _names(types: tuple[type, ...]) -> str:
    return " or ".join(
        {
            "str": "a string",
            "int": "an integer",
            "float": "a number",
            "bool": "a boolean",
            "date": "a date",
            "list": "a list",
            "dict": "a table",
        }.get(t.__name__, t.__name__)
        for t in types
    )


def read_data_file(name: str) -> tuple[str, dict[str, Any]]:
    """Parse one packaged TOML data file; returns (display name, content)."""
    display = f"law/data/nl/{name}"
    try:
        raw = resources.files(DATA_PACKAGE).joinpath(name).read_bytes()
    except FileNotFoundError:
        raise DataError(display, "", "file not found") from None
    try:
        return display, tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(display, "", f"not valid TOML: {exc}") from None


def parse_source(t: TableReader, source_id: str) -> Citation:
    """Validate one source table (a sources.toml entry or an inline source)."""
    kind = t.enum("kind", SourceKind)
    citation = Citation(
        id=source_id,
        kind=kind,
        instrument=t.text("instrument"),
        abbreviation=t.text("abbreviation", required=False),
        label_nl=t.text("label_nl", required=False),
        label_ru=t.text("label_ru", required=False),
        label_uk=t.text("label_uk", required=False),
        bwb_id=t.text("bwb_id", required=False),
        article=t.text("article", required=False),
        paragraph=t.text("paragraph", required=False),
        consolidation_date=t.day("consolidation_date", required=False),
        url=t.text("url"),
        ecli=t.text("ecli", required=False),
        celex=t.text("celex", required=False),
        date=t.day("date", required=False),
        status=t.enum("status", Status),
        note=t.text("note", required=False),
    )
    t.done()
    if kind is SourceKind.STATUTE:
        for key in _STATUTE_REQUIRED:
            if not getattr(citation, key):
                raise t.error(key, "is required for a statute")
        if not citation.url.startswith("https://wetten.overheid.nl/"):
            raise t.error("url", "a statute must link to wetten.overheid.nl")
    if kind is SourceKind.EU_REGULATION:
        for key in _EU_REQUIRED:
            if not getattr(citation, key):
                raise t.error(key, "is required for an EU regulation")
        if not citation.url.startswith("https://eur-lex.europa.eu/"):
            raise t.error("url", "an EU regulation must link to eur-lex.europa.eu")
    if not citation.url.startswith("https://"):
        raise t.error("url", f"expected an https URL, got {citation.url!r}")
    return citation


def parse_sources(file: str, content: dict[str, Any]) -> dict[str, Citation]:
    """Validate the sources table of ``sources.toml``."""
    return {sid: parse_source(TableReader(file, sid, raw), sid) for sid, raw in content.items()}


@cache
def load_sources() -> dict[str, Citation]:
    """All sources by id, from ``law/data/nl/sources.toml``."""
    file, content = read_data_file("sources.toml")
    return parse_sources(file, content)


def resolve(file: str, key: str, source_id: str) -> Citation:
    """Look a source id up, or fail naming the data file and key that used it."""
    try:
        return load_sources()[source_id]
    except KeyError:
        raise DataError(file, key, f"unknown source {source_id!r}") from None
