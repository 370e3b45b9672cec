from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "stockline.storefront"
    label = "storefront"
