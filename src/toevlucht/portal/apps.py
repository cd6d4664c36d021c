from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "toevlucht.portal"
    label = "portal"

    def ready(self) -> None:
        from toevlucht.portal import receivers  # noqa: F401  (connects the signal receivers)
