from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "toevlucht.measures"
    label = "measures"
    verbose_name = "Policy measures"
