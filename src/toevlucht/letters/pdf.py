"""Every letter's PDF: WeasyPrint, tagged for accessibility (PDF/UA-1: a structure tree,
the document's language from ``<html lang>`` and its title from ``<title>``), loading
nothing from outside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PDF_VARIANT", "letter_pdf"]

CSS = Path(__file__).with_name("letter.css")
PDF_VARIANT = "pdf/ua-1"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The letter loads nothing from outside (no file, no network)."""
    raise ValueError(f"letters load no external resources ({url[:40]})")


def letter_pdf(html: str) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    doc = HTML(string=html, url_fetcher=_no_fetch)
    pdf = doc.write_pdf(stylesheets=[WeasyCSS(filename=str(CSS))], pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)
