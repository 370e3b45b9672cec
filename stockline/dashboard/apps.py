from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "stockline.dashboard"
    label = "dashboard"
