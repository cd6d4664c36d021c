from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "toevlucht.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from toevlucht.cases import changes

        connection_created.connect(changes.watch, dispatch_uid="cases-change-mark")
