from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "toevlucht.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
