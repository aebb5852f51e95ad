from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "artsmark.accounts"
    label = "accounts"
