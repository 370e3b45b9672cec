from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "stockline.api"
    label = "api"
