from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stockline.core"
    label = "core"
