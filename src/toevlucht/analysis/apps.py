from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "toevlucht.analysis"
    label = "analysis"
    verbose_name = "Forecasts"
