"""URLs of toevlucht.api (filled in by its issue)."""

from django.urls import URLPattern, URLResolver

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = []
