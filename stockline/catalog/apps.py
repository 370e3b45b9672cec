from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "stockline.catalog"
    label = "catalog"
