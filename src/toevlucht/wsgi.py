"""WSGI entry point (gunicorn toevlucht.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toevlucht.settings")
application = get_wsgi_application()
