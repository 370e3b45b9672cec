from django.db import models
from django.db.models import Q

from stockline.core.ids import uuid7
from stockline.core.models import TimestampedModel

# The type of the event "Send test event" writes (services.webhook_test_send). Not an EventType:
# nobody subscribes to it; it goes to the one endpoint it was sent to and never into the feed.
TEST_EVENT = "webhook.test"


class WebhookEndpoint(TimestampedModel):
    """A URL that receives the company's events of the types it subscribes to, signed."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    url = models.URLField(max_length=2000)
    events = models.JSONField(help_text="The event types it receives.")
    is_active = models.BooleanField(default=True)
    # Standard Webhooks secrets ("whsec_" + base64 of 32 bytes), kept to sign with. After a
    # rotation the previous one signs too, until previous_secret_until.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    # Since when every delivery has failed (NULL: the last one succeeded); paused after 3 days.
    failing_since = models.DateTimeField(null=True, blank=True)
    paused_for_failing = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["company", "created_at"], name="webhook_endpoint_company")]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    DELIVERED = "DELIVERED", "Delivered"
    FAILED = "FAILED", "Failed"


class WebhookDelivery(models.Model):
    """One event to one endpoint: tried until a 2xx answer, or until its attempts run out."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker sending it holds it until then; a worker that died lets it go when it passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_response = models.CharField(
        max_length=500, blank=True, help_text="The start of the answer, or the error."
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_newest"),
            models.Index(fields=["next_attempt_at"], condition=Q(status="PENDING"), name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.status})"
