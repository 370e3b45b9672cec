from django.db import models


class Channel(models.TextChoices):
    """Where a change came from. Orders use the first three."""

    STOREFRONT = "STOREFRONT", "Storefront"
    DASHBOARD = "DASHBOARD", "Dashboard"
    API = "API", "REST API"
    IMPORT = "IMPORT", "CSV import"
    CLI = "CLI", "Command line"
    SYSTEM = "SYSTEM", "System"


ORDER_CHANNELS = (Channel.STOREFRONT, Channel.DASHBOARD, Channel.API)
