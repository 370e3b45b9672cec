from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "stockline.demo"
    label = "demo"
