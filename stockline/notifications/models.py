from django.db import models

from stockline.core.models import TimestampedModel


class LowStockAlert(TimestampedModel):
    """The low-stock email owed for one storefront order (at most one per order).

    Written in the order's transaction together with its job, so a rolled-back order owes
    nothing and a committed one is never forgotten; `sent_at` makes a re-run a no-op, and
    `claimed_until` keeps two workers running duplicate jobs from sending it at once.
    """

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="low_stock_alert")
    items = models.JSONField(help_text="[{name, sku, stock, threshold}] as of the order")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it; no other job touches it before then."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "gave_up_at"], name="lowstock_pending")]

    def __str__(self) -> str:
        return f"Low-stock alert for order {self.order_id}"
