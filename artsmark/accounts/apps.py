from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "artsmark.accounts"
    label = "accounts"
    # allauth's app is also labelled "account(s)" in admin; this one holds the people.
    verbose_name = "People and sign-in"
