from django.db import models
from django.db.models import Q

from stockline.core.ids import uuid7


class EventType(models.TextChoices):
    STOCK_CHANGED = "stock.changed", "Stock changed"


class Event(models.Model):
    """What happened, as consumers read it: written in the transaction of the change it tells
    of (a rolled-back change leaves none), numbered for the feed after commit (events.feed)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    type = models.CharField(max_length=40, choices=EventType.choices)
    data = models.JSONField()
    created_at = models.DateTimeField()
    # The feed's order: 1, 2, 3, … in the order events.feed found them committed; NULL until then.
    position = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["company", "position"], name="event_company_position"),
            models.Index(
                fields=["created_at", "id"], condition=Q(position__isnull=True), name="event_unnumbered"
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
