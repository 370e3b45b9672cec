from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "stockline.audit"
    label = "audit"
