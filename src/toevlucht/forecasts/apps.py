from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "toevlucht.forecasts"
    label = "forecasts"
    verbose_name = "Case forecasts"

    def ready(self) -> None:
        from toevlucht.cases.tasks import refreshed
        from toevlucht.forecasts.receivers import forecast_after_refresh

        refreshed.connect(forecast_after_refresh, dispatch_uid="forecasts.after_refresh")
