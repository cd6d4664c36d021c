"""Why a forecast failed, in the reader's language.

A run fails in the task worker, long before anyone reads why: its ``error`` keeps the reason
as JSON, ``{"key": ..., "params": ..., "text": ...}`` for the worker's own reasons (the
limits of :mod:`toevlucht.analysis.sandbox`, a worker that died) and
``{"sim": ..., "text": ...}`` for the simulator's (:func:`toevlucht.sim.text.dump_error`);
``text`` is the English. The page renders it in its own language (:func:`error_text`); a run
kept before the reasons were kept this way shows its English text as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext

from toevlucht.sim import SimError
from toevlucht.sim.text import LANGUAGES, render_error, render_stored

__all__ = ["error_text", "page_language", "sim_error_text"]


def page_language() -> str:
    """The page's language, if the simulator's catalogues speak it; English otherwise."""
    lang = (get_language() or "en")[:2]
    return lang if lang in LANGUAGES else "en"


def sim_error_text(exc: SimError) -> str:
    """A simulator error in the page's language, with its file and key."""
    return render_error(exc, page_language())


def _n(v: Any) -> str:
    return number_format(int(v), force_grouping=True)


# the worker's reasons (``analysis.sandbox.kept``), by key: their text in the page's language
MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "timeout": lambda p: (
        gettext("the run took longer than the worker's limit of %(seconds)s s")
        % {"seconds": _n(p["seconds"])}
    ),
    "killed": lambda p: (
        gettext("the run was killed; most likely it needed more than %(mb)s MB")
        % {"mb": _n(p["mb"])}
    ),
    "memory": lambda p: (
        gettext("the run needed more memory than the worker's limit of %(mb)s MB")
        % {"mb": _n(p["mb"])}
    ),
    "stopped": lambda p: (
        gettext(
            "the run stopped unexpectedly (exit %(code)s); it may have exceeded the worker's "
            "memory limit of %(mb)s MB"
        )
        % {"code": p["code"], "mb": _n(p["mb"])}
    ),
    "os_error": lambda p: gettext("the run failed: %(detail)s") % {"detail": p["detail"]},
    "not_started": lambda p: (
        gettext("the run could not be started: %(detail)s") % {"detail": p["detail"]}
    ),
    "worker_stopped": lambda p: gettext(
        "the task worker stopped while running this forecast; no result"
    ),
}


def error_text(stored: str) -> str:
    """A run's kept ``error`` in the page's language."""
    try:
        kept = json.loads(stored)
    except ValueError:
        return stored  # kept before the reasons were kept as JSON: its English
    if not isinstance(kept, dict):
        return stored
    english = str(kept.get("text", stored))
    try:
        if isinstance(kept.get("sim"), dict):
            return render_stored(kept["sim"], page_language())
        message = MESSAGES.get(str(kept.get("key")))
        return message(kept.get("params") or {}) if message else english
    except (KeyError, TypeError, ValueError):
        return english
