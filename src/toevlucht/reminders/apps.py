from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "toevlucht.reminders"
    label = "reminders"
