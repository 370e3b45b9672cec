from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "stockline.webhooks"
    default_auto_field = "django.db.models.BigAutoField"
