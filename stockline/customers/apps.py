from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "stockline.customers"
    label = "customers"
