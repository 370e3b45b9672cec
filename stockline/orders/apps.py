from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "stockline.orders"
    label = "orders"
