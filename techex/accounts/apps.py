from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "techex.accounts"
    label = "accounts"
