from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "stockline.imports"
    label = "imports"
