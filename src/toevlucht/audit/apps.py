from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "toevlucht.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from toevlucht.audit.files import protect_data_folder

        connection_created.connect(protect_data_folder, dispatch_uid="toevlucht-data-folder")
