from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from stockline.core.ids import uuid7
from stockline.webhooks.models import TEST_EVENT


class EventType(models.TextChoices):
    """What consumers can subscribe to and filter the feed by."""

    STOCK_CHANGED = "stock.changed", "Stock changed"
    PRODUCT_LOW_STOCK = "product.low_stock", "Product low on stock"
    PRODUCT_OUT_OF_STOCK = "product.out_of_stock", "Product out of stock"
    PRODUCT_BACK_IN_STOCK = "product.back_in_stock", "Product back in stock"
    PRODUCT_CREATED = "product.created", "Product created"
    PRODUCT_UPDATED = "product.updated", "Product updated"
    ORDER_CREATED = "order.created", "Order created"
    ORDER_STATUS_CHANGED = "order.status_changed", "Order status changed"
    CUSTOMER_CREATED = "customer.created", "Customer created"
    CUSTOMER_UPDATED = "customer.updated", "Customer updated"


class Event(models.Model):
    """What happened, as consumers read it: written in the transaction of the change it tells
    of (a rolled-back change leaves none), numbered for the feed after commit (events.feed)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    type = models.CharField(max_length=40, choices=EventType.choices)
    # Stored as the API renders JSON (DjangoJSONEncoder: ids and times as the API's strings).
    data = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()
    # The feed's order: 1, 2, 3, … in the order events.feed found them committed; NULL until then.
    position = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["company", "position"], name="event_company_position"),
            models.Index(
                fields=["created_at", "id"],
                condition=Q(position__isnull=True) & ~Q(type=TEST_EVENT),  # what events_number reads
                name="event_unnumbered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class EventCounter(models.Model):
    """One row: the last feed position handed out. Its row lock makes numbering one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"events numbered up to {self.last}"
