from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "toevlucht.portal"
    label = "portal"
