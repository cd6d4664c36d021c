"""URLs of toevlucht.web (filled in by its issue)."""

from django.urls import URLPattern, URLResolver

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = []
