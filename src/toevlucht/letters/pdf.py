"""Every letter's PDF: WeasyPrint, tagged for accessibility (PDF/UA-1: a structure tree,
the document's language from ``<html lang>`` and its title from ``<title>``), loading
nothing from outside.

WeasyPrint (70) gives the document one language and none to its parts, so a Russian part
of a Dutch letter would be read aloud as Dutch (WCAG 3.1.2, language of parts). Its tagging
function is wrapped once (:func:`_mark_languages`) to give the structure element of every
HTML element with a ``lang`` attribute that language (``/Lang``); a test reads it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PDF_VARIANT", "letter_pdf"]

CSS = Path(__file__).with_name("letter.css")
PDF_VARIANT = "pdf/ua-1"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The letter loads nothing from outside (no file, no network)."""
    raise ValueError(f"letters load no external resources ({url[:40]})")


_marked = False


def _mark_languages() -> None:
    """Wrap WeasyPrint's structure-tree builder: an element from a box whose HTML element
    has ``lang`` gets ``/Lang``; the innermost wins (an outer one does not overwrite it)."""
    global _marked
    if _marked:
        return
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def build_with_lang(box: Any, *args: Any, **kwargs: Any) -> Any:
        element = getattr(getattr(box, "_box", box), "element", None)
        lang = element.get("lang") if element is not None else None
        for struct in build(box, *args, **kwargs):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    tags._build_box_tree = build_with_lang
    _marked = True


def letter_pdf(html: str) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    _mark_languages()
    doc = HTML(string=html, url_fetcher=_no_fetch)
    pdf = doc.write_pdf(stylesheets=[WeasyCSS(filename=str(CSS))], pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)
