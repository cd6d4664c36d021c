"""URLs of toevlucht.portal (filled in by its issue)."""

from django.urls import URLPattern, URLResolver

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = []
