from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "toevlucht.reminders"
    label = "reminders"

    def ready(self) -> None:
        from toevlucht.cases.tasks import refreshed
        from toevlucht.reminders.receivers import send_after_refresh

        refreshed.connect(send_after_refresh, dispatch_uid="reminders.send_after_refresh")
