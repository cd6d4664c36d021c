from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "toevlucht.web"
    label = "web"
