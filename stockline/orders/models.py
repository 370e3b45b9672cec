from django.conf import settings
from django.db import models
from django.db.models import Q

from stockline.core.channels import Channel
from stockline.core.models import TimestampedModel, UUIDModel
from stockline.orders.lifecycle import OrderStatus


class Order(TimestampedModel):
    # Served by the (company, …) indexes below.
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="orders", db_index=False
    )
    number = models.PositiveBigIntegerField(help_text="Human-readable, per company.")
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    placed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # shown, never searched
    )
    placed_by_api_key_id = models.UUIDField(null=True, blank=True)
    po_number = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    total = models.DecimalField(max_digits=14, decimal_places=2)
    restocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="order_company_number"),
            models.CheckConstraint(
                condition=Q(channel__in=["STOREFRONT", "DASHBOARD", "API"]),
                name="order_channel_valid",
            ),
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_gte_0"),
        ]
        indexes = [
            # Ascending, read backwards for "newest first": a new order lands at the index's
            # right edge, so each order dirties fewer index pages (on SQLite, fewer WAL pages).
            models.Index(fields=["company", "created_at", "id"], name="order_company_newest"),
            models.Index(fields=["company", "status"], name="order_company_status"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"#{self.number:05d}"


class OrderLine(UUIDModel):
    # The (order, product) unique index serves lookups by order.
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", db_index=False)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(max_length=200)
    product_sku = models.CharField(max_length=100, null=True, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["product_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_gte_1"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderline_price_gte_0"),
            models.UniqueConstraint(fields=["order", "product"], name="orderline_order_product"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"

    @property
    def line_total(self):
        return self.unit_price * self.quantity
