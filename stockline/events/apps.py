from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "stockline.events"
    default_auto_field = "django.db.models.BigAutoField"
