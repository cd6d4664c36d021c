from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "toevlucht.letters"
    label = "letters"

    def ready(self) -> None:
        from toevlucht.letters import receivers  # noqa: F401  (connects the erasure receiver)
