from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "toevlucht.api"
    label = "api"
