"""Which rules govern a case, chosen by date: the procedure regime (the old Vw 2000 or the
APR, from 12 June 2026) and the responsibility framework (Dublin III or the AMMR, from
1 July 2026). The boundaries and their readings live in ``law/data/nl/regimes.toml``.

>>> import datetime as dt
>>> procedure_regime(lodged=dt.date(2026, 6, 11), requested=None).value
'vw2000'
>>> procedure_regime(lodged=dt.date(2026, 6, 12), requested=None).value
'apr'
>>> procedure_regime(lodged=None, requested=dt.date(2026, 9, 1)).value
'apr'
>>> responsibility_framework(registered=dt.date(2026, 6, 30)).value
'dublin_iii'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from toevlucht.law.sources import Citation, Status, TableReader, read_data_file, resolve

__all__ = [
    "Framework",
    "Regime",
    "RegimeRules",
    "procedure_regime",
    "regime_rules",
    "responsibility_framework",
]


class Regime(StrEnum):
    """The rules of the asylum procedure that govern an application."""

    VW2000 = "vw2000"  # Vw 2000 / Vb 2000 before 12 June 2026 (Directive 2013/32)
    APR = "apr"  # Regulation (EU) 2024/1348 and the Vw 2000 as amended


class Framework(StrEnum):
    """The rules that decide which Member State examines an application."""

    DUBLIN_III = "dublin_iii"  # Regulation (EU) No 604/2013
    AMMR = "ammr"  # Regulation (EU) 2024/1351


@dataclass(frozen=True, slots=True, kw_only=True)
class RegimeRules:
    apr_lodged_from: dt.date
    apr_source: Citation
    boundary_status: Status
    boundary_note: str
    ammr_registered_from: dt.date
    ammr_source: Citation


@cache
def regime_rules() -> RegimeRules:
    file, content = read_data_file("regimes.toml")
    p = TableReader(file, "procedure", content.get("procedure"))
    if p.text("new") != Regime.APR or p.text("old") != Regime.VW2000:
        raise p.error("new", "the procedure regimes are 'vw2000' (old) and 'apr' (new)")
    lodged_from = p.day("lodged_from")
    apr_source = resolve(file, "procedure.source", p.text("source"))
    status = p.enum("boundary_status", Status)
    note = p.text("boundary_note")
    p.done()
    r = TableReader(file, "responsibility", content.get("responsibility"))
    if r.text("new") != Framework.AMMR or r.text("old") != Framework.DUBLIN_III:
        raise r.error("new", "the frameworks are 'dublin_iii' (old) and 'ammr' (new)")
    registered_from = r.day("registered_from")
    ammr_source = resolve(file, "responsibility.source", r.text("source"))
    r.done()
    assert lodged_from is not None
    assert registered_from is not None
    return RegimeRules(
        apr_lodged_from=lodged_from,
        apr_source=apr_source,
        boundary_status=status,
        boundary_note=" ".join(note.split()),
        ammr_registered_from=registered_from,
        ammr_source=ammr_source,
    )


def procedure_regime(*, lodged: dt.date | None, requested: dt.date | None) -> Regime:
    """The regime of an application lodged on ``lodged`` (or, not yet lodged, requested on
    ``requested``). A case with neither is under the old rules only if nothing says
    otherwise: it is treated as an old-regime case (its history starts later)."""
    start = regime_rules().apr_lodged_from
    day = lodged if lodged is not None else requested
    if day is None:
        return Regime.VW2000
    return Regime.APR if day >= start else Regime.VW2000


def on_boundary(lodged: dt.date | None, requested: dt.date | None) -> bool:
    """The deciding day is the boundary day itself, where the reading is not settled."""
    day = lodged if lodged is not None else requested
    return day is not None and day == regime_rules().apr_lodged_from


def responsibility_framework(*, registered: dt.date | None) -> Framework:
    """Dublin III for an application registered before 1 July 2026, the AMMR from then."""
    if registered is None:
        return Framework.DUBLIN_III
    return (
        Framework.AMMR
        if registered >= regime_rules().ammr_registered_from
        else Framework.DUBLIN_III
    )
