from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "stockline.accounts"
    label = "accounts"
