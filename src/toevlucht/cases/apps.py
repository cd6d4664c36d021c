from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "toevlucht.cases"
    label = "cases"
    verbose_name = "Cases"
