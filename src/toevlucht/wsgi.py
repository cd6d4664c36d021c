"""WSGI entry point (gunicorn toevlucht.wsgi).

Before it serves, the application loads what each web process would otherwise load on its
first requests (:func:`warm`): the URL configuration with every view it imports, the
compiled templates of the pages and of the form widgets, the translation catalogues, and
the law's calendar, measures and texts. Under ``gunicorn --preload`` that happens once in
the master and its workers start with it; without, every worker does it as it boots instead
of making its first visitors wait (measured on the seeded database: a fresh process took
2.6 s for its first request, mostly imports, then 130 ms more for its first work queue page
and 150 ms more for its first case page).

Nothing here touches the database; connections a module opened on import are closed, so
that no worker inherits one. ``TOEVLUCHT_WARM_UP=0`` turns it off (a development server
that restarts often).
"""

import logging
import os
from pathlib import Path

import django.forms
from django.apps import apps
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation

from toevlucht.law import legal_calendar, load_measures
from toevlucht.law.text import LANGUAGES as LAW_LANGUAGES
from toevlucht.law.text import catalog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toevlucht.settings")
application = get_wsgi_application()

log = logging.getLogger(__name__)

FORM_TEMPLATES = Path(django.forms.__file__).parent / "templates"


def _templates(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in (".html", ".txt")
    )


def warm() -> int:
    """Load it all; returns how many templates were compiled."""
    if os.environ.get("TOEVLUCHT_WARM_UP", "1") == "0":
        return 0
    get_resolver().url_patterns  # noqa: B018  (imports the views)
    n = 0
    for app in apps.get_app_configs():
        root = Path(app.path) / "templates"
        if not app.name.startswith("toevlucht") or not root.is_dir():
            continue
        for name in _templates(root):
            try:
                get_template(name)
                n += 1
            except (TemplateDoesNotExist, TemplateSyntaxError) as exc:  # the page will say
                log.warning("template %s not loaded: %s", name, type(exc).__name__)
    renderer = get_default_renderer()
    for name in _templates(FORM_TEMPLATES):
        if name.startswith("django/forms/"):
            renderer.get_template(name)
            n += 1
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Work queue")
            reverse("web:home")  # the URL patterns of this language, for every reverse()
    legal_calendar()
    load_measures()
    for code in LAW_LANGUAGES:
        catalog(code)
    connections.close_all()
    return n


warm()
