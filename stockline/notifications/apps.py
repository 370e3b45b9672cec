from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "stockline.notifications"
    label = "notifications"
