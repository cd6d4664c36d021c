from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "toevlucht.audit"
    label = "audit"
    verbose_name = "Audit log"
