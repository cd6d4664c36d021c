from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "toevlucht.letters"
    label = "letters"
